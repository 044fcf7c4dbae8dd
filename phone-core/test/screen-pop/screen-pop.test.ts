import {
    decideScreenPop,
    rankMatches,
    relatedRecordsForTask,
    type RecordMatch,
    type ScreenPopDecision,
    type ScreenPopInput,
    type ScreenPopRules,
    type TaskRelations
} from '../../src/screen-pop/screen-pop';

const NUMBER = { e164: '+48600700800', searchable: true };

const contact: RecordMatch = {
    id: '003A',
    objectType: 'Contact',
    name: 'Anna Nowak',
    accountId: '001ACME',
    lastActivityAt: '2024-05-01T10:00:00Z'
};
const otherContact: RecordMatch = {
    id: '003B',
    objectType: 'Contact',
    name: 'Bartek Nowak',
    lastActivityAt: '2024-06-01T10:00:00Z'
};
const ownedContact: RecordMatch = {
    id: '003C',
    objectType: 'Contact',
    name: 'Cezary',
    ownerIsCurrentUser: true
};
const parentAccount: RecordMatch = { id: '001ACME', objectType: 'Account', name: 'Acme sp. z o.o.' };
const lonelyAccount: RecordMatch = { id: '001SOLO', objectType: 'Account', name: 'Solo Ltd' };
const lead: RecordMatch = { id: '00QL', objectType: 'Lead', name: 'Lena Lead' };
const personAccount: RecordMatch = {
    id: '001PA',
    objectType: 'PersonAccount',
    name: 'Piotr Person',
    contactId: '003PC'
};
const personContact: RecordMatch = {
    id: '003PC',
    objectType: 'Contact',
    name: 'Piotr Person',
    accountId: '001PA'
};
const openCase: RecordMatch = {
    id: '500X',
    objectType: 'Case',
    name: 'Broken phone',
    caseNumber: '00001026',
    contactId: '003A',
    accountId: '001ACME'
};
const caseWithoutContact: RecordMatch = {
    id: '500Y',
    objectType: 'Case',
    name: 'Orphan',
    caseNumber: '00001027'
};
const custom: RecordMatch = {
    id: 'a01Z',
    objectType: 'Custom',
    name: 'Service request 7',
    objectApiName: 'SR__c'
};

function input(overrides: Partial<ScreenPopInput>): ScreenPopInput {
    return { matches: [], number: NUMBER, direction: 'inbound', ...overrides };
}

function summary(decision: ScreenPopDecision): string {
    switch (decision.action) {
        case 'open':
            return `open ${decision.record.id} (${decision.source})`;
        case 'choose':
            return `choose ${decision.candidates.map((c) => c.id).join(',')}`;
        case 'create':
            return `create ${decision.options
                .map((o) => (o.kind === 'create' ? o.objectType : o.kind))
                .join(',')}`;
        case 'none':
            return `none ${decision.reason}`;
    }
}

describe('decideScreenPop', () => {
    const cases: Array<[string, ScreenPopInput, ScreenPopRules, string]> = [
        ['one contact opens it', input({ matches: [contact] }), {}, 'open 003A (single-match)'],
        ['one lead opens it', input({ matches: [lead] }), {}, 'open 00QL (single-match)'],
        ['one case opens it', input({ matches: [openCase] }), {}, 'open 500X (single-match)'],
        ['one custom record opens it', input({ matches: [custom] }), {}, 'open a01Z (single-match)'],
        [
            'openSingleMatch off: one match is offered to choose',
            input({ matches: [contact] }),
            { openSingleMatch: false },
            'choose 003A'
        ],
        [
            'several: ranked by object order, then recency',
            input({ matches: [lonelyAccount, lead, contact, otherContact, personAccount, openCase] }),
            {},
            'choose 001PA,003B,003A,00QL,001SOLO,500X'
        ],
        [
            'custom object order puts Case and Lead first',
            input({ matches: [contact, lead, openCase] }),
            { objectOrder: ['Case', 'Lead', 'Contact'] },
            'choose 500X,00QL,003A'
        ],
        [
            'types missing from objectOrder rank last',
            input({ matches: [custom, lead] }),
            { objectOrder: ['Lead'] },
            'choose 00QL,a01Z'
        ],
        [
            'owned record ranks first within its type',
            input({ matches: [otherContact, contact, ownedContact] }),
            {},
            'choose 003C,003B,003A'
        ],
        [
            'preferOwnedRecords: exactly one owned opens',
            input({ matches: [otherContact, contact, ownedContact] }),
            { preferOwnedRecords: true },
            'open 003C (owned-by-me)'
        ],
        [
            'preferOwnedRecords: two owned still asks',
            input({ matches: [{ ...contact, ownerIsCurrentUser: true }, ownedContact] }),
            { preferOwnedRecords: true },
            'choose 003A,003C'
        ],
        [
            'parent Account of a matched Contact is collapsed: single contact opens',
            input({ matches: [parentAccount, contact] }),
            {},
            'open 003A (single-match)'
        ],
        [
            'person contact of a matched Person Account is collapsed',
            input({ matches: [personContact, personAccount] }),
            {},
            'open 001PA (single-match)'
        ],
        [
            'an Account that is not a parent stays',
            input({ matches: [lonelyAccount, contact] }),
            {},
            'choose 003A,001SOLO'
        ],
        [
            'duplicate ids count once',
            input({ matches: [contact, { ...contact }] }),
            {},
            'open 003A (single-match)'
        ],
        [
            'no match: create options in configured order plus attach',
            input({ matches: [] }),
            { createOptions: ['Lead', 'Contact', 'Case'] },
            'create Lead,Contact,Case,attach-number'
        ],
        [
            'no match: PersonAccount offered only when the org has them',
            input({ matches: [] }),
            { createOptions: ['PersonAccount', 'Contact'] },
            'create Contact,attach-number'
        ],
        [
            'no match: PersonAccount offered when enabled',
            input({ matches: [] }),
            { createOptions: ['PersonAccount', 'Contact'], personAccountsEnabled: true },
            'create PersonAccount,Contact,attach-number'
        ],
        [
            'no match: Custom needs the custom object rule',
            input({ matches: [] }),
            { createOptions: ['Custom'] },
            'create attach-number'
        ],
        ['no match: default options', input({ matches: [] }), {}, 'create Contact,Lead,Case,attach-number'],
        [
            'anonymous: no search',
            input({ number: { e164: null, searchable: false, anonymous: true } }),
            {},
            'none anonymous'
        ],
        [
            'emergency/short code: not searchable',
            input({ number: { e164: null, searchable: false } }),
            {},
            'none not-searchable'
        ],
        [
            'searchable without e164 is treated as not searchable',
            input({ number: { searchable: true } }),
            {},
            'none not-searchable'
        ],
        [
            'not searchable: stray matches are ignored',
            input({ matches: [contact], number: { e164: null, searchable: false } }),
            {},
            'none not-searchable'
        ],
        [
            'IVR case code wins over other matches (leading zeros ignored)',
            input({ matches: [contact, lead, openCase], ivrCaseCode: ' 1026 ' }),
            {},
            'open 500X (ivr-case)'
        ],
        [
            'IVR case code wins even for an anonymous caller',
            input({
                matches: [openCase],
                ivrCaseCode: '00001026',
                number: { searchable: false, anonymous: true }
            }),
            {},
            'open 500X (ivr-case)'
        ],
        [
            'IVR code matching no case falls back to number matches',
            input({ matches: [contact, openCase], ivrCaseCode: '999' }),
            {},
            'choose 003A,500X'
        ],
        [
            'IVR code never matches a non-Case record',
            input({ matches: [{ ...contact, caseNumber: '1026' }], ivrCaseCode: '1026' }),
            {},
            'open 003A (single-match)'
        ],
        [
            'outbound dialled from a matched record opens it',
            input({ direction: 'outbound', matches: [contact, otherContact], dialledFromRecordId: '003B' }),
            {},
            'open 003B (dialled-from)'
        ],
        [
            'outbound dialled from a record not in the matches',
            input({
                direction: 'outbound',
                matches: [contact],
                dialledFromRecordId: '001SOLO',
                dialledFromRecord: lonelyAccount
            }),
            {},
            'open 001SOLO (dialled-from)'
        ],
        [
            'outbound dialled-from wins over an IVR code and an unsearchable number',
            input({
                direction: 'outbound',
                matches: [openCase],
                ivrCaseCode: '1026',
                dialledFromRecordId: '00QL',
                number: { searchable: false }
            }),
            {},
            'open 00QL (dialled-from)'
        ],
        [
            'inbound ignores dialledFromRecordId',
            input({ direction: 'inbound', matches: [contact, otherContact], dialledFromRecordId: '003B' }),
            {},
            'choose 003B,003A'
        ],
        [
            'outbound from the dial pad behaves like inbound',
            input({ direction: 'outbound', matches: [] }),
            { createOptions: ['Contact'] },
            'create Contact,attach-number'
        ]
    ];

    it.each(cases)('%s', (_name, given, rules, expected) => {
        expect(summary(decideScreenPop(given, rules))).toBe(expected);
    });

    it('does not modify its input', () => {
        const matches = [lonelyAccount, lead, contact];
        const given = input({ matches });
        const frozen = JSON.stringify(given);
        decideScreenPop(given, {});
        expect(JSON.stringify(given)).toBe(frozen);
        expect(matches[0]).toBe(lonelyAccount);
    });

    it('create options are prefilled with the E.164 number', () => {
        const decision = decideScreenPop(input({}), {
            createOptions: ['Contact', 'Lead', 'PersonAccount', 'Case', 'Custom'],
            personAccountsEnabled: true,
            customObject: { apiName: 'SR__c', phoneField: 'Phone__c' }
        });
        expect(decision).toEqual({
            action: 'create',
            autoCreateCase: null,
            options: [
                {
                    kind: 'create',
                    objectType: 'Contact',
                    objectApiName: 'Contact',
                    defaultFieldValues: { Phone: NUMBER.e164 }
                },
                {
                    kind: 'create',
                    objectType: 'Lead',
                    objectApiName: 'Lead',
                    defaultFieldValues: { Phone: NUMBER.e164 }
                },
                {
                    kind: 'create',
                    objectType: 'PersonAccount',
                    objectApiName: 'Account',
                    defaultFieldValues: { Phone: NUMBER.e164 }
                },
                {
                    kind: 'create',
                    objectType: 'Case',
                    objectApiName: 'Case',
                    defaultFieldValues: { SuppliedPhone: NUMBER.e164, Origin: 'Phone' }
                },
                {
                    kind: 'create',
                    objectType: 'Custom',
                    objectApiName: 'SR__c',
                    defaultFieldValues: { Phone__c: NUMBER.e164 }
                },
                { kind: 'attach-number', e164: NUMBER.e164 }
            ]
        });
    });

    it('IVR case exposes its contact as who (the matched record when present)', () => {
        const decision = decideScreenPop(input({ matches: [contact, openCase], ivrCaseCode: '1026' }), {});
        expect(decision.action).toBe('open');
        if (decision.action !== 'open') return;
        expect(decision.who).toEqual({ whoId: '003A', record: contact });
        expect(decision.alternatives.map((r) => r.id)).toEqual(['003A']);
        expect(decision.autoCreateCase).toBeNull();
    });

    it('IVR case whose contact was not matched still names the WhoId', () => {
        const decision = decideScreenPop(
            input({ matches: [{ ...openCase, contactId: '003ZZ' }], ivrCaseCode: '1026' })
        );
        expect(decision.action === 'open' && decision.who).toEqual({ whoId: '003ZZ' });
    });

    it('IVR case whose contact is a person contact points at the Person Account record', () => {
        const decision = decideScreenPop(
            input({ matches: [personAccount, { ...openCase, contactId: '003PC' }], ivrCaseCode: '1026' })
        );
        expect(decision.action === 'open' && decision.who).toEqual({ whoId: '003PC', record: personAccount });
    });

    it('IVR case without a contact has no who', () => {
        const decision = decideScreenPop(input({ matches: [caseWithoutContact], ivrCaseCode: '1027' }));
        expect(decision.action === 'open' && decision.who).toBeUndefined();
    });

    it('collapsed records are reported', () => {
        const decision = decideScreenPop(input({ matches: [parentAccount, contact, otherContact] }));
        expect(decision.action).toBe('choose');
        if (decision.action !== 'choose') return;
        expect(decision.collapsed).toEqual([parentAccount]);
    });

    it('dialled from an id only: object type from the standard key prefix', () => {
        const expectations: Array<[string, string]> = [
            ['001000000000001', 'Account'],
            ['003000000000001', 'Contact'],
            ['00Q000000000001', 'Lead'],
            ['500000000000001', 'Case'],
            ['006000000000001', 'Custom']
        ];
        for (const [id, type] of expectations) {
            const decision = decideScreenPop(input({ direction: 'outbound', dialledFromRecordId: id }));
            expect(decision.action === 'open' && decision.record.objectType).toBe(type);
        }
    });

    describe('autoCreateCase (F6)', () => {
        const rules: ScreenPopRules = { autoCreateCase: true };
        const table: Array<[string, ScreenPopInput, Record<string, string> | null]> = [
            [
                'single contact: case for the contact and its account',
                input({ matches: [contact] }),
                { Origin: 'Phone', SuppliedPhone: NUMBER.e164, ContactId: '003A', AccountId: '001ACME' }
            ],
            [
                'person account: account and person contact',
                input({ matches: [personAccount] }),
                { Origin: 'Phone', SuppliedPhone: NUMBER.e164, AccountId: '001PA', ContactId: '003PC' }
            ],
            [
                'account only',
                input({ matches: [lonelyAccount] }),
                { Origin: 'Phone', SuppliedPhone: NUMBER.e164, AccountId: '001SOLO' }
            ],
            [
                'lead: a case cannot name a lead',
                input({ matches: [lead] }),
                { Origin: 'Phone', SuppliedPhone: NUMBER.e164 }
            ],
            [
                'several: agent assigns later',
                input({ matches: [contact, otherContact] }),
                { Origin: 'Phone', SuppliedPhone: NUMBER.e164 }
            ],
            ['no match', input({}), { Origin: 'Phone', SuppliedPhone: NUMBER.e164 }],
            [
                'anonymous: no number',
                input({ number: { searchable: false, anonymous: true } }),
                { Origin: 'Phone' }
            ],
            [
                'IVR case: the call is about that case',
                input({ matches: [openCase], ivrCaseCode: '1026' }),
                null
            ],
            [
                'dialled from a case',
                input({ direction: 'outbound', matches: [openCase], dialledFromRecordId: '500X' }),
                null
            ]
        ];
        it.each(table)('%s', (_name, given, expected) => {
            const decision = decideScreenPop(given, rules);
            expect(
                decision.autoCreateCase === null ? null : decision.autoCreateCase.defaultFieldValues
            ).toEqual(expected);
        });

        it('is off by default', () => {
            expect(decideScreenPop(input({ matches: [contact] })).autoCreateCase).toBeNull();
        });
    });
});

describe('rankMatches', () => {
    it('orders by type, then owner, then most recent activity, then name', () => {
        const matches: RecordMatch[] = [
            { id: '003-old', objectType: 'Contact', name: 'Old', lastActivityAt: '2020-01-01T00:00:00Z' },
            { id: '003-none', objectType: 'Contact', name: 'Never' },
            { id: '003-bad', objectType: 'Contact', name: 'Bad date', lastActivityAt: 'not a date' },
            {
                id: '003-new',
                objectType: 'Contact',
                name: 'New',
                lastActivityAt: Date.parse('2024-01-01T00:00:00Z')
            },
            { id: '003-mine', objectType: 'Contact', name: 'Mine', ownerIsCurrentUser: true },
            { id: '00Q-lead', objectType: 'Lead', name: 'Lead', ownerIsCurrentUser: true }
        ];
        expect(rankMatches(matches).candidates.map((m) => m.id)).toEqual([
            '003-mine',
            '003-new',
            '003-old',
            '003-bad',
            '003-none',
            '00Q-lead'
        ]);
    });

    it('ignores entries without an id', () => {
        const matches = [{ id: '', objectType: 'Contact', name: 'x' }, contact] as RecordMatch[];
        expect(rankMatches(matches).candidates).toEqual([contact]);
    });
});

describe('relatedRecordsForTask', () => {
    const table: Array<[string, Parameters<typeof relatedRecordsForTask>[0], TaskRelations]> = [
        ['Lead: WhoId only, never a WhatId', { ...lead, accountId: '001X' }, { whoId: '00QL' }],
        ['Contact: WhoId = contact', contact, { whoId: '003A' }],
        [
            'Person Account: WhoId = person contact, WhatId = account',
            personAccount,
            { whoId: '003PC', whatId: '001PA' }
        ],
        [
            'Person Account without person contact id: WhatId only',
            { id: '001PA', objectType: 'PersonAccount' },
            { whatId: '001PA' }
        ],
        ['Account: WhatId', lonelyAccount, { whatId: '001SOLO' }],
        ['Case: WhatId = case, WhoId = its contact', openCase, { whoId: '003A', whatId: '500X' }],
        ['Case without contact: WhatId only', caseWithoutContact, { whatId: '500Y' }],
        ['Custom: WhatId', custom, { whatId: 'a01Z' }],
        [
            'open decision: IVR case without a contact names no who',
            decideScreenPop(
                input({ matches: [{ ...openCase, contactId: undefined }, contact], ivrCaseCode: '1026' })
            ),
            { whatId: '500X' }
        ],
        [
            'open decision: IVR case with its contact',
            decideScreenPop(input({ matches: [openCase], ivrCaseCode: '1026' })),
            { whoId: '003A', whatId: '500X' }
        ],
        ['open decision: single lead', decideScreenPop(input({ matches: [lead] })), { whoId: '00QL' }],
        ['choose decision: nothing selected yet', decideScreenPop(input({ matches: [contact, lead] })), {}],
        ['create decision', decideScreenPop(input({})), {}],
        ['none decision', decideScreenPop(input({ number: { searchable: false } })), {}]
    ];

    it.each(table)('%s', (_name, subject, expected) => {
        expect(relatedRecordsForTask(subject)).toEqual(expected);
    });

    it('Contact: WhatId = its account when asked', () => {
        expect(relatedRecordsForTask(contact, { relateContactAccount: true })).toEqual({
            whoId: '003A',
            whatId: '001ACME'
        });
        expect(relatedRecordsForTask(otherContact, { relateContactAccount: true })).toEqual({
            whoId: '003B'
        });
    });
});
