/* global jest */
/**
 * Jest mock of `lightning/platformResourceLoader`: resolves without loading anything. A test that needs the
 * static resource puts its fake on `window` (e.g. `window.WebphoneCore`) before the component loads, or makes
 * `loadScript` reject to test the failure path.
 */
export const loadScript = jest.fn(() => Promise.resolve());
export const loadStyle = jest.fn(() => Promise.resolve());
