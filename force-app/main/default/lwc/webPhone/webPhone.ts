import { LightningElement, wire } from 'lwc';
import { CurrentPageReference, NavigationMixin, type PageReference } from 'lightning/navigation';
import { encodeDefaultFieldValues } from 'lightning/pageReferenceUtils';
import { loadScript } from 'lightning/platformResourceLoader';
import {
    getEnclosingUtilityId,
    open as openUtility,
    setUtilityHighlighted,
    setUtilityLabel
} from 'lightning/platformUtilityBarApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import WEBPHONE_CORE from '@salesforce/resourceUrl/webphoneCore';
import USER_ID from '@salesforce/user/Id';
import LOCALE from '@salesforce/i18n/locale';
import getSettings from '@salesforce/apex/PhoneSettingsController.getSettings';
import getSipCredentials from '@salesforce/apex/AgentSessionController.getSipCredentials';
import getActiveInteractions from '@salesforce/apex/AgentSessionController.getActiveInteractions';
import getCampaigns from '@salesforce/apex/AgentStatusController.getCampaigns';
import getPauseReasons from '@salesforce/apex/AgentStatusController.getPauseReasons';
import setStatus from '@salesforce/apex/AgentStatusController.setStatus';
import findCallers from '@salesforce/apex/CallerLookupController.findCallers';
import saveCallLog from '@salesforce/apex/CallLogController.saveCallLog';
import controlRecording from '@salesforce/apex/RecordingControlController.controlRecording';
import createRecord from '@salesforce/apex/RecordCreationController.createRecord';
import attachNumber from '@salesforce/apex/RecordCreationController.attachNumber';
import type {
    CallView,
    PhoneCallEvent,
    PhoneCommand,
    PhoneNotification,
    PhoneSession,
    PhoneViewState,
    ScreenPopEvent,
    SessionResult
} from 'webphone-core';
import type * as WebphoneCoreModule from 'webphone-core';
import { CORE_API_VERSION, type WebphoneCoreGlobal } from './coreGlobal';
import {
    errorMessage,
    formatLabel,
    microphoneProblemText,
    objectApiNameOf,
    objectTypeOf,
    type AttachNumberDetail,
    type CreateRecordDetail,
    type NumberInspection,
    type NumberInspector,
    type OpenRecordDetail,
    type OpenUrlDetail,
    type ScreenRecord
} from 'c/phoneUtils';
import { createHostPorts } from './hostPorts';
import { toCoreSettings, type OrgPhoneSettings } from './orgSettings';
import { errorOffersRestart, errorText, warningText } from './messages';
import { lineClassOf, lineTextOf, panelClassOf, TABS, tabsOf, type PanelTab } from './panelView';
import { securityProblem, type SecurityProblem } from './security';
import { browserNotification, showNotification } from './desktopNotifications';

import UTILITY_LABEL from '@salesforce/label/c.Phone_Utility_Label';
import UTILITY_RINGING from '@salesforce/label/c.Phone_Utility_Ringing';
import UTILITY_ON_CALL from '@salesforce/label/c.Phone_Utility_OnCall';
import UNKNOWN_CALLER from '@salesforce/label/c.Phone_Label_UnknownCaller';
import LOCKER_TITLE from '@salesforce/label/c.Phone_Locker_Title';
import LOCKER_BODY from '@salesforce/label/c.Phone_Locker_Body';
import WEBRTC_UNAVAILABLE from '@salesforce/label/c.Phone_WebRtc_Unavailable';
import LOADING from '@salesforce/label/c.Phone_Loading';
import LOAD_FAILED from '@salesforce/label/c.Phone_Load_Failed';
import SETTINGS_FAILED from '@salesforce/label/c.Phone_Settings_Failed';
import TRY_AGAIN from '@salesforce/label/c.Phone_TryAgain';
import DISABLED from '@salesforce/label/c.Phone_Disabled';
import DISMISS from '@salesforce/label/c.Phone_Dismiss';
import DETAILS from '@salesforce/label/c.Phone_Details';
import USE_HERE from '@salesforce/label/c.Phone_UseHere';
import OUTBOX_TITLE from '@salesforce/label/c.Phone_Outbox_AttentionTitle';
import OUTBOX_UNSENT from '@salesforce/label/c.Phone_Outbox_Unsent';
import NOTIFY_ENABLE from '@salesforce/label/c.Phone_Notify_Enable';
import NOTIFY_ENABLED from '@salesforce/label/c.Phone_Notify_Enabled';
import NOTIFY_BLOCKED from '@salesforce/label/c.Phone_Notify_Blocked';
import ATTACH_DONE from '@salesforce/label/c.Phone_Attach_Done';
import ATTACH_FAILED from '@salesforce/label/c.Phone_Attach_Failed';
import AUTO_CASE_FAILED from '@salesforce/label/c.Phone_AutoCase_Failed';
import REGION from '@salesforce/label/c.Phone_Region';
import NOTES from '@salesforce/label/c.Phone_WrapUp_Notes';

type Phase = 'checking' | 'unsupported' | 'loading' | 'failed' | 'disabled' | 'ready';
type Navigate = (pageReference: PageReference, replace?: boolean) => void;

/**
 * The WebPhone utility item (F1): loads the `webphoneCore` static resource once, requires Lightning Web
 * Security, creates phone-core's PhoneSession with HostPorts implemented by Apex, and binds its PhoneViewState
 * to the child components. It owns what only the platform can do: the utility bar (label with the caller,
 * highlight while ringing, open on an incoming call), navigation (screen pop to record pages, which a console
 * app opens as workspace tabs; new-record pages; URLs), the record on screen (F7), browser notifications when
 * the page is hidden (F3), toasts, and the WebPhone message channel through c/ctiBridge (F9, F19).
 */
export default class WebPhone extends NavigationMixin(LightningElement) {
    @wire(CurrentPageReference)
    pageReference: PageReference | undefined;

    phase: Phase = 'checking';
    problem: SecurityProblem | null = null;
    failureText = '';
    state: PhoneViewState | null = null;
    settings: OrgPhoneSettings = {};
    activeTab: PanelTab = 'phone';
    notificationPermission: string = currentNotificationPermission();

    private session: PhoneSession | null = null;
    private core: WebphoneCoreGlobal | null = null;
    /** phone-core's functions for the callback list (F11, F24) and the wrap-up's summary (F22), once loaded. */
    callbackHelpers: WebphoneCoreGlobal | null = null;
    private unsubscribers: Array<() => void> = [];
    /** The Phone Doctor's recent log (B8): sip.js's SIP messages and the state changes, in memory. */
    doctorLog: WebphoneCoreModule.DoctorLog | null = null;
    private utilityId: string | null = null;
    private utilityLabel = '';
    private utilityHighlighted = false;
    private openedForCallId: string | null = null;
    private connected = false;
    /** The session was started once: a later `started: false` means the phone was signed out. */
    private wasStarted = false;
    signingOut = false;

    labels = {
        lockerTitle: LOCKER_TITLE,
        loading: LOADING,
        tryAgain: TRY_AGAIN,
        disabled: DISABLED,
        dismiss: DISMISS,
        details: DETAILS,
        useHere: USE_HERE,
        outboxTitle: OUTBOX_TITLE,
        notifyEnable: NOTIFY_ENABLE,
        region: REGION,
        notes: NOTES
    };

    override connectedCallback(): void {
        this.connected = true;
        void this.start();
    }

    override disconnectedCallback(): void {
        this.connected = false;
        this.shutdown();
    }

    // ------------------------------------------------------------------------------------------------------
    // Start-up
    // ------------------------------------------------------------------------------------------------------

    private async start(): Promise<void> {
        this.problem = securityProblem({
            window,
            document,
            RTCPeerConnection: (window as unknown as { RTCPeerConnection?: unknown }).RTCPeerConnection,
            WebSocket: (window as unknown as { WebSocket?: unknown }).WebSocket
        });
        if (this.problem) {
            // Lightning Locker (or no WebRTC): never load the core, never register
            this.phase = 'unsupported';
            return;
        }
        this.phase = 'loading';
        void this.findUtility();
        try {
            await loadScript(this, WEBPHONE_CORE);
        } catch (error) {
            this.fail(LOAD_FAILED, error);
            return;
        }
        const core = (window as unknown as { WebphoneCore?: WebphoneCoreGlobal }).WebphoneCore;
        if (!core || typeof core.PhoneSession !== 'function' || core.CORE_API_VERSION !== CORE_API_VERSION) {
            this.fail(
                LOAD_FAILED,
                `webphoneCore API ${String(core?.CORE_API_VERSION)} (expected ${CORE_API_VERSION})`
            );
            return;
        }
        this.core = core;
        this.callbackHelpers = core;
        let settings: OrgPhoneSettings;
        try {
            settings = ((await getSettings()) ?? {}) as OrgPhoneSettings;
        } catch (error) {
            this.fail(formatLabel(SETTINGS_FAILED, errorMessage(error) || '-'), error);
            return;
        }
        if (!this.connected) return;
        this.settings = settings;
        if (settings.phoneEnabled === false) {
            this.phase = 'disabled';
            return;
        }
        this.createSession(core, settings);
    }

    private createSession(core: WebphoneCoreGlobal, settings: OrgPhoneSettings): void {
        const Session = core.PhoneSession as (typeof WebphoneCoreModule)['PhoneSession'];
        const log = core.DoctorLog ? new core.DoctorLog({ now: () => Date.now() }) : null;
        this.doctorLog = log;
        let session: PhoneSession;
        try {
            session = new Session({
                host: createHostPorts(
                    {
                        getSipCredentials,
                        getCampaigns,
                        getPauseReasons,
                        setStatus,
                        findCallers,
                        saveCallLog,
                        getActiveInteractions,
                        controlRecording
                    },
                    (interactionId) => this.campaignOf(interactionId)
                ),
                orgId: settings.orgId || window.location.hostname || 'org',
                userId: USER_ID,
                userLocale: LOCALE,
                settings: toCoreSettings(settings, UNKNOWN_CALLER),
                sipOptions: {
                    allowInsecureWebSocket: settings.workbench === true,
                    ...(log ? { logLevel: core.DoctorLog!.SIP_LEVEL, logConnector: log.sipConnector } : {})
                }
            });
        } catch (error) {
            this.fail(LOAD_FAILED, error);
            return;
        }
        this.session = session;
        this.unsubscribers = [
            session.on('stateChanged', (state) => this.handleState(state)),
            session.on('screenPop', (pop) => this.handleScreenPop(pop)),
            session.on('callEvent', (event) => this.handleCallEvent(event)),
            session.on('notification', (notification) => this.handleNotification(notification))
        ];
        this.state = session.state;
        this.phase = 'ready';
        session.start().catch((error: unknown) => this.fail(LOAD_FAILED, error));
    }

    private shutdown(): void {
        for (const unsubscribe of this.unsubscribers) unsubscribe();
        this.unsubscribers = [];
        const session = this.session;
        this.session = null;
        // dispose publishes Offline and hands the phone to another tab of this browser
        if (session) void session.dispose().catch(() => undefined);
    }

    private fail(text: string, error: unknown): void {
        this.phase = 'failed';
        this.failureText = text;
        // the technical detail belongs in the console, not in front of the agent
        console.error('WebPhone:', errorMessage(error) || error);
    }

    private async findUtility(): Promise<void> {
        try {
            this.utilityId = (await getEnclosingUtilityId()) || null;
        } catch {
            this.utilityId = null; // not in a utility bar (an app page)
        }
        if (this.state) this.syncUtilityBar(this.state);
    }

    handleRetryLoad(): void {
        this.shutdown();
        this.failureText = '';
        void this.start();
    }

    // ------------------------------------------------------------------------------------------------------
    // Session events
    // ------------------------------------------------------------------------------------------------------

    private handleState(state: PhoneViewState): void {
        this.state = state;
        this.doctorLog?.observe(state);
        if (state.started) this.wasStarted = true;
        this.syncUtilityBar(state);
    }

    /** phone-core's sensitive-page rule and the admin's pages, for c-recording-control (F21). */
    get sensitivePageRule() {
        return this.core?.sensitivePageInput ?? null;
    }

    get sensitivePages(): string[] {
        return this.settings.sensitivePages ?? [];
    }

    private syncUtilityBar(state: PhoneViewState): void {
        const utilityId = this.utilityId;
        if (!utilityId) return;
        const incoming = state.incoming;
        const active = this.activeCallOf(state);
        const label = incoming
            ? formatLabel(UTILITY_RINGING, callerName(incoming))
            : active
              ? formatLabel(UTILITY_ON_CALL, callerName(active))
              : UTILITY_LABEL;
        if (label !== this.utilityLabel) {
            this.utilityLabel = label;
            setUtilityLabel(utilityId, label).catch(() => undefined);
        }
        const highlighted = !!incoming;
        if (highlighted !== this.utilityHighlighted) {
            this.utilityHighlighted = highlighted;
            setUtilityHighlighted(utilityId, highlighted).catch(() => undefined);
        }
        if (incoming && incoming.id !== this.openedForCallId) {
            this.openedForCallId = incoming.id;
            this.activeTab = 'phone';
            openUtility(utilityId).catch(() => undefined);
        }
    }

    private handleScreenPop(pop: ScreenPopEvent): void {
        const decision = pop.decision;
        if (
            decision.action === 'open' &&
            this.shouldNavigate() &&
            decision.record.id !== this.screenRecord?.recordId
        ) {
            this.navigate(
                recordPage(
                    decision.record.id,
                    objectApiNameOf(decision.record.objectType, decision.record.objectApiName)
                )
            );
        } else if (decision.action === 'choose' || decision.action === 'create') {
            // the chooser is in the panel: show it
            this.activeTab = 'phone';
            if (this.utilityId) openUtility(this.utilityId).catch(() => undefined);
        }
        if (decision.autoCreateCase && this.session?.isLeader) {
            void this.createCaseFor(pop, decision.autoCreateCase.defaultFieldValues);
        }
    }

    /** The visible tab navigates; when every tab is hidden, the one holding the phone does. */
    private shouldNavigate(): boolean {
        return document.visibilityState !== 'hidden' || !!this.session?.isLeader;
    }

    private async createCaseFor(pop: ScreenPopEvent, values: Record<string, string>): Promise<void> {
        try {
            const caseId = (await createRecord({
                request: {
                    objectType: 'Case',
                    phone: values.SuppliedPhone || pop.caller.e164 || null,
                    subject: values.Subject || null,
                    description: values.Description || null,
                    accountId: values.AccountId || null,
                    contactId: values.ContactId || null
                }
            })) as string;
            if (caseId && this.session) {
                await this.session.relateToRecord({ id: caseId, objectType: 'Case' }, pop.callId);
            }
        } catch (error) {
            this.toast('error', formatLabel(AUTO_CASE_FAILED, errorMessage(error) || '-'));
        }
    }

    private handleCallEvent(event: PhoneCallEvent): void {
        for (const selector of ['c-cti-bridge', 'c-phone-public-channel']) {
            const channel = this.template?.querySelector(selector) as unknown as {
                publishCallEvent?: (e: PhoneCallEvent) => void;
            } | null;
            channel?.publishCallEvent?.(event);
        }
    }

    private handleNotification(notification: PhoneNotification): void {
        showNotification(notification, {
            template: this.settings.notificationTemplate,
            render: this.core?.renderNotificationTemplate,
            onAttention: (text) => this.toast('warning', text),
            onClick: () => {
                if (this.utilityId) openUtility(this.utilityId).catch(() => undefined);
            }
        });
    }

    // ------------------------------------------------------------------------------------------------------
    // Child events
    // ------------------------------------------------------------------------------------------------------

    handleCommand(event: CustomEvent<PhoneCommand>): void {
        event.stopPropagation();
        void this.execute(event.detail);
    }

    /** Commands from the message channel (click-to-dial, org components): show the phone first. */
    handleBridgeCommand(event: CustomEvent<PhoneCommand>): void {
        event.stopPropagation();
        void this.runFromOutside(event.detail);
    }

    /** Commands of the public channel (validated and state-checked by phone-core, F19) and the Omni sync (F23). */
    readonly publicCommandRunner = (command: PhoneCommand): Promise<SessionResult> =>
        this.runFromOutside(command);

    private runFromOutside(command: PhoneCommand): Promise<SessionResult> {
        if (command.type === 'dial') {
            this.activeTab = 'phone';
            if (this.utilityId) openUtility(this.utilityId).catch(() => undefined);
        }
        const session = this.session;
        if (!session) return Promise.resolve({ ok: false, error: 'not-started' });
        return session.send(command).catch((): SessionResult => ({ ok: false, error: 'unknown' }));
    }

    private async execute(command: PhoneCommand): Promise<void> {
        const session = this.session;
        if (!session) return;
        // failures are in the state (`error`), which the banner shows
        await session.send(command).catch(() => undefined);
    }

    handleOpenRecord(event: CustomEvent<OpenRecordDetail>): void {
        const { recordId, objectApiName } = event.detail;
        if (recordId) this.navigate(recordPage(recordId, objectApiName));
    }

    handleOpenUrl(event: CustomEvent<OpenUrlDetail>): void {
        this.navigate({ type: 'standard__webPage', attributes: { url: event.detail.url } });
    }

    handleCreateRecord(event: CustomEvent<CreateRecordDetail>): void {
        const { objectApiName, defaultFieldValues, chooseRecordType } = event.detail;
        const state: Record<string, unknown> = {
            defaultFieldValues: encodeDefaultFieldValues(defaultFieldValues)
        };
        if (chooseRecordType) state.useRecordTypeCheck = 1;
        this.navigate({
            type: 'standard__objectPage',
            attributes: { objectApiName, actionName: 'new' },
            state
        });
    }

    async handleAttachNumber(event: CustomEvent<AttachNumberDetail>): Promise<void> {
        const { recordId, e164 } = event.detail;
        const callId = this.popCall?.id;
        try {
            await attachNumber({ recordId, phone: e164, fieldName: null });
            this.toast('success', ATTACH_DONE);
            if (this.session)
                await this.session.relateToRecord(
                    { id: recordId, objectType: objectTypeOf(undefined, recordId) },
                    callId
                );
        } catch (error) {
            this.toast('error', formatLabel(ATTACH_FAILED, errorMessage(error) || '-'));
        }
    }

    handleDismissError(): void {
        void this.execute({ type: 'clearError' });
    }

    /** Sign out of the phone: refused in a call; the session flushes unsent logs, then purges and ends. */
    async handleSignOut(event: CustomEvent<PhoneCommand>): Promise<void> {
        event.stopPropagation();
        this.signingOut = true;
        await this.execute(event.detail);
        this.signingOut = false;
    }

    handleStartAfterSignOut(): void {
        this.wasStarted = false;
        this.handleRetryLoad();
    }

    get isSignedOut(): boolean {
        return this.phase === 'ready' && this.wasStarted && this.state?.started === false;
    }

    get inCall(): boolean {
        return (this.state?.calls.length ?? 0) > 0 || !!this.state?.incoming;
    }

    get signOutDisabled(): boolean {
        return this.controlsDisabled || this.signingOut;
    }

    /** Notes typed during the call go into its wrap-up draft (stored: they survive a reload, B7). */
    /** The notes as typed here: a state published before the last keystroke must not reset the box. */
    private typedNotes: { interactionId: string; value: string } | null = null;

    handleCallNotes(event: CustomEvent<{ value: string }>): void {
        const interactionId = this.activeCall?.interactionId;
        if (!interactionId) return;
        const notes = event.detail.value ?? '';
        this.typedNotes = { interactionId, value: notes };
        void this.execute({ type: 'updateWrapUp', interactionId, patch: { notes } });
    }

    get activeNotes(): string {
        const id = this.activeCall?.interactionId;
        if (id && this.typedNotes?.interactionId === id) return this.typedNotes.value;
        return this.state?.interactions.find((i) => i.interactionId === id)?.draft.notes ?? '';
    }

    handleRestartPhone(): void {
        void this.execute({ type: 'restartPhone' });
    }

    handleUseHere(): void {
        void this.session?.requestLeadership().catch(() => undefined);
    }

    handleRetryLog(event: Event): void {
        const interactionId = (event.currentTarget as HTMLElement).dataset.interactionId;
        if (interactionId) void this.execute({ type: 'retryCallLog', interactionId });
    }

    handleDismissLog(event: Event): void {
        const interactionId = (event.currentTarget as HTMLElement).dataset.interactionId;
        if (interactionId) void this.execute({ type: 'dismissCallLog', interactionId });
    }

    handleTab(event: Event): void {
        const tab = (event.currentTarget as HTMLElement).dataset.tab as PanelTab | undefined;
        if (tab) this.activeTab = tab;
    }

    /** Arrow keys move between the tabs (WAI-ARIA tabs pattern: one tab stop, arrows inside). */
    handleTabKey(event: KeyboardEvent): void {
        if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
        event.preventDefault();
        const index = TABS.findIndex((tab) => tab.id === this.activeTab);
        const step = event.key === 'ArrowRight' ? 1 : TABS.length - 1;
        this.activeTab = TABS[(index + step) % TABS.length].id;
        const next = this.template?.querySelector(`[data-tab="${this.activeTab}"]`) as HTMLElement | null;
        next?.focus();
    }

    /** Asks for notification permission: browsers only allow it from a user gesture, never on load. */
    async handleEnableNotifications(): Promise<void> {
        const NotificationApi = browserNotification();
        if (!NotificationApi) return;
        try {
            this.notificationPermission = await NotificationApi.requestPermission();
        } catch {
            this.notificationPermission = NotificationApi.permission;
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // View
    // ------------------------------------------------------------------------------------------------------

    get isUnsupported(): boolean {
        return this.phase === 'unsupported';
    }

    get unsupportedText(): string {
        return this.problem === 'locker' ? LOCKER_BODY : WEBRTC_UNAVAILABLE;
    }

    get isLoading(): boolean {
        return this.phase === 'checking' || this.phase === 'loading';
    }

    get isFailed(): boolean {
        return this.phase === 'failed';
    }

    get isDisabled(): boolean {
        return this.phase === 'disabled';
    }

    get isReady(): boolean {
        return this.phase === 'ready' && !!this.state;
    }

    get screenRecord(): ScreenRecord | null {
        const reference = this.pageReference;
        const recordId = reference?.attributes?.recordId;
        if (reference?.type !== 'standard__recordPage' || typeof recordId !== 'string') return null;
        const objectApiName = reference.attributes?.objectApiName;
        return { recordId, objectApiName: typeof objectApiName === 'string' ? objectApiName : undefined };
    }

    get agent() {
        return this.state?.agent ?? null;
    }

    /** Nothing can be done until the phone (in this tab or the tab holding it) is started. */
    get controlsDisabled(): boolean {
        return !this.state?.started;
    }

    get errorView() {
        const error = this.state?.error;
        return error
            ? {
                  text: errorText(error.code),
                  detail: error.detail ?? '',
                  restart: errorOffersRestart(error.code)
              }
            : null;
    }

    get warnings(): Array<{ key: string; text: string }> {
        return (this.state?.warnings ?? [])
            .map((warning) => ({ key: warning, text: warningText(warning) }))
            .filter((w) => w.text);
    }

    get microphoneText(): string {
        return microphoneProblemText(this.state?.microphone?.problem);
    }

    get lineText(): string {
        return lineTextOf(this.state);
    }

    get lineClass(): string {
        return lineClassOf(this.state);
    }

    get canUseHere(): boolean {
        return this.state?.role === 'follower' && !!this.state.leader && !this.state.leader.self;
    }

    get attention(): Array<{ interactionId: string; title: string; message: string }> {
        return (this.state?.outbox.attention ?? []).map((item) => ({
            interactionId: item.interactionId,
            title: [item.name || UNKNOWN_CALLER, item.number].filter(Boolean).join(' · '),
            message: item.message
        }));
    }

    get hasAttention(): boolean {
        return this.attention.length > 0;
    }

    get unsentText(): string {
        const unsent = this.state?.outbox.unsent ?? 0;
        return unsent > 0 ? formatLabel(OUTBOX_UNSENT, unsent) : '';
    }

    get tabs() {
        return tabsOf(this.activeTab);
    }

    get panelClass(): Record<PanelTab, string> {
        return panelClassOf(this.activeTab);
    }

    get incomingCall(): CallView | null {
        return this.state?.incoming ?? null;
    }

    /** The primary call that is not ringing (connected, dialling, on hold...). */
    get activeCall(): CallView | null {
        return this.state ? this.activeCallOf(this.state) : null;
    }

    get consultCall(): CallView | null {
        return this.state?.calls.find((call) => call.role === 'consultation') ?? null;
    }

    /** The call whose screen pop the chooser shows: the active call, else the ringing one. */
    get popCall(): CallView | null {
        return this.activeCall ?? this.incomingCall;
    }

    get showChooser(): boolean {
        const call = this.popCall;
        const action = call?.screenPop?.action;
        return !!call && !call.related && (action === 'choose' || action === 'create');
    }

    get wrapUp() {
        return this.state?.wrapUp ?? null;
    }

    get showWrapUpChooser(): boolean {
        const wrapUp = this.wrapUp;
        const action = wrapUp?.screenPop?.action;
        return !this.popCall && !!wrapUp && !wrapUp.related && (action === 'choose' || action === 'create');
    }

    get agentInWrap(): boolean {
        return this.state?.agent.status === 'Wrap';
    }

    get showDialPad(): boolean {
        return !this.activeCall && !this.incomingCall && !this.wrapUp;
    }

    get cardFields(): Record<string, string[]> {
        return this.settings.callerCardFields ?? {};
    }

    get clickUrlTemplate(): string {
        return this.settings.callerCardUrlTemplate ?? '';
    }

    get dispositions(): Array<{ label: string; value: string }> {
        return this.settings.dispositions ?? [];
    }

    get bridgeState() {
        const state = this.state;
        if (!state) return null;
        const canDial = state.registration.state === 'Registered' && state.calls.length === 0;
        return { agentStatus: state.agent.status, clickToDialEnabled: canDial };
    }

    /** phone-core for the public channel and the Omni sync, when the loaded static resource has them. */
    get coreModule(): typeof WebphoneCoreModule | null {
        const core = this.core as Partial<typeof WebphoneCoreModule> | null;
        return typeof core?.readPublicCommand === 'function' ? (core as typeof WebphoneCoreModule) : null;
    }

    get numberOptions(): { defaultCountry: string; defaultAreaCode?: string } {
        return {
            defaultCountry: this.settings.defaultCountry ?? '',
            defaultAreaCode: this.settings.defaultAreaCode ?? undefined
        };
    }

    get numberInspector(): NumberInspector {
        const core = this.core;
        const options = this.numberOptions;
        return (raw: string): NumberInspection => {
            if (!core?.isDialable || !core.formatForDisplay)
                return { dialable: raw.trim() !== '', display: raw.trim() };
            const dialable = core.isDialable(raw, options);
            return { dialable, display: dialable ? core.formatForDisplay(raw, options) : '' };
        };
    }

    get showNotificationButton(): boolean {
        return this.notificationPermission === 'default';
    }

    get notificationStatusText(): string {
        if (this.notificationPermission === 'granted') return NOTIFY_ENABLED;
        if (this.notificationPermission === 'denied') return NOTIFY_BLOCKED;
        return '';
    }

    // ------------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------------

    private activeCallOf(state: PhoneViewState): CallView | null {
        return state.calls.find((call) => call.role === 'primary' && call.id !== state.incoming?.id) ?? null;
    }

    private campaignOf(interactionId: string | undefined): string | undefined {
        if (!interactionId) return undefined;
        return this.state?.calls.find((call) => call.interactionId === interactionId)?.campaignId;
    }

    private navigate(pageReference: PageReference): void {
        const navigate = (this as unknown as Record<symbol, Navigate>)[NavigationMixin.Navigate];
        navigate.call(this, pageReference);
    }

    private toast(variant: 'success' | 'warning' | 'error', message: string): void {
        this.dispatchEvent(new ShowToastEvent({ message, variant }));
    }
}

function callerName(call: CallView): string {
    return call.caller.name || call.caller.displayName || call.caller.numberDisplay || UNKNOWN_CALLER;
}

function recordPage(recordId: string, objectApiName?: string): PageReference {
    const attributes: Record<string, unknown> = { recordId, actionName: 'view' };
    if (objectApiName) attributes.objectApiName = objectApiName;
    return { type: 'standard__recordPage', attributes };
}

function currentNotificationPermission(): string {
    return browserNotification()?.permission ?? 'unsupported';
}
