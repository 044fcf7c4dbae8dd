/**
 * The browser APIs phone-core's Phone Doctor probes read (`DoctorBrowser`), taken from this component's
 * `window` (under Lightning Web Security: its sandboxed window, the same one the phone itself uses).
 */
import type { DoctorBrowser, DoctorDocument } from 'webphone-core';

/** The page's browser APIs; a missing one leaves its checks `unknown`. */
export function browserApis(): DoctorBrowser {
    const nav = typeof navigator === 'undefined' ? undefined : navigator;
    const apis: DoctorBrowser = {
        clock: {
            now: () => Date.now(),
            // eslint-disable-next-line @lwc/lwc/no-async-operation -- the probes' bounded waits (phone-core's Clock)
            setTimeout: (callback, delayMs) => window.setTimeout(callback, delayMs),
            clearTimeout: (handle) => window.clearTimeout(handle as number)
        },
        document: document as unknown as DoctorDocument
    };
    if (nav?.permissions) {
        const permissions = nav.permissions;
        apis.permissions = { query: (descriptor) => permissions.query(descriptor as PermissionDescriptor) };
    }
    if (nav?.mediaDevices) apis.mediaDevices = nav.mediaDevices;
    if (typeof WebSocket === 'function')
        apis.createWebSocket = (url, protocol) => new WebSocket(url, protocol);
    if (typeof RTCPeerConnection === 'function')
        apis.createPeerConnection = (config) => new RTCPeerConnection(config);
    return apis;
}

/** `navigator.userAgentData` (Chromium's User-Agent Client Hints). */
interface UserAgentHints {
    brands?: Array<{ brand: string; version: string }>;
}

/** Browser and version, for the diagnostics file. */
export function browserVersions(): Record<string, string> {
    const nav = typeof navigator === 'undefined' ? undefined : navigator;
    const hints = (nav as { userAgentData?: UserAgentHints } | undefined)?.userAgentData;
    return {
        userAgent: nav?.userAgent ?? '',
        ...(hints?.brands ? { brands: hints.brands.map((b) => `${b.brand} ${b.version}`).join(', ') } : {}),
        language: nav?.language ?? '',
        platform: nav?.platform ?? ''
    };
}
