/**
 * `PhoneCalls`: the calls of one {@link SipPhone} — the one owner of its call legs ({@link CallSession}s by id) and
 * of the selected audio devices.
 *
 * It places and offers calls (outbound INVITE, inbound INVITE with the busy rule, INVITE with Replaces taking an
 * established call's place), runs the agent's commands on a leg, links a consultation leg to its primary, mixes a
 * conference, and reports every end once (`callEnded`). The connection, the user agent and its credentials stay
 * with the phone, read through {@link PhoneCallsHost}; the phone asks the calls for an ICE restart after a
 * reconnect and whether any call is up before it rebuilds its user agent.
 */
import { QUEUED_CALLBACK_HEADERS } from '../callbacks/queued-callback';
import { Inviter, UserAgent } from 'sip.js';
import type { Invitation, Session, URI } from 'sip.js';
import {
    CallMachine,
    CallState,
    decideIncomingWhileBusy,
    type CallSnapshot,
    type RemoteParty
} from '../call/call-machine';
import {
    CALL_DATA_HEADERS,
    createCallData,
    parseCallData,
    parseDisplayName,
    type CallData,
    type CallDataField,
    type SipHeaderMap
} from '../call/call-data';
import type { Clock } from '../util/clock';
import { CallSession, audioSenderOf, remoteStreamOf, type CallSessionContext } from './call-session';
import { ConferenceMixer } from './conference-mixer';
import { MEDIA_LOSS_GRACE_MS, MEDIA_WATCH_INTERVAL_MS } from './media-watch';
import type { ValidCredentials } from './credentials';
import { MicrophoneError, openMicrophone, type AudioDevices, type MediaPort } from './media';
import type { CommandResult, SipPhoneError, SipPhoneEvents } from './types';
import type { SipPhoneOptions } from './phone-options';

/** Header of a consultation INVITE naming the interaction the consultation belongs to. */
export const PARENT_INTERACTION_HEADER = 'X-CC-Parent-Interaction-Id';
/** An id that may go into a header as is: visible ASCII without quotes or angle brackets, like call data ids. */
const CONSULTATION_HEADER_VALUE = /^[!#-&(-;=?-_a-~]{1,255}$/;

/** What the calls need from the phone around them: its user agent, its life cycle and its events. */
export interface PhoneCallsHost {
    clock: Clock;
    media: MediaPort;
    random: () => number;
    /** The user agent in use, if any. */
    userAgent: () => UserAgent | undefined;
    /** The credentials the user agent was built with (its address gives the domain of dialled numbers). */
    uaCredentials: () => ValidCredentials | undefined;
    /** True between a successful start() and stop(): inbound INVITEs are offered only then. */
    running: () => boolean;
    /** True while the SIP connection is up (media recovery waits for it). */
    signallingUp: () => boolean;
    emit: <K extends keyof SipPhoneEvents>(eventName: K, payload: SipPhoneEvents[K]) => void;
    reportError: (error: SipPhoneError) => void;
    /** A call ended (after its `callEnded`): the phone may rebuild a user agent it deferred for the calls. */
    callEnded: () => void;
}

/** The call legs of one phone; see the module documentation. */
export class PhoneCalls {
    private readonly options: SipPhoneOptions;
    private readonly host: PhoneCallsHost;
    private readonly clock: Clock;
    private readonly media: MediaPort;
    private readonly calls = new Map<string, CallSession>();
    private readonly callContext: CallSessionContext;
    private devices: AudioDevices = {};

    constructor(options: SipPhoneOptions, host: PhoneCallsHost) {
        this.options = options;
        this.host = host;
        this.clock = host.clock;
        this.media = host.media;
        this.callContext = {
            clock: this.clock,
            media: this.media,
            devices: () => this.devices,
            dtmfMode: options.dtmfMode ?? 'auto',
            playTones: options.playTones ?? true,
            qualityIntervalMs: options.qualityIntervalMs ?? 5000,
            mediaWatch: {
                intervalMs: options.mediaWatch?.intervalMs ?? MEDIA_WATCH_INTERVAL_MS,
                graceMs: options.mediaWatch?.graceMs ?? MEDIA_LOSS_GRACE_MS
            },
            signallingUp: () => host.signallingUp(),
            random: host.random,
            transferNotifyTimeoutMs: options.transferNotifyTimeoutMs ?? 10000,
            readCallData: (message) => this.readCallData(message),
            onUpdated: (snapshot) => host.emit('callUpdated', snapshot),
            onEnded: (snapshot) => this.onCallEnded(snapshot),
            onQuality: (callId, score) => host.emit('quality', { callId, score }),
            onError: (error) => this.reportError(error)
        };
    }

    /** The selected audio devices (B6). */
    get audioDevices(): AudioDevices {
        return this.devices;
    }

    /** Snapshots of the calls that have not ended. */
    activeCalls(): CallSnapshot[] {
        return Array.from(this.calls.values())
            .filter((c) => c.isActive)
            .map((c) => c.snapshot());
    }

    /** Snapshot of one call (undefined once it ended and was forgotten). */
    call(callId: string): CallSnapshot | undefined {
        return this.calls.get(callId)?.snapshot();
    }

    /** Hang up every call (each gets its `callEnded`). */
    forceEndAll(reason: string): void {
        for (const call of Array.from(this.calls.values())) {
            call.forceEnd(reason);
        }
    }

    /** Let go of every call without ending it (the page is going away mid-call, B7). */
    forget(): void {
        this.calls.clear();
    }

    /**
     * Place an outbound call. `target` is a number or a SIP URI (numbers are sent as `sip:<number>@<domain>`;
     * normalise them to E.164 before calling).
     */
    async dial(
        target: string,
        details: { displayName?: string; originRecordId?: string; extraHeaders?: string[] } = {}
    ): Promise<CommandResult> {
        const ua = this.host.userAgent();
        const uaCredentials = this.host.uaCredentials();
        if (!this.host.running() || !ua || !uaCredentials) {
            return { ok: false, message: 'the phone is not started' };
        }
        if (Array.from(this.calls.values()).some((c) => c.isActive)) {
            return { ok: false, message: 'another call is active: use a consultation call' };
        }
        const uri = toSipUri(target, uaCredentials.aor.host);
        if (!uri) {
            return { ok: false, message: `not a dialable target: ${target}` };
        }
        const call = this.newCall({});
        const remote: RemoteParty = { number: target.trim() };
        if (details.displayName) {
            remote.displayName = parseDisplayName(details.displayName);
        }
        const r = call.machine.send({
            type: 'dial',
            remote,
            callData: createCallData(),
            originRecordId: details.originRecordId
        });
        if (!r.ok) {
            return { ok: false, message: r.message };
        }
        this.calls.set(call.id, call);
        await call.sendInvite(this.makeInviter(ua, uri, details.extraHeaders), this.dialTimeoutMs());
        return { ok: true, snapshot: call.snapshot() };
    }

    /** Answer a ringing call. */
    answer(callId: string): Promise<CommandResult> {
        return this.withCall(callId, (call) => call.answer());
    }

    /** Reject a ringing call (486 Busy Here). */
    reject(callId: string): Promise<CommandResult> {
        return this.withCall(callId, async (call) => call.reject());
    }

    /** Hang up: reject (ringing), CANCEL (dialling) or BYE (connected). */
    hangup(callId: string): Promise<CommandResult> {
        return this.withCall(callId, async (call) => call.hangup());
    }

    /** Hold (re-INVITE, direction verified). */
    hold(callId: string): Promise<CommandResult> {
        return this.withCall(callId, (call) => call.hold());
    }

    /** Resume from hold. */
    resume(callId: string): Promise<CommandResult> {
        return this.withCall(callId, (call) => call.resume());
    }

    /** Mute the agent's microphone on this call. */
    mute(callId: string): Promise<CommandResult> {
        return this.withCall(callId, async (call) => call.mute(true));
    }

    /** Unmute. */
    unmute(callId: string): Promise<CommandResult> {
        return this.withCall(callId, async (call) => call.mute(false));
    }

    /** Send DTMF digits (0-9 * # A-D). */
    sendDtmf(callId: string, digits: string): Promise<CommandResult> {
        return this.withCall(callId, (call) => call.sendDtmf(digits));
    }

    /** Blind transfer (REFER) to a number or SIP URI. */
    blindTransfer(callId: string, target: string): Promise<CommandResult> {
        return this.withCall(callId, async (call) => {
            const uaCredentials = this.host.uaCredentials();
            const uri = uaCredentials && toSipUri(target, uaCredentials.aor.host);
            if (!uri) {
                return { ok: false, message: `not a transfer target: ${target}` };
            }
            return call.blindTransfer(uri, target.trim());
        });
    }

    /**
     * Consultation (attended transfer, first step): hold `callId` if needed and dial `target` on a second leg.
     * @returns the consultation leg's snapshot
     */
    startConsultation(callId: string, target: string): Promise<CommandResult> {
        return this.withCall(callId, async (primary) => {
            const ua = this.host.userAgent();
            const uaCredentials = this.host.uaCredentials();
            const uri = uaCredentials && toSipUri(target, uaCredentials.aor.host);
            if (!ua || !uri) {
                return { ok: false, message: `not a dialable target: ${target}` };
            }
            if (primary.machine.role !== 'primary' || primary.snapshot().consultActive) {
                return { ok: false, message: 'a consultation needs a primary call without one' };
            }
            if (primary.machine.state === CallState.Connected) {
                const held = await primary.hold();
                if (!held.ok || stateOf(primary) !== CallState.OnHold) {
                    return {
                        ok: false,
                        message: held.ok ? 'the call could not be put on hold' : held.message
                    };
                }
            }
            const consult = this.newCall({ role: 'consultation', linkedCallId: primary.id });
            const link = primary.machine.send({ type: 'consultStart', consultCallId: consult.id });
            if (!link.ok) {
                return { ok: false, message: link.message };
            }
            const callData = createCallData();
            consult.machine.send({ type: 'dial', remote: { number: target.trim() }, callData });
            this.calls.set(consult.id, consult);
            // the contact centre learns which interaction the consultation belongs to (one VoiceCall per leg)
            const headers = this.consultationHeaders(
                primary.snapshot().interactionId,
                callData.interactionId
            );
            await consult.sendInvite(this.makeInviter(ua, uri, headers), this.dialTimeoutMs());
            return { ok: true, snapshot: consult.snapshot() };
        });
    }

    /** Attended transfer: REFER with Replaces of the primary to the consultation leg `consultId`. */
    completeTransfer(consultId: string): Promise<CommandResult> {
        return this.withCall(consultId, async (consult) => {
            const primary = this.primaryOf(consult);
            if (!primary) {
                return { ok: false, message: 'not a consultation call' };
            }
            return primary.completeTransfer(consult);
        });
    }

    /** Drop the consultation leg `consultId` and resume the held caller. */
    returnToCaller(consultId: string): Promise<CommandResult> {
        return this.withCall(consultId, async (consult) => {
            const primary = this.primaryOf(consult);
            if (!primary) {
                return { ok: false, message: 'not a consultation call' };
            }
            const r = primary.machine.send({ type: 'returnToCaller' });
            if (!r.ok) {
                return { ok: false, message: r.message };
            }
            consult.hangup();
            return primary.completePendingResume();
        });
    }

    /** Three-way conference of a primary call and its consultation leg, mixed locally with Web Audio. */
    conference(callIdA: string, callIdB: string): Promise<CommandResult> {
        return this.withCall(callIdA, async (a) => {
            const b = this.calls.get(callIdB);
            if (!b || !b.isActive || a === b) {
                return { ok: false, message: 'both calls must be active' };
            }
            const primary = a.machine.role === 'primary' ? a : b;
            const consult = primary === a ? b : a;
            if (consult.machine.role !== 'consultation' || this.primaryOf(consult) !== primary) {
                return { ok: false, message: 'a conference joins a call and its consultation leg' };
            }
            if (!this.media.createAudioContext) {
                return { ok: false, message: 'Web Audio is not available for conference mixing' };
            }
            if (primary.machine.state === CallState.OnHold) {
                const resumed = await primary.resume();
                if (!resumed.ok || stateOf(primary) !== CallState.Connected) {
                    return {
                        ok: false,
                        message: resumed.ok ? 'the call could not be resumed' : resumed.message
                    };
                }
            }
            const legA = {
                remoteStream: remoteStreamOf(primary.session),
                sender: audioSenderOf(primary.session)
            };
            const legB = {
                remoteStream: remoteStreamOf(consult.session),
                sender: audioSenderOf(consult.session)
            };
            if (!legA.remoteStream || !legA.sender || !legB.remoteStream || !legB.sender) {
                return { ok: false, message: 'the calls have no audio to mix' };
            }
            if (!primary.send({ type: 'conferenceStart', withCallId: consult.id })) {
                return { ok: false, message: 'the call cannot join a conference now' };
            }
            if (!consult.send({ type: 'conferenceStart', withCallId: primary.id })) {
                primary.send({ type: 'conferenceEnd' });
                return { ok: false, message: 'the consultation call cannot join a conference now' };
            }
            const createStream = this.media.createStream?.bind(this.media);
            const mixer = new ConferenceMixer(
                this.media.createAudioContext(),
                { remoteStream: legA.remoteStream, sender: legA.sender },
                { remoteStream: legB.remoteStream, sender: legB.sender },
                createStream ? (track) => createStream([track]) : undefined
            );
            try {
                await mixer.start(primary.snapshot().muted || consult.snapshot().muted);
            } catch (error) {
                primary.send({ type: 'conferenceEnd' });
                consult.send({ type: 'conferenceEnd' });
                this.reportError({
                    kind: 'media',
                    message: `conference mixing failed: ${errorText(error)}`,
                    callId: primary.id
                });
                return { ok: false, message: 'conference mixing failed' };
            }
            primary.mixer = mixer;
            consult.mixer = mixer;
            return { ok: true, snapshot: primary.snapshot() };
        });
    }

    /**
     * Select audio devices (B6). Output moves every call's audio at once; input replaces the microphone track of
     * established calls; ring applies to the next ring.
     */
    async setAudioDevices(devices: AudioDevices): Promise<void> {
        const previous = this.devices;
        this.devices = { ...previous, ...devices };
        const active = Array.from(this.calls.values()).filter((c) => c.isActive);
        if (devices.output !== undefined && devices.output !== previous.output) {
            await Promise.all(
                active.map((c) =>
                    c.setOutputDevice(devices.output).catch((error: unknown) =>
                        this.reportError({
                            kind: 'media',
                            message: `speaker selection failed: ${errorText(error)}`,
                            callId: c.id
                        })
                    )
                )
            );
        }
        if (devices.input !== undefined && devices.input !== previous.input) {
            for (const call of active.filter((c) => c.isEstablished)) {
                try {
                    const stream = await openMicrophone(this.media, devices.input);
                    const [track] = stream.getAudioTracks();
                    if (track) {
                        await call.replaceMicrophone(track);
                    }
                } catch (error) {
                    const e = error instanceof MicrophoneError ? error : undefined;
                    this.reportError({
                        kind: 'microphone',
                        message: errorText(error),
                        code: e?.code,
                        callId: call.id,
                        cause: error
                    });
                }
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Inbound
    // -----------------------------------------------------------------------------------------

    /** An INVITE from the user agent in use: offered, refused busy, or a Replaces taking a call's place. */
    onInvite(invitation: Invitation): void {
        if (!this.host.running()) {
            invitation.reject({ statusCode: 480 }).catch(() => undefined);
            return;
        }
        if (invitation.request.hasHeader('replaces')) {
            this.onReplacingInvite(invitation);
            return;
        }
        let callData: CallData;
        try {
            callData = this.readCallData(invitation.request);
        } catch {
            callData = createCallData();
        }
        const remote = remotePartyOf(invitation);
        const decision = decideIncomingWhileBusy({
            activeCalls: Array.from(this.calls.values()).filter((c) => c.isActive).length,
            callWaiting: this.options.callWaiting ?? false
        });
        if (decision === 'reject-486') {
            invitation.reject({ statusCode: 486 }).catch(() => undefined);
            this.host.emit('busyRejected', { remote, callData });
            return;
        }
        const call = this.newCall({});
        const r = call.machine.send({ type: 'offered', remote, callData });
        if (!r.ok) {
            invitation.reject({ statusCode: 480 }).catch(() => undefined);
            return;
        }
        this.calls.set(call.id, call);
        call.bindInvitation(invitation, this.ringTimeoutMs());
        this.host.emit('incomingCall', call.snapshot());
        call.startRingtone();
    }

    /**
     * INVITE with Replaces (RFC 3891): typically the transferee following an attended transfer whose consultation
     * call reached this agent. sip.js already answered 481 when no dialog matched (Call-ID, to-tag = our local tag,
     * from-tag = the remote tag) and 486 for `early-only` on a confirmed dialog; a header it could not parse was
     * dropped (400 here). The matched session must be one of our established calls: an early dialog gets 481
     * (RFC 3891: not one this UA may replace; early dialogs this phone created are not taken over either), a call
     * that already ended 603, one that cannot hand over now (conference, transfer, hold change or another Replaces
     * under way) 603.
     */
    private onReplacingInvite(invitation: Invitation): void {
        const replacee = invitation.replacee;
        if (!replacee) {
            invitation
                .reject({ statusCode: 400, reasonPhrase: 'Bad Replaces Header' })
                .catch(() => undefined);
            return;
        }
        const call = this.callOfSession(replacee);
        const statusCode = replaceRefusal(call);
        if (!call || statusCode !== undefined) {
            invitation.reject({ statusCode: statusCode ?? 481 }).catch(() => undefined);
            return;
        }
        void call.takeOver(invitation, remotePartyOf(invitation)).then((ok) => {
            if (!ok) {
                this.reportError({
                    kind: 'call',
                    message: 'the transferred call could not be taken over',
                    callId: call.id
                });
            }
        });
    }

    private callOfSession(session: Session): CallSession | undefined {
        return Array.from(this.calls.values()).find((call) => call.session === session);
    }

    private readCallData(message: { getHeaders(name: string): string[] }): CallData {
        const names: Record<CallDataField, string> = {
            ...CALL_DATA_HEADERS,
            ...this.options.callDataHeaders
        };
        const headers: SipHeaderMap = {};
        for (const name of [...Object.values(names), ...Object.values(QUEUED_CALLBACK_HEADERS)]) {
            const values = message.getHeaders(name);
            if (values.length > 0) {
                headers[name] = values;
            }
        }
        return parseCallData(headers, { headerNames: this.options.callDataHeaders });
    }

    // -----------------------------------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------------------------------

    private newCall(options: { role?: 'primary' | 'consultation'; linkedCallId?: string }): CallSession {
        const machine = new CallMachine({
            clock: this.clock,
            role: options.role,
            linkedCallId: options.linkedCallId,
            onListenerError: (error) =>
                this.reportError({ kind: 'call', message: `listener failed: ${errorText(error)}` })
        });
        return new CallSession(machine, this.callContext);
    }

    private makeInviter(ua: UserAgent, uri: URI, extraHeaders: string[] = []): Inviter {
        return new Inviter(ua, uri, {
            ...(extraHeaders?.length ? { extraHeaders } : {}),
            earlyMedia: true,
            extraHeaders,
            sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } }
        });
    }

    /**
     * A consultation INVITE's own leg id (in the interaction id header) and its interaction
     * (`X-CC-Parent-Interaction-Id`); ids that are not header-safe are left out.
     */
    private consultationHeaders(parentId: string | undefined, legId: string | undefined): string[] {
        const safe = (value: string | undefined): value is string =>
            value !== undefined && CONSULTATION_HEADER_VALUE.test(value);
        if (!safe(parentId) || !safe(legId)) return [];
        const interactionHeader =
            this.options.callDataHeaders?.interactionId ?? CALL_DATA_HEADERS.interactionId;
        return [`${interactionHeader}: ${legId}`, `${PARENT_INTERACTION_HEADER}: ${parentId}`];
    }

    private onCallEnded(snapshot: CallSnapshot): void {
        const call = this.calls.get(snapshot.id);
        this.calls.delete(snapshot.id);
        if (call?.mixer) {
            const mixer = call.mixer;
            call.mixer = undefined;
            const remaining = Array.from(this.calls.values()).filter((other) => other.mixer === mixer);
            for (const other of remaining) {
                other.mixer = undefined;
                other.send({ type: 'conferenceEnd' });
            }
            // the original microphone tracks come back enabled: mute/hold go back onto them
            void mixer.stop().then(() => remaining.forEach((other) => other.refreshLocalMedia()));
        }
        if (snapshot.role === 'consultation' && snapshot.linkedCallId) {
            const primary = this.calls.get(snapshot.linkedCallId);
            if (primary?.snapshot().consultActive) {
                primary.send({ type: 'consultEnded' });
            }
        }
        this.host.emit('callEnded', snapshot);
        this.host.callEnded();
    }

    private primaryOf(consult: CallSession): CallSession | undefined {
        if (consult.machine.role !== 'consultation') {
            return undefined;
        }
        const primaryId = consult.snapshot().linkedCallId;
        return primaryId ? this.calls.get(primaryId) : undefined;
    }

    private async withCall(
        callId: string,
        op: (call: CallSession) => Promise<CommandResult>
    ): Promise<CommandResult> {
        const call = this.calls.get(callId);
        if (!call || !call.isActive) {
            return { ok: false, message: `no active call ${callId}` };
        }
        try {
            return await op(call);
        } catch (error) {
            this.reportError({ kind: 'call', message: errorText(error), callId, cause: error });
            return { ok: false, message: errorText(error), snapshot: call.snapshot() };
        }
    }

    /** True while any call has not ended. */
    hasActiveCalls(): boolean {
        return Array.from(this.calls.values()).some((c) => c.isActive);
    }

    private reportError(error: SipPhoneError): void {
        this.host.reportError(error);
    }

    /** Inbound ring timeout before a call is missed. */
    ringTimeoutMs(): number {
        return this.options.ringTimeoutMs ?? 30000;
    }

    private dialTimeoutMs(): number {
        return this.options.dialTimeoutMs ?? 90000;
    }

    /** ICE restart re-INVITE on every established call (after a reconnect or a network change). */
    restartIce(iceServers: RTCIceServer[] | undefined): void {
        for (const call of this.calls.values()) {
            if (call.isActive && call.isEstablished) {
                void call.iceRestart(iceServers);
            }
        }
    }
}
/** Why `call` cannot be replaced by an INVITE with Replaces (a SIP status code), undefined when it can. */
function replaceRefusal(call: CallSession | undefined): number | undefined {
    if (!call) {
        return 481;
    }
    if (!call.isActive) {
        return 603;
    }
    if (!call.isEstablished) {
        return 481;
    }
    const snapshot = call.snapshot();
    const steady = snapshot.state === CallState.Connected || snapshot.state === CallState.OnHold;
    if (!steady || snapshot.holdPending !== undefined || call.mixer !== undefined || call.isTakingOver) {
        return 603;
    }
    return undefined;
}

/** The caller as shown: P-Asserted-Identity when present, else From; display name cleaned as plain text. */
function remotePartyOf(invitation: Invitation): RemoteParty {
    const identity = invitation.assertedIdentity ?? invitation.remoteIdentity;
    const number = identity.uri.user ?? '';
    const displayName = parseDisplayName(identity.displayName);
    return displayName ? { number, displayName } : { number };
}

/**
 * A dial/transfer target as a SIP URI: `sip:`/`sips:` URIs as given, `tel:` and bare numbers as
 * `sip:<number>@<domain>` (visual separators of numbers removed), other user names (extensions, queues) as
 * `sip:<name>@<domain>`. Undefined when it cannot be a target.
 */
export function toSipUri(target: string, domain: string): URI | undefined {
    const text = (target ?? '').trim();
    if (!text) {
        return undefined;
    }
    if (/^sips?:/i.test(text)) {
        return UserAgent.makeURI(text);
    }
    const bare = text.replace(/^tel:/i, '');
    // a phone number written with visual separators loses them; any other user part is kept as typed
    const user = /^\+?[\d\s().*#-]+$/.test(bare) ? bare.replace(/[\s().-]/g, '') : bare;
    if (!/^\+?[0-9A-Za-z*#_.!~-]+$/.test(user) || user.length > 64) {
        return undefined;
    }
    return UserAgent.makeURI(`sip:${user.replace(/#/g, '%23')}@${domain}`);
}

/** State read through a function so TypeScript does not keep a narrowing across an await. */
function stateOf(call: CallSession): CallState {
    return call.machine.state;
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
