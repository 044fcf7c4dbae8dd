import { createElement } from 'lwc';
import RecentCalls from '../recentCalls';
import {
    captureCommands,
    flushPromises,
    HOSTILE_NAME,
    recentCall,
    SCRIPT_URL,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/label/c.Phone_Recent_CallBack', () => ({ default: 'Call back {0}' }), {
    virtual: true
});
jest.mock('@salesforce/apex/RecordingPlaybackController.getPlaybackUrl', () => ({ default: jest.fn() }), {
    virtual: true
});
import getPlaybackUrl from '@salesforce/apex/RecordingPlaybackController.getPlaybackUrl';

function mount(props: Record<string, unknown>): TestElement {
    const element = createElement('c-recent-calls', { is: RecentCalls }) as TestElement;
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const rows = (element: HTMLElement): HTMLElement[] =>
    Array.from(element.shadowRoot!.querySelectorAll('[data-id="row"]'));
const within = (row: HTMLElement, id: string): any => row.querySelector(`[data-id="${id}"]`);

describe('c-recent-calls', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('says when there are no recent calls', async () => {
        const element = mount({ calls: [] });
        await flushPromises();
        expect(element.shadowRoot!.querySelector('[data-id="empty"]')!.textContent).toBe(
            'c.Phone_Recent_Empty'
        );
    });

    it('lists answered calls with number, duration and outcome', async () => {
        const element = mount({ calls: [recentCall({ recordId: '003000000000001AAA' })] });
        await flushPromises();
        const [row] = rows(element);
        expect(within(row, 'name').textContent).toBe('Jan Kowalski');
        expect(within(row, 'number').textContent).toBe('600 700 800');
        expect(within(row, 'duration').textContent).toBe('2:05');
        expect(within(row, 'outcome').textContent).toBe('c.Phone_Outcome_Answered');
        expect(within(row, 'missed')).toBeNull();
        expect(row.querySelector('lightning-formatted-date-time')).not.toBeNull();
    });

    it('shows missed calls in red and labelled "Missed" (F11)', async () => {
        const element = mount({
            calls: [recentCall({ outcome: 'missed', missed: true, durationSeconds: 0 })]
        });
        await flushPromises();
        const [row] = rows(element);
        expect(within(row, 'name').className).toContain('slds-text-color_error');
        expect(within(row, 'missed').textContent).toBe('c.Phone_Outcome_Missed');
        expect(within(row, 'missed').className).toContain('slds-text-color_error');
        expect(within(row, 'duration')).toBeNull();
    });

    it('calls back with the number and the record it was related to (F13)', async () => {
        const element = mount({ calls: [recentCall({ recordId: '003000000000001AAA' })] });
        const commands = captureCommands(element);
        await flushPromises();
        const button = within(rows(element)[0], 'call-back');
        expect(button.alternativeText).toBe('Call back Jan Kowalski');
        button.click();
        expect(commands).toEqual([
            {
                type: 'dial',
                number: '+48600700800',
                context: { recordId: '003000000000001AAA', objectType: 'Contact', name: 'Jan Kowalski' }
            }
        ]);
    });

    it('calls back an unknown number without context', async () => {
        const element = mount({ calls: [recentCall({ name: '' })] });
        const commands = captureCommands(element);
        await flushPromises();
        expect(within(rows(element)[0], 'name').textContent).toBe('c.Phone_Label_UnknownCaller');
        within(rows(element)[0], 'call-back').click();
        expect(commands).toEqual([{ type: 'dial', number: '+48600700800', context: undefined }]);
    });

    it.each([
        ['not dialable', { dialable: false }, false],
        ['the phone cannot dial', {}, true]
    ])('disables call back when %s', async (_name, overrides, disabled) => {
        const element = mount({ calls: [recentCall(overrides)], disabled });
        const commands = captureCommands(element);
        await flushPromises();
        const button = within(rows(element)[0], 'call-back');
        expect(button.disabled).toBe(true);
        button.click();
        expect(commands).toEqual([]);
    });

    it('links https recordings (F14) and never other schemes', async () => {
        const element = mount({
            calls: [
                recentCall({ interactionId: 'a', recordingUrl: 'https://cc.example.com/rec/1.mp3' }),
                recentCall({ interactionId: 'b', recordingUrl: SCRIPT_URL })
            ]
        });
        await flushPromises();
        const [first, second] = rows(element);
        const link = within(first, 'recording');
        expect(link.getAttribute('href')).toBe('https://cc.example.com/rec/1.mp3');
        expect(link.getAttribute('target')).toBe('_blank');
        expect(link.getAttribute('rel')).toBe('noopener noreferrer');
        expect(within(second, 'recording')).toBeNull();
    });

    it('plays a recording through a URL Apex signs on the click, never a stored signed one', async () => {
        const signed = 'https://cc.example.com/v1/recordings/r1/audio?expires=1&signature=ab';
        (getPlaybackUrl as jest.Mock).mockResolvedValueOnce(signed);
        const element = mount({
            calls: [
                recentCall({
                    interactionId: 'a',
                    recordingUrl: 'https://cc.example.com/v1/recordings/r1/audio'
                })
            ]
        });
        await flushPromises();
        const [row] = rows(element);
        expect(within(row, 'player')).toBeNull();
        const click = new MouseEvent('click', { bubbles: true, cancelable: true });
        within(row, 'recording').dispatchEvent(click);
        await flushPromises();
        expect(click.defaultPrevented).toBe(true);
        expect(getPlaybackUrl).toHaveBeenCalledWith({
            recordingUrl: 'https://cc.example.com/v1/recordings/r1/audio'
        });
        expect(within(rows(element)[0], 'player').getAttribute('src')).toBe(signed);
    });

    it('says why a recording cannot be played', async () => {
        (getPlaybackUrl as jest.Mock).mockRejectedValueOnce({ body: { message: 'Not your contact centre' } });
        const element = mount({
            calls: [recentCall({ interactionId: 'a', recordingUrl: 'https://elsewhere.example/r1.mp3' })]
        });
        await flushPromises();
        within(rows(element)[0], 'recording').click();
        await flushPromises();
        expect(within(rows(element)[0], 'player')).toBeNull();
        expect(within(rows(element)[0], 'player-error').textContent.trim()).toBe('Not your contact centre');
    });

    it('marks callback requests and lets the agent register one for a missed call', async () => {
        const element = mount({
            calls: [
                recentCall({ interactionId: 'a', missed: true, outcome: 'missed', callbackRequested: true }),
                recentCall({ interactionId: 'b', missed: true, outcome: 'missed' })
            ]
        });
        const commands = captureCommands(element);
        await flushPromises();
        const [first, second] = rows(element);
        expect(within(first, 'callback-requested').textContent).toContain('c.Phone_Recent_CallbackRequested');
        expect(within(first, 'request-callback')).toBeNull();
        within(second, 'request-callback').click();
        expect(commands).toEqual([{ type: 'requestCallback', interactionId: 'b', requested: true }]);
    });

    it('opens the related record from the name', async () => {
        const element = mount({ calls: [recentCall({ recordId: '500000000000001AAA' })] });
        const opened: unknown[] = [];
        element.addEventListener('openrecord', (event) => opened.push((event as CustomEvent).detail));
        await flushPromises();
        (rows(element)[0].querySelector('button.recent-name') as HTMLButtonElement).click();
        expect(opened).toEqual([{ recordId: '500000000000001AAA' }]);
    });

    it('renders hostile names as text', async () => {
        const element = mount({
            calls: [
                recentCall({ name: HOSTILE_NAME }),
                recentCall({ interactionId: 'x', name: HOSTILE_NAME, recordId: '003000000000001AAA' })
            ]
        });
        await flushPromises();
        const [plain, linked] = rows(element);
        expect(within(plain, 'name').textContent).toBe(HOSTILE_NAME);
        expect(within(linked, 'name').textContent).toBe(HOSTILE_NAME);
        expect(element.shadowRoot!.querySelector('img')).toBeNull();
    });

    it('is accessible', async () => {
        const element = mount({
            calls: [
                recentCall({
                    recordId: '003000000000001AAA',
                    recordingUrl: 'https://cc.example.com/rec/1.mp3'
                }),
                recentCall({ interactionId: 'm', missed: true, outcome: 'missed', callbackRequested: true })
            ]
        });
        await flushPromises();
        await expect(element).toBeAccessible();
    });
});
