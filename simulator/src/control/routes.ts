/**
 * The `/_sim` control API: not part of the contact centre's contract, for tests, e2e runs and the
 * customer page's recording uploads. No authentication (the simulator listens on 127.0.0.1 only).
 *
 * | route | what |
 * |---|---|
 * | `GET /_sim` | this list and the seeded credentials |
 * | `GET /_sim/state` | tenants, every agent's status, calls in progress, calls ringing, clock |
 * | `POST /_sim/calls` | a caller dials in: `{tenantId?, campaignId?, queueId?, callerNumber, calleeNumber?, displayName?, ivrCode?, ivrDigits?, ivrData?, holdInIvr?}` |
 * | `POST /_sim/calls/outbound` | an agent dials out: `{tenantId?, agentId, calleeNumber, campaignId?, result?: ringing/answered/busy/no-answer/failed}` |
 * | `GET /_sim/calls/{id}` | a call (any tenant) |
 * | `POST /_sim/calls/{id}/answer` `/reject` | the ringing agent answers / declines: `{agentId?}` |
 * | `POST /_sim/calls/{id}/hangup` | `{by: caller/customer/callee/agent}` |
 * | `POST /_sim/calls/{id}/transfer` | the IVR hands the call to its queue |
 * | `POST /_sim/calls/{id}/progress` | outbound: `{result: answered/busy/no-answer/failed}` |
 * | `GET /_sim/events?after=&type=&interactionId=&agentId=` | the event log |
 * | `GET/POST/DELETE /_sim/faults` | list / queue / clear injected faults (see http/faults.ts) |
 * | `POST /_sim/clock/advance` | `{ms}`: move a manual clock |
 * | `PATCH /_sim/agents/{id}` | change `{pbxUser, active, outboundNumber, presentation, phoneType, extension}` |
 * | `PUT /_sim/tenants/{id}/licence` | `{seatsBought}` |
 * | `PATCH /_sim/campaigns/{id}` | `{tenantId?, queuedCallbacks}`: queued callbacks on or off (acd/callback-queue.ts) |
 * | `POST /_sim/push/flush` | wait for pushes to Salesforce in flight |
 * | `GET/PUT /_sim/conversations` | how the next recorded calls' conversations are sent (F22): `{mode: normal/empty/oversized/late/off, delayMs?}`; GET adds `held` |
 * | `POST /_sim/conversations/{id}/send` | send a held (`late`) conversation now |
 * | `POST /_sim/conversations/flush` | wait for conversations in flight (their waits run on the simulator's clock; held ones not) |
 * | `PUT /_sim/recordings/by-call-id/{callId}` `/by-interaction/{id}` | a customer-side recording (see recordings.ts) |
 * | `GET /_sim/recordings/{recordingId}` | a recording's metadata with its `source` |
 */
import type * as http from 'node:http';
import type { Clock } from '../../../phone-core/src/util/clock';
import { AcdError, type Acd } from '../acd/acd';
import type { EventLog } from '../acd/events';
import { SignallingStateError, type InMemorySignalling } from '../acd/in-memory-signalling';
import type { HangupParty, OutgoingProgress } from '../acd/signalling';
import { callToApi, iso, statusToApi } from '../api/mappers';
import { acdErrorToApi } from '../api/operations';
import { checkFaultSpec, type FaultInjector, type FaultSpec } from '../http/faults';
import { ApiError } from '../http/problem';
import { readBody } from '../http/request';
import type { Agent } from '../model';
import type { CallRecordPusher } from '../push/call-record-push';
import type { ConversationMode, ConversationPusher } from '../push/conversation-push';
import type { RecordingLibrary } from '../recording/library';
import type { RecordingControls } from '../recording/recording-control';
import { SEED } from '../store/seed';
import type { Store } from '../store/store';
import { ManualClock } from '../util/manual-clock';
import { createRecordingRoutes } from './recordings';

/** What the control API works with. */
export interface ControlDeps {
    store: Store;
    acd: Acd;
    clock: Clock;
    events: EventLog;
    faults: FaultInjector;
    inMemory: InMemorySignalling | null;
    pusher: () => CallRecordPusher | null;
    /** The conversation push (F22), when pushing to Salesforce. */
    conversations?: () => ConversationPusher | null;
    baseUrl: () => string;
    /** Customer-side recordings (uploads from the customer page). */
    recordings: RecordingLibrary;
    /** Recording pause / resume / stop per call (the customer page's recorder follows it). */
    recordingControls?: RecordingControls;
    /** The interaction of a SIP Call-ID, when the signalling is SIP. */
    interactionOfCallId?: (callId: string) => string | undefined;
    sendJson(response: http.ServerResponse, status: number, body: unknown): void;
    sendProblem(response: http.ServerResponse, error: ApiError, instance: string, requestId: string): void;
}

type Body = Record<string, unknown>;

function str(body: Body, name: string, required = false): string | undefined {
    const value = body[name];
    if (value === undefined || value === null) {
        if (required) throw new ApiError(422, 'validation-failed', `${name} is required`);
        return undefined;
    }
    if (typeof value !== 'string') throw new ApiError(422, 'validation-failed', `${name} must be a string`);
    return value;
}

/** A tick for promise callbacks (an answer settles the ACD's offer asynchronously). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Builds the `/_sim` request handler. */
export function createControlHandler(deps: ControlDeps) {
    const { store, acd, events, faults } = deps;

    function requireSignalling(): InMemorySignalling {
        if (!deps.inMemory)
            throw new ApiError(409, 'call-not-pending', 'Simulated answers need the in-memory signalling.');
        return deps.inMemory;
    }

    function callJson(tenantId: string, interactionId: string) {
        const record = acd.call(tenantId, interactionId);
        if (!record) throw new ApiError(404, 'not-found', `Call ${interactionId} does not exist.`);
        const recording = record.recordingId ? store.getRecording(tenantId, record.recordingId) : undefined;
        return callToApi(record, recording, deps.baseUrl(), store);
    }

    function findCallTenant(interactionId: string): string {
        for (const tenant of store.listTenants()) if (acd.call(tenant.id, interactionId)) return tenant.id;
        throw new ApiError(404, 'not-found', `Call ${interactionId} does not exist.`);
    }

    const recordingRoutes = createRecordingRoutes({
        store,
        recordings: deps.recordings,
        recordingControls: deps.recordingControls,
        interactionOfCallId: deps.interactionOfCallId,
        tenantOfCall: findCallTenant
    });

    function findAgent(agentId: string): Agent {
        for (const tenant of store.listTenants()) {
            const agent = store.getAgent(tenant.id, agentId);
            if (agent) return agent;
        }
        throw new ApiError(404, 'not-found', `Agent ${agentId} does not exist.`);
    }

    function state() {
        const tenants = store.listTenants();
        return {
            clock: { now: iso(deps.clock.now()), manual: deps.clock instanceof ManualClock },
            tenants: tenants.map((tenant) => ({
                id: tenant.id,
                name: tenant.name,
                environment: tenant.environment,
                apiKey: tenant.apiKey,
                adminLogins: tenant.adminLogins,
                agents: store.listAgents(tenant.id).map((agent) => ({
                    id: agent.id,
                    email: agent.email,
                    displayName: `${agent.firstName} ${agent.lastName}`,
                    ...statusToApi(acd.status(tenant.id, agent.id))
                }))
            })),
            calls: acd.activeCalls().map((record) => callJson(record.tenantId, record.interactionId)),
            ringing:
                deps.inMemory?.ringing().map(({ interactionId, agentId }) => ({ interactionId, agentId })) ??
                []
        };
    }

    async function route(method: string, parts: string[], body: Body, url: URL): Promise<[number, unknown]> {
        const [first, second, third] = parts;
        if (parts.length === 0 && method === 'GET') {
            return [
                200,
                { about: 'Simulator control API (see simulator/README.md)', seed: SEED, state: '/_sim/state' }
            ];
        }
        if (first === 'state' && parts.length === 1 && method === 'GET') return [200, state()];

        if (first === 'calls') {
            if (parts.length === 1 && method === 'POST') {
                // Any caller ID is accepted as the network would deliver it (anonymous, 10 kB, HTML...).
                const callerNumber = str(body, 'callerNumber') ?? null;
                const tenantId = str(body, 'tenantId') ?? SEED.test.tenantId;
                const ivrData =
                    body.ivrData && typeof body.ivrData === 'object'
                        ? (body.ivrData as Record<string, string>)
                        : undefined;
                const id = requireSignalling().placeCall({
                    tenantId,
                    callerNumber,
                    callerName: str(body, 'displayName') ?? null,
                    calleeNumber: str(body, 'calleeNumber') ?? null,
                    campaignId: str(body, 'campaignId') ?? null,
                    queueId: str(body, 'queueId') ?? null,
                    ivr: {
                        digits: str(body, 'ivrDigits') ?? null,
                        caseCode: str(body, 'ivrCode') ?? null,
                        data: ivrData ?? {}
                    },
                    holdInIvr: body.holdInIvr === true
                });
                await settle();
                return [201, callJson(tenantId, id)];
            }
            if (second === 'outbound' && parts.length === 2 && method === 'POST') {
                const agent = findAgent(str(body, 'agentId', true)!);
                const signalling = requireSignalling();
                const id = signalling.dial({
                    tenantId: agent.tenantId,
                    agentId: agent.id,
                    calleeNumber: str(body, 'calleeNumber', true)!,
                    campaignId: str(body, 'campaignId') ?? null
                });
                const result = str(body, 'result') ?? 'answered';
                if (result !== 'ringing') signalling.progress(id, result as OutgoingProgress);
                return [201, callJson(agent.tenantId, id)];
            }
            if (second && parts.length === 2 && method === 'GET')
                return [200, callJson(findCallTenant(second), second)];
            if (second && parts.length === 3 && method === 'POST') {
                const tenantId = findCallTenant(second);
                const signalling = requireSignalling();
                switch (third) {
                    case 'answer':
                        signalling.answer(second, str(body, 'agentId'));
                        break;
                    case 'reject':
                        signalling.reject(second, str(body, 'agentId'));
                        break;
                    case 'hangup': {
                        const by = str(body, 'by') ?? 'caller';
                        if (!['caller', 'customer', 'callee', 'agent'].includes(by)) {
                            throw new ApiError(
                                422,
                                'validation-failed',
                                'by must be caller, customer, callee or agent'
                            );
                        }
                        signalling.hangupFrom(second, (by === 'agent' ? 'agent' : 'customer') as HangupParty);
                        break;
                    }
                    case 'transfer':
                        signalling.transferFromIvr(second);
                        break;
                    case 'progress': {
                        const result = str(body, 'result', true)!;
                        if (!['answered', 'busy', 'no-answer', 'failed'].includes(result)) {
                            throw new ApiError(
                                422,
                                'validation-failed',
                                'result must be answered, busy, no-answer or failed'
                            );
                        }
                        signalling.progress(second, result as OutgoingProgress);
                        break;
                    }
                    default:
                        throw new ApiError(404, 'not-found', `No control action "${third}".`);
                }
                await settle();
                return [200, callJson(tenantId, second)];
            }
        }

        if (first === 'events' && parts.length === 1 && method === 'GET') {
            const after = Number(url.searchParams.get('after') ?? 0) || 0;
            return [
                200,
                {
                    items: events
                        .list(after, {
                            type: url.searchParams.get('type') ?? undefined,
                            interactionId: url.searchParams.get('interactionId') ?? undefined,
                            agentId: url.searchParams.get('agentId') ?? undefined
                        })
                        .map((event) => ({ ...event, at: iso(event.at) }))
                }
            ];
        }

        if (first === 'faults' && parts.length === 1) {
            if (method === 'GET') return [200, { items: faults.list() }];
            if (method === 'DELETE') {
                faults.clear();
                return [200, { items: [] }];
            }
            if (method === 'POST') {
                const problem = checkFaultSpec(body);
                if (problem) throw new ApiError(422, 'validation-failed', problem);
                return [201, faults.add(body as unknown as FaultSpec)];
            }
        }

        if (first === 'clock' && second === 'advance' && method === 'POST') {
            if (!(deps.clock instanceof ManualClock)) {
                throw new ApiError(
                    409,
                    'call-not-pending',
                    'The clock is the system clock; start with --manual-clock.'
                );
            }
            const ms = body.ms;
            if (typeof ms !== 'number' || ms < 0)
                throw new ApiError(422, 'validation-failed', 'ms must be a number >= 0');
            deps.clock.advance(ms);
            await settle();
            return [200, { now: iso(deps.clock.now()) }];
        }

        if (first === 'agents' && second && parts.length === 2 && method === 'PATCH') {
            const agent = { ...findAgent(second) };
            for (const name of ['pbxUser', 'active'] as const) {
                if (body[name] !== undefined) {
                    if (typeof body[name] !== 'boolean')
                        throw new ApiError(422, 'validation-failed', `${name} must be a boolean`);
                    agent[name] = body[name];
                }
            }
            for (const name of ['outboundNumber', 'presentation', 'extension'] as const) {
                if (body[name] !== undefined) {
                    if (body[name] !== null && typeof body[name] !== 'string') {
                        throw new ApiError(422, 'validation-failed', `${name} must be a string or null`);
                    }
                    agent[name] = body[name];
                }
            }
            if (body.phoneType !== undefined) {
                if (!['webphone', 'softphone', 'hardphone'].includes(String(body.phoneType))) {
                    throw new ApiError(
                        422,
                        'validation-failed',
                        'phoneType must be webphone, softphone or hardphone'
                    );
                }
                agent.phoneType = body.phoneType as Agent['phoneType'];
            }
            agent.updatedAt = deps.clock.now();
            store.putAgent(agent);
            return [200, agent];
        }

        if (first === 'tenants' && second && third === 'licence' && parts.length === 3 && method === 'PUT') {
            const licence = store.getLicence(second);
            if (!licence) throw new ApiError(404, 'not-found', `Tenant ${second} has no licence.`);
            const seats = body.seatsBought;
            if (!Number.isInteger(seats) || (seats as number) < 0) {
                throw new ApiError(422, 'validation-failed', 'seatsBought must be an integer >= 0');
            }
            const updated = { ...licence, seatsBought: seats as number };
            store.putLicence(updated);
            return [200, updated];
        }

        if (first === 'campaigns' && second && parts.length === 2 && method === 'PATCH') {
            // queued callbacks on or off for a campaign (acd/callback-queue.ts)
            const tenantId = str(body, 'tenantId') ?? SEED.test.tenantId;
            const campaign = store.getCampaign(tenantId, second);
            if (!campaign) throw new ApiError(404, 'not-found', `Campaign ${second} does not exist.`);
            if (typeof body.queuedCallbacks !== 'boolean')
                throw new ApiError(422, 'validation-failed', 'queuedCallbacks must be true or false');
            const updated = { ...campaign, queuedCallbacks: body.queuedCallbacks };
            store.putCampaign(updated);
            return [200, updated];
        }

        if (first === 'push' && second === 'flush' && method === 'POST') {
            const pusher = deps.pusher();
            if (pusher) await pusher.idle();
            return [200, { pushing: pusher !== null }];
        }

        if (first === 'conversations') return conversationRoute(method, parts, body);

        throw new ApiError(404, 'not-found', `No control route ${method} /_sim/${parts.join('/')}.`);
    }

    async function conversationRoute(
        method: string,
        parts: string[],
        body: Body
    ): Promise<[number, unknown]> {
        const conversations = deps.conversations?.();
        if (!conversations)
            throw new ApiError(409, 'push-off', 'Conversations are sent only while pushing to Salesforce.');
        if (parts.length === 1 && method === 'GET')
            return [200, { ...conversations.mode(), held: conversations.heldIds() }];
        if (parts.length === 1 && method === 'PUT') {
            const mode = str(body, 'mode', true) as ConversationMode['mode'];
            if (!['normal', 'empty', 'oversized', 'late', 'off'].includes(mode))
                throw new ApiError(
                    422,
                    'validation-failed',
                    'mode must be normal, empty, oversized, late or off'
                );
            const delayMs = body.delayMs ?? null;
            if (delayMs !== null && (!Number.isInteger(delayMs) || (delayMs as number) < 0))
                throw new ApiError(422, 'validation-failed', 'delayMs must be an integer >= 0');
            conversations.setMode({ mode, delayMs: delayMs as number | null });
            return [200, conversations.mode()];
        }
        if (parts.length === 2 && parts[1] === 'flush' && method === 'POST') {
            await conversations.idle();
            return [200, { held: conversations.heldIds() }];
        }
        if (parts.length === 3 && parts[2] === 'send' && method === 'POST') {
            if (!conversations.release(parts[1]!))
                throw new ApiError(404, 'not-found', `No conversation of ${parts[1]} is held.`);
            return [202, { interactionId: parts[1], status: 'sending' }];
        }
        throw new ApiError(404, 'not-found', `No control route ${method} /_sim/${parts.join('/')}.`);
    }

    return async (
        request: http.IncomingMessage,
        response: http.ServerResponse,
        url: URL,
        requestId: string
    ): Promise<void> => {
        try {
            // Recording uploads are audio, not JSON: their routes read the body themselves.
            const recording = await recordingRoutes(
                request.method ?? 'GET',
                url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent),
                request,
                url
            );
            if (recording) {
                deps.sendJson(response, recording[0], recording[1]);
                return;
            }
            const raw = await readBody(request);
            let body: Body = {};
            if (raw.length > 0) {
                try {
                    const parsed: unknown = JSON.parse(raw.toString('utf8'));
                    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
                        throw new Error('not an object');
                    body = parsed as Body;
                } catch {
                    throw new ApiError(400, 'invalid-json', 'The body must be a JSON object.');
                }
            }
            const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
            const [status, json] = await route(request.method ?? 'GET', parts, body, url);
            deps.sendJson(response, status, json);
        } catch (error) {
            let problem: ApiError;
            if (error instanceof ApiError) problem = error;
            else if (error instanceof AcdError) problem = acdErrorToApi(error);
            else if (error instanceof SignallingStateError)
                problem = new ApiError(409, 'call-not-pending', error.message);
            else throw error;
            deps.sendProblem(response, problem, url.pathname, requestId);
        }
    };
}
