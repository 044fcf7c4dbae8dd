/**
 * The phone session (the orchestrator the UI binds to) and its types. Re-exported by `phone-core/src/index.ts`.
 */
export * from './types';
export * from './phone-session';
export * from './interaction';
export * from './caller-card';
export * from './session-store';
