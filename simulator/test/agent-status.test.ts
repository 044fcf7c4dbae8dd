import {
    AgentStatusName,
    isAgentStatusName,
    transitionAgentStatus,
    type StatusActor
} from '../src/acd/agent-status';

const { NotReady, Ready, Busy, Wrap, Paused } = AgentStatusName;

/** Every allowed (from, to, actor); everything else must be refused. */
const ALLOWED: [AgentStatusName, AgentStatusName, StatusActor][] = [
    [NotReady, Ready, 'agent'],
    [NotReady, Paused, 'agent'],
    [NotReady, Busy, 'agent'],
    [Ready, NotReady, 'agent'],
    [Ready, NotReady, 'system'],
    [Ready, Paused, 'agent'],
    [Ready, Busy, 'agent'],
    [Ready, Busy, 'system'],
    [Busy, Wrap, 'agent'],
    [Busy, Wrap, 'system'],
    [Busy, Ready, 'system'],
    [Wrap, Ready, 'agent'],
    [Wrap, Ready, 'system'],
    [Wrap, NotReady, 'agent'],
    [Wrap, Paused, 'agent'],
    [Wrap, Busy, 'agent'],
    [Paused, Ready, 'agent'],
    [Paused, NotReady, 'agent'],
    [Paused, Paused, 'agent'],
    [Paused, Busy, 'agent']
];

const ALL: [AgentStatusName, AgentStatusName, StatusActor][] = [];
for (const from of Object.values(AgentStatusName)) {
    for (const to of Object.values(AgentStatusName)) {
        for (const actor of ['agent', 'system'] as const) ALL.push([from, to, actor]);
    }
}

describe('transitionAgentStatus', () => {
    it.each(ALL)('%s -> %s by %s', (from, to, actor) => {
        const allowed = ALLOWED.some(([f, t, a]) => f === from && t === to && a === actor);
        const result = transitionAgentStatus(from, to, actor);
        expect(result.ok).toBe(allowed);
        if (!result.ok) expect(result.reason).toContain(`from ${from} to ${to}`);
    });

    it('never lets anyone but the ACD end a call by going Ready from Busy', () => {
        const result = transitionAgentStatus(Busy, Ready, 'agent');
        expect(result).toEqual({ ok: false, reason: expect.stringContaining('End the call first') });
    });

    it.each([
        ['Ready', true],
        ['Wrap', true],
        ['ready', false],
        ['Lunch', false],
        [3, false]
    ])('isAgentStatusName(%p) is %p', (value, expected) => {
        expect(isAgentStatusName(value)).toBe(expected);
    });
});
