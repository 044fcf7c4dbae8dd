/**
 * The handlers of every operation of `docs/contact-centre-api.yaml`, keyed by operationId. They run
 * after the server has authenticated the request and validated its parameters and body against the
 * document, so they only deal with the business rules.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../phone-core/src/util/clock';
import { AcdError, type Acd } from '../acd/acd';
import { CallbackError, CallbackState, type CallbackQueue } from '../acd/callback-queue';
import { isAgentStatusName } from '../acd/agent-status';
import type { SimulatorConfig } from '../config';
import { ApiError } from '../http/problem';
import type { ApiResult, OperationHandler, RequestContext } from '../http/context';
import {
    blockingProblems,
    configurationProblems,
    type Agent,
    type IntegrationSettings,
    type Tenant
} from '../model';
import type { RecordingFiles } from '../recording/wav';
import { RecordingControlError, type RecordingControls } from '../recording/recording-control';
import type { Store } from '../store/store';
import {
    agentToApi,
    assignmentToApi,
    callToApi,
    campaignToApi,
    iso,
    licenceToApi,
    queueToApi,
    queuedCallbackToApi,
    recordingToApi,
    statusToApi
} from './mappers';
import { rejoinUri } from '../sip/directory';
import { verifyInteractions } from '../acd/interaction-verification';
import { ephemeralCredentials } from './sip-credentials';
import { signPath } from './url-signing';

/** What the handlers work with. */
export interface OperationDeps {
    store: Store;
    acd: Acd;
    clock: Clock;
    config: SimulatorConfig;
    recordings: RecordingFiles;
    apiVersion: string;
    /** Pause / resume / stop of call recordings (F21). */
    recordingControls: RecordingControls;
    /** Queued callbacks (issue 15 point 4). */
    callbacks: CallbackQueue;
}

const DEFAULT_LIMIT = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Maps an ACD refusal to its HTTP status. */
export function acdErrorToApi(error: AcdError): ApiError {
    const status: Record<AcdError['code'], number> = {
        'not-found': 404,
        'validation-failed': 422,
        'illegal-status-transition': 409,
        'call-in-progress': 409,
        'call-not-pending': 409,
        'agent-cannot-work': 409,
        'no-seat': 403,
        'licence-limit-exceeded': 403
    };
    return new ApiError(status[error.code], error.code, error.message, error.extra);
}

function acd<T>(action: () => T): T {
    try {
        return action();
    } catch (error) {
        if (error instanceof AcdError) throw acdErrorToApi(error);
        throw error;
    }
}

function tenantOf(context: RequestContext): Tenant {
    if (!context.tenant) throw new Error(`${context.operationId} ran without a tenant`);
    return context.tenant;
}

/**
 * Whether an Accept header takes `mediaType` (a recording is served as it was stored: WAV for the
 * synthetic placeholder, WebM for a customer-side recording); `audio/x-wav` counts as WAV.
 */
export function acceptsMediaType(accept: string, mediaType: string): boolean {
    const wanted = accept
        .split(',')
        .map((part) => part.split(';')[0]!.trim().toLowerCase())
        .map((type) => (type === 'audio/x-wav' || type === 'audio/wave' ? 'audio/wav' : type));
    return wanted.some((type) => type === '*/*' || type === 'audio/*' || type === mediaType);
}

function encodeCursor(value: Record<string, unknown>): string {
    return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor(cursor: unknown): Record<string, unknown> | undefined {
    if (cursor === undefined) return undefined;
    try {
        const value: unknown = JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8'));
        if (value !== null && typeof value === 'object' && !Array.isArray(value))
            return value as Record<string, unknown>;
    } catch {
        // fall through
    }
    throw new ApiError(400, 'invalid-cursor', 'The cursor is not one this API returned.', {
        errors: [{ pointer: '#/query/cursor', detail: 'unknown cursor' }]
    });
}

/** Pages a list ordered by id with an `{ a: <last id> }` cursor. */
function pageById<T extends { id: string }, J>(items: T[], context: RequestContext, map: (item: T) => J) {
    const limit = (context.query.limit as number | undefined) ?? DEFAULT_LIMIT;
    const cursor = decodeCursor(context.query.cursor);
    const after = typeof cursor?.a === 'string' ? cursor.a : undefined;
    if (cursor && after === undefined)
        throw new ApiError(400, 'invalid-cursor', 'The cursor is not one this API returned.');
    const rest = after === undefined ? items : items.filter((item) => item.id > after);
    const page = rest.slice(0, limit);
    return {
        items: page.map(map),
        nextCursor: rest.length > limit ? encodeCursor({ a: page[page.length - 1]!.id }) : null
    };
}

function notFound(what: string, id: string): ApiError {
    return new ApiError(404, 'not-found', `${what} "${id}" does not exist.`);
}

function validation(errors: { pointer: string; detail: string }[]): ApiError {
    return new ApiError(422, 'validation-failed', errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '), {
        errors
    });
}

/** Runs a callback-queue action, mapping its refusal to the API's problem. */
function callbackCall<T>(action: () => T): T {
    try {
        return action();
    } catch (error) {
        if (!(error instanceof CallbackError)) throw error;
        if (error.code === 'not-found') throw new ApiError(404, 'not-found', error.message);
        if (error.code === 'validation-failed')
            throw validation([{ pointer: error.pointer ?? '', detail: error.message }]);
        throw new ApiError(409, error.code, error.message);
    }
}

/** Builds the handler of every operation. */
export function createOperationHandlers(deps: OperationDeps): Record<string, OperationHandler> {
    const { store, clock, config } = deps;

    const isLicensed = (agent: Agent): boolean => store.getAssignment(agent.tenantId, agent.id) !== undefined;
    const agentJson = (tenant: Tenant, agent: Agent) => agentToApi(agent, isLicensed(agent), tenant.adminUrl);
    const requireAgent = (tenant: Tenant, agentId: string): Agent => {
        const agent = store.getAgent(tenant.id, agentId);
        if (!agent) throw notFound('Agent', agentId);
        return agent;
    };
    const callJson = (tenantId: string, interactionId: string, baseUrl: string) => {
        const record = deps.acd.call(tenantId, interactionId);
        if (!record) throw notFound('Call', interactionId);
        const recording = record.recordingId ? store.getRecording(tenantId, record.recordingId) : undefined;
        return callToApi(record, recording, baseUrl, store);
    };
    const ok = (body: unknown): ApiResult => ({ status: 200, body });

    return {
        getHealth: () => ok({ status: 'ok', apiVersion: deps.apiVersion, time: iso(clock.now()) }),

        testConnection: (context) => {
            const tenant = tenantOf(context);
            return ok({
                tenantId: tenant.id,
                tenantName: tenant.name,
                environment: tenant.environment,
                apiVersion: deps.apiVersion,
                serverTime: iso(clock.now()),
                ...(context.adminLogin
                    ? { adminLogin: context.adminLogin.sent, adminLoginValid: context.adminLogin.valid }
                    : {}),
                adminUrl: tenant.adminUrl
            });
        },

        listAgents: (context) => {
            const tenant = tenantOf(context);
            const salesforceUserId = context.query.salesforceUserId as string | undefined;
            const ssoId = (context.query.ssoId as string | undefined)?.toLowerCase();
            const agents = store
                .listAgents(tenant.id, {
                    emails: context.query.email as string[] | undefined,
                    active: context.query.active as boolean | undefined
                })
                .filter(
                    (agent) =>
                        (salesforceUserId === undefined ||
                            agent.salesforceUserId?.slice(0, 15) === salesforceUserId.slice(0, 15)) &&
                        (ssoId === undefined || agent.ssoId?.toLowerCase() === ssoId)
                );
            return ok(pageById(agents, context, (agent) => agentJson(tenant, agent)));
        },

        findAgentByEmail: (context) => {
            const tenant = tenantOf(context);
            const agent = store.findAgentByEmail(tenant.id, context.path.email!);
            if (!agent)
                throw new ApiError(404, 'not-found', `No agent has the e-mail "${context.path.email}".`);
            return ok(agentJson(tenant, agent));
        },

        getAgent: (context) => {
            const tenant = tenantOf(context);
            return ok(agentJson(tenant, requireAgent(tenant, context.path.agentId!)));
        },

        provisionAgent: (context) => {
            const tenant = tenantOf(context);
            const body = context.body as {
                email: string;
                firstName: string;
                lastName: string;
                ssoId?: string;
                salesforceUserId?: string;
                extension?: string;
            };
            const existing = store.findAgentByEmail(tenant.id, body.email);
            if (existing) {
                throw new ApiError(
                    409,
                    'email-taken',
                    `The e-mail "${body.email}" belongs to agent ${existing.id}.`,
                    {
                        existingAgentId: existing.id
                    }
                );
            }
            const agents = store.listAgents(tenant.id);
            if (body.extension && agents.some((agent) => agent.extension === body.extension)) {
                throw new ApiError(409, 'extension-taken', `Extension ${body.extension} is in use.`);
            }
            const extension =
                body.extension ??
                String(
                    Math.max(
                        99,
                        ...agents.map((agent) => Number(agent.extension ?? 0)).filter(Number.isFinite)
                    ) + 1
                );
            const now = clock.now();
            const id = `agt-${randomBytes(6).toString('hex')}`;
            const agent: Agent = {
                id,
                tenantId: tenant.id,
                email: body.email,
                firstName: body.firstName,
                lastName: body.lastName,
                login: body.email.split('@')[0]!.toLowerCase(),
                ssoId: body.ssoId ?? body.email,
                salesforceUserId: body.salesforceUserId ?? null,
                pbxUser: true,
                active: true,
                phoneType: 'webphone',
                extension,
                lines: [{ id: `line-${id}-1`, label: 'WebRTC', number: extension, kind: 'webrtc' }],
                outboundNumber: null,
                presentation: null,
                createdAt: now,
                updatedAt: now
            };
            store.putAgent(agent);
            return { status: 201, body: agentJson(tenant, agent), headers: { Location: `/v1/agents/${id}` } };
        },

        deactivateAgent: (context) => {
            const tenant = tenantOf(context);
            const agent = requireAgent(tenant, context.path.agentId!);
            if (!agent.active) return ok(agentJson(tenant, agent));
            // An inactive agent cannot work, so it must not hold one of the seats bought.
            store.deleteAssignment(tenant.id, agent.id);
            const deactivated: Agent = { ...agent, active: false, updatedAt: clock.now() };
            store.putAgent(deactivated);
            return ok(agentJson(tenant, deactivated));
        },

        createWebRtcSession: (context) => {
            const tenant = tenantOf(context);
            const agent = requireAgent(tenant, context.path.agentId!);
            acd(() => deps.acd.assertCanWork(agent));
            const expiresAt = clock.now() + config.sip.ttlSeconds * 1000;
            const credentials = ephemeralCredentials(config.sip.secret, agent.id, expiresAt);
            return {
                status: 201,
                body: {
                    agentId: agent.id,
                    wssUrl: config.sip.wssUrl,
                    sipUri: `sip:${agent.id}@${config.sip.domain}`,
                    displayName: `${agent.firstName} ${agent.lastName}`,
                    authorizationUsername: credentials.username,
                    authorizationPassword: credentials.password,
                    expiresAt: iso(expiresAt),
                    iceServers: config.sip.iceServers
                }
            };
        },

        listAgentInteractions: (context) => {
            const tenant = tenantOf(context);
            const agent = requireAgent(tenant, context.path.agentId!);
            const records = acd(() => deps.acd.agentInteractions(tenant.id, agent.id));
            return ok({
                items: records.slice(0, 10).map((record) => ({
                    interactionId: record.interactionId,
                    direction: record.direction,
                    callerNumber: record.callerNumber,
                    calleeNumber: record.calleeNumber,
                    campaignId: record.campaignId,
                    campaignName: record.campaignName,
                    offeredAt: iso(record.offeredAt),
                    answeredAt: iso(record.answeredAt!),
                    rejoinUri: rejoinUri(record.interactionId, config.sip.domain)
                }))
            });
        },

        verifyAgentInteractions: (context) => {
            const tenant = tenantOf(context);
            const agent = requireAgent(tenant, context.path.agentId!);
            const body = context.body as { interactionIds: string[]; sipCallIds?: string[] };
            const answers = verifyInteractions(
                {
                    byInteractionId: (id) => deps.acd.call(tenant.id, id),
                    candidatesForSipCalls: () => [
                        ...deps.acd.activeCalls().filter((record) => record.tenantId === tenant.id),
                        ...store.listEndedCalls(tenant.id, { since: clock.now() - 7 * DAY_MS, limit: 5000 })
                    ]
                },
                agent.id,
                body.interactionIds,
                body.sipCallIds ?? []
            );
            return ok({ agentId: agent.id, ...answers });
        },

        getAgentStatus: (context) => {
            const tenant = tenantOf(context);
            return ok(statusToApi(acd(() => deps.acd.status(tenant.id, context.path.agentId!))));
        },

        setAgentStatus: (context) => {
            const tenant = tenantOf(context);
            const body = context.body as { status: string; pauseReasonId?: string; campaignId?: string };
            if (!isAgentStatusName(body.status))
                throw validation([{ pointer: '/status', detail: 'unknown status' }]);
            const request = {
                status: body.status,
                pauseReasonId: body.pauseReasonId,
                campaignId: body.campaignId
            };
            return ok(statusToApi(acd(() => deps.acd.setStatus(tenant.id, context.path.agentId!, request))));
        },

        listPauseReasons: (context) => {
            const tenant = tenantOf(context);
            return ok({
                items: store
                    .listPauseReasons(tenant.id)
                    .map((reason) => ({ id: reason.id, name: reason.name, maxSeconds: reason.maxSeconds }))
            });
        },

        listCampaigns: (context) => {
            const tenant = tenantOf(context);
            return ok(
                pageById(store.listCampaigns(tenant.id), context, (c) => campaignToApi(c, tenant.adminUrl))
            );
        },

        getCampaign: (context) => {
            const tenant = tenantOf(context);
            const campaign = store.getCampaign(tenant.id, context.path.campaignId!);
            if (!campaign) throw notFound('Campaign', context.path.campaignId!);
            return ok(campaignToApi(campaign, tenant.adminUrl));
        },

        listQueues: (context) => {
            const tenant = tenantOf(context);
            return ok(
                pageById(store.listQueues(tenant.id), context, (queue) =>
                    queueToApi(queue, deps.acd.queueCounters(tenant.id, queue.id), config, tenant.adminUrl)
                )
            );
        },

        getQueue: (context) => {
            const tenant = tenantOf(context);
            const queue = store.getQueue(tenant.id, context.path.queueId!);
            if (!queue) throw notFound('Queue', context.path.queueId!);
            return ok(
                queueToApi(queue, deps.acd.queueCounters(tenant.id, queue.id), config, tenant.adminUrl)
            );
        },

        listCalls: (context) => {
            const tenant = tenantOf(context);
            const limit = (context.query.limit as number | undefined) ?? DEFAULT_LIMIT;
            const cursor = decodeCursor(context.query.cursor);
            let after: { endedAt: number; id: string } | undefined;
            if (cursor) {
                if (typeof cursor.e !== 'number' || typeof cursor.i !== 'string') {
                    throw new ApiError(400, 'invalid-cursor', 'The cursor is not one this API returned.');
                }
                after = { endedAt: cursor.e, id: cursor.i };
            }
            const since = context.query.since
                ? Date.parse(String(context.query.since))
                : clock.now() - DAY_MS;
            const until = context.query.until ? Date.parse(String(context.query.until)) : undefined;
            const records = store.listEndedCalls(tenant.id, {
                since,
                until,
                agentId: context.query.agentId as string | undefined,
                direction: context.query.direction as 'inbound' | 'outbound' | undefined,
                outcome: context.query.outcome as never,
                after,
                limit: limit + 1
            });
            const page = records.slice(0, limit);
            const last = page[page.length - 1];
            return ok({
                items: page.map((record) =>
                    callToApi(
                        record,
                        record.recordingId ? store.getRecording(tenant.id, record.recordingId) : undefined,
                        context.baseUrl,
                        store
                    )
                ),
                nextCursor:
                    records.length > limit && last
                        ? encodeCursor({ e: last.endedAt, i: last.interactionId })
                        : null
            });
        },

        getCall: (context) =>
            ok(callJson(tenantOf(context).id, context.path.interactionId!, context.baseUrl)),

        createCallback: (context) => {
            const tenant = tenantOf(context);
            const body = context.body as {
                phoneNumber: string;
                campaignId: string;
                queueId?: string | null;
                dueAt?: string | null;
                originalInteractionId?: string | null;
                relatedRecordId?: string | null;
                callbackTaskId?: string | null;
                note?: string | null;
                maxAttempts?: number;
                retryDelaySeconds?: number;
            };
            const dueAt = body.dueAt ? Date.parse(body.dueAt) : null;
            if (dueAt !== null && !Number.isFinite(dueAt))
                throw validation([{ pointer: '/dueAt', detail: 'not a date-time' }]);
            const callback = callbackCall(() => deps.callbacks.create(tenant.id, { ...body, dueAt }));
            return {
                status: 201,
                body: queuedCallbackToApi(callback),
                headers: { Location: `/v1/callbacks/${callback.id}` }
            };
        },

        listCallbacks: (context) => {
            const tenant = tenantOf(context);
            const state = context.query.state as CallbackState | undefined;
            return ok(
                pageById(
                    deps.callbacks.list(tenant.id, state ? [state] : undefined),
                    context,
                    queuedCallbackToApi
                )
            );
        },

        getCallback: (context) => {
            const tenant = tenantOf(context);
            const callback = deps.callbacks.get(tenant.id, context.path.callbackId!);
            if (!callback) throw notFound('Callback', context.path.callbackId!);
            return ok(queuedCallbackToApi(callback));
        },

        cancelCallback: (context) => {
            const tenant = tenantOf(context);
            return ok(
                queuedCallbackToApi(
                    callbackCall(() => deps.callbacks.cancel(tenant.id, context.path.callbackId!))
                )
            );
        },

        attachIvrData: (context) => {
            const tenant = tenantOf(context);
            const interactionId = context.path.interactionId!;
            acd(() => deps.acd.attachIvrData(tenant.id, interactionId, context.body as never));
            return ok(callJson(tenant.id, interactionId, context.baseUrl));
        },

        controlRecording: (context) => {
            const tenant = tenantOf(context);
            const interactionId = context.path.interactionId!;
            const body = context.body as {
                action: 'pause' | 'resume' | 'stop';
                reason: never;
                agentId: string;
            };
            const record = deps.acd.call(tenant.id, interactionId);
            if (!record) throw notFound('Call', interactionId);
            if (record.answeredAt === null || record.endedAt !== null)
                throw new ApiError(
                    409,
                    'call-not-active',
                    `Call "${interactionId}" is not answered or has ended.`
                );
            if (record.agentId !== body.agentId)
                throw new ApiError(
                    403,
                    'not-your-call',
                    `Call "${interactionId}" is not agent ${body.agentId}'s call.`
                );
            try {
                return ok(deps.recordingControls.apply(tenant.id, interactionId, body.action, body.reason));
            } catch (error) {
                if (error instanceof RecordingControlError)
                    throw new ApiError(409, error.code, error.message);
                throw error;
            }
        },

        getRecording: (context) => {
            const tenant = tenantOf(context);
            const recording = store.getRecording(tenant.id, context.path.recordingId!);
            if (!recording) throw notFound('Recording', context.path.recordingId!);
            return ok(recordingToApi(recording, context.baseUrl));
        },

        getRecordingAudio: (context) => {
            const id = context.path.recordingId!;
            const recording = context.signed
                ? store.getRecordingById(id)
                : store.getRecording(tenantOf(context).id, id);
            if (!recording) throw notFound('Recording', id);
            const accept = String(context.headers.accept ?? '*/*').toLowerCase();
            if (!acceptsMediaType(accept, recording.contentType)) {
                throw new ApiError(
                    406,
                    'not-acceptable',
                    `This recording is ${recording.contentType}; Accept was "${accept}".`
                );
            }
            const data = deps.recordings.read(recording.file);
            if (!data)
                throw new ApiError(
                    404,
                    'not-found',
                    `The audio of recording "${id}" is no longer available.`
                );
            return { status: 200, binary: { contentType: recording.contentType, data } };
        },

        getRecordingSignedUrl: (context) => {
            const tenant = tenantOf(context);
            const id = context.path.recordingId!;
            if (!store.getRecording(tenant.id, id)) throw notFound('Recording', id);
            const ttlSeconds = (context.query.ttlSeconds as number | undefined) ?? 300;
            const expires = Math.floor(clock.now() / 1000) + ttlSeconds;
            const pathname = `/v1/recordings/${encodeURIComponent(id)}/audio`;
            return ok({
                url: `${context.baseUrl}${pathname}?${signPath(config.urlSigningSecret, pathname, expires)}`,
                expiresAt: iso(expires * 1000)
            });
        },

        getLicences: (context) => {
            const tenant = tenantOf(context);
            const licence = store.getLicence(tenant.id) ?? {
                tenantId: tenant.id,
                product: 'salesforce-webphone',
                seatsBought: 0,
                validUntil: null
            };
            const assignments = store
                .listAssignments(tenant.id)
                .map((assignment) =>
                    assignmentToApi(assignment, store.getAgent(tenant.id, assignment.agentId))
                );
            return ok(licenceToApi(licence, assignments));
        },

        assignLicence: (context) => {
            const tenant = tenantOf(context);
            const { agentId } = context.body as { agentId: string };
            const agent = requireAgent(tenant, agentId);
            const existing = store.getAssignment(tenant.id, agentId);
            if (existing) return ok(assignmentToApi(existing, agent));
            const blocking = blockingProblems(agent);
            if (blocking.length > 0) {
                throw new ApiError(
                    422,
                    'agent-not-eligible',
                    `Agent ${agentId} cannot get a seat: ${blocking.join(', ')}.`,
                    {
                        configurationProblems: configurationProblems(agent).filter((p) =>
                            blocking.includes(p.code)
                        )
                    }
                );
            }
            const seatsBought = store.getLicence(tenant.id)?.seatsBought ?? 0;
            const used = store.listAssignments(tenant.id).length;
            if (used >= seatsBought) {
                throw new ApiError(
                    409,
                    'no-free-seat',
                    `All ${seatsBought} seats are in use; remove one or buy more.`
                );
            }
            const assignment = { tenantId: tenant.id, agentId, assignedAt: clock.now() };
            store.putAssignment(assignment);
            return {
                status: 201,
                body: assignmentToApi(assignment, agent),
                headers: { Location: `/v1/licences/assignments/${encodeURIComponent(agentId)}` }
            };
        },

        removeLicence: (context) => {
            const tenant = tenantOf(context);
            const agentId = context.path.agentId!;
            if (!store.deleteAssignment(tenant.id, agentId)) {
                throw new ApiError(404, 'not-found', `Agent "${agentId}" has no seat.`);
            }
            return { status: 204 };
        },

        getIntegrationSettings: (context) => ok(tenantOf(context).settings),

        updateIntegrationSettings: (context) => {
            const tenant = tenantOf(context);
            const settings = context.body as IntegrationSettings;
            const errors: { pointer: string; detail: string }[] = [];
            if (settings.defaultAgentId && !store.getAgent(tenant.id, settings.defaultAgentId)) {
                errors.push({
                    pointer: '/defaultAgentId',
                    detail: `unknown agent "${settings.defaultAgentId}"`
                });
            }
            if (settings.outsideCampaignId && !store.getCampaign(tenant.id, settings.outsideCampaignId)) {
                errors.push({
                    pointer: '/outsideCampaignId',
                    detail: `unknown campaign "${settings.outsideCampaignId}"`
                });
            }
            settings.syncCampaignIds.forEach((id, index) => {
                if (!store.getCampaign(tenant.id, id))
                    errors.push({ pointer: `/syncCampaignIds/${index}`, detail: `unknown campaign "${id}"` });
            });
            if (errors.length > 0) throw validation(errors);
            const updated: Tenant = {
                ...tenant,
                settings: { ...settings, syncCampaignIds: [...settings.syncCampaignIds] }
            };
            store.putTenant(updated);
            return ok(updated.settings);
        }
    };
}
