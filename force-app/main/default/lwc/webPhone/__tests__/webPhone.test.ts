/**
 * c-web-phone: hostile names, accessibility, the Apex it imports, call notes and signing out.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { FakePhoneSession } from '../../../../../test/jest-fixtures/fakePhoneSession';
import {
    agentView,
    callerCard,
    callView,
    HOSTILE_NAME,
    interactionView,
    recentCall
} from '../../../../../test/jest-fixtures/phoneState';
import {
    APEX,
    child,
    deepQueryAll,
    deepText,
    query,
    ready,
    settle,
    shadow,
    useWebPhoneFixture
} from './webPhoneHarness';

describe('c-web-phone', () => {
    useWebPhoneFixture();

    it('renders hostile caller names as text everywhere in the phone', async () => {
        const hostile = callerCard({ name: HOSTILE_NAME, displayName: HOSTILE_NAME, company: HOSTILE_NAME });
        const incoming = callView('Ringing', { id: 'call-2', caller: hostile });
        const { element } = await ready({
            agent: agentView('Busy'),
            calls: [callView('Connected', { caller: hostile }), incoming],
            incoming,
            recentCalls: [recentCall({ name: HOSTILE_NAME })]
        });
        expect(deepText(shadow(element))).toContain(HOSTILE_NAME);
        expect(deepQueryAll(shadow(element), 'img')).toHaveLength(0);
    });

    it('is accessible with a call in progress', async () => {
        const { element } = await ready({
            agent: agentView('Busy'),
            calls: [callView('Connected')],
            recentCalls: [recentCall()]
        });
        await expect(element).toBeAccessible();
    });

    it('imports only @AuraEnabled methods that exist in the Apex controllers', () => {
        // a renamed or removed controller method must fail here, not at deploy time
        const source = readFileSync(join(__dirname, '..', 'webPhone.ts'), 'utf8');
        const imported = [...source.matchAll(/@salesforce\/apex\/([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)/g)].map(
            (m) => `${m[1]}.${m[2]}`
        );
        expect(imported.sort()).toEqual([...APEX].sort());
        for (const name of imported) {
            const [className, method] = name.split('.');
            const apex = readFileSync(
                join(__dirname, '../../../classes/controllers', `${className}.cls`),
                'utf8'
            );
            expect(apex).toMatch(new RegExp(`@AuraEnabled[^\\n]*\\n\\s*public static [^(]+\\b${method}\\(`));
        }
    });
    it('notes typed during the call go into its wrap-up draft and show what the draft holds (B7)', async () => {
        const { element, session } = await ready({
            calls: [callView('Connected')],
            interactions: [
                interactionView({
                    interactionId: 'ia-1',
                    draft: { ...interactionView().draft, notes: 'Kept' }
                })
            ]
        });
        const notes = query(element, 'call-notes');
        expect(notes.value).toBe('Kept');
        notes.dispatchEvent(new CustomEvent('change', { detail: { value: 'Kept and more' } }));
        await settle();
        expect(session.calls).toContainEqual(['updateWrapUp', { notes: 'Kept and more' }, 'ia-1']);
    });

    it('a state published before the last keystroke does not reset the notes being typed', async () => {
        const draft = (notes: string) => [
            interactionView({ interactionId: 'ia-1', draft: { ...interactionView().draft, notes } })
        ];
        const { element, publishState } = await ready({
            calls: [callView('Connected')],
            interactions: draft('Kept')
        });
        const notes = query(element, 'call-notes');
        notes.dispatchEvent(new CustomEvent('change', { detail: { value: 'Kept and more' } }));
        await publishState({ calls: [callView('Connected')], interactions: draft('Kept and') });
        expect(query(element, 'call-notes').value).toBe('Kept and more');
    });

    describe('sign out of the phone (issue 11, finding 5)', () => {
        const signOut = (element: HTMLElement): any =>
            panel(element, 'settings').querySelector('c-phone-sign-out') as any;
        const panel = (element: HTMLElement, name: string): HTMLElement =>
            query(element, `panel-${name}`) as HTMLElement;
        const signOutButton = (element: HTMLElement): any =>
            signOut(element).shadowRoot.querySelector('[data-id="sign-out"]');

        it('sends the signOut command from the settings tab and shows the signed-out panel when the phone ends', async () => {
            const { element, session, publishState } = await ready();
            expect(signOutButton(element).disabled).toBe(false);
            signOutButton(element).click();
            await settle();
            expect(session.calls).toContainEqual(['signOut']);

            await publishState({ started: false, role: 'stopped' });
            const signedOut = child(element, 'c-phone-sign-out') as any;
            expect(signedOut.signedOut).toBe(true);
            expect(signedOut.shadowRoot.querySelector('[data-id="signed-out"]')).not.toBeNull();
            expect(child(element, 'c-phone-status')).toBeNull();
        });

        it('is off during a call: phone-core refuses a sign-out in a call', async () => {
            const { element, publishState } = await ready({ calls: [callView('Connected')] });
            expect(signOut(element).inCall).toBe(true);
            expect(signOutButton(element).disabled).toBe(true);
            await publishState({ calls: [], incoming: callView('Ringing') });
            expect(signOutButton(element).disabled).toBe(true);
            await publishState({ calls: [], incoming: null });
            expect(signOutButton(element).disabled).toBe(false);
        });

        it('keeps the phone when the sign-out is refused (unsent logs): the error banner says why', async () => {
            const { element, session, publishState } = await ready();
            (session.signOut as jest.Mock).mockResolvedValueOnce({ ok: false, error: 'call-logs-unsent' });
            signOutButton(element).click();
            await settle();
            await publishState({
                error: { code: 'call-logs-unsent', at: 1, detail: '1 call log(s) not saved yet' } as any
            });
            expect(child(element, 'c-phone-sign-out').signedOut).toBe(false);
            expect(query(element, 'error')).not.toBeNull();
            expect(signOutButton(element).disabled).toBe(false);
        });

        it('a signed-out phone starts again with a new session', async () => {
            const { element, publishState } = await ready();
            await publishState({ started: false, role: 'stopped' });
            const before = FakePhoneSession.instances.length;
            (child(element, 'c-phone-sign-out') as any).shadowRoot
                .querySelector('[data-id="start-phone"]')
                .click();
            await settle();
            expect(FakePhoneSession.instances.length).toBe(before + 1);
            expect(FakePhoneSession.instances[before].start).toHaveBeenCalled();
            expect(child(element, 'c-phone-sign-out').signedOut).toBeFalsy();
        });

        it('is not "signed out" before the phone ever started', async () => {
            const { element } = await ready({ started: false, role: 'starting' });
            expect(child(element, 'c-phone-sign-out')?.signedOut ?? false).toBe(false);
            expect(child(element, 'c-phone-status')).not.toBeNull();
        });
    });
});
