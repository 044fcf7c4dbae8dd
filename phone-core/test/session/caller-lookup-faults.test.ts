/**
 * FAULT-CASES 12 in the phone: a hostile caller ID never reaches the search, and a search that fails in the
 * org (an Apex exception, a network error) never costs the call or its log: the agent is told, the call
 * rings and is answered, and exactly one Task is written, without a related record.
 */
import type { CallerLookupRequest } from '../../src/session/types';
import { SimWorld, ccHeaders, readyTab, type SimTab } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

const HOSTILE = '1" OR Name:* \\ {}';
/** The same caller ID as it arrives in the From URI (escaped, RFC 3261 section 19.1.2). */
const HOSTILE_IN_URI = '1%22%20OR%20Name:*%20%5C%20%7B%7D';

async function answerAndHangUp(world: SimWorld, tab: SimTab, interactionId: string): Promise<void> {
    expect(await tab.session.answer()).toMatchObject({ ok: true, interactionId });
    await world.advance(10);
    expect(tab.state().calls[0]).toMatchObject({ state: 'Connected' });
    await tab.session.hangup();
    await world.advance(10);
}

describe('FAULT-CASES 12: hostile caller IDs and failing searches', () => {
    it('a caller ID with search syntax is never searched: no lookup, literal text, one Task with the raw number', async () => {
        const world = new SimWorld();
        const tab = await readyTab(world);
        await world.ring({
            fromUser: HOSTILE_IN_URI,
            headers: ccHeaders('int-fc12', ['X-CC-Wrap-Seconds: 0', `X-CC-Ivr-Code: ${HOSTILE}`])
        });
        expect(world.host.lookups).toEqual([]);
        expect(tab.state().incoming).toMatchObject({
            lookup: 'skipped',
            caller: { rawNumber: HOSTILE, e164: null, numberKind: 'invalid', numberDisplay: HOSTILE }
        });
        expect(tab.state().error).toBeNull();
        await answerAndHangUp(world, tab, 'int-fc12');
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({ interactionId: 'int-fc12', outcome: 'answered' });
        expect(world.host.sent[0].fromNumber).toBe(HOSTILE);
        expect(world.host.sent[0].whoId).toBeUndefined();
        await world.shutdown();
    });

    it('a search that throws in the org is a visible lookup error, and the call is still answered and logged once', async () => {
        const world = new SimWorld();
        const failures: CallerLookupRequest[] = [];
        // What LWC hands the phone when the Apex method throws (an AuraHandledException's message in body)
        world.host.lookupCaller = (request) => {
            failures.push(request);
            return Promise.reject({
                status: 500,
                body: { message: 'System.SearchException: search failed' }
            });
        };
        const tab = await readyTab(world);
        await world.ring({ headers: ccHeaders('int-fails', ['X-CC-Wrap-Seconds: 0']) });
        expect(failures).toHaveLength(1);
        expect(failures[0].searchKeys).toContain('+48600700800');
        expect(tab.state().incoming).toMatchObject({
            state: 'Ringing',
            lookup: 'failed',
            caller: { e164: '+48600700800', record: null, matchCount: 0 }
        });
        expect(tab.state().error).toMatchObject({
            code: 'lookup-failed',
            messageKey: 'PhoneError_LookupFailed'
        });
        await answerAndHangUp(world, tab, 'int-fails');
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-fails',
            outcome: 'answered',
            fromNumber: '+48600700800'
        });
        expect(world.host.sent[0].whoId).toBeUndefined();
        expect(failures).toHaveLength(1); // one lookup per call, not a retry loop
        await world.shutdown();
    });
});
