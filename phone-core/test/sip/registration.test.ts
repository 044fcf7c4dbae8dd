import {
    canTransitionRegistration,
    RegistrationState,
    transitionRegistration
} from '../../src/sip/registration';

const { Unregistered, Registering, Registered, Failed } = RegistrationState;

describe('RegistrationState transitions', () => {
    // every pair: from, to, legal
    const table: Array<[RegistrationState, RegistrationState, boolean]> = [
        [Unregistered, Unregistered, false],
        [Unregistered, Registering, true],
        [Unregistered, Registered, false],
        [Unregistered, Failed, false],
        [Registering, Unregistered, true],
        [Registering, Registering, false],
        [Registering, Registered, true],
        [Registering, Failed, true],
        [Registered, Unregistered, true],
        [Registered, Registering, true],
        [Registered, Registered, false],
        [Registered, Failed, true],
        [Failed, Unregistered, true],
        [Failed, Registering, true],
        [Failed, Registered, false],
        [Failed, Failed, false]
    ];

    it.each(table)('%s -> %s legal: %p', (from, to, legal) => {
        expect(canTransitionRegistration(from, to)).toBe(legal);
        if (legal) {
            expect(transitionRegistration(from, to)).toBe(to);
        } else {
            expect(() => transitionRegistration(from, to)).toThrow(
                `Illegal registration transition ${from} -> ${to}`
            );
        }
    });
});
