/**
 * The calls the endpoint routes outside the ACD, and the interaction legs they make (transfer-legs.ts):
 *
 * - agent to agent: a consultation, a leg of the interaction when the consulting phone names it;
 * - a customer following a REFER (`X-Transfer-Of: <Call-ID>`): a transfer leg, the interaction's X-CC-* headers
 *   carried over; its answer and end are legs of the interaction's call record (`transferLegAnswered` /
 *   `transferLegEnded`); an attended transfer's INVITE with Replaces is reported by Kamailio
 *   ({@link DirectCalls.replacingTransfer});
 * - a rejoin (B7, a page reload mid-call): the agent's phone dials back into its call and is redirected to the
 *   customer with `Replaces` (see kamailio-signalling.ts).
 */
import type { SignallingListener, TransferLeg } from '../acd/signalling';
import type { AgentEntry } from './directory';
import type { ParkedInvite, ParkedInvites } from './parked-invites';
import { newSipCall, type SipCall, type SipCalls } from './sip-calls';
import { headerSafe, headerValue, type SipRequest } from './sip-message';
import { contactCentreHeaders } from './sip-offer';
import { TransferLegs } from './transfer-legs';

type DirectoryAgent = Pick<AgentEntry, 'agentId' | 'tenantId'>;

/** What the direct calls share with the endpoint. */
export interface DirectCallsContext {
    calls: SipCalls;
    invites: ParkedInvites;
    /** The ACD, once it listens. */
    listener(): SignallingListener | undefined;
    /** Calls the ACD; a refusal is logged, never thrown. */
    report(action: () => void): void;
    log(line: string): void;
}

/** See the module documentation. */
export class DirectCalls {
    private readonly legs = new TransferLegs();
    private readonly legListeners = new Set<(leg: TransferLeg) => void>();

    constructor(private readonly context: DirectCallsContext) {}

    /** {@link CallSignalling.onTransferLeg}. */
    onTransferLeg(listener: (leg: TransferLeg) => void): void {
        this.legListeners.add(listener);
    }

    /**
     * A call to an agent outside the ACD: another agent consulting (a consultation leg when it names an
     * interaction this contact centre knows), or a customer following a REFER (`X-Transfer-Of`: the interaction's
     * X-CC-* headers carried over, a transfer leg).
     */
    route(
        parked: ParkedInvite,
        sipCall: SipCall,
        calleeAgent: DirectoryAgent,
        callerAgent: DirectoryAgent | undefined,
        fromUser: string | undefined
    ): void {
        const transferOf = headerValue(parked.request, 'x-transfer-of');
        const original = transferOf ? this.context.calls.get(transferOf) : undefined;
        if (original?.offered) sipCall.directHeaders = contactCentreHeaders(original.offered);
        if (original?.interactionId)
            sipCall.transfer = { interactionId: original.interactionId, agentId: calleeAgent.agentId };
        sipCall.calleeAgentId = calleeAgent.agentId;
        const leg = this.legOf(parked.request, original, calleeAgent, callerAgent);
        if (leg) {
            if (leg.kind === 'transfer') sipCall.directHeaders.push(['X-CC-Leg-Id', leg.legKey]);
            for (const listener of this.legListeners) this.context.report(() => listener(leg));
        }
        this.context.invites.redirect(parked, calleeAgent.agentId, sipCall.directHeaders);
        this.context.log(`direct ${fromUser ?? '?'} -> ${calleeAgent.agentId}`);
    }

    /**
     * The agent's phone dials back into its call in progress (see the module documentation): only that call's
     * agent, only an answered call that has not ended; anything else is 404 (nothing to tell a stranger).
     */
    rejoin(
        parked: ParkedInvite,
        sipCall: SipCall,
        interactionId: string,
        fromUser: string | undefined
    ): void {
        const held = this.context.calls.ofInteraction(interactionId);
        if (
            !held ||
            held.ended ||
            !held.answered ||
            !held.answerTag ||
            !held.customerUser ||
            !fromUser ||
            held.agentUser !== fromUser
        ) {
            sipCall.ended = true;
            this.context.invites.respond(parked, 404, 'No call to rejoin');
            this.context.log(`rejoin of ${interactionId} by ${fromUser ?? '?'} refused`);
            return;
        }
        sipCall.kind = 'rejoin';
        sipCall.interactionId = interactionId;
        sipCall.customerUser = held.customerUser;
        sipCall.agentUser = fromUser;
        // the rejoin leg's INVITE comes from the agent: a BYE with its From tag is the agent's hang-up
        sipCall.offered = held.offered;
        held.replaced = true;
        this.context.calls.bind(interactionId, sipCall);
        const replaces = `${held.callId};to-tag=${held.answerTag};from-tag=${held.callerTag}`;
        this.context.invites.redirect(parked, held.customerUser, [['Replaces', headerSafe(replaces)]]);
        this.context.log(
            `rejoin ${interactionId}: ${fromUser} -> ${held.customerUser} (replaces ${held.callId})`
        );
    }

    /**
     * An attended transfer: the customer's INVITE with Replaces goes straight to the consulted agent's contact
     * (Kamailio relays it without the simulator); Kamailio reports it here with the call it continues
     * (X-Transfer-Of) and the consultation it replaces, whose callee is the agent the leg belongs to.
     */
    replacingTransfer(callId: string, params: URLSearchParams): void {
        const original = this.context.calls.get(params.get('of') ?? '');
        const replacedCallId = (params.get('replaces') ?? '').split(';')[0]!.trim();
        const agentId = this.context.calls.get(replacedCallId)?.calleeAgentId;
        if (!original?.interactionId || !agentId || this.context.calls.has(callId)) return;
        const sipCall = newSipCall(callId, '1', '');
        sipCall.transfer = { interactionId: original.interactionId, agentId };
        this.context.calls.add(sipCall);
    }

    /** The transferred customer's call to another agent: a leg of the interaction (call-record legs). */
    transferEvent(
        sipCall: SipCall,
        transfer: { interactionId: string; agentId: string },
        name: string
    ): void {
        if (name === 'answered' && !sipCall.answered) {
            sipCall.answered = true;
            this.context.report(() =>
                this.context
                    .listener()
                    ?.transferLegAnswered?.(transfer.interactionId, transfer.agentId, sipCall.callId)
            );
        } else if (name === 'bye' && sipCall.answered && !sipCall.ended) {
            sipCall.ended = true;
            this.context.report(() =>
                this.context.listener()?.transferLegEnded?.(transfer.interactionId, sipCall.callId)
            );
        }
    }

    /** The interaction leg a direct call is, if any: a consultation, or a customer following a REFER. */
    private legOf(
        request: SipRequest,
        original: SipCall | undefined,
        callee: { agentId: string; tenantId: string },
        caller: { agentId: string; tenantId: string } | undefined
    ): TransferLeg | undefined {
        if (original?.interactionId) {
            const replaces = headerValue(request, 'replaces') !== undefined;
            return this.legs.transfer(
                callee.tenantId,
                original.interactionId,
                callee.agentId,
                replaces,
                null
            );
        }
        const parentId = headerValue(request, 'x-cc-parent-interaction-id')?.trim();
        const legId = headerValue(request, 'x-cc-interaction-id')?.trim();
        // only an interaction this contact centre knows, between agents of one tenant
        if (!caller || !parentId || !legId || !this.context.calls.ofInteraction(parentId)) return undefined;
        if (caller.tenantId !== callee.tenantId) return undefined;
        return this.legs.consultation(caller.tenantId, parentId, legId, callee.agentId, caller.agentId);
    }
}
