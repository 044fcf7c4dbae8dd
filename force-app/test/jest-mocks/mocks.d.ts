// Types of the test helpers the Jest mocks in this folder add to the platform modules (merged into the
// declarations of types/salesforce-modules.d.ts). Test files get them through ../jest-fixtures/phoneState.ts.
/// <reference types="@sa11y/jest" />

declare module 'lightning/navigation' {
    export function getNavigateCalledWith(): { pageReference: any; replace: boolean | undefined };
    export function getNavigations(): Array<{ pageReference: any; replace: boolean | undefined }>;
    export function resetNavigations(): void;
}

declare module 'lightning/messageService' {
    export function deliverMessage(channel: unknown, message: unknown): void;
    export function subscriberCount(): number;
    export function resetMessageService(): void;
}

declare module 'lightning/platformUtilityBarApi' {
    export const UTILITY_ID: string;
}
