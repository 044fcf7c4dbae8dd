/**
 * TransferLegs: consultation legs keep the phone's id, blind transfers count up, an attended transfer
 * continues the consultation to the same agent, unusable ids are no leg, and memory stays bounded.
 */
import { MAX_INTERACTIONS, TransferLegs } from '../transfer-legs';

describe('TransferLegs', () => {
    it('a consultation keeps its id; reporting it again is not a new leg', () => {
        const legs = new TransferLegs();
        expect(legs.consultation('t', 'int-1', 'leg-a', 'agt-102', 'agt-101')).toMatchObject({
            legKey: 'leg-a',
            kind: 'consultation',
            newLeg: true,
            parentInteractionId: 'int-1'
        });
        expect(legs.consultation('t', 'int-1', 'leg-a', 'agt-102', 'agt-101')?.newLeg).toBe(false);
    });

    it('blind transfers get <interaction>.t<n>; a Replaces to the consulted agent continues that leg', () => {
        const legs = new TransferLegs();
        legs.consultation('t', 'int-1', 'leg-a', 'agt-102', 'agt-101');
        expect(legs.transfer('t', 'int-1', 'agt-102', true, null)).toMatchObject({
            legKey: 'leg-a',
            newLeg: false
        });
        expect(legs.transfer('t', 'int-1', 'agt-103', true, null)).toMatchObject({
            legKey: 'int-1.t1',
            newLeg: true
        });
        expect(legs.transfer('t', 'int-1', 'agt-102', false, null).legKey).toBe('int-1.t2');
    });

    it.each([
        ['a space', 'leg a'],
        ['a quote', 'leg"a'],
        ['markup', '<leg>'],
        ['a backtick', 'leg`a'],
        ['the interaction itself', 'int-1'],
        ['an empty id', ''],
        ['201 characters', 'x'.repeat(201)]
    ])('a leg id with %s is no leg', (_what, legId) => {
        expect(new TransferLegs().consultation('t', 'int-1', legId, 'agt-102', null)).toBeUndefined();
    });

    it(`remembers the legs of the last ${MAX_INTERACTIONS} interactions`, () => {
        const legs = new TransferLegs();
        legs.consultation('t', 'int-0', 'leg-0', 'agt-102', null);
        for (let i = 1; i <= MAX_INTERACTIONS; i++) legs.transfer('t', `int-${i}`, 'agt-103', false, null);
        // int-0 was forgotten: its consultation is no longer continued, a Replaces makes a new leg
        expect(legs.transfer('t', 'int-0', 'agt-102', true, null)).toMatchObject({
            legKey: 'int-0.t1',
            newLeg: true
        });
    });
});
