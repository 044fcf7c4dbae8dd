/**
 * `CcphoneVoiceConnector`: the Salesforce Voice partner-telephony connector, a second host of phone-core.
 *
 * It extends the base library's `VendorConnector` (`@salesforce/scv-connector-base` 3.6.2, `src/main/types.js`)
 * and drives phone-core's `SipPhone` (sip.js, reconnects, short-lived credentials) and `AgentStatusMachine`
 * (Ready / NotReady / Paused / Busy / Wrap, published to the contact centre). The base library's
 * `baseConnector.js` owns the message protocol with the Omni-Channel softphone: it calls these methods for
 * the softphone's requests, validates each result's class and dispatches the matching telephony event;
 * this class publishes what happens on its own (an inbound INVITE, a remote hang-up, a consultation
 * answered) with `publishEvent`.
 *
 * Calls are known to the softphone by `callId` = the contact centre's interaction id, which is also the
 * VoiceCall's vendor call key (docs/voice-partner-telephony.md).
 */
import {
    ActiveCallsResult,
    AgentConfigResult,
    CallResult,
    CapabilitiesResult,
    Constants,
    Contact,
    GenericResult,
    HangupResult,
    HoldToggleResult,
    InitResult,
    LogoutResult,
    MuteToggleResult,
    ParticipantResult,
    Phone,
    PhoneCall,
    PhoneContactsResult,
    RecordingToggleResult,
    SignedRecordingUrlResult,
    VendorConnector,
    publishError,
    publishEvent
} from '@salesforce/scv-connector-base';
import {
    AgentStatus,
    AgentStatusMachine,
    CallDirection,
    CallOutcome,
    CallState,
    RegistrationState,
    SipPhone,
    systemClock,
    toDialString,
    type AudioDevices,
    type CallSnapshot,
    type Clock,
    type DtmfMode,
    type PauseReason,
    type SipPhoneOptions
} from '../../phone-core/src/index';
import { callInfoOf, toPhoneCall, vendorCallKey } from './phone-call';
import { phoneContacts, type ContactFilter } from './directory';
import type { VoiceContactCentre } from './ports';
import { waitForRegistration } from './registration-wait';
import { blindTransferOutcome } from './transfer-outcome';
import { parseStatusMap, presenceTarget, type PresenceStatusInfo, type PresenceTarget } from './presence';

/**
 * The base library's public `Constants.ERROR_TYPE` has only the types it routes on (INVALID_PARTICIPANT,
 * INVALID_DESTINATION, INVALID_PARAMS, INVALID_AGENT_STATUS, GENERIC_ERROR); it picks the CAN_NOT_* type of
 * each request itself (baseConnector.js `channelMessageHandler`).
 */
const GENERIC = Constants.ERROR_TYPE.GENERIC_ERROR;
/** `constants.js` ERROR_TYPE that `publishError(SOFTPHONE_ERROR)` turns into the "share your microphone" error. */
const MICROPHONE_NOT_SHARED = 'MICROPHONE_NOT_SHARED';

/** The contact center definition item that holds the presence mapping (JSON, see presence.ts). */
export const STATUS_MAP_CONFIG_KEY = '/reqCcphone/reqStatusMap';
/** The contact center definition item with the org's country (ISO 3166-1 alpha-2) for dialled numbers. */
export const DEFAULT_COUNTRY_CONFIG_KEY = '/reqCcphone/reqDefaultCountry';
/** The contact center definition item with the DTMF transport: `auto` (default), `rfc2833` or `info`. */
export const DTMF_MODE_CONFIG_KEY = '/reqCcphone/reqDtmfMode';
/** `handleMessage` payload that selects audio devices (B6). */
export const AUDIO_DEVICES_MESSAGE = 'ccphone.audioDevices';

/** An error the base library routes by its `type` (one of `Constants.ERROR_TYPE`). */
export class VoiceConnectorError extends Error {
    readonly type: string;
    constructor(type: string, message: string) {
        super(message);
        this.name = 'VoiceConnectorError';
        this.type = type;
    }
}

/** Options of {@link CcphoneVoiceConnector}. */
export interface VoiceConnectorOptions {
    contactCentre: VoiceContactCentre;
    /** SipPhone options besides the credentials (ring timeout, DTMF mode...). */
    phoneOptions?: Omit<Partial<SipPhoneOptions>, 'getCredentials'>;
    /** Test seam: builds the SipPhone (default `new SipPhone(options)`). */
    createPhone?: (options: SipPhoneOptions) => SipPhone;
    clock?: Clock;
    /** Login gives up when the phone has not registered by then (default 20 s). */
    loginTimeoutMs?: number;
}

/** Final snapshots kept for commands that wait for a call's end. */
const RECENTLY_ENDED_KEPT = 20;
type PublishedEvent = Parameters<typeof publishEvent>[0]['eventType'];

/** The connector; see the module documentation. */
export class CcphoneVoiceConnector extends VendorConnector {
    private readonly options: VoiceConnectorOptions;
    private readonly clock: Clock;
    private phone: SipPhone | undefined;
    private status: AgentStatusMachine | undefined;
    private pauseReasons: PauseReason[] = [];
    private statusMap: Record<string, string> = {};
    private defaultCountry = '';
    private dtmfMode: DtmfMode | undefined;
    private unsubscribe: Array<() => void> = [];
    /** phone-core call ids whose end the base library announces itself (endCall, declineCall, blind transfer). */
    private readonly endAnnounced = new Set<string>();
    /** phone-core call ids whose "connected" was published. */
    private readonly connectedPublished = new Set<string>();
    /** Interaction ids whose recording the agent paused. */
    private readonly recordingPaused = new Set<string>();
    private readonly endWaiters = new Map<string, Array<(snapshot: CallSnapshot) => void>>();
    /** Final snapshots of the last calls (phone-core forgets a call once it ended). */
    private readonly recentlyEnded = new Map<string, CallSnapshot>();

    constructor(options: VoiceConnectorOptions) {
        super();
        this.options = options;
        this.clock = options.clock ?? systemClock;
    }

    // -----------------------------------------------------------------------------------------
    // Life cycle: init (= login), logout
    // -----------------------------------------------------------------------------------------

    /** Reads the contact center definition, fetches SIP credentials and registers; the agent starts NotReady. */
    override async init(config: Record<string, unknown> | undefined): Promise<InitResult> {
        try {
            this.statusMap = parseStatusMap(stringOf(config?.[STATUS_MAP_CONFIG_KEY]));
        } catch (error) {
            throw new VoiceConnectorError(Constants.ERROR_TYPE.INVALID_PARAMS, messageOf(error));
        }
        this.defaultCountry = stringOf(config?.[DEFAULT_COUNTRY_CONFIG_KEY])?.trim() ?? '';
        const dtmf = stringOf(config?.[DTMF_MODE_CONFIG_KEY]);
        if (dtmf !== undefined && !['auto', 'rfc2833', 'info'].includes(dtmf)) {
            throw new VoiceConnectorError(
                Constants.ERROR_TYPE.INVALID_PARAMS,
                `${DTMF_MODE_CONFIG_KEY} must be auto, rfc2833 or info`
            );
        }
        this.dtmfMode = dtmf as DtmfMode | undefined;
        await this.login();
        return new InitResult({ showLogin: false });
    }

    /** Sets the agent Offline, hangs up, unregisters. */
    override async logout(): Promise<LogoutResult> {
        this.status?.send({ type: 'logout' });
        await this.teardown();
        return new LogoutResult({ success: true });
    }

    private async login(): Promise<void> {
        await this.teardown();
        const phone = (this.options.createPhone ?? ((o) => new SipPhone(o)))({
            ...this.options.phoneOptions,
            ...(this.dtmfMode ? { dtmfMode: this.dtmfMode } : {}),
            clock: this.options.phoneOptions?.clock ?? this.clock,
            getCredentials: async () => {
                const session = await this.options.contactCentre.getSipSession();
                this.pauseReasons = session.pauseReasons ?? this.pauseReasons;
                return session;
            }
        });
        const status = new AgentStatusMachine({
            port: { publish: (change) => this.options.contactCentre.publishAgentStatus(change) },
            clock: this.clock
        });
        this.phone = phone;
        this.status = status;
        this.unsubscribe.push(
            phone.on('incomingCall', (s) => this.onIncoming(s)),
            phone.on('callUpdated', (s) => this.onUpdated(s)),
            phone.on('callEnded', (s) => this.onEnded(s)),
            phone.on('registrationChanged', (change) => {
                if (change.state === RegistrationState.Registered) status.send({ type: 'registered' });
            }),
            phone.on('connectionChanged', (change) => {
                if (change.state === 'WaitingToReconnect') {
                    status.send({ type: 'connectionFailed', reason: change.reason });
                    publishError({
                        eventType: 'SOFTPHONE_ERROR',
                        error: {
                            type: Constants.ERROR_TYPE.GENERIC_ERROR,
                            message: `SIP connection lost: ${change.reason ?? ''}`
                        }
                    });
                }
            }),
            phone.on('error', (error) => {
                if (error.kind === 'microphone') {
                    publishError({
                        eventType: 'SOFTPHONE_ERROR',
                        error: { type: MICROPHONE_NOT_SHARED, message: error.message }
                    });
                }
            }),
            status.on('statusChanged', (change) => {
                if (change.from === AgentStatus.Wrap && change.to !== AgentStatus.Wrap) {
                    void publishEvent({
                        eventType: 'WRAP_UP_ENDED' as PublishedEvent,
                        payload: { callId: change.interactionId },
                        registerLog: true
                    });
                }
            })
        );
        const registered = waitForRegistration(phone, this.clock, this.options.loginTimeoutMs ?? 20000);
        try {
            await phone.start();
            await registered.promise;
        } catch (error) {
            registered.cancel();
            await this.teardown();
            // a refused microphone was already published as SOFTPHONE_ERROR by the `error` listener
            throw new VoiceConnectorError(GENERIC, messageOf(error));
        }
        // Logged in is not Ready: Omni-Channel sets the presence the agent picks.
        status.send({ type: 'setNotReady' });
    }

    private async teardown(): Promise<void> {
        for (const off of this.unsubscribe.splice(0)) off();
        const phone = this.phone;
        this.phone = undefined;
        this.status?.dispose();
        this.status = undefined;
        this.endAnnounced.clear();
        this.connectedPublished.clear();
        if (phone) await phone.stop();
    }

    // -----------------------------------------------------------------------------------------
    // What the softphone asks about the connector
    // -----------------------------------------------------------------------------------------

    /** Only what phone-core and this contact centre really do is advertised. */
    override async getCapabilities(): Promise<CapabilitiesResult> {
        const cc = this.options.contactCentre;
        return new CapabilitiesResult({
            hasMute: true,
            hasRecord: typeof cc.setRecordingPaused === 'function',
            hasMerge: true,
            hasSwap: true,
            hasSignedRecordingUrl: typeof cc.getSignedRecording === 'function',
            debugEnabled: false,
            hasContactSearch: true,
            hasAgentAvailability: cc.agentAvailability === true,
            hasQueueWaitTime: false,
            supportsMos: false,
            hasSupervisorListenIn: false,
            hasSupervisorBargeIn: false,
            hasBlindTransfer: true,
            // hasTransferToOmniFlow: not in 3.6.2's typings; its default (false) is the truth
            hasPendingStatusChange: false,
            hasPhoneBook: false
        });
    }

    /** A WebRTC softphone only: no desk phone. */
    override async getAgentConfig(): Promise<AgentConfigResult> {
        const softphone = new Phone({ type: Constants.PHONE_TYPE.SOFT_PHONE });
        return new AgentConfigResult({ phones: [softphone], selectedPhone: softphone });
    }

    override async setAgentConfig(
        config: { selectedPhone?: { type?: string } } | undefined
    ): Promise<GenericResult> {
        if (config?.selectedPhone?.type !== Constants.PHONE_TYPE.SOFT_PHONE) {
            throw new VoiceConnectorError(GENERIC, 'this contact centre offers the softphone only');
        }
        return new GenericResult({ success: true });
    }

    override async getActiveCalls(): Promise<ActiveCallsResult> {
        const calls = this.phone?.activeCalls() ?? [];
        return new ActiveCallsResult({ activeCalls: calls.map((s) => this.phoneCallOf(s)) });
    }

    // -----------------------------------------------------------------------------------------
    // Presence
    // -----------------------------------------------------------------------------------------

    /** Omni-Channel presence -> agent status (presence.ts); during a call it becomes the status after the call. */
    override async setAgentStatus(
        agentStatus: string,
        statusInfo: PresenceStatusInfo | undefined
    ): Promise<GenericResult> {
        const status = this.requireStatus();
        let target: PresenceTarget;
        try {
            target = presenceTarget(agentStatus, statusInfo ?? {}, this.pauseReasons, this.statusMap);
        } catch (error) {
            throw new VoiceConnectorError(Constants.ERROR_TYPE.INVALID_AGENT_STATUS, messageOf(error));
        }
        const current = status.status;
        if (target.status === 'Wrap') {
            if (current !== AgentStatus.Wrap) {
                throw new VoiceConnectorError(
                    Constants.ERROR_TYPE.INVALID_AGENT_STATUS,
                    'there is no call to wrap up'
                );
            }
            return new GenericResult({ success: true });
        }
        const next =
            target.status === 'Paused'
                ? { status: AgentStatus.Paused as const, reason: target.reason }
                : ({ status: target.status === 'Ready' ? AgentStatus.Ready : AgentStatus.NotReady } as const);
        let result;
        if (current === AgentStatus.Ringing || current === AgentStatus.Busy) {
            result = status.send({ type: 'setNextStatus', next });
        } else if (current === AgentStatus.Wrap) {
            status.send({ type: 'setNextStatus', next });
            result = status.send({ type: 'endWrap' });
        } else if (next.status === AgentStatus.Paused) {
            result = status.send({ type: 'pause', reason: next.reason });
        } else {
            result = status.send({ type: next.status === AgentStatus.Ready ? 'setReady' : 'setNotReady' });
        }
        if (!result.ok) {
            throw new VoiceConnectorError(GENERIC, result.message);
        }
        return new GenericResult({ success: true });
    }

    /** The softphone closed after-call work: the agent leaves Wrap for the status chosen for after the call. */
    override wrapUpCall(): void {
        this.status?.send({ type: 'endWrap' });
    }

    // -----------------------------------------------------------------------------------------
    // Calls
    // -----------------------------------------------------------------------------------------

    override async acceptCall(call: PhoneCall): Promise<CallResult> {
        const leg = this.legOf(call);
        // the base library announces CALL_CONNECTED from this result: the phone's own update must not
        this.connectedPublished.add(leg.id);
        const result = await this.requirePhone().answer(leg.id);
        if (!result.ok) {
            this.connectedPublished.delete(leg.id);
            throw new VoiceConnectorError(Constants.ERROR_TYPE.GENERIC_ERROR, result.message);
        }
        this.status?.send({ type: 'callAnswered', interactionId: vendorCallKey(leg) });
        return new CallResult({ call: this.phoneCallOf(result.snapshot) });
    }

    override async declineCall(call: PhoneCall): Promise<CallResult> {
        const leg = this.legOf(call);
        this.endAnnounced.add(leg.id);
        const result = await this.requirePhone().reject(leg.id);
        if (!result.ok) {
            this.endAnnounced.delete(leg.id);
            throw new VoiceConnectorError(GENERIC, result.message);
        }
        return new CallResult({ call: this.phoneCallOf(await this.ended(leg.id)) });
    }

    /**
     * Ends the agent's part: the third party's leg alone (the customer stays on hold), or the customer's
     * call; with a connected consultation, leaving the call hands the customer over (attended transfer:
     * REFER with Replaces).
     */
    override async endCall(call: PhoneCall): Promise<HangupResult> {
        const phone = this.requirePhone();
        const leg = this.legOf(call);
        const consult = leg.role === 'primary' ? this.consultationOf(leg) : undefined;
        const legs = consult ? [leg, consult] : [leg];
        for (const l of legs) this.endAnnounced.add(l.id);
        const transfer = consult !== undefined && isEstablished(consult) && !consult.conference;
        const result = transfer ? await phone.completeTransfer(consult.id) : await phone.hangup(leg.id);
        if (!result.ok) {
            for (const l of legs) this.endAnnounced.delete(l.id);
            throw new VoiceConnectorError(GENERIC, result.message);
        }
        if (consult && !transfer) await phone.hangup(consult.id);
        const ended = await Promise.all(legs.map((l) => this.ended(l.id)));
        return new HangupResult({ calls: ended.map((s) => this.phoneCallOf(s)) });
    }

    override async mute(): Promise<MuteToggleResult> {
        return this.setMuted(true);
    }

    override async unmute(): Promise<MuteToggleResult> {
        return this.setMuted(false);
    }

    private async setMuted(muted: boolean): Promise<MuteToggleResult> {
        const phone = this.requirePhone();
        const legs = phone.activeCalls().filter((s) => isEstablished(s) && s.muted !== muted);
        if (legs.length === 0 && !phone.activeCalls().some(isEstablished)) {
            throw new VoiceConnectorError(Constants.ERROR_TYPE.GENERIC_ERROR, 'no call to mute');
        }
        for (const leg of legs) {
            const result = muted ? await phone.mute(leg.id) : await phone.unmute(leg.id);
            if (!result.ok) throw new VoiceConnectorError(Constants.ERROR_TYPE.GENERIC_ERROR, result.message);
        }
        return new MuteToggleResult({ isMuted: muted });
    }

    override async hold(call: PhoneCall): Promise<HoldToggleResult> {
        const leg = this.legOf(call);
        const result = await this.requirePhone().hold(leg.id);
        if (!result.ok) throw new VoiceConnectorError(GENERIC, result.message);
        return this.holdState();
    }

    override async resume(call: PhoneCall): Promise<HoldToggleResult> {
        const leg = this.legOf(call);
        const result = await this.requirePhone().resume(leg.id);
        if (!result.ok) throw new VoiceConnectorError(GENERIC, result.message);
        return this.holdState();
    }

    /** Holds the leg that talks and resumes the held one (customer <-> consulted party). */
    override async swap(callToHold: PhoneCall, callToResume: PhoneCall): Promise<HoldToggleResult> {
        const phone = this.requirePhone();
        const toHold = this.legOf(callToHold);
        const toResume = this.legOf(callToResume);
        if (toHold.id === toResume.id) {
            throw new VoiceConnectorError(GENERIC, 'swap needs two calls');
        }
        if (toHold.state === CallState.Connected) {
            const held = await phone.hold(toHold.id);
            if (!held.ok) throw new VoiceConnectorError(GENERIC, held.message);
        }
        if (toResume.state === CallState.OnHold) {
            const resumed = await phone.resume(toResume.id);
            if (!resumed.ok) throw new VoiceConnectorError(GENERIC, resumed.message);
        }
        return this.holdState();
    }

    /** Customer, agent and consulted party together (mixed in the agent's browser by phone-core). */
    override async conference(): Promise<HoldToggleResult> {
        const phone = this.requirePhone();
        const primary = phone.activeCalls().find((s) => s.role === 'primary');
        const consult = primary ? this.consultationOf(primary) : undefined;
        if (!primary || !consult) {
            throw new VoiceConnectorError(GENERIC, 'a conference needs a consultation');
        }
        const result = await phone.conference(primary.id, consult.id);
        if (!result.ok) throw new VoiceConnectorError(GENERIC, result.message);
        return this.holdState();
    }

    /** DTMF on the leg that talks (the consultation when it is up and not held, else the customer's). */
    override async sendDigits(digits: string): Promise<void> {
        const phone = this.requirePhone();
        const talking = phone.activeCalls().filter((s) => s.state === CallState.Connected);
        const leg = talking.find((s) => s.role === 'consultation') ?? talking[0];
        if (!leg)
            throw new VoiceConnectorError(Constants.ERROR_TYPE.GENERIC_ERROR, 'no connected call for DTMF');
        const result = await phone.sendDtmf(leg.id, digits);
        if (!result.ok) throw new VoiceConnectorError(Constants.ERROR_TYPE.GENERIC_ERROR, result.message);
    }

    /** Outbound call; `contact.recordId` is the record it was placed from (the VoiceCall relates to it). */
    override async dial(contact: Contact): Promise<CallResult> {
        const phone = this.requirePhone();
        const target = await this.targetOf(contact);
        const result = await phone.dial(target, {
            displayName: contact.name,
            originRecordId: contact.recordId
        });
        if (!result.ok) {
            const type = /dialable/.test(result.message) ? Constants.ERROR_TYPE.INVALID_DESTINATION : GENERIC;
            throw new VoiceConnectorError(type, result.message);
        }
        this.status?.send({ type: 'callStarted', interactionId: vendorCallKey(result.snapshot) });
        return new CallResult({ call: this.phoneCallOf(result.snapshot) });
    }

    /** Blind transfer (REFER), or a consultation call for an attended transfer or a conference. */
    override async addParticipant(
        contact: Contact,
        call: PhoneCall,
        isBlindTransfer: boolean
    ): Promise<ParticipantResult> {
        const phone = this.requirePhone();
        const primary = this.legOf(call, 'primary');
        const target = await this.targetOf(contact);
        if (isBlindTransfer) {
            this.endAnnounced.add(primary.id);
            const result = await blindTransferOutcome(phone, primary.id, target);
            // a REFER the far end refused leaves the call as it was: the softphone must keep it too
            const refused = result.ok ? result.snapshot.transfer?.status === 'failed' : false;
            if (!result.ok || refused) {
                this.endAnnounced.delete(primary.id);
                throw new VoiceConnectorError(
                    GENERIC,
                    result.ok ? 'the transfer was refused' : result.message
                );
            }
            return new ParticipantResult({
                initialCallHasEnded: true,
                callInfo: callInfoOf(result.snapshot, this.buttons(result.snapshot)),
                phoneNumber: target,
                callId: vendorCallKey(primary)
            });
        }
        const result = await phone.startConsultation(primary.id, target);
        if (!result.ok) throw new VoiceConnectorError(GENERIC, result.message);
        return new ParticipantResult({
            initialCallHasEnded: false,
            callInfo: callInfoOf(result.snapshot, this.buttons(result.snapshot), vendorCallKey(primary)),
            phoneNumber: target,
            callId: vendorCallKey(result.snapshot)
        });
    }

    // -----------------------------------------------------------------------------------------
    // The contact centre's directory and recordings
    // -----------------------------------------------------------------------------------------

    /** Agents and queues of the contact centre; `filter.contains` searches names and numbers. */
    override async getPhoneContacts(filter?: ContactFilter): Promise<PhoneContactsResult> {
        return phoneContacts(await this.options.contactCentre.listTransferTargets(), filter);
    }

    override async pauseRecording(call: PhoneCall): Promise<RecordingToggleResult> {
        return this.setRecording(call, true);
    }

    override async resumeRecording(call: PhoneCall): Promise<RecordingToggleResult> {
        return this.setRecording(call, false);
    }

    private async setRecording(call: PhoneCall, paused: boolean): Promise<RecordingToggleResult> {
        const control = this.options.contactCentre.setRecordingPaused;
        const type = paused ? GENERIC : GENERIC;
        if (!control) throw new VoiceConnectorError(type, 'this contact centre cannot pause recordings');
        const key = vendorCallKey(this.legOf(call, 'primary'));
        try {
            await control.call(this.options.contactCentre, key, paused);
        } catch (error) {
            throw new VoiceConnectorError(type, messageOf(error));
        }
        if (paused) this.recordingPaused.add(key);
        else this.recordingPaused.delete(key);
        return new RecordingToggleResult({ isRecordingPaused: paused, contactId: key });
    }

    /** A signed, short-lived playback URL from the contact centre (the VoiceCall's recording player). */
    override async getSignedRecordingUrl(
        _recordingUrl: string,
        vendorCallKeyOfCall: string,
        callId: string
    ): Promise<SignedRecordingUrlResult> {
        const sign = this.options.contactCentre.getSignedRecording;
        if (!sign) throw new VoiceConnectorError(GENERIC, 'no recordings');
        const signed = await sign.call(this.options.contactCentre, vendorCallKeyOfCall);
        return new SignedRecordingUrlResult({
            success: true,
            url: signed.url,
            duration: signed.durationSeconds,
            callId
        });
    }

    // -----------------------------------------------------------------------------------------
    // Audio devices (B6): the softphone has no device API in 3.6.2, so a host component sends a message
    // -----------------------------------------------------------------------------------------

    override handleMessage(message: unknown): void {
        const m = message as { type?: unknown; devices?: AudioDevices } | undefined;
        if (m?.type === AUDIO_DEVICES_MESSAGE && m.devices && typeof m.devices === 'object') {
            void this.setAudioDevices(m.devices);
        }
    }

    /** Microphone, speaker and ring device (ids from `navigator.mediaDevices.enumerateDevices()`). */
    async setAudioDevices(devices: AudioDevices): Promise<void> {
        const clean: AudioDevices = {};
        for (const key of ['input', 'output', 'ring'] as const) {
            const value = devices[key];
            if (typeof value === 'string') clean[key] = value;
        }
        await this.requirePhone().setAudioDevices(clean);
    }

    // -----------------------------------------------------------------------------------------
    // phone-core events -> telephony events
    // -----------------------------------------------------------------------------------------

    private onIncoming(snapshot: CallSnapshot): void {
        this.status?.send({ type: 'callOffered', interactionId: vendorCallKey(snapshot) });
        this.publish(Constants.EVENT_TYPE.CALL_STARTED, new CallResult({ call: this.phoneCallOf(snapshot) }));
    }

    private onUpdated(snapshot: CallSnapshot): void {
        if (!isEstablished(snapshot) || this.connectedPublished.has(snapshot.id)) return;
        this.connectedPublished.add(snapshot.id);
        if (snapshot.role === 'consultation') {
            this.publish(
                Constants.EVENT_TYPE.PARTICIPANT_CONNECTED,
                new ParticipantResult({
                    initialCallHasEnded: false,
                    callInfo: callInfoOf(snapshot, this.buttons(snapshot), snapshot.linkedCallId),
                    phoneNumber: snapshot.remote.number,
                    callId: vendorCallKey(snapshot)
                })
            );
        } else if (snapshot.direction === CallDirection.Outbound) {
            this.publish(
                Constants.EVENT_TYPE.CALL_CONNECTED,
                new CallResult({ call: this.phoneCallOf(snapshot) })
            );
        } else {
            // answered somewhere the softphone did not ask (e.g. an attended transfer to this agent)
            this.status?.send({ type: 'callAnswered', interactionId: vendorCallKey(snapshot) });
            this.publish(
                Constants.EVENT_TYPE.CALL_CONNECTED,
                new CallResult({ call: this.phoneCallOf(snapshot) })
            );
        }
    }

    private onEnded(snapshot: CallSnapshot): void {
        const announced = this.endAnnounced.delete(snapshot.id);
        this.connectedPublished.delete(snapshot.id);
        const call = this.phoneCallOf(snapshot);
        if (snapshot.role === 'primary') {
            this.recordingPaused.delete(vendorCallKey(snapshot));
            this.updateStatusAfter(snapshot);
        }
        if (!announced) {
            if (snapshot.role === 'consultation') {
                this.publish(Constants.EVENT_TYPE.PARTICIPANT_REMOVED, new CallResult({ call }));
            } else {
                this.publish(Constants.EVENT_TYPE.HANGUP, new HangupResult({ calls: [call] }));
            }
        }
        if (snapshot.role === 'primary' && this.status?.status === AgentStatus.Wrap) {
            void publishEvent({
                eventType: 'AFTER_CALL_WORK_STARTED' as PublishedEvent,
                payload: { callId: vendorCallKey(snapshot) },
                registerLog: true
            });
        }
        this.recentlyEnded.set(snapshot.id, snapshot);
        for (const old of Array.from(this.recentlyEnded.keys()).slice(0, -RECENTLY_ENDED_KEPT)) {
            this.recentlyEnded.delete(old);
        }
        for (const resolve of this.endWaiters.get(snapshot.id) ?? []) resolve(snapshot);
        this.endWaiters.delete(snapshot.id);
    }

    private updateStatusAfter(snapshot: CallSnapshot): void {
        const status = this.status;
        if (!status) return;
        const interactionId = vendorCallKey(snapshot);
        if (snapshot.direction === CallDirection.Inbound && snapshot.answeredAt === undefined) {
            const cause =
                snapshot.outcome === CallOutcome.Rejected
                    ? 'rejected'
                    : snapshot.endedBy === 'remote'
                      ? 'cancelled'
                      : 'timeout';
            status.send({ type: 'callMissed', cause, interactionId });
        } else {
            status.send({ type: 'callEnded', wrapSeconds: snapshot.callData?.wrapSeconds, interactionId });
        }
    }

    // -----------------------------------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------------------------------

    private publish(eventType: string, payload: object): void {
        void publishEvent({ eventType: eventType as PublishedEvent, payload, registerLog: true });
    }

    private requirePhone(): SipPhone {
        if (!this.phone) throw new VoiceConnectorError(GENERIC, 'the phone is not logged in');
        return this.phone;
    }

    private requireStatus(): AgentStatusMachine {
        if (!this.status) throw new VoiceConnectorError(GENERIC, 'the phone is not logged in');
        return this.status;
    }

    /** The phone-core leg the softphone means: by callId, else by participant type. */
    private legOf(call: PhoneCall | undefined, role?: 'primary'): CallSnapshot {
        const calls = this.requirePhone().activeCalls();
        const byId = call?.callId ? calls.find((s) => vendorCallKey(s) === call.callId) : undefined;
        const wantConsult =
            !role && call?.callAttributes?.participantType === Constants.PARTICIPANT_TYPE.THIRD_PARTY;
        const leg =
            (role && byId?.role === 'consultation' ? calls.find((s) => s.id === byId.linkedCallId) : byId) ??
            calls.find((s) => s.role === (wantConsult ? 'consultation' : 'primary'));
        if (!leg) throw new VoiceConnectorError(Constants.ERROR_TYPE.INVALID_PARTICIPANT, 'no such call');
        return leg;
    }

    private consultationOf(primary: CallSnapshot): CallSnapshot | undefined {
        return this.phone
            ?.activeCalls()
            .find((s) => s.role === 'consultation' && s.linkedCallId === primary.id);
    }

    private buttons(snapshot: CallSnapshot): { record: boolean; isRecordingPaused: boolean } {
        const primaryKey =
            snapshot.role === 'consultation' && snapshot.linkedCallId
                ? vendorCallKey(this.phone?.call(snapshot.linkedCallId) ?? snapshot)
                : vendorCallKey(snapshot);
        return {
            record: typeof this.options.contactCentre.setRecordingPaused === 'function',
            isRecordingPaused: this.recordingPaused.has(primaryKey)
        };
    }

    private phoneCallOf(snapshot: CallSnapshot): PhoneCall {
        const parent =
            snapshot.role === 'consultation' && snapshot.linkedCallId
                ? this.phone?.call(snapshot.linkedCallId)
                : undefined;
        return toPhoneCall(snapshot, this.buttons(snapshot), { parent });
    }

    private async holdState(): Promise<HoldToggleResult> {
        const calls = this.requirePhone().activeCalls();
        const primary = calls.find((s) => s.role === 'primary');
        const consult = calls.find((s) => s.role === 'consultation');
        return new HoldToggleResult({
            isCustomerOnHold: primary?.onHold ?? false,
            isThirdPartyOnHold: consult?.onHold ?? false,
            calls: calls.map((s) => this.phoneCallOf(s))
        });
    }

    /**
     * Number or SIP address to dial: the contact's number as E.164 (a record's phone field may hold any
     * format: phone-core reads it with the org's country), a SIP user as it is, or the directory entry the
     * contact names.
     */
    private async targetOf(contact: Contact | undefined): Promise<string> {
        const number = [contact?.prefix, contact?.phoneNumber].filter(Boolean).join('').trim();
        if (/^(sips?:|[a-z][\w.-]*$)|@/i.test(number)) return number;
        if (number) {
            const dialString = toDialString(number, { defaultCountry: this.defaultCountry });
            if (!dialString) {
                throw new VoiceConnectorError(
                    Constants.ERROR_TYPE.INVALID_DESTINATION,
                    'not a dialable number'
                );
            }
            return dialString;
        }
        if (contact?.id) {
            const entry = (await this.options.contactCentre.listTransferTargets()).find(
                (t) => t.id === contact.id
            );
            if (entry) return entry.target;
        }
        throw new VoiceConnectorError(Constants.ERROR_TYPE.INVALID_DESTINATION, 'the contact has no number');
    }

    /** The final snapshot of a leg, once phone-core ended it (callEnded fires exactly once per call). */
    private ended(callId: string): Promise<CallSnapshot> {
        const final = this.recentlyEnded.get(callId);
        if (final) return Promise.resolve(final);
        if (!this.phone?.call(callId)) {
            return Promise.reject(
                new VoiceConnectorError(Constants.ERROR_TYPE.INVALID_PARTICIPANT, 'no such call')
            );
        }
        return new Promise((resolve) => {
            const waiters = this.endWaiters.get(callId) ?? [];
            waiters.push(resolve);
            this.endWaiters.set(callId, waiters);
        });
    }
}

function isEstablished(snapshot: CallSnapshot): boolean {
    return snapshot.state === CallState.Connected || snapshot.state === CallState.OnHold;
}

function stringOf(value: unknown): string | undefined {
    return typeof value === 'string' ? value : undefined;
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
