/**
 * The local org's sample data: Accounts, Person Accounts, Contacts, Leads and Cases whose phone numbers are
 * typed the ways people type them (E.164 with spaces, national with dashes or parentheses, `00` prefixes,
 * `(0)` trunk digits, extensions, other countries' trunk prefixes), so every rule of the caller lookup has a
 * record to show it. With the default country PL:
 *
 * | caller            | finds                                   | why                                          |
 * |-------------------|-----------------------------------------|----------------------------------------------|
 * | +48 600 700 800   | Contact Jan Kowalski                    | stored `600-700-800` (national, dashes)      |
 * | +48 601 234 567   | Contact Agnieszka Nowak + her open Case | stored `0048 601 234 567`                    |
 * | +48 602 111 222   | Contact Marek Zieliński, Lead Marta ... | two records share the number: the chooser    |
 * | +48 603 444 555   | Person Account Katarzyna Wójcik         | Person Account mobile                        |
 * | +48 22 765 43 21  | Person Account Tomasz Lewandowski       | stored `(22) 765 43 21`                      |
 * | +31 6 1234 5678   | Contact Pieter de Vries                 | stored `+31 (0)6 1234 5678`                  |
 * | +49 30 1234567    | Lead Lisa Müller                        | stored `+49 (0)30 1234567`                   |
 * | +1 415 555 2671   | nobody                                  | stored `(415) 555-2671 x12`: a US national   |
 * |                   |                                         | form, found only in an org whose country is US|
 * | any, IVR 1027     | Case 00001027                           | the IVR case code (zero-padded 8 digits)     |
 * | +48 609 000 111   | nobody                                  | create a Lead / Contact / Case, or attach    |
 * | +48 606 321 654   | Service Request SR-0001 (when chosen)   | the admin's custom object (F20), `606 321 654`|
 * | +48 607 888 999   | Service Request SR-0002 (when chosen)   | a text field holding `48607888999`           |
 */
import type { OrgDatabase } from './database';
import type { PhoneSettingsRecord } from './apex/phone-settings';
import { SETTINGS_KEY } from './apex/phone-settings';
import { ASSIGNMENTS_KEY } from './apex/phone-setup';
import { legIdOf } from './apex/call-log';

/** The org's users: the agents of the simulator's sample tenant (matched by e-mail) and an integration user. */
export const SAMPLE_USERS = [
    { key: 'anna', Name: 'Anna Kowalska', Email: 'anna.kowalska@acme.example', persona: 'PhoneAdmin' },
    { key: 'piotr', Name: 'Piotr Nowak', Email: 'piotr.nowak@acme.example', persona: 'PhoneAgent' },
    { key: 'jan', Name: 'Jan Wiśniewski', Email: 'jan.wisniewski@acme.example', persona: 'PhoneAgent' },
    // agents of the simulator without a seat yet (the setup tab grants them one), and a user without an agent
    { key: 'eva', Name: 'Eva Dvořáková', Email: 'eva.dvorakova@acme.example', persona: null },
    { key: 'tomasz', Name: 'Tomasz Lewandowski', Email: 'tomasz.lewandowski@acme.example', persona: null },
    { key: 'katarzyna', Name: 'Katarzyna Wójcik', Email: 'katarzyna.wojcik@acme.example', persona: null },
    { key: 'ewa', Name: 'Ewa Nowak', Email: 'ewa.nowak@acme.example', persona: null },
    { key: 'integration', Name: 'Integration User', Email: 'integration@acme.example', persona: null }
] as const;

/** The user the workbench signs in as unless told otherwise (agent agt-101 in the simulator). */
export const DEFAULT_USER_EMAIL = SAMPLE_USERS[0].Email;

const DAY = 24 * 3600 * 1000;

/**
 * Seeds a new database.
 * @param settings the Phone_Settings__c org default (default country etc.)
 */
export function seedLocalOrg(db: OrgDatabase, settings: PhoneSettingsRecord, now = Date.now()): void {
    db.setMeta(SETTINGS_KEY, JSON.stringify(settings));
    const users = new Map<string, string>();
    const personas: Record<string, string> = {};
    for (const user of SAMPLE_USERS) {
        // the simulator's agents carry the e-mail as their SSO id: the Federation ID matches them
        const id = db.insert(
            'User',
            { Name: user.Name, Email: user.Email, FederationIdentifier: user.Email },
            ''
        ).Id;
        users.set(user.key, id);
        if (user.persona) personas[id] = user.persona;
    }
    db.setMeta(ASSIGNMENTS_KEY, JSON.stringify(personas));
    const owner = users.get('integration')!;
    const anna = users.get('anna')!;
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
    const insert = (
        object: 'Account' | 'Contact' | 'Lead' | 'Case',
        fields: Record<string, unknown>,
        daysAgo: number,
        ownerId = owner
    ) =>
        db.insert(
            object,
            { ...fields, OwnerId: ownerId, CreatedDate: at(daysAgo + 30), LastModifiedDate: at(daysAgo) },
            owner
        );

    // Business accounts
    const kowalski = insert(
        'Account',
        {
            Name: 'Kowalski Logistics Sp. z o.o.',
            Phone: '+48 22 123 45 67',
            Industry: 'Transportation',
            BillingCity: 'Warszawa',
            BillingCountry: 'Poland'
        },
        20
    );
    const vanDerBerg = insert(
        'Account',
        {
            Name: 'Van der Berg Installatietechniek B.V.',
            Phone: '+31 (0)20 123 4567',
            Industry: 'Construction',
            BillingCity: 'Amsterdam',
            BillingCountry: 'Netherlands'
        },
        12
    );
    const goldenGate = insert(
        'Account',
        {
            Name: 'Golden Gate Coffee Roasters',
            Phone: '(415) 555-2671 x12',
            Industry: 'Food & Beverage',
            BillingCity: 'San Francisco',
            BillingCountry: 'United States'
        },
        40
    );
    const volga = insert(
        'Account',
        {
            Name: 'Volga Instruments',
            Phone: '8 (916) 123-45-67',
            Industry: 'Manufacturing',
            BillingCity: 'Moscow',
            BillingCountry: 'Russia'
        },
        55
    );
    const brno = insert(
        'Account',
        {
            Name: 'Brno Bikes s.r.o.',
            Phone: '+420 541 234 567',
            Industry: 'Retail',
            BillingCity: 'Brno',
            BillingCountry: 'Czech Republic'
        },
        9
    );

    // Contacts
    const jan = insert(
        'Contact',
        {
            FirstName: 'Jan',
            LastName: 'Kowalski',
            Title: 'Logistics Manager',
            AccountId: kowalski.Id,
            MobilePhone: '600-700-800',
            Email: 'jan.kowalski@kowalski-logistics.example'
        },
        15
    );
    const agnieszka = insert(
        'Contact',
        {
            FirstName: 'Agnieszka',
            LastName: 'Nowak',
            Title: 'Office Manager',
            AccountId: kowalski.Id,
            Phone: '0048 601 234 567',
            Email: 'a.nowak@kowalski-logistics.example'
        },
        6
    );
    const pieter = insert(
        'Contact',
        {
            FirstName: 'Pieter',
            LastName: 'de Vries',
            Title: 'Owner',
            AccountId: vanDerBerg.Id,
            MobilePhone: '+31 (0)6 1234 5678',
            Email: 'pieter@vdberg.example'
        },
        11
    );
    insert(
        'Contact',
        {
            FirstName: 'Sanne',
            LastName: 'Jansen',
            Title: 'Planner',
            AccountId: vanDerBerg.Id,
            Phone: '0031 20 123 4568',
            MobilePhone: '06-87654321'
        },
        30
    );
    insert(
        'Contact',
        {
            FirstName: 'Emily',
            LastName: 'Carter',
            Title: 'Buyer',
            AccountId: goldenGate.Id,
            Phone: '(415) 555-2671 x12',
            MobilePhone: '+1 415-555-0198'
        },
        44
    );
    insert(
        'Contact',
        {
            FirstName: 'Ivan',
            LastName: 'Petrov',
            Title: 'Purchasing',
            AccountId: volga.Id,
            MobilePhone: '+7 (916) 765-43-21',
            OtherPhone: '8 (916) 123-45-67'
        },
        60
    );
    insert(
        'Contact',
        {
            FirstName: 'Petra',
            LastName: 'Svobodová',
            Title: 'Store Manager',
            AccountId: brno.Id,
            Phone: '+420 777 123 456'
        },
        8
    );
    insert(
        'Contact',
        {
            FirstName: 'Marek',
            LastName: 'Zieliński',
            MobilePhone: '+48 602 111 222',
            Email: 'marek.zielinski@example.com'
        },
        25
    );

    // Person Accounts
    insert(
        'Account',
        {
            IsPersonAccount: true,
            FirstName: 'Katarzyna',
            LastName: 'Wójcik',
            PersonMobilePhone: '+48 603 444 555',
            PersonEmail: 'k.wojcik@example.com',
            BillingCity: 'Kraków',
            BillingCountry: 'Poland'
        },
        3,
        anna
    );
    const tomasz = insert(
        'Account',
        {
            IsPersonAccount: true,
            FirstName: 'Tomasz',
            LastName: 'Lewandowski',
            PersonHomePhone: '(22) 765 43 21',
            PersonMobilePhone: '+48 604 555 666',
            BillingCity: 'Warszawa',
            BillingCountry: 'Poland'
        },
        18
    );

    // Leads
    insert(
        'Lead',
        {
            FirstName: 'Marta',
            LastName: 'Zielińska',
            Company: 'Zielińska Catering',
            Status: 'Working - Contacted',
            Phone: '602111222'
        },
        21
    );
    insert(
        'Lead',
        {
            FirstName: 'Lisa',
            LastName: 'Müller',
            Company: 'Müller Maschinenbau GmbH',
            Status: 'Open - Not Contacted',
            Phone: '+49 (0)30 1234567'
        },
        5
    );
    insert(
        'Lead',
        {
            FirstName: 'Olga',
            LastName: 'Sokolova',
            Company: 'Baltic Amber Import',
            Status: 'Open - Not Contacted',
            MobilePhone: '8 (921) 555-01-23',
            Phone: '+7 812 555-01-23'
        },
        33
    );
    insert(
        'Lead',
        {
            FirstName: 'Tom',
            LastName: 'Baker',
            Company: 'Baker & Sons Ltd',
            Status: 'Working - Contacted',
            Phone: '+44 20 7946 0958'
        },
        14
    );

    // Call history: earlier calls of Jan Kowalski, logged the way the phone logs them
    const call = (interactionId: string, daysAgo: number, fields: Record<string, unknown>) => {
        const started = at(daysAgo);
        const task = db.insert(
            'Task',
            {
                TaskSubtype: 'Call',
                Status: 'Completed',
                CallObject: interactionId,
                Interaction_Id__c: interactionId,
                ActivityDate: started.slice(0, 10),
                Call_Started_At__c: started,
                WhoId: jan.Id,
                WhatId: kowalski.Id,
                Phone_Number__c: '+48600700800',
                Caller_Name__c: 'Jan Kowalski',
                Campaign__c: 'cmp-support',
                ...fields
            },
            anna
        );
        const leg = db.lockCallLogLeg(
            { legId: legIdOf(interactionId, anna), sipLegId: null, interactionId },
            anna
        )!;
        db.linkCallLogLeg(leg.legId, task.Id);
    };
    call('int-seed-0001', 7, {
        Subject: 'Inbound call: +48600700800',
        CallType: 'Inbound',
        Direction__c: 'inbound',
        Outcome__c: 'answered',
        CallDurationInSeconds: 184,
        CallDisposition: 'Resolved',
        Description: 'Asked about the pick-up window for Friday.'
    });
    call('int-seed-0002', 4, {
        Subject: 'Missed call: +48600700800',
        CallType: 'Inbound',
        Direction__c: 'inbound',
        Outcome__c: 'missed',
        CallDurationInSeconds: 0
    });

    // Cases (numbers from 00001025)
    insert(
        'Case',
        {
            Subject: 'Damaged parcel on delivery',
            Status: 'Working',
            Priority: 'High',
            Origin: 'Phone',
            ContactId: agnieszka.Id,
            AccountId: kowalski.Id,
            Description: 'Two pallets arrived with broken wrapping.'
        },
        2
    );
    insert(
        'Case',
        {
            Subject: 'Invoice correction',
            Status: 'Closed',
            Priority: 'Low',
            Origin: 'Email',
            ContactId: pieter.Id,
            AccountId: vanDerBerg.Id
        },
        10
    );
    insert(
        'Case',
        {
            Subject: 'Mortgage documents missing',
            Status: 'New',
            Priority: 'Medium',
            Origin: 'Web',
            ContactId: tomasz.PersonContactId,
            AccountId: tomasz.Id
        },
        1
    );
    insert(
        'Case',
        {
            Subject: 'Delivery delay (web form)',
            Status: 'New',
            Priority: 'Medium',
            Origin: 'Web',
            SuppliedPhone: '+48 605 999 000'
        },
        4
    );

    // A custom object an admin may choose in the setup tab's options (F20): no key rows, searched directly
    for (const [name, fields, daysAgo] of [
        ['SR-0001', { Customer_Name__c: 'Ewa Mazur', Phone__c: '606 321 654', Status__c: 'New' }, 1],
        [
            'SR-0002',
            { Customer_Name__c: 'Adam Wiśniewski', Alternate_Phone__c: '48607888999', Status__c: 'Open' },
            3
        ]
    ] as const) {
        db.insert(
            'Service_Request__c',
            {
                Name: name,
                ...fields,
                CreatedDate: at(daysAgo + 30),
                LastModifiedDate: at(daysAgo),
                OwnerId: anna
            },
            owner
        );
    }
}
