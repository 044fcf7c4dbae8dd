/**
 * Binds ONE sip.js `Session` (an `Invitation` or an `Inviter`) to ONE {@link CallMachine}.
 *
 * Pattern (see call-machine.ts): *ask first, act second*. Every command is checked by the machine's guard
 * before any SIP is sent; SIP outcomes come back as signals (`accepted`, `holdConfirmed`, `remoteBye`, ...).
 * The machine's `ended` transition is the single place that ends a call here, so `onEnded` (the phone's
 * `callEnded`, from which the call log is written) fires exactly once whatever ended it: our hangup, the
 * remote BYE, a CANCEL, a ring timeout, a SIP failure, or sip.js tearing the session down on a transport error.
 *
 * An INVITE with Replaces (RFC 3891, the last step of an attended transfer that made this phone its target) swaps
 * the sip.js session under the same call: {@link CallSession.takeOver}. Events of a session that is no longer the
 * bound one are ignored, so the replaced dialog's BYE never ends the call.
 *
 * The call owns its machine, its bound session and why it ended; its parts own the rest: `call-audio.ts` (remote
 * audio output, tones, quality and media-loss monitors), `reinvite-queue.ts` (one re-INVITE at a time, the ACK
 * wait, collision retries); `in-dialog-requests.ts` sends REFER, INFO and the ending request, `session-access.ts`
 * reads a sip.js session.
 */
import { SessionState } from 'sip.js';
import type { Core, Invitation, Inviter, Session, URI, Web } from 'sip.js';
import {
    CallState,
    type CallInput,
    type CallMachine,
    type CallSnapshot,
    type RemoteParty
} from '../call/call-machine';
import { parseDisplayName, type CallData } from '../call/call-data';
import type { TimerHandle } from '../util/clock';
import { CallAudio, type CallAudioContext } from './call-audio';
import type { ConferenceMixer } from './conference-mixer';
import { MicrophoneError } from './media';
import { audioRejected } from './media-watch';
import { endSession, referReplacing, referTo, safeReject, sendDtmfInfo } from './in-dialog-requests';
import { ReinviteQueue } from './reinvite-queue';
import { audioSenderOf, failureOf, peerConnectionOf, sdpDirection, sipCallIdOf } from './session-access';
import type { CommandResult, DtmfMode } from './types';

// The session readers and the re-INVITE back-off are part of this module's API (the phone and tests use them).
export {
    audioSenderOf,
    peerConnectionOf,
    remoteStreamOf,
    sdpDirection,
    sipCallIdOf,
    sipfragStatus,
    type SdpDirection
} from './session-access';
export { collisionDelayMs } from './reinvite-queue';

/** Answers to an ICE-restart re-INVITE after which the call cannot go on (see CallSession.iceRestart). */
const DIALOG_GONE_CODES: ReadonlySet<number> = new Set([481, 408, 404, 410, 480, 477]);

/** What a call needs from the phone around it. */
export interface CallSessionContext extends CallAudioContext {
    dtmfMode: DtmfMode;
    /** Random number in [0, 1) (re-INVITE collision back-off). */
    random: () => number;
    /** Wait for a transfer's first NOTIFY after 202 at most this long (then the REFER's 202 counts as success). */
    transferNotifyTimeoutMs: number;
    /** Call data from the contact centre's headers of a SIP message (outbound: 18x/2xx responses). */
    readCallData: (message: { getHeaders(name: string): string[] }) => CallData;
    onUpdated: (snapshot: CallSnapshot) => void;
    onEnded: (snapshot: CallSnapshot) => void;
}

/** Why sip.js terminated a session, as far as the adapter saw it. */
type TerminationCause =
    | { kind: 'remoteBye' }
    | { kind: 'cancel'; completedElsewhere: boolean }
    | { kind: 'failed'; code?: number; reason?: string };

const SESSION_TERMINATED_REASON = 'session terminated';

/** One call: a CallMachine plus (once there is one) its sip.js Session. */
export class CallSession {
    readonly machine: CallMachine;
    private readonly ctx: CallSessionContext;
    private sipSession: Session | undefined;
    private readonly audio: CallAudio;
    private readonly reinvites: ReinviteQueue;
    private setupTimer: TimerHandle | undefined;
    private cause: TerminationCause | undefined;
    private pendingOps = 0;
    private terminatedWhilePending = false;
    private finished = false;
    private outbound = false;
    /**
     * The remote party of a session that replaced the original one (INVITE with Replaces). The CallMachine has no
     * input that changes the remote party of an established call, so snapshots carry it from here.
     */
    private replacedRemote: RemoteParty | undefined;
    /** The session being replaced while the replacing INVITE is accepted: its end must not end the call. */
    private retiring: Session | undefined;
    /** Set by the phone while this leg is part of a locally mixed conference. */
    mixer: ConferenceMixer | undefined;

    constructor(machine: CallMachine, ctx: CallSessionContext) {
        this.machine = machine;
        this.ctx = ctx;
        this.audio = new CallAudio(ctx, machine.id, () => this.sipSession);
        this.reinvites = new ReinviteQueue({
            clock: ctx.clock,
            random: ctx.random,
            session: () => this.sipSession,
            onAudioRejected: () => this.audio.watch?.reportRejected()
        });
        machine.on('transition', (t) => {
            if (t.to === CallState.Ended) {
                this.finish(this.present(t.snapshot));
            } else if (t.input.type !== 'offered') {
                ctx.onUpdated(this.present(t.snapshot));
            }
        });
    }

    /** Call id (the machine's). */
    get id(): string {
        return this.machine.id;
    }

    /** The bound sip.js session, if any. */
    get session(): Session | undefined {
        return this.sipSession;
    }

    /** Current snapshot. */
    snapshot(): CallSnapshot {
        return this.present(this.machine.snapshot());
    }

    /** A machine snapshot as the host sees it: with the remote party of a replacing session and its Call-ID. */
    private present(snapshot: CallSnapshot): CallSnapshot {
        const presented = this.replacedRemote
            ? { ...snapshot, remote: { ...this.replacedRemote } }
            : snapshot;
        const sipCallId = sipCallIdOf(this.sipSession);
        const withCallId = sipCallId ? { ...presented, sipCallId } : presented;
        const watch = this.audio.watch;
        return watch && watch.state !== 'ok' && snapshot.state !== CallState.Ended
            ? { ...withCallId, mediaHealth: watch.state, mediaLossReason: watch.lossReason }
            : withCallId;
    }

    /** True until the machine reached Ended. */
    get isActive(): boolean {
        return this.machine.state !== CallState.Ended;
    }

    /** True when the sip.js session is established (re-INVITE, REFER, INFO possible). */
    get isEstablished(): boolean {
        return this.sipSession?.state === SessionState.Established;
    }

    // -----------------------------------------------------------------------------------------
    // Binding
    // -----------------------------------------------------------------------------------------

    /** Inbound: bind the Invitation after `offered` was accepted by the machine; rings until `ringTimeoutMs`. */
    bindInvitation(invitation: Invitation, ringTimeoutMs: number): void {
        this.bind(invitation);
        // 180 Ringing is ours to send (the UA's automatic one is off: an INVITE with Replaces must not ring)
        try {
            invitation.progress().catch(() => undefined);
        } catch {
            // already answered or terminated
        }
        this.setupTimer = this.ctx.clock.setTimeout(() => {
            this.setupTimer = undefined;
            if (this.send({ type: 'ringTimeout' })) {
                // 480 Temporarily Unavailable: "no answer"; 486 is kept for an explicit reject
                safeReject(invitation, 480);
            }
        }, ringTimeoutMs);
    }

    /**
     * The ringtone of a ringing inbound call. SipPhone starts it after announcing the call, so the host's caller
     * lookup is on its way before the browser builds an AudioContext (several ms on the main thread).
     */
    startRingtone(): void {
        if (this.ctx.playTones && this.machine.state === CallState.Ringing) {
            this.audio.startTone('ring', this.ctx.devices().ring);
        }
    }

    /**
     * Outbound: bind the Inviter (after `dial` was accepted) and send the INVITE.
     * Resolves when the INVITE went out (or failed to).
     */
    async sendInvite(inviter: Inviter, dialTimeoutMs: number): Promise<void> {
        this.outbound = true;
        this.bind(inviter);
        this.setupTimer = this.ctx.clock.setTimeout(() => {
            this.setupTimer = undefined;
            if (this.send({ type: 'ringTimeout' })) {
                inviter.cancel().catch(() => undefined);
            }
        }, dialTimeoutMs);
        await this.guarded(async () => {
            try {
                await inviter.invite({
                    requestDelegate: {
                        onProgress: (response) => this.onProgress(response),
                        // sip.js calls this after the session became Established (answer applied, ACK sent)
                        onAccept: (response) => this.onOutboundAccepted(inviter, response),
                        onReject: (response) => {
                            this.cause = failureOf(response);
                        },
                        onRedirect: (response) => {
                            this.cause = failureOf(response);
                        }
                    }
                });
            } catch (error) {
                // a CANCEL or BYE that raced the operation is the better explanation
                this.cause ??= { kind: 'failed', reason: errorText(error) };
                this.reportMediaError(error);
            }
        });
    }

    private bind(session: Session): void {
        this.sipSession = session;
        this.reinvites.expectAck('accept' in session); // an Invitation (inbound or Replaces) waits for the ACK
        // a session replaced by another one (INVITE with Replaces) still gets its BYE answered, nothing more
        const bound = (): boolean => session === this.sipSession;
        session.delegate = {
            onAck: () => {
                if (bound()) this.reinvites.noteAcknowledged();
            },
            onBye: (bye) => {
                // sip.js leaves the answer to a delegate that exists: BYE must always get its 200
                bye.accept().catch(() => undefined);
                if (bound()) {
                    this.cause = { kind: 'remoteBye' };
                }
            },
            onCancel: (cancel) => {
                if (!bound()) {
                    return;
                }
                const reason = cancel.request.getHeader('reason') ?? '';
                this.cause = { kind: 'cancel', completedElsewhere: /cause\s*=\s*200\b/i.test(reason) };
            },
            onInfo: (info) => {
                info.accept().catch(() => undefined);
            },
            onRefer: (referral) => {
                // being transferred away by the remote party is not supported by the agent phone
                referral.reject({ statusCode: 603 }).catch(() => undefined);
            },
            onInvite: (request) => {
                if (!bound()) {
                    return;
                }
                const direction = sdpDirection(request.body);
                const held = direction === 'sendonly' || direction === 'inactive';
                if (this.machine.snapshot().remoteHold !== held) {
                    this.send({ type: 'remoteHold', held });
                }
            },
            onSessionDescriptionHandler: () => {
                // Outbound: early media (183) may play before the answer. Inbound: no media flows before our
                // 200 OK, so the audio element waits for Established instead of competing with call setup.
                if (bound() && this.outbound) {
                    this.audio.attachRemote();
                }
            }
        };
        session.stateChange.addListener((state) => {
            if (!bound() || session === this.retiring) {
                return;
            }
            if (state === SessionState.Established) {
                this.onEstablished();
            } else if (state === SessionState.Terminated) {
                // Delegates (onReject with the status code) run right after this state change: look later.
                void Promise.resolve().then(() => {
                    if (bound() && session !== this.retiring) {
                        this.onTerminated();
                    }
                });
            }
        });
    }

    // -----------------------------------------------------------------------------------------
    // Commands
    // -----------------------------------------------------------------------------------------

    /** Answer a ringing inbound call. */
    async answer(): Promise<CommandResult> {
        const invitation = this.sipSession as Invitation | undefined;
        if (!invitation || !('accept' in invitation)) {
            return this.fail('not an inbound call');
        }
        const r = this.machine.send({ type: 'answer' });
        if (!r.ok) {
            return this.fail(r.message);
        }
        this.clearSetupTimer();
        this.audio.stopTones();
        await this.guarded(async () => {
            try {
                await invitation.accept({
                    sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } }
                });
            } catch (error) {
                // a CANCEL or BYE that raced the operation is the better explanation
                this.cause ??= { kind: 'failed', reason: errorText(error) };
                this.reportMediaError(error);
            }
        });
        return this.result();
    }

    /**
     * Attended transfer with this phone as the target: `invitation` carries a Replaces header naming this call's
     * dialog (RFC 3891; sip.js matched it and made this call's session its `replacee`). It is accepted at once — no
     * ringing, the call is already up — in the call's hold state, and becomes this call's session: same call id,
     * times, mute and hold, the new remote party. sip.js sends BYE on the replaced session as soon as the new one is
     * established (the recipient of the INVITE with Replaces ends the replaced dialog); nothing that happens to the
     * replaced session ends the call any more.
     * @returns false when the new session could not be set up: the call stays on its old session (and ends with
     *          it, if that one ended meanwhile)
     */
    async takeOver(invitation: Invitation, remote: RemoteParty): Promise<boolean> {
        const previous = this.sipSession;
        const hold = this.machine.snapshot().onHold;
        this.retiring = previous;
        // sip.js answers re-INVITEs of the new dialog with these options too: a held call stays held
        const reInvite: Web.SessionDescriptionHandlerOptions = { hold };
        invitation.sessionDescriptionHandlerOptionsReInvite = reInvite;
        const options: Web.SessionDescriptionHandlerOptions = {
            constraints: { audio: true, video: false },
            hold
        };
        try {
            await invitation.accept({ sessionDescriptionHandlerOptions: options });
        } catch (error) {
            // also thrown after success when sip.js could not BYE the replaced session: the state decides
            this.reportMediaError(error);
        }
        this.retiring = undefined;
        if (invitation.state !== SessionState.Established || !this.isActive) {
            if (invitation.state === SessionState.Established) {
                invitation.bye().catch(() => undefined);
            }
            if (previous && previous.state === SessionState.Terminated) {
                this.onTerminated();
            }
            return false;
        }
        this.bind(invitation);
        this.cause = undefined; // a BYE of the replaced session, if it came meanwhile, ended nothing
        if (previous && previous.state === SessionState.Established) {
            previous.bye().catch(() => undefined);
        }
        this.audio.dropOutput();
        this.replacedRemote = { ...remote };
        this.audio.attachRemote();
        this.applyLocalMedia();
        // the new party does not hold us (yet): that transition reports the change, else an explicit update does
        const wasRemoteHeld = this.machine.snapshot().remoteHold;
        if (!wasRemoteHeld || !this.send({ type: 'remoteHold', held: false })) {
            this.ctx.onUpdated(this.snapshot());
        }
        return true;
    }

    /** True while {@link CallSession.takeOver} accepts a replacing INVITE. */
    get isTakingOver(): boolean {
        return this.retiring !== undefined;
    }

    /** Reject a ringing inbound call with 486 Busy Here (never sip.js's default 480). */
    reject(): CommandResult {
        const invitation = this.sipSession as Invitation | undefined;
        const r = this.machine.send({ type: 'reject' });
        if (!r.ok) {
            return this.fail(r.message);
        }
        if (invitation && 'reject' in invitation) {
            safeReject(invitation, 486);
        }
        return this.result();
    }

    /** End the call with whatever fits its state: reject (ringing), CANCEL (dialling), BYE (connected). */
    hangup(): CommandResult {
        const state = this.machine.state;
        if (state === CallState.Ringing) {
            return this.reject();
        }
        const r = this.machine.send({ type: 'hangup' });
        if (!r.ok) {
            return this.fail(r.message);
        }
        this.terminateSession();
        return this.result();
    }

    /** Put the call on hold (re-INVITE with the SDH's `hold` option), verifying the negotiated direction. */
    async hold(): Promise<CommandResult> {
        const r = this.machine.send({ type: 'hold' });
        if (!r.ok) {
            return this.fail(r.message);
        }
        this.applyLocalMedia(); // silence the agent towards the caller at once, not after the 200 OK
        await this.renegotiateHold(true);
        return this.result();
    }

    /** Take the call off hold. */
    async resume(): Promise<CommandResult> {
        const r = this.machine.send({ type: 'resume' });
        if (!r.ok) {
            return this.fail(r.message);
        }
        await this.renegotiateHold(false);
        return this.result();
    }

    /** Resume after `returnToCaller` set the pending resume on the machine. */
    async completePendingResume(): Promise<CommandResult> {
        if (this.machine.snapshot().holdPending !== 'resume') {
            return this.fail('no resume pending');
        }
        await this.renegotiateHold(false);
        return this.result();
    }

    /** Mute / unmute the agent: disables the local audio sender tracks (or the conference mix input). */
    mute(muted: boolean): CommandResult {
        const r = this.machine.send({ type: muted ? 'mute' : 'unmute' });
        if (!r.ok) {
            return this.fail(r.message);
        }
        this.applyLocalMedia();
        return this.result();
    }

    /** Send DTMF: RTP telephone-events through the SDH, SIP INFO (application/dtmf-relay) as fallback. */
    async sendDtmf(digits: string): Promise<CommandResult> {
        const r = this.machine.send({ type: 'dtmf', digits });
        if (!r.ok) {
            return this.fail(r.message);
        }
        const tones = digits.toUpperCase();
        const sdh = this.sipSession?.sessionDescriptionHandler;
        let sentByRtp = false;
        if (this.ctx.dtmfMode !== 'info' && sdh) {
            try {
                sentByRtp = sdh.sendDtmf(tones, { duration: 100, interToneGap: 70 });
            } catch {
                sentByRtp = false;
            }
        }
        if (!sentByRtp && this.ctx.dtmfMode !== 'rfc2833') {
            for (const tone of tones) {
                await sendDtmfInfo(this.sipSession, tone);
            }
        } else if (!sentByRtp) {
            return this.fail('DTMF could not be sent over RTP');
        }
        return this.result();
    }

    /**
     * Blind transfer: REFER to `target`; returns once the REFER is accepted (the call shows Transferring while the
     * target rings). The call ends (BYE) when the transferee reports the target answered; a target that refuses
     * (busy, not ready, unknown) leaves the caller with the agent, Connected again (referTo).
     */
    async blindTransfer(target: URI, targetText: string): Promise<CommandResult> {
        const r = this.machine.send({ type: 'transfer', target: targetText });
        if (!r.ok) {
            return this.fail(r.message);
        }
        const session = this.sipSession;
        if (!session) {
            this.send({ type: 'transferFailed', reason: 'no session' });
            return this.fail('no session');
        }
        await referTo(session, target, this.ctx, (result) => {
            if (result.ok) {
                // the target has the caller; our leg is done
                this.send({ type: 'transferSucceeded' });
                this.terminateSession();
            } else {
                this.send({ type: 'transferFailed', code: result.code, reason: result.reason });
            }
        });
        return this.result();
    }

    /**
     * Attended transfer: REFER with Replaces pointing at `consult`'s dialog (sip.js `session.refer(otherSession)`).
     * Success is the NOTIFY carrying a 2xx sipfrag (or no NOTIFY within the timeout after 202); then both our legs
     * are hung up (the consultation leg is normally ended by the target, which the Replaces INVITE replaced).
     */
    async completeTransfer(consult: CallSession): Promise<CommandResult> {
        const session = this.sipSession;
        const other = consult.session;
        if (!session || !other || !consult.isEstablished) {
            return this.fail('the consultation call is not connected');
        }
        const r = this.machine.send({ type: 'completeTransfer', target: consult.id });
        if (!r.ok) {
            return this.fail(r.message);
        }
        await referReplacing(session, other, this.ctx, (result) => {
            if (result.ok) {
                this.send({ type: 'transferSucceeded' });
                this.terminateSession();
                consult.hangup();
            } else {
                this.send({ type: 'transferFailed', code: result.code, reason: result.reason });
            }
        });
        return this.result();
    }

    /**
     * ICE restart re-INVITE (after a reconnect or a network change) so media can find a new path.
     * 481/408 mean the dialog is gone, 404/410/480/477 that the other party cannot be reached on it any more
     * (RFC 5057: the usage ends; FAULT-CASES 19, the edge restarted and the peer's connection is gone): the
     * call is ended cleanly instead of staying "Connected" with nobody able to hang it up.
     */
    async iceRestart(iceServers?: RTCIceServer[]): Promise<boolean> {
        if (!this.isEstablished) {
            return false;
        }
        const pc = peerConnectionOf(this.sipSession);
        if (pc && iceServers && typeof pc.setConfiguration === 'function') {
            try {
                pc.setConfiguration({ ...pc.getConfiguration(), iceServers });
            } catch {
                // some browsers refuse changing the configuration; the restart still helps
            }
        }
        return this.reinvites.send({ iceRestart: true }).then((outcome) => {
            if (
                outcome.kind === 'rejected' &&
                outcome.code !== undefined &&
                DIALOG_GONE_CODES.has(outcome.code)
            ) {
                this.cause = { kind: 'failed', code: outcome.code, reason: outcome.reason };
                this.send({ type: 'failed', code: outcome.code, reason: outcome.reason });
                this.terminateSession();
            }
            return outcome.kind === 'accepted' && !audioRejected(outcome.body);
        });
    }

    /** Hang up without machine checks (phone stopping): ends the machine with the right input. */
    forceEnd(reason: string): void {
        if (!this.isActive) {
            return;
        }
        const state = this.machine.state;
        if (state === CallState.Ringing) {
            this.reject();
        } else if (!this.machine.send({ type: 'hangup' }).ok) {
            this.send({ type: 'failed', reason });
        }
        this.terminateSession();
    }

    /** Sends an input to the machine; true when accepted. Used by the phone for cross-leg signals. */
    send(input: CallInput): boolean {
        return this.machine.send(input).ok;
    }

    // -----------------------------------------------------------------------------------------
    // SIP events
    // -----------------------------------------------------------------------------------------

    private onProgress(response: Core.IncomingResponse): void {
        const message = response.message;
        const hasSdp = !!message.body && /application\/sdp/i.test(message.getHeader('content-type') ?? '');
        const earlyMedia = hasSdp && message.statusCode === 183;
        if (message.statusCode === 100) {
            return;
        }
        this.send({ type: 'progress', earlyMedia, callData: this.ctx.readCallData(message) });
        if (earlyMedia) {
            this.audio.stopTones();
        } else if (this.ctx.playTones && !this.audio.tonePlaying) {
            this.audio.startTone('ringback', this.ctx.devices().output);
        }
    }

    private onEstablished(): void {
        this.clearSetupTimer();
        this.audio.stopTones();
        this.audio.attachRemote();
        if (!this.outbound && this.machine.state === CallState.Ringing) {
            this.send({ type: 'accepted' });
        }
        this.startMonitors();
    }

    private onOutboundAccepted(inviter: Inviter, response: Core.IncomingResponse): void {
        if (inviter.state !== SessionState.Established) {
            return;
        }
        const displayName = parseDisplayName(inviter.assertedIdentity?.displayName);
        this.send({
            type: 'accepted',
            callData: this.ctx.readCallData(response.message),
            ...(displayName ? { remote: { displayName } } : {})
        });
    }

    private onTerminated(): void {
        this.reinvites.noteAcknowledged();
        if (this.pendingOps > 0) {
            this.terminatedWhilePending = true;
            return;
        }
        if (this.isActive) {
            const cause = this.cause;
            let handled = false;
            if (cause?.kind === 'remoteBye') {
                handled = this.send({ type: 'remoteBye' });
            } else if (cause?.kind === 'cancel') {
                handled = this.send({ type: 'callerCancel', completedElsewhere: cause.completedElsewhere });
            } else if (cause?.kind === 'failed') {
                handled = this.send({ type: 'failed', code: cause.code, reason: cause.reason });
            }
            if (!handled) {
                this.send({ type: 'failed', reason: SESSION_TERMINATED_REASON });
            }
        }
        this.cleanup();
    }

    // -----------------------------------------------------------------------------------------
    // Internals
    // -----------------------------------------------------------------------------------------

    private async renegotiateHold(hold: boolean): Promise<void> {
        const outcome = await this.reinvites.send({ hold });
        const confirmed: CallInput['type'] = hold ? 'holdConfirmed' : 'resumeConfirmed';
        const failed: CallInput['type'] = hold ? 'holdFailed' : 'resumeFailed';
        if (outcome.kind === 'accepted') {
            const answer = sdpDirection(outcome.body);
            // RFC 3264: an answer to a sendonly offer is recvonly or inactive; anything else means no hold
            if (hold && answer !== 'recvonly' && answer !== 'inactive') {
                this.reinvites.setHold(false);
                this.send({ type: 'holdFailed', reason: `peer answered a=${answer} to hold` });
            } else {
                this.send({ type: confirmed } as CallInput);
            }
        } else {
            this.reinvites.setHold(!hold);
            this.send({ type: failed, code: outcome.code, reason: outcome.reason } as CallInput);
            if (outcome.kind === 'rejected' && (outcome.code === 481 || outcome.code === 408)) {
                this.send({ type: 'failed', code: outcome.code, reason: outcome.reason });
                this.terminateSession();
            }
        }
        this.applyLocalMedia();
    }

    /**
     * Local media follows the call: sender tracks off while muted or held (a held caller must not hear the
     * agent talk to a colleague), receiver tracks off while held. In a conference the mixer owns mute.
     */
    private applyLocalMedia(): void {
        const snap = this.machine.snapshot();
        const pc = peerConnectionOf(this.sipSession);
        const held = snap.onHold || snap.holdPending === 'hold';
        if (this.mixer?.isActive) {
            this.mixer.setMuted(snap.muted);
            return;
        }
        if (!pc) {
            return;
        }
        pc.getSenders().forEach((sender) => {
            if (sender.track) {
                sender.track.enabled = !snap.muted && !held;
            }
        });
        pc.getReceivers().forEach((receiver) => {
            if (receiver.track) {
                receiver.track.enabled = !held;
            }
        });
    }

    /** BYE / CANCEL / reject the sip.js session according to its state; never throws. */
    private terminateSession(): void {
        endSession(this.sipSession);
    }

    /** Start quality sampling and the media-loss watch once the call is established. */
    private startMonitors(): void {
        if (!this.isActive) {
            return;
        }
        this.audio.startMonitors({
            expectsInbound: () => {
                const snap = this.machine.snapshot();
                return snap.state === CallState.Connected && !snap.remoteHold && !snap.holdPending;
            },
            recover: () => this.iceRestart(),
            onHealth: () => {
                if (this.isActive) this.ctx.onUpdated(this.snapshot());
            }
        });
    }

    /** Re-apply mute/hold to the local tracks (after a conference mix was taken down). */
    refreshLocalMedia(): void {
        this.applyLocalMedia();
    }

    /** Route this call's audio to another output device (B6). */
    async setOutputDevice(deviceId: string | undefined): Promise<void> {
        await this.audio.setOutputDevice(deviceId);
    }

    /** Replace the microphone track of this call (input device changed mid-call). */
    async replaceMicrophone(track: MediaStreamTrack): Promise<void> {
        const sender = audioSenderOf(this.sipSession);
        if (!sender || this.mixer?.isActive) {
            track.stop();
            return;
        }
        const old = sender.track;
        await sender.replaceTrack(track);
        old?.stop();
        this.applyLocalMedia();
    }

    private clearSetupTimer(): void {
        if (this.setupTimer !== undefined) {
            this.ctx.clock.clearTimeout(this.setupTimer);
            this.setupTimer = undefined;
        }
    }

    private async guarded(op: () => Promise<void>): Promise<void> {
        this.pendingOps++;
        try {
            await op();
        } finally {
            this.pendingOps--;
            if (this.pendingOps === 0 && this.terminatedWhilePending) {
                this.terminatedWhilePending = false;
                this.onTerminated();
            }
        }
    }

    private reportMediaError(error: unknown): void {
        if (error instanceof MicrophoneError) {
            this.ctx.onError({
                kind: 'microphone',
                message: error.message,
                code: error.code,
                callId: this.id,
                cause: error
            });
        }
    }

    private finish(snapshot: CallSnapshot): void {
        if (this.finished) {
            return;
        }
        this.finished = true;
        this.cleanup();
        this.ctx.onEnded(snapshot);
    }

    private cleanup(): void {
        this.clearSetupTimer();
        this.audio.stop();
        if (!this.isActive) {
            this.audio.dropOutput();
        }
    }

    private result(): CommandResult {
        return { ok: true, snapshot: this.machine.snapshot() };
    }

    private fail(message: string): CommandResult {
        return { ok: false, message, snapshot: this.machine.snapshot() };
    }
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
