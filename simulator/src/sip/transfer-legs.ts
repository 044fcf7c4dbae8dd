/**
 * The consultation and transfer legs of interactions, as the contact centre reports them to Salesforce
 * Voice (one VoiceCall per leg, `parentVoiceCallId` = the interaction):
 *
 * - a consultation: the consulting phone's INVITE to another agent carries its own leg id in
 *   `X-CC-Interaction-Id` and the interaction in `X-CC-Parent-Interaction-Id` (phone-core does this);
 * - a blind transfer: the customer's INVITE after a REFER (`X-Transfer-Of`) gets a new leg key
 *   `<interaction>.t<n>`, handed to the target agent in `X-CC-Leg-Id`;
 * - an attended transfer: the customer's INVITE after a REFER with Replaces continues the consultation leg
 *   to that agent: no new leg.
 *
 * Bounded: the oldest interactions are forgotten past {@link MAX_INTERACTIONS}.
 */
import type { TransferLeg } from '../acd/signalling';

/** Interactions whose legs are remembered. */
export const MAX_INTERACTIONS = 1000;

/** A leg id a phone may propose: visible ASCII without quotes or angle brackets, like an interaction id. */
const LEG_ID = /^[!#-&(-;=?-_a-~]{1,200}$/;

interface Legs {
    /** Consultation leg key by the consulted agent. */
    consultations: Map<string, string>;
    transfers: number;
}

export class TransferLegs {
    private readonly byInteraction = new Map<string, Legs>();

    /**
     * A consultation leg, or undefined when the phone's ids are unusable.
     * @param legId the consulting phone's id of the leg (its X-CC-Interaction-Id)
     */
    consultation(
        tenantId: string,
        parentInteractionId: string,
        legId: string,
        targetAgentId: string,
        fromAgentId: string | null
    ): TransferLeg | undefined {
        if (!LEG_ID.test(legId) || !LEG_ID.test(parentInteractionId) || legId === parentInteractionId) {
            return undefined;
        }
        const legs = this.legsOf(parentInteractionId);
        const newLeg = legs.consultations.get(targetAgentId) !== legId;
        legs.consultations.set(targetAgentId, legId);
        return {
            tenantId,
            parentInteractionId,
            legKey: legId,
            kind: 'consultation',
            newLeg,
            targetAgentId,
            fromAgentId
        };
    }

    /**
     * The customer follows a REFER to `targetAgentId`.
     * @param replaces the INVITE replaces a dialog (attended transfer): it continues the consultation leg
     */
    transfer(
        tenantId: string,
        parentInteractionId: string,
        targetAgentId: string,
        replaces: boolean,
        fromAgentId: string | null
    ): TransferLeg {
        const legs = this.legsOf(parentInteractionId);
        const consulted = replaces ? legs.consultations.get(targetAgentId) : undefined;
        const legKey = consulted ?? `${parentInteractionId}.t${++legs.transfers}`;
        return {
            tenantId,
            parentInteractionId,
            legKey,
            kind: 'transfer',
            newLeg: consulted === undefined,
            targetAgentId,
            fromAgentId
        };
    }

    private legsOf(interactionId: string): Legs {
        let legs = this.byInteraction.get(interactionId);
        if (!legs) {
            legs = { consultations: new Map(), transfers: 0 };
            this.byInteraction.set(interactionId, legs);
            if (this.byInteraction.size > MAX_INTERACTIONS) {
                const oldest = this.byInteraction.keys().next().value;
                if (oldest !== undefined) this.byInteraction.delete(oldest);
            }
        }
        return legs;
    }
}
