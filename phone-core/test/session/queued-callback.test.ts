/**
 * PhoneSession, a callback the contact centre queued (issue 15 point 4): its INVITE rings the agent first and is
 * shown and logged as an outbound call to the customer, related to the callback's record without a chooser.
 */
import type { RecordMatch } from '../../src/screen-pop/screen-pop';
import { SimWorld, ccHeaders, readyTab } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

const CONTACT: RecordMatch = { id: '003000000000001AAA', objectType: 'Contact', name: 'Jan Kowalski' };
const LEAD: RecordMatch = { id: '00Q000000000001AAA', objectType: 'Lead', name: 'Jan Kowalski (lead)' };

const CALLBACK = [
    'X-CC-Direction: outbound',
    'X-CC-Callback-Id: cbk-42',
    'X-CC-Original-Interaction-Id: int-0',
    `X-CC-Related-Record-Id: ${CONTACT.id}`,
    'X-CC-Callback-Task-Id: 00T000000000001AAA',
    'X-CC-Customer-Number: +48600700800'
];

describe('a queued callback', () => {
    it('rings as an outbound call to the customer, related to its record without a chooser, logged outbound', async () => {
        const world = new SimWorld();
        world.host.matches = () => [CONTACT, LEAD]; // two records share the number
        const tab = await readyTab(world);

        const call = await world.ring({ fromUser: '+48221234500', headers: ccHeaders('int-cb', CALLBACK) });
        const ringing = tab.state();
        // it rings like an incoming call (the agent answers first), marked as the callback
        expect(ringing.incoming).toMatchObject({
            interactionId: 'int-cb',
            direction: 'inbound',
            callback: { callbackId: 'cbk-42', attempt: 1, customerNumber: '+48600700800' },
            caller: { e164: '+48600700800' },
            screenPop: { record: { id: CONTACT.id } },
            related: { id: CONTACT.id }
        });
        expect(ringing.incoming?.screenPop?.action).not.toBe('choose');
        expect(tab.notifications.map((notification) => notification.kind)).toEqual(['incoming-call']);

        expect(await tab.session.answer()).toMatchObject({ ok: true, interactionId: 'int-cb' });
        await world.advance(30_000);
        world.server.sendBye(call.callId);
        await world.advance(10);
        expect(await tab.session.submitWrapUp({ notes: 'Called back' })).toMatchObject({ ok: true });
        await world.advance(10);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-cb',
            direction: 'outbound',
            toNumber: '+48600700800',
            outcome: 'answered',
            whoId: CONTACT.id
        });
        expect(tab.state().recentCalls[0]).toMatchObject({
            interactionId: 'int-cb',
            direction: 'outbound',
            outcome: 'answered',
            recordId: CONTACT.id
        });
        await world.shutdown();
    });

    it('malformed callback headers: still rings, as an ordinary inbound call', async () => {
        const world = new SimWorld();
        world.host.matches = () => [CONTACT];
        const tab = await readyTab(world);
        await world.ring({
            headers: ccHeaders('int-x', ['X-CC-Direction: outbound', 'X-CC-Callback-Id: <script>'])
        });
        expect(tab.state().incoming).toMatchObject({ interactionId: 'int-x', direction: 'inbound' });
        await world.shutdown();
    });
});
