import { createElement } from 'lwc';
import getConversation from '@salesforce/apex/ConversationController.getConversation';
import WrapUpForm from '../wrapUpForm';
import {
    ConversationWatch,
    notesWithSummary,
    suggestedDisposition
} from '../../../../../../phone-core/src/conversation/conversation-watch';
import { ManualClock } from '../../../../../../phone-core/test/fakes/manual-clock';
import {
    callerCard,
    captureCommands,
    flushPromises,
    HOSTILE_NAME,
    interactionView,
    NOW,
    record,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/label/c.Phone_WrapUp_Duration', () => ({ default: 'Duration {0}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_WrapUp_SuggestedResult', () => ({ default: 'Suggested: {0}' }), {
    virtual: true
});
jest.mock('@salesforce/apex/ConversationController.getConversation', () => ({ default: jest.fn() }), {
    virtual: true
});
const getConversationMock = getConversation as unknown as jest.Mock;

function mount(props: Record<string, unknown>): TestElement {
    const element = createElement('c-wrap-up-form', { is: WrapUpForm }) as TestElement;
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);
const change = (target: HTMLElement, detail: Record<string, unknown>): boolean =>
    target.dispatchEvent(new CustomEvent('change', { detail }));

describe('c-wrap-up-form', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.useRealTimers();
    });

    it('renders nothing without a wrap-up', async () => {
        const element = mount({ wrapUp: null });
        await flushPromises();
        expect(element.shadowRoot!.querySelector('section')).toBeNull();
    });

    it('shows the caller, the duration and the draft', async () => {
        const element = mount({
            wrapUp: interactionView({
                draft: {
                    notes: 'Asked about invoice',
                    disposition: 'Resolved',
                    relatedRecordId: null,
                    callbackRequested: true
                }
            })
        });
        await flushPromises();
        expect(query(element, 'caller').textContent).toBe('Jan Kowalski');
        expect(query(element, 'number').textContent).toBe('600 700 800');
        expect(query(element, 'duration').textContent).toBe('Duration 1:30');
        expect(query(element, 'notes').value).toBe('Asked about invoice');
        expect(query(element, 'disposition').value).toBe('Resolved');
        expect(query(element, 'callback').checked).toBe(true);
    });

    it('counts the wrap time down to the deadline', async () => {
        jest.useFakeTimers({ now: NOW });
        const element = mount({ wrapUp: interactionView({ deadline: NOW + 45_000 }), agentInWrap: true });
        await Promise.resolve();
        expect(query(element, 'countdown').textContent).toBe('0:45');
        jest.advanceTimersByTime(15_000);
        await Promise.resolve();
        expect(query(element, 'countdown').textContent).toBe('0:30');
    });

    it('has no countdown when the wrap-up waits for the agent only', async () => {
        const element = mount({ wrapUp: interactionView() });
        await flushPromises();
        expect(query(element, 'countdown')).toBeNull();
    });

    it('sends every change of the form to the session draft', async () => {
        const element = mount({ wrapUp: interactionView({ interactionId: 'ia-5' }) });
        const commands = captureCommands(element);
        await flushPromises();
        change(query(element, 'notes'), { value: 'Called about <script>' });
        change(query(element, 'disposition'), { value: 'Follow-up needed' });
        change(query(element, 'callback'), { checked: true });
        expect(commands).toEqual([
            { type: 'updateWrapUp', interactionId: 'ia-5', patch: { notes: 'Called about <script>' } },
            { type: 'updateWrapUp', interactionId: 'ia-5', patch: { disposition: 'Follow-up needed' } },
            { type: 'updateWrapUp', interactionId: 'ia-5', patch: { callbackRequested: true } }
        ]);
    });

    it('keeps what the agent typed when a late state of the same interaction arrives', async () => {
        const element = mount({ wrapUp: interactionView({ interactionId: 'ia-5' }) });
        await flushPromises();
        change(query(element, 'notes'), { value: 'typed text' });
        element.wrapUp = interactionView({
            interactionId: 'ia-5',
            draft: { notes: 'typed', disposition: '', relatedRecordId: null, callbackRequested: false }
        });
        await flushPromises();
        expect(query(element, 'notes').value).toBe('typed text');
    });

    it('takes the draft of the next interaction', async () => {
        const element = mount({ wrapUp: interactionView({ interactionId: 'ia-5' }) });
        await flushPromises();
        change(query(element, 'notes'), { value: 'first call' });
        element.wrapUp = interactionView({
            interactionId: 'ia-6',
            draft: { notes: 'second call', disposition: '', relatedRecordId: null, callbackRequested: false }
        });
        await flushPromises();
        expect(query(element, 'notes').value).toBe('second call');
    });

    it('offers the built-in call results, or the configured ones', async () => {
        const element = mount({ wrapUp: interactionView() });
        await flushPromises();
        expect(query(element, 'disposition').options.map((o: { value: string }) => o.value)).toEqual([
            'Resolved',
            'Follow-up needed',
            'Information given',
            'Wrong number',
            'Other'
        ]);
        element.dispositions = [{ label: 'Verkocht', value: 'Sold' }];
        await flushPromises();
        expect(query(element, 'disposition').options).toEqual([{ label: 'Verkocht', value: 'Sold' }]);
    });

    it('relates the Task to a screen-pop candidate', async () => {
        const candidates = [
            record(),
            record({ id: '500000000000009AAA', objectType: 'Case', name: '00001234' })
        ];
        const element = mount({ wrapUp: interactionView({ interactionId: 'ia-5', candidates }) });
        const commands = captureCommands(element);
        await flushPromises();
        const related = query(element, 'related');
        expect(related.options.map((o: { value: string }) => o.value)).toEqual([
            '003000000000001AAA',
            '500000000000009AAA',
            '__other__'
        ]);
        change(related, { value: '500000000000009AAA' });
        expect(commands).toEqual([
            { type: 'updateWrapUp', interactionId: 'ia-5', patch: { relatedRecordId: '500000000000009AAA' } }
        ]);
    });

    it('relates the Task to any Case/Account/Contact/Lead found with the record picker', async () => {
        const element = mount({ wrapUp: interactionView({ interactionId: 'ia-5' }) });
        const commands = captureCommands(element);
        await flushPromises();
        expect(query(element, 'record-picker')).toBeNull();
        change(query(element, 'related'), { value: '__other__' });
        await flushPromises();
        const searchIn = query(element, 'search-object');
        expect(searchIn.options.map((o: { value: string }) => o.value)).toEqual([
            'Case',
            'Account',
            'Contact',
            'Lead'
        ]);
        change(searchIn, { value: 'Lead' });
        await flushPromises();
        const picker = query(element, 'record-picker');
        expect(picker.objectApiName).toBe('Lead');
        change(picker, { recordId: '00Q000000000001AAA' });
        expect(commands).toEqual([
            { type: 'updateWrapUp', interactionId: 'ia-5', patch: { relatedRecordId: '00Q000000000001AAA' } }
        ]);
    });

    it('saves the whole form', async () => {
        const element = mount({ wrapUp: interactionView({ interactionId: 'ia-5' }) });
        const commands = captureCommands(element);
        await flushPromises();
        change(query(element, 'notes'), { value: 'done' });
        commands.length = 0;
        query(element, 'save').click();
        expect(commands).toEqual([
            {
                type: 'submitWrapUp',
                interactionId: 'ia-5',
                form: { notes: 'done', disposition: '', relatedRecordId: null, callbackRequested: false }
            }
        ]);
    });

    it('ends the wrap early only while the agent is in Wrap', async () => {
        const element = mount({ wrapUp: interactionView(), agentInWrap: false });
        const commands = captureCommands(element);
        await flushPromises();
        expect(query(element, 'end-early').disabled).toBe(true);
        element.agentInWrap = true;
        await flushPromises();
        expect(query(element, 'end-early').disabled).toBe(false);
        query(element, 'end-early').click();
        expect(commands).toEqual([{ type: 'endWrapEarly' }]);
    });

    it('renders hostile caller and candidate names as text', async () => {
        const element = mount({
            wrapUp: interactionView({
                caller: callerCard({ name: HOSTILE_NAME }),
                candidates: [record({ name: HOSTILE_NAME })]
            })
        });
        await flushPromises();
        expect(query(element, 'caller').textContent).toBe(HOSTILE_NAME);
        expect(element.shadowRoot!.querySelector('img')).toBeNull();
    });

    it('is accessible', async () => {
        const element = mount({
            wrapUp: interactionView({ deadline: Date.now() + 30_000 }),
            agentInWrap: true
        });
        await flushPromises();
        await expect(element).toBeAccessible();
    });

    describe("the contact centre's summary (F22)", () => {
        let clock: ManualClock;
        const core = () => ({
            ConversationWatch,
            notesWithSummary,
            suggestedDisposition,
            systemClock: clock
        });
        const summary = 'Inbound call about case 1027. <b>Refund</b> agreed.';

        beforeEach(() => {
            clock = new ManualClock();
            getConversationMock.mockReset();
        });

        async function arrive(element: TestElement): Promise<void> {
            for (let i = 0; i < 4 && !query(element, 'summary'); i++) {
                clock.advance(5000);
                await flushPromises();
            }
        }

        it('asks until the summary arrives, shows it as text, and "Use summary" appends it with the suggested result', async () => {
            getConversationMock
                .mockResolvedValueOnce({ arrived: false })
                .mockResolvedValue({ arrived: true, summary, suggestedResult: 'follow-up needed' });
            const element = mount({
                wrapUp: interactionView({ interactionId: 'ia-7' }),
                conversationCore: core()
            });
            const commands = captureCommands(element);
            await flushPromises();
            expect(query(element, 'conversation')).toBeNull();
            change(query(element, 'notes'), { value: 'Typed by me.' });
            await arrive(element);
            expect(getConversationMock).toHaveBeenCalledWith({ interactionId: 'ia-7' });
            expect(query(element, 'summary').textContent).toBe(summary);
            expect(element.shadowRoot!.querySelector('b')).toBeNull();
            expect(query(element, 'suggested-result').textContent.trim()).toBe(
                'Suggested: c.Phone_Result_FollowUp'
            );
            commands.length = 0;
            query(element, 'use-summary').click();
            await flushPromises();
            expect(commands).toEqual([
                {
                    type: 'updateWrapUp',
                    interactionId: 'ia-7',
                    patch: { notes: `Typed by me.\n\n${summary}`, disposition: 'Follow-up needed' }
                }
            ]);
            expect(query(element, 'notes').value).toBe(`Typed by me.\n\n${summary}`);
            expect(query(element, 'disposition').value).toBe('Follow-up needed');
            expect(query(element, 'summary-used')).not.toBeNull();
            expect(query(element, 'use-summary').disabled).toBe(true);

            // editing the summary away offers it again; asking stopped once it arrived
            change(query(element, 'notes'), { value: 'Typed by me.' });
            await flushPromises();
            expect(query(element, 'use-summary').disabled).toBe(false);
            const asked = getConversationMock.mock.calls.length;
            clock.advance(600_000);
            await flushPromises();
            expect(getConversationMock.mock.calls.length).toBe(asked);
        });

        it("never replaces the agent's chosen result", async () => {
            getConversationMock.mockResolvedValue({ arrived: true, summary, suggestedResult: 'Resolved' });
            const element = mount({
                wrapUp: interactionView({
                    interactionId: 'ia-8',
                    draft: {
                        notes: '',
                        disposition: 'Other',
                        relatedRecordId: null,
                        callbackRequested: false
                    }
                }),
                conversationCore: core()
            });
            const commands = captureCommands(element);
            await arrive(element);
            query(element, 'use-summary').click();
            expect(commands.at(-1)).toEqual({
                type: 'updateWrapUp',
                interactionId: 'ia-8',
                patch: { notes: summary }
            });
            expect(query(element, 'disposition').value).toBe('Other');
        });

        it('stops asking when the wrap-up ends, and asks anew for the next call', async () => {
            getConversationMock.mockResolvedValue({ arrived: false });
            const element = mount({
                wrapUp: interactionView({ interactionId: 'ia-9' }),
                conversationCore: core()
            });
            await flushPromises();
            clock.advance(2000);
            await flushPromises();
            expect(getConversationMock).toHaveBeenCalledTimes(1);
            element.wrapUp = null;
            await flushPromises();
            clock.advance(600_000);
            await flushPromises();
            expect(getConversationMock).toHaveBeenCalledTimes(1);
            expect(clock.pendingTimers).toBe(0);

            getConversationMock.mockResolvedValue({ arrived: true, summary: 'Next call.' });
            element.wrapUp = interactionView({ interactionId: 'ia-10' });
            await arrive(element);
            expect(getConversationMock).toHaveBeenLastCalledWith({ interactionId: 'ia-10' });
            expect(query(element, 'summary').textContent).toBe('Next call.');
            document.body.removeChild(element);
            expect(clock.pendingTimers).toBe(0);
        });

        it('without the helpers nothing is asked; with the summary shown it is accessible', async () => {
            mount({ wrapUp: interactionView({ interactionId: 'ia-11' }) });
            await flushPromises();
            expect(getConversationMock).not.toHaveBeenCalled();
            getConversationMock.mockResolvedValue({ arrived: true, summary, suggestedResult: 'Resolved' });
            const element = mount({
                wrapUp: interactionView({ interactionId: 'ia-12' }),
                conversationCore: core()
            });
            await arrive(element);
            await expect(element).toBeAccessible();
        });
    });
});
