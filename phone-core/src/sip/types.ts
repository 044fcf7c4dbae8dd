/**
 * Types shared by the SIP adapter's facade ({@link ./sip-phone}) and its per-call binding ({@link ./call-session}).
 */
import type { CallSnapshot, RemoteParty } from '../call/call-machine';
import type { CallData } from '../call/call-data';
import type { QualityScore } from './call-quality';
import type { RegistrationChange } from './registration';

/** State of the signalling connection (the WebSocket). */
export enum ConnectionState {
    Disconnected = 'Disconnected',
    Connecting = 'Connecting',
    Connected = 'Connected',
    /** Lost; a reconnect attempt is scheduled (`retryInMs`). */
    WaitingToReconnect = 'WaitingToReconnect'
}

/** Payload of `connectionChanged`. */
export interface ConnectionChange {
    state: ConnectionState;
    /** Why it changed: 'connection lost', 'keepalive timeout', 'browser online', ... */
    reason?: string;
    /** Reconnect attempt number since the last stable connection (WaitingToReconnect, Connecting). */
    attempt?: number;
    /** Delay before the next attempt (WaitingToReconnect). */
    retryInMs?: number;
    /** `navigator.onLine` as the network port reports it, when known. */
    online?: boolean;
}

/** Area of a {@link SipPhoneError}. */
export type SipPhoneErrorKind =
    'microphone' | 'credentials' | 'transport' | 'registration' | 'call' | 'media';

/** Payload of `error`: something the agent or an admin may need to act on. */
export interface SipPhoneError {
    kind: SipPhoneErrorKind;
    message: string;
    /** The call concerned, when there is one. */
    callId?: string;
    /** MicrophoneError code, SIP status code, ... */
    code?: string | number;
    cause?: unknown;
}

/** Payload of `quality`. */
export interface QualityEvent {
    callId: string;
    score: QualityScore;
}

/** Payload of `busyRejected`: an inbound call answered 486 Busy Here because the agent was busy. */
export interface BusyRejectedEvent {
    remote: RemoteParty;
    callData: CallData;
}

/** Events of {@link SipPhone} (typed for the shared Emitter). */
export type SipPhoneEvents = {
    registrationChanged: RegistrationChange;
    connectionChanged: ConnectionChange;
    /** A new inbound call rings (first snapshot, state Ringing). */
    incomingCall: CallSnapshot;
    /** Any change of a call that is not its end. */
    callUpdated: CallSnapshot;
    /** Exactly once per call, with the final snapshot (the call log is written from it). */
    callEnded: CallSnapshot;
    quality: QualityEvent;
    error: SipPhoneError;
    busyRejected: BusyRejectedEvent;
};

/** Result of a call command: never thrown, check `ok`. */
export type CommandResult =
    { ok: true; snapshot: CallSnapshot } | { ok: false; message: string; snapshot?: CallSnapshot };

/** How DTMF is sent: RTP events (RFC 4733/2833) with SIP INFO fallback, or one of them only. */
export type DtmfMode = 'auto' | 'rfc2833' | 'info';
