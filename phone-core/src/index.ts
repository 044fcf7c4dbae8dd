/**
 * phone-core: the WebPhone's telephony core, free of Salesforce.
 *
 * Bundled with sip.js and libphonenumber-js into the `webphoneCore` static resource (one IIFE that
 * defines `window.WebphoneCore`); LWC components load it with `loadScript` and talk to it through
 * these exports only. The host (LWC in Salesforce, the workbench locally) implements the ports:
 * agent-status publishing, SIP credentials, call-log sending, storage, locks, channels, media.
 */

/** Version of the core API; the LWC host checks it after loading the static resource. */
export const CORE_API_VERSION = 1;

// Agent status (F2) and calls (F3, F8, F9, F11)
export * from './agent-status';
export * from './call/call-machine';
export * from './call/call-data';
export * from './call/transfer-failure';

// SIP over WebSocket/WebRTC (sip.js)
export * from './sip/sip-phone';
export * from './sip/types';
export * from './sip/registration';
export * from './sip/credentials';
export * from './sip/media';
export * from './sip/call-quality';
export * from './sip/network';
export * from './sip/reconnect-policy';
export * from './sip/keepalive';
export * from './sip/conference-mixer';
export * from './sip/media-watch';

// Phone numbers (F17)
export * from './phone-number';

// One registration per agent across tabs (B1), the call-log outbox (B2), screen pop (F4, F5)
export * from './tabs/tab-election';
export * from './tabs/browser-ports';
export * from './tabs/election-secret';
export * from './outbox/call-log-outbox';
export * from './screen-pop/screen-pop';
export * from './notification-template';
// Callbacks in the recent calls (F11, F24)
export * from './callbacks/callbacks';
export * from './callbacks/queued-callback';

// The public message channel for the org's own components (F19) and Omni-Channel presence (F23)
export * from './public-api/public-channel';
export * from './omni/omni-presence';

// The orchestrator the UI binds to: ports, view state, commands
export * from './session';

// Utilities the host needs to implement ports
export * from './util/emitter';
export * from './util/clock';
export * from './recording/recording-control';
// The contact centre's summary in the wrap-up form (F22)
export * from './conversation/conversation-watch';
export * from './doctor/phone-doctor';
export * from './doctor/doctor-log';
export * from './doctor/browser-probes';
export * from './doctor/echo-test';
