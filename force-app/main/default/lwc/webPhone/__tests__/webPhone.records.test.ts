/**
 * c-web-phone: screen pop, navigation and records.
 */
import { getNavigateCalledWith, getNavigations } from 'lightning/navigation';
import { open as openUtility, UTILITY_ID } from 'lightning/platformUtilityBarApi';
import { agentView, callView, record } from '../../../../../test/jest-fixtures/phoneState';
import {
    attachNumber,
    child,
    createRecord,
    mocked,
    ready,
    screenPop,
    settle,
    setVisibility,
    showPage,
    toasts,
    useWebPhoneFixture
} from './webPhoneHarness';

describe('c-web-phone', () => {
    useWebPhoneFixture();

    describe('screen pop', () => {
        it('opens the matched record (a workspace tab in a console app)', async () => {
            const { session } = await ready();
            session.emit(
                'screenPop',
                screenPop({
                    action: 'open',
                    record: record(),
                    source: 'single-match',
                    alternatives: [],
                    collapsed: [],
                    autoCreateCase: null
                })
            );
            expect(getNavigateCalledWith().pageReference).toEqual({
                type: 'standard__recordPage',
                attributes: { recordId: '003000000000001AAA', objectApiName: 'Contact', actionName: 'view' }
            });
        });

        it('opens a Person Account as an Account page', async () => {
            const { session } = await ready();
            session.emit(
                'screenPop',
                screenPop({
                    action: 'open',
                    record: record({ id: '001000000000001AAA', objectType: 'PersonAccount' }),
                    source: 'single-match',
                    alternatives: [],
                    collapsed: [],
                    autoCreateCase: null
                })
            );
            expect(getNavigateCalledWith().pageReference.attributes.objectApiName).toBe('Account');
        });

        it('does not navigate in a hidden tab that does not hold the phone', async () => {
            const { session } = await ready();
            session.isLeader = false;
            setVisibility('hidden');
            session.emit(
                'screenPop',
                screenPop({
                    action: 'open',
                    record: record(),
                    source: 'single-match',
                    alternatives: [],
                    collapsed: [],
                    autoCreateCase: null
                })
            );
            expect(getNavigations()).toEqual([]);
        });

        it('does not reopen the record already on screen (dialled from it)', async () => {
            const { session } = await ready();
            showPage({
                type: 'standard__recordPage',
                attributes: { recordId: '003000000000001AAA', objectApiName: 'Contact' }
            });
            await settle();
            session.emit(
                'screenPop',
                screenPop({
                    action: 'open',
                    record: record(),
                    source: 'dialled-from',
                    alternatives: [],
                    collapsed: [],
                    autoCreateCase: null
                })
            );
            expect(getNavigations()).toEqual([]);
        });

        it('opens the panel for a choice instead of navigating', async () => {
            const { session } = await ready();
            session.emit(
                'screenPop',
                screenPop({ action: 'choose', candidates: [record()], collapsed: [], autoCreateCase: null })
            );
            expect(getNavigations()).toEqual([]);
            expect(openUtility).toHaveBeenCalledWith(UTILITY_ID);
        });

        it('creates the automatic Case (F6) in the tab holding the phone and relates the call', async () => {
            mocked(createRecord).mockResolvedValue('500000000000077AAA');
            const { session } = await ready();
            session.emit(
                'screenPop',
                screenPop({
                    action: 'create',
                    options: [],
                    autoCreateCase: {
                        objectApiName: 'Case',
                        defaultFieldValues: {
                            SuppliedPhone: '+48600700800',
                            Origin: 'Phone',
                            ContactId: '003000000000001AAA'
                        }
                    }
                })
            );
            await settle();
            expect(createRecord).toHaveBeenCalledWith({
                request: {
                    objectType: 'Case',
                    phone: '+48600700800',
                    subject: null,
                    description: null,
                    accountId: null,
                    contactId: '003000000000001AAA'
                }
            });
            expect(session.calls).toEqual([
                ['relateToRecord', { id: '500000000000077AAA', objectType: 'Case' }, 'call-1']
            ]);
        });

        it('leaves the automatic Case to the leader tab', async () => {
            const { session } = await ready();
            session.isLeader = false;
            session.emit(
                'screenPop',
                screenPop({
                    action: 'none',
                    reason: 'anonymous',
                    autoCreateCase: { objectApiName: 'Case', defaultFieldValues: {} }
                })
            );
            await settle();
            expect(createRecord).not.toHaveBeenCalled();
        });

        it('reports a failed automatic Case', async () => {
            mocked(createRecord).mockRejectedValue({ body: { message: 'Subject required' } });
            const { element, session } = await ready();
            const shown = toasts(element);
            session.emit(
                'screenPop',
                screenPop({
                    action: 'none',
                    reason: 'anonymous',
                    autoCreateCase: { objectApiName: 'Case', defaultFieldValues: {} }
                })
            );
            await settle();
            expect(shown).toEqual([{ message: 'No case: Subject required', variant: 'error' }]);
        });
    });

    describe('navigation and records', () => {
        it('opens a new record page prefilled with the number (F4)', async () => {
            const decision = { action: 'create' as const, options: [], autoCreateCase: null };
            const { element } = await ready({
                agent: agentView('Busy'),
                calls: [callView('Connected', { screenPop: decision })]
            });
            child(element, 'c-screen-pop-chooser').dispatchEvent(
                new CustomEvent('createrecord', {
                    detail: {
                        objectApiName: 'Account',
                        defaultFieldValues: { Phone: '+48600700800' },
                        chooseRecordType: true
                    }
                })
            );
            expect(getNavigateCalledWith().pageReference).toEqual({
                type: 'standard__objectPage',
                attributes: { objectApiName: 'Account', actionName: 'new' },
                state: { defaultFieldValues: 'Phone=%2B48600700800', useRecordTypeCheck: 1 }
            });
        });

        it('opens records and URLs from the caller card', async () => {
            const { element } = await ready({ agent: agentView('Busy'), calls: [callView('Connected')] });
            const card = child(element, 'c-caller-card');
            card.dispatchEvent(
                new CustomEvent('openrecord', {
                    detail: { recordId: '003000000000001AAA', objectApiName: 'Contact' }
                })
            );
            expect(getNavigateCalledWith().pageReference.type).toBe('standard__recordPage');
            card.dispatchEvent(
                new CustomEvent('openurl', { detail: { url: 'https://erp.example.com/c?id=1' } })
            );
            expect(getNavigateCalledWith().pageReference).toEqual({
                type: 'standard__webPage',
                attributes: { url: 'https://erp.example.com/c?id=1' }
            });
        });

        it('adds the number to an existing record and relates the call', async () => {
            mocked(attachNumber).mockResolvedValue('MobilePhone');
            const decision = {
                action: 'create' as const,
                options: [{ kind: 'attach-number' as const, e164: '+48600700800' }],
                autoCreateCase: null
            };
            const { element, session } = await ready({
                agent: agentView('Busy'),
                calls: [callView('Connected', { screenPop: decision })]
            });
            const shown = toasts(element);
            child(element, 'c-screen-pop-chooser').dispatchEvent(
                new CustomEvent('attachnumber', {
                    detail: { recordId: '00Q000000000001AAA', e164: '+48600700800' }
                })
            );
            await settle();
            expect(attachNumber).toHaveBeenCalledWith({
                recordId: '00Q000000000001AAA',
                phone: '+48600700800',
                fieldName: null
            });
            expect(shown).toEqual([{ message: 'c.Phone_Attach_Done', variant: 'success' }]);
            expect(session.calls).toEqual([
                ['relateToRecord', { id: '00Q000000000001AAA', objectType: 'Lead' }, 'call-1']
            ]);
        });

        it('shows the Apex message when the number cannot be added', async () => {
            mocked(attachNumber).mockRejectedValue({ body: { message: 'No empty phone field' } });
            const decision = {
                action: 'create' as const,
                options: [{ kind: 'attach-number' as const, e164: '+48600700800' }],
                autoCreateCase: null
            };
            const { element, session } = await ready({
                agent: agentView('Busy'),
                calls: [callView('Connected', { screenPop: decision })]
            });
            const shown = toasts(element);
            child(element, 'c-screen-pop-chooser').dispatchEvent(
                new CustomEvent('attachnumber', {
                    detail: { recordId: '003000000000001AAA', e164: '+48600700800' }
                })
            );
            await settle();
            expect(shown).toEqual([{ message: 'Not added: No empty phone field', variant: 'error' }]);
            expect(session.calls).toEqual([]);
        });
    });
});
