/**
 * The in-memory {@link CallSignalling}: no SIP, calls are placed, answered, rejected and hung up by
 * method calls (tests, the `/_sim` control API).
 */
import type {
    AgentEndpoint,
    CallSignalling,
    HangupParty,
    IncomingCall,
    OfferOptions,
    OfferedCall,
    OutgoingCall,
    OutgoingProgress,
    SignallingListener,
    SignallingOfferResult
} from './signalling';

interface PendingOffer {
    agentId: string;
    call: OfferedCall;
    resolve: (result: SignallingOfferResult) => void;
}

/** Thrown when a simulated action does not fit the call's state (the control API answers 409). */
export class SignallingStateError extends Error {}

/** See the module documentation. */
export class InMemorySignalling implements CallSignalling {
    private listener: SignallingListener | undefined;
    private readonly pending = new Map<string, PendingOffer>();
    /** Interaction ids the ACD hung up itself, in order (for tests). */
    readonly systemHangups: string[] = [];

    setListener(listener: SignallingListener): void {
        this.listener = listener;
    }

    offerToAgent(
        agent: AgentEndpoint,
        call: OfferedCall,
        options: OfferOptions
    ): Promise<SignallingOfferResult> {
        return new Promise((resolve) => {
            if (options.signal.aborted) {
                resolve('cancelled');
                return;
            }
            const offer: PendingOffer = { agentId: agent.agentId, call, resolve };
            this.pending.set(call.interactionId, offer);
            options.signal.addEventListener('abort', () => {
                if (this.pending.get(call.interactionId) === offer) this.pending.delete(call.interactionId);
                resolve('cancelled');
            });
        });
    }

    hangup(interactionId: string): void {
        this.pending.delete(interactionId);
        this.systemHangups.push(interactionId);
    }

    close(): void {
        for (const offer of this.pending.values()) offer.resolve('cancelled');
        this.pending.clear();
    }

    /** Calls ringing at an agent right now. */
    ringing(): { interactionId: string; agentId: string; call: OfferedCall }[] {
        return [...this.pending.entries()].map(([interactionId, offer]) => ({
            interactionId,
            agentId: offer.agentId,
            call: offer.call
        }));
    }

    /** A caller dials in; returns the interaction id. */
    placeCall(call: IncomingCall): string {
        return this.requireListener().incomingCall(call);
    }

    /** The IVR transfers the call to its queue. */
    transferFromIvr(interactionId: string): void {
        this.requireListener().transferFromIvr(interactionId);
    }

    /** The ringing agent answers. */
    answer(interactionId: string, agentId?: string): void {
        this.settle(interactionId, agentId, 'answered');
    }

    /** The ringing agent declines. */
    reject(interactionId: string, agentId?: string): void {
        this.settle(interactionId, agentId, 'rejected');
    }

    /** One side hangs up. */
    hangupFrom(interactionId: string, by: HangupParty): void {
        this.requireListener().hangup(interactionId, by);
    }

    /** An agent dials out; returns the interaction id. */
    dial(call: OutgoingCall): string {
        return this.requireListener().outgoingCall(call);
    }

    /** The outbound call's callee answers, is busy, does not answer or the call fails. */
    progress(interactionId: string, progress: OutgoingProgress): void {
        this.requireListener().outgoingProgress(interactionId, progress);
    }

    private settle(interactionId: string, agentId: string | undefined, result: SignallingOfferResult): void {
        const offer = this.pending.get(interactionId);
        if (!offer) throw new SignallingStateError(`Call ${interactionId} is not ringing at any agent.`);
        if (agentId !== undefined && offer.agentId !== agentId) {
            throw new SignallingStateError(
                `Call ${interactionId} is ringing at ${offer.agentId}, not at ${agentId}.`
            );
        }
        this.pending.delete(interactionId);
        offer.resolve(result);
    }

    private requireListener(): SignallingListener {
        if (!this.listener) throw new Error('No ACD is listening to this signalling');
        return this.listener;
    }
}
