import { decideScreenPop } from '../../../../../../phone-core/src/screen-pop/screen-pop';
import { toCoreSettings } from '../orgSettings';

describe('orgSettings: the admin-chosen custom object (F20)', () => {
    it('offers "new record" of the custom object, prefilled with the number, and ranks it by the admin', () => {
        const core = toCoreSettings(
            {
                defaultCountry: 'PL',
                screenPopOrder: ['Custom', 'Contact'],
                customObject: { apiName: 'Service_Request__c', phoneField: 'Phone__c' }
            },
            'Unknown caller'
        );
        expect(core.screenPop?.createOptions).toEqual(['Contact', 'Lead', 'Case', 'Custom']);
        expect(core.screenPop?.objectOrder).toEqual(['Custom', 'Contact']);
        const decision = decideScreenPop(
            { matches: [], number: { e164: '+48606321654', searchable: true }, direction: 'inbound' },
            core.screenPop
        );
        expect(decision.action).toBe('create');
        const custom =
            decision.action === 'create'
                ? decision.options.find((o) => o.kind === 'create' && o.objectType === 'Custom')
                : null;
        expect(custom).toMatchObject({
            objectApiName: 'Service_Request__c',
            defaultFieldValues: { Phone__c: '+48606321654' }
        });
    });

    it('offers nothing custom when none is chosen', () => {
        const core = toCoreSettings({ customObject: null }, 'Unknown caller');
        expect(core.screenPop?.createOptions).not.toContain('Custom');
        expect(core.screenPop).not.toHaveProperty('customObject');
    });
});
