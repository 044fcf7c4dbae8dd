/**
 * c-web-phone: the phone state bound to the child components and their commands to the session.
 */
import {
    agentView,
    callView,
    interactionView,
    record,
    recentCall
} from '../../../../../test/jest-fixtures/phoneState';
import { child, query, ready, settle, shadow, showPage, useWebPhoneFixture } from './webPhoneHarness';

describe('c-web-phone', () => {
    useWebPhoneFixture();

    describe('binding the state', () => {
        it('passes the agent status and pause reasons to c-phone-status and its commands to the session', async () => {
            const { element, session } = await ready({ agent: agentView('Paused') });
            const status = child(element, 'c-phone-status');
            expect(status.agent.status).toBe('Paused');
            expect(status.pauseReasons).toEqual([
                { id: 'lunch', label: 'Lunch' },
                { id: 'training', label: 'Training' }
            ]);
            status.dispatchEvent(
                new CustomEvent('phonecommand', {
                    detail: { type: 'setStatus', request: { status: 'Ready' } }
                })
            );
            await settle();
            expect(session.calls).toEqual([['setStatus', { status: 'Ready' }]]);
        });

        it('shows the dial pad when idle and dials through the session', async () => {
            const { element, session } = await ready({ lastDialled: '+48600700800' });
            const pad = child(element, 'c-dial-pad');
            expect(pad.lastDialled).toBe('+48600700800');
            expect(pad.numberInspector('600 700 800')).toEqual({ dialable: true, display: '+600700800' });
            expect(pad.numberInspector('112')).toEqual({ dialable: false, display: '' });
            pad.dispatchEvent(
                new CustomEvent('phonecommand', { detail: { type: 'dial', number: '600700800' } })
            );
            await settle();
            expect(session.calls).toEqual([['dial', '600700800', undefined]]);
        });

        it('shows a ringing call with its caller and answer/reject', async () => {
            const incoming = callView('Ringing');
            const { element, session } = await ready({
                agent: agentView('Ringing'),
                calls: [incoming],
                incoming
            });
            const section = query(element, 'incoming');
            expect(section.querySelector('c-caller-card').caller.name).toBe('Jan Kowalski');
            const controls = section.querySelector('c-call-controls');
            expect(controls.call.id).toBe('call-1');
            expect(child(element, 'c-dial-pad')).toBeNull();
            controls.dispatchEvent(
                new CustomEvent('phonecommand', { detail: { type: 'answer', callId: 'call-1' } })
            );
            await settle();
            expect(session.calls).toEqual([['answer', 'call-1']]);
        });

        it('shows an active call with controls, consultation and "related to"', async () => {
            const primary = callView('OnHold', { consultActive: true });
            const consult = callView('Connected', { id: 'consult-1', role: 'consultation' });
            const { element } = await ready({ agent: agentView('Busy'), calls: [primary, consult] });
            const active = query(element, 'active');
            const controls = active.querySelector('c-call-controls');
            expect(controls.call.id).toBe('call-1');
            expect(controls.consultCall.id).toBe('consult-1');
            expect(active.querySelector('c-related-to').call.id).toBe('call-1');
        });

        it('gives "related to" the record on screen (F7)', async () => {
            const { element } = await ready({ agent: agentView('Busy'), calls: [callView('Connected')] });
            showPage({
                type: 'standard__recordPage',
                attributes: { recordId: '500000000000001AAA', objectApiName: 'Case', actionName: 'view' }
            });
            await settle();
            expect(child(element, 'c-related-to').screenRecord).toEqual({
                recordId: '500000000000001AAA',
                objectApiName: 'Case'
            });
            showPage({
                type: 'standard__objectPage',
                attributes: { objectApiName: 'Case', actionName: 'list' }
            });
            await settle();
            expect(child(element, 'c-related-to').screenRecord).toBeNull();
        });

        it('shows the chooser for several matches until the call is related', async () => {
            const decision = {
                action: 'choose' as const,
                candidates: [record(), record({ id: '00Q000000000001AAA', objectType: 'Lead' as const })],
                collapsed: [],
                autoCreateCase: null
            };
            const { element, publishState } = await ready({
                agent: agentView('Busy'),
                calls: [callView('Connected', { screenPop: decision })]
            });
            const chooser = child(element, 'c-screen-pop-chooser');
            expect(chooser.decision).toEqual(decision);
            expect(chooser.callId).toBe('call-1');
            await publishState({
                agent: agentView('Busy'),
                calls: [
                    callView('Connected', {
                        screenPop: decision,
                        related: {
                            id: '003000000000001AAA',
                            objectType: 'Contact',
                            name: 'Jan',
                            source: 'chosen'
                        }
                    })
                ]
            });
            expect(child(element, 'c-screen-pop-chooser')).toBeNull();
        });

        it('shows the wrap-up form with its chooser after the call', async () => {
            const decision = {
                action: 'create' as const,
                options: [{ kind: 'attach-number' as const, e164: '+48600700800' }],
                autoCreateCase: null
            };
            const wrapUp = interactionView({ screenPop: decision });
            const { element, session } = await ready({
                agent: agentView('Wrap'),
                interactions: [wrapUp],
                wrapUp
            });
            const form = child(element, 'c-wrap-up-form');
            expect(form.wrapUp.interactionId).toBe('ia-1');
            expect(form.agentInWrap).toBe(true);
            expect(child(element, 'c-screen-pop-chooser').decision).toEqual(decision);
            expect(child(element, 'c-dial-pad')).toBeNull();
            form.dispatchEvent(
                new CustomEvent('phonecommand', {
                    detail: { type: 'submitWrapUp', interactionId: 'ia-1', form: { notes: 'x' } }
                })
            );
            await settle();
            expect(session.calls).toEqual([['submitWrapUp', { notes: 'x' }, 'ia-1']]);
        });

        it('shows recent calls and device settings in their tabs', async () => {
            const { element } = await ready({
                recentCalls: [recentCall()],
                audioDevices: { input: 'mic-1' },
                microphone: { problem: 'denied' }
            });
            const tabs = Array.from(shadow(element).querySelectorAll('[role="tab"]')) as HTMLElement[];
            const panel = (id: string): HTMLElement => query(element, `panel-${id}`);
            expect(tabs.map((tab) => tab.getAttribute('aria-selected'))).toEqual(['true', 'false', 'false']);
            expect(panel('phone').className).toContain('slds-show');
            expect(panel('recent').className).toContain('slds-hide');
            tabs[1].click();
            await settle();
            expect(panel('recent').className).toContain('slds-show');
            expect(panel('phone').className).toContain('slds-hide');
            expect((panel('recent').querySelector('c-recent-calls') as any).calls).toHaveLength(1);
            expect(shadow(element).querySelectorAll('[role="tab"]')[1].getAttribute('aria-selected')).toBe(
                'true'
            );
            tabs[2].click();
            await settle();
            const devices = panel('settings').querySelector('c-device-settings') as any;
            expect(devices.devices).toEqual({ input: 'mic-1' });
            expect(devices.microphone).toEqual({ problem: 'denied' });
        });

        it('moves between tabs with the arrow keys', async () => {
            const { element } = await ready();
            const tab = (index: number): HTMLElement =>
                shadow(element).querySelectorAll('[role="tab"]')[index] as HTMLElement;
            tab(0).dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
            await settle();
            expect(tab(1).getAttribute('aria-selected')).toBe('true');
            expect(tab(1).getAttribute('tabindex')).toBe('0');
            tab(1).dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft' }));
            tab(0).dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft' }));
            await settle();
            expect(tab(2).getAttribute('aria-selected')).toBe('true');
        });

        it('says which line state the phone is in', async () => {
            const { element, publishState } = await ready();
            expect(query(element, 'line').textContent).toBe('c.Phone_Line_Registered');
            await publishState({
                registration: { state: 'Registering' as never },
                connection: { state: 'Connecting' as never }
            });
            expect(query(element, 'line').textContent).toBe('c.Phone_Line_Registering');
            await publishState({
                registration: { state: 'Unregistered' as never },
                connection: { state: 'WaitingToReconnect' as never }
            });
            expect(query(element, 'line').textContent).toBe('c.Phone_Line_Reconnecting');
            await publishState({ connection: { state: 'Disconnected' as never, offline: true } });
            expect(query(element, 'line').textContent).toBe('c.Phone_Line_Offline');
        });

        it('lets a follower tab take the phone over', async () => {
            const { element, session } = await ready({
                role: 'follower',
                leader: { tabId: 'other', kind: 'tab', responsive: true, self: false }
            });
            expect(query(element, 'line').textContent).toBe('c.Phone_Line_Follower');
            query(element, 'use-here').click();
            expect(session.calls).toEqual([['requestLeadership']]);
        });
    });
});
