/**
 * phone-core's HostPorts implemented with the package's `@AuraEnabled` Apex (passed in, so this module has no
 * platform imports and maps plain data only). Apex returns `null` for empty fields; phone-core expects them
 * left out, so every mapping drops nulls. Rejections are passed through: the session turns them into codes.
 */
import type {
    ActiveInteraction,
    AgentStatusChange,
    CallLogEntry,
    CallLogSendResult,
    CallerLookupRequest,
    CampaignInfo,
    HostPorts,
    PauseReason,
    RecordMatch,
    RecordingRequest,
    SipSessionInfo
} from 'webphone-core';

/** An imported `@salesforce/apex/Class.method`. */
export type ApexMethod = (params?: Record<string, unknown>) => Promise<any>;

/** The Apex methods the ports use. */
export interface PhoneApex {
    /** AgentSessionController.getSipCredentials */
    getSipCredentials: ApexMethod;
    /** AgentStatusController.getCampaigns */
    getCampaigns: ApexMethod;
    /** AgentStatusController.getPauseReasons */
    getPauseReasons: ApexMethod;
    /** AgentStatusController.setStatus(status, pauseReasonId, campaignId) */
    setStatus: ApexMethod;
    /** CallerLookupController.findCallers(searchKeys, ivrCaseCode) */
    findCallers: ApexMethod;
    /** CallLogController.saveCallLog(entry) */
    saveCallLog: ApexMethod;
    /** AgentSessionController.getActiveInteractions (B7: a call taken back after a page reload) */
    getActiveInteractions: ApexMethod;
    /** RecordingControlController.controlRecording(interactionId, action, reason) (F21) */
    controlRecording?: ApexMethod;
}

const MATCH_OBJECT_TYPES = new Set(['PersonAccount', 'Contact', 'Lead', 'Account', 'Case', 'Custom']);

/**
 * The ports. `campaignOf` finds the campaign of an interaction (the contact centre needs it with Wrap).
 */
export function createHostPorts(
    apex: PhoneApex,
    campaignOf: (interactionId: string | undefined) => string | undefined
): HostPorts {
    return {
        async getSipSession(): Promise<SipSessionInfo> {
            // campaigns only tune wrap times: the phone still starts when they cannot be read
            const [credentials, campaigns] = await Promise.all([
                apex.getSipCredentials(),
                apex.getCampaigns().catch(() => [])
            ]);
            return toSipSession(credentials, campaigns);
        },
        async publishAgentStatus(change: AgentStatusChange): Promise<void> {
            await apex.setStatus({
                status: change.to,
                pauseReasonId: change.reason?.id ?? null,
                campaignId: change.to === 'Wrap' ? (campaignOf(change.interactionId) ?? null) : null
            });
        },
        async lookupCaller(request: CallerLookupRequest): Promise<RecordMatch[]> {
            if (request.searchKeys.length === 0 && !request.ivrCaseCode) return [];
            const matches = await apex.findCallers({
                searchKeys: request.searchKeys,
                ivrCaseCode: request.ivrCaseCode ?? null
            });
            return toRecordMatches(matches);
        },
        async saveCallLog(entry: CallLogEntry): Promise<CallLogSendResult> {
            return toSendResult(await apex.saveCallLog({ entry: withoutUndefined(entry) }));
        },
        async getPauseReasons(): Promise<PauseReason[]> {
            return toPauseReasons(await apex.getPauseReasons());
        },
        async getActiveInteractions(): Promise<ActiveInteraction[]> {
            return toActiveInteractions(await apex.getActiveInteractions());
        },
        async controlRecording(interactionId: string, request: RecordingRequest): Promise<void> {
            if (!apex.controlRecording) throw new Error('recording control is not available');
            await apex.controlRecording({ interactionId, action: request.action, reason: request.reason });
        }
    };
}

/** AgentSessionService.SipCredentials (+ campaigns) as phone-core's SipSessionInfo. */
export function toSipSession(credentials: any, campaigns: unknown): SipSessionInfo {
    if (!credentials || typeof credentials !== 'object') throw new Error('no SIP credentials');
    const info: SipSessionInfo = {
        wssUrl: text(credentials.wssUrl),
        sipUri: text(credentials.sipUri),
        authorizationUsername: text(credentials.authorizationUsername),
        authorizationPassword: text(credentials.authorizationPassword),
        iceServers: Array.isArray(credentials.iceServers)
            ? credentials.iceServers.map(toIceServer).filter(Boolean)
            : [],
        campaigns: toCampaigns(campaigns)
    };
    if (credentials.displayName) info.displayName = text(credentials.displayName);
    if (typeof credentials.expiresAt === 'number' && credentials.expiresAt > 0)
        info.expiresAt = credentials.expiresAt;
    return info;
}

function toIceServer(server: any): RTCIceServer | null {
    if (!server || !Array.isArray(server.urls) || server.urls.length === 0) return null;
    const ice: RTCIceServer = { urls: server.urls.map(String) };
    if (server.username) ice.username = String(server.username);
    if (server.credential) ice.credential = String(server.credential);
    return ice;
}

function toCampaigns(campaigns: unknown): CampaignInfo[] {
    if (!Array.isArray(campaigns)) return [];
    return campaigns
        .filter((campaign) => campaign && typeof campaign.id === 'string')
        .map((campaign) => {
            const info: CampaignInfo = { id: campaign.id, wrapSeconds: Number(campaign.wrapSeconds) || 0 };
            if (campaign.name) info.name = String(campaign.name);
            return info;
        });
}

/** AgentStatusService.PauseReasonView[] as phone-core's PauseReason[]. */
export function toPauseReasons(reasons: unknown): PauseReason[] {
    if (!Array.isArray(reasons)) return [];
    return reasons
        .filter((reason) => reason && typeof reason.id === 'string' && reason.id !== '')
        .map((reason) => ({
            id: reason.id,
            label: typeof reason.label === 'string' && reason.label ? reason.label : reason.id
        }));
}

/** ActiveInteractionService.ActiveInteraction[] as phone-core's ActiveInteraction[] (malformed entries dropped). */
export function toActiveInteractions(items: unknown): ActiveInteraction[] {
    if (!Array.isArray(items)) return [];
    return items
        .filter(
            (item) =>
                item &&
                typeof item.interactionId === 'string' &&
                item.interactionId !== '' &&
                typeof item.rejoinUri === 'string' &&
                /^sips?:/i.test(item.rejoinUri)
        )
        .map((item) => {
            const active: ActiveInteraction = {
                interactionId: item.interactionId,
                rejoinUri: item.rejoinUri
            };
            if (typeof item.answeredAt === 'number' && item.answeredAt > 0)
                active.answeredAt = item.answeredAt;
            return active;
        });
}

/** CallerMatch[] as phone-core's RecordMatch[] (nulls dropped, unknown object types skipped). */
export function toRecordMatches(matches: unknown): RecordMatch[] {
    if (!Array.isArray(matches)) return [];
    const result: RecordMatch[] = [];
    for (const match of matches) {
        if (!match || typeof match.id !== 'string' || !MATCH_OBJECT_TYPES.has(match.objectType)) continue;
        result.push(
            withoutNulls({ ...match, name: typeof match.name === 'string' ? match.name : '' }) as RecordMatch
        );
    }
    return result;
}

/** CallLogResult as phone-core's CallLogSendResult. */
export function toSendResult(result: any): CallLogSendResult {
    if (result?.status === 'saved' && result.taskId)
        return { status: 'saved', taskId: String(result.taskId) };
    const rejected: CallLogSendResult = {
        status: 'rejected',
        retryable: result?.status === 'rejected' ? result.retryable === true : true,
        message: typeof result?.message === 'string' ? result.message : ''
    };
    if (typeof result?.retryAfterMs === 'number' && result.retryAfterMs > 0)
        rejected.retryAfterMs = result.retryAfterMs;
    // e.g. interaction-not-issued: the outbox keeps the log without sending it again by itself
    if (typeof result?.code === 'string' && result.code !== '') rejected.code = result.code;
    return rejected;
}

function text(value: unknown): string {
    return typeof value === 'string' ? value : '';
}

function withoutNulls<T extends Record<string, unknown>>(value: T): Partial<T> {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value))
        if (field !== null && field !== undefined) copy[key] = field;
    return copy as Partial<T>;
}

/** Apex deserialises `undefined` poorly in nested objects: send only the fields that are set. */
function withoutUndefined(entry: CallLogEntry): Record<string, unknown> {
    return withoutNulls(entry as unknown as Record<string, unknown>);
}
