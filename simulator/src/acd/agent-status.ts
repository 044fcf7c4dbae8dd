/**
 * The agent status state machine of the contact centre (F2).
 *
 * ```mermaid
 * stateDiagram-v2
 *     [*] --> NotReady
 *     NotReady --> Ready: agent
 *     NotReady --> Paused: agent
 *     NotReady --> Busy: agent (outbound call)
 *     Ready --> NotReady: agent / system (offer not answered)
 *     Ready --> Paused: agent
 *     Ready --> Busy: system (call answered) / agent (outbound call)
 *     Busy --> Wrap: system (hang-up) / agent (outbound call ended)
 *     Busy --> Ready: system (hang-up, campaign wrap time 0)
 *     Wrap --> Ready: system (wrap time elapsed) / agent (ends wrap early)
 *     Wrap --> NotReady: agent
 *     Wrap --> Paused: agent
 *     Wrap --> Busy: agent (outbound call)
 *     Paused --> Ready: agent
 *     Paused --> NotReady: agent
 *     Paused --> Paused: agent (another reason)
 *     Paused --> Busy: agent (outbound call)
 * ```
 *
 * Calls are offered only in Ready; Wrap, Paused, NotReady and Busy never get one.
 */

/** An agent's status as the API names it. */
export enum AgentStatusName {
    NotReady = 'NotReady',
    Ready = 'Ready',
    Busy = 'Busy',
    Wrap = 'Wrap',
    Paused = 'Paused'
}

/** Who asks for a change: the agent (through the API) or the contact centre itself. */
export type StatusActor = 'agent' | 'system';

const { NotReady, Ready, Busy, Wrap, Paused } = AgentStatusName;

/** from -> to -> who may make that change. */
const TRANSITIONS: Record<AgentStatusName, Partial<Record<AgentStatusName, readonly StatusActor[]>>> = {
    [NotReady]: { [Ready]: ['agent'], [Paused]: ['agent'], [Busy]: ['agent'] },
    [Ready]: { [NotReady]: ['agent', 'system'], [Paused]: ['agent'], [Busy]: ['agent', 'system'] },
    [Busy]: { [Wrap]: ['agent', 'system'], [Ready]: ['system'] },
    [Wrap]: { [Ready]: ['agent', 'system'], [NotReady]: ['agent'], [Paused]: ['agent'], [Busy]: ['agent'] },
    [Paused]: { [Ready]: ['agent'], [NotReady]: ['agent'], [Paused]: ['agent'], [Busy]: ['agent'] }
};

/** Result of {@link transitionAgentStatus}. */
export type TransitionResult = { ok: true; to: AgentStatusName } | { ok: false; reason: string };

/**
 * The one guarded transition of the machine: may `actor` move an agent from `from` to `to`?
 * Staying in the same status is not a transition (callers treat it as a no-op), except Paused ->
 * Paused, which changes the pause reason.
 */
export function transitionAgentStatus(
    from: AgentStatusName,
    to: AgentStatusName,
    actor: StatusActor
): TransitionResult {
    const allowed = TRANSITIONS[from][to];
    if (allowed?.includes(actor)) return { ok: true, to };
    const hint =
        from === Busy
            ? ' End the call first: the hang-up moves the agent to Wrap.'
            : to === Wrap
              ? ' Wrap follows a call.'
              : '';
    return {
        ok: false,
        reason: `An ${actor === 'agent' ? 'agent' : 'ACD'} change from ${from} to ${to} is not allowed.${hint}`
    };
}

/** Whether a string is an {@link AgentStatusName}. */
export function isAgentStatusName(value: unknown): value is AgentStatusName {
    return typeof value === 'string' && (Object.values(AgentStatusName) as string[]).includes(value);
}
