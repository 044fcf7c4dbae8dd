import { createElement } from 'lwc';
import checkMe from '@salesforce/apex/PhoneDoctorController.checkMe';
import getSipCredentials from '@salesforce/apex/AgentSessionController.getSipCredentials';
import * as doctor from '../../../../../../phone-core/src/doctor/phone-doctor';
import * as probes from '../../../../../../phone-core/src/doctor/browser-probes';
import { personalTextOf } from '../../../../../../phone-core/src/doctor/doctor-log';

const core = { ...doctor, ...probes, personalTextOf, CORE_API_VERSION: 1 };
import PhoneDoctor from '../phoneDoctor';
import {
    callerCard,
    callView,
    flushPromises,
    HOSTILE_NAME,
    interactionView,
    viewState,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/apex/PhoneDoctorController.checkMe', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/AgentSessionController.getSipCredentials', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_Doctor_Failed', () => ({ default: 'Could not finish: {0}' }), {
    virtual: true
});

const mockCheckMe = checkMe as unknown as jest.Mock;
const mockCredentials = getSipCredentials as unknown as jest.Mock;

function mount(props: Record<string, unknown> = {}): TestElement {
    const element = createElement('c-phone-doctor', { is: PhoneDoctor }) as TestElement;
    Object.assign(element, { core, lightningWebSecurity: true, ...props });
    document.body.appendChild(element);
    return element;
}

const byId = (root: ParentNode, id: string): HTMLElement | null => root.querySelector(`[data-id="${id}"]`);

function checksOf(element: TestElement): Array<{ id: string; status: string; fix: string; detail: string }> {
    const list = element.shadowRoot!.querySelector('c-phone-doctor-checks') as unknown as TestElement;
    return [...list.shadowRoot!.querySelectorAll('[data-id="doctor-check"]')].map((row) => ({
        id: (row as HTMLElement).dataset.check ?? '',
        status: (row as HTMLElement).dataset.status ?? '',
        fix: byId(row, 'check-fix')?.textContent ?? '',
        detail: byId(row, 'check-detail')?.textContent ?? ''
    }));
}

async function run(element: TestElement): Promise<void> {
    (byId(element.shadowRoot!, 'doctor-run') as HTMLElement).click();
    for (let i = 0; i < 10; i++) await flushPromises();
}

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
});

describe('c-phone-doctor (B8)', () => {
    it("merges the org's checks with the browser's: red ones with their fix, hostile text as text", async () => {
        mockCheckMe.mockResolvedValue({
            taskFieldsWithoutAccess: [HOSTILE_NAME],
            hasSeat: true,
            hasPermissionSet: false,
            inCallCenter: true,
            trustedSiteUrls: []
        });
        mockCredentials.mockRejectedValue(new Error('no seat'));
        const element = mount();
        await flushPromises();
        expect(byId(element.shadowRoot!, 'doctor-download')).toBeNull();
        await run(element);
        const checks = checksOf(element);
        expect(checks.map((c) => c.id)).toEqual([...core.DOCTOR_CHECKS]);
        const byCheck = Object.fromEntries(checks.map((c) => [c.id, c]));
        expect(byCheck['task-fields']).toMatchObject({ status: 'red', detail: HOSTILE_NAME });
        expect(byCheck['task-fields']!.fix).toBe('c.Phone_Doctor_FixTaskFields');
        expect(byCheck['permission-set']!.status).toBe('red');
        expect(byCheck.seat!.status).toBe('green');
        expect(byCheck['lightning-web-security']!.status).toBe('green');
        // no credentials: the network checks cannot be measured, they are not guessed
        expect(byCheck.websocket!.status).toBe('unknown');
        expect(element.shadowRoot!.querySelector('img')).toBeNull();
        const list = element.shadowRoot!.querySelector('c-phone-doctor-checks') as unknown as TestElement;
        expect(list.shadowRoot!.querySelector('img')).toBeNull();
    });

    it("downloads the diagnostics file with the callers' names, numbers and notes hidden", async () => {
        mockCheckMe.mockResolvedValue({
            taskFieldsWithoutAccess: [],
            hasSeat: true,
            hasPermissionSet: true,
            inCallCenter: true
        });
        mockCredentials.mockRejectedValue(new Error('offline'));
        const caller = callerCard({
            name: 'Ewa Nowak',
            company: 'Acme Sp. z o.o.',
            rawNumber: '+48601234567',
            numberDisplay: '601 234 567'
        });
        const log = {
            lines: () => [
                '2026-01-15T10:00:00.000Z log sip.Transport Received WebSocket text message:\n\nINVITE sip:agent42@cc.example SIP/2.0\r\nFrom: "Ewa Nowak" <sip:+48601234567@cc.example>\r\nX-CC-Campaign-Name: Acme Sp. z o.o. loans\r\n',
                '2026-01-15T10:00:01.000Z state agent Busy'
            ]
        };
        const state = viewState({
            calls: [callView('Connected', { caller })],
            interactions: [
                interactionView({
                    caller,
                    draft: {
                        notes: 'door code 4711',
                        disposition: '',
                        relatedRecordId: null,
                        callbackRequested: false
                    }
                })
            ]
        });
        const element = mount({ log, viewState: state });
        await run(element);
        let blob: Blob | null = null;
        const create = jest.fn((b: Blob) => {
            blob = b;
            return 'blob:doctor';
        });
        Object.assign(URL, { createObjectURL: create, revokeObjectURL: jest.fn() });
        const link = byId(element.shadowRoot!, 'doctor-file') as HTMLAnchorElement;
        const clicked = jest.fn();
        link.addEventListener('click', (event) => {
            event.preventDefault();
            clicked(link.download);
        });
        (byId(element.shadowRoot!, 'doctor-download') as HTMLElement).click();
        expect(clicked).toHaveBeenCalledWith(expect.stringMatching(/^phone-diagnostics-.*\.json$/));
        const text = await new Promise<string>((resolve) => {
            const reader = new FileReader();
            reader.onload = () => resolve(String(reader.result));
            reader.readAsText(blob!);
        });
        const file = JSON.parse(text) as {
            checks: unknown[];
            log: string[];
            versions: Record<string, string>;
        };
        expect(file.checks).toHaveLength(core.DOCTOR_CHECKS.length);
        expect(file.versions.userAgent).toBeTruthy();
        expect(file.log[1]).toContain('state agent Busy');
        expect(text).not.toMatch(/Ewa|Nowak|Acme|601 ?234 ?567|48601234567|agent42|4711/);
    });

    it('a failure is said, and the button works again', async () => {
        mockCheckMe.mockResolvedValue({});
        mockCredentials.mockRejectedValue(new Error('x'));
        const broken = { ...core, gatherBrowserFacts: () => Promise.reject(new Error('probe broke')) };
        const element = mount({ core: broken });
        await run(element);
        expect(byId(element.shadowRoot!, 'doctor-error')?.textContent).toBe('Could not finish: probe broke');
        expect((byId(element.shadowRoot!, 'doctor-run') as unknown as { disabled: boolean }).disabled).toBe(
            false
        );
    });
});
