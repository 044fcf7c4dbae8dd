/**
 * Is this page able to run the phone? The phone needs Lightning Web Security (LWS): under Lightning Locker
 * (its predecessor) the component's `window` and `document` are Locker's secure wrappers, and the WebRTC,
 * Web Locks and BroadcastChannel APIs the phone relies on are not all available.
 *
 * Salesforce documents no runtime flag for "LWS is on" (its own check is a debug-mode search for "LWS
 * Version" in the component sources). The reliable, documented difference is Locker's secure wrappers:
 * "the secure version of window is SecureWindow", and a SecureWindow / SecureDocument names itself when
 * converted to text (`SecureWindow: [object Window]{ key: {...} }`). Under LWS the sandboxed window is a
 * plain `[object Window]`. The WebRTC check catches browsers (and wrappers) without RTCPeerConnection.
 */

/** Why the phone cannot run here. */
export type SecurityProblem = 'locker' | 'webrtc-unavailable';

/** The globals read (a test passes its own). */
export interface SecurityGlobals {
    window: unknown;
    document?: unknown;
    RTCPeerConnection?: unknown;
    WebSocket?: unknown;
}

/** null when the phone can run; otherwise the reason. */
export function securityProblem(globals: SecurityGlobals): SecurityProblem | null {
    if (isLockerWrapper(globals.window) || isLockerWrapper(globals.document)) return 'locker';
    if (typeof globals.RTCPeerConnection !== 'function' || typeof globals.WebSocket !== 'function') {
        return 'webrtc-unavailable';
    }
    return null;
}

function isLockerWrapper(value: unknown): boolean {
    if (value === null || value === undefined) return false;
    let text: string;
    try {
        text = String(value);
    } catch {
        // a wrapper that refuses conversion is not a plain window either
        return true;
    }
    return /^Secure(Window|Document|Object)\b/.test(text);
}
