/**
 * The objects of the local org: the standard objects the phone reads and writes (Account with Person
 * Accounts, Contact, Lead, Case, Task with the package's Activity fields, User), a sample custom object an
 * admin might choose for the caller lookup (Service_Request__c, F20), described the way the record pages need
 * them (labels, types, which fields are phone fields), and Salesforce-shaped record ids.
 */

/** A record: field API name -> value (as SOQL would return it; `Id` always set). */
export type SObject = Record<string, unknown> & { Id: string };

export type ObjectName = 'Account' | 'Contact' | 'Lead' | 'Case' | 'Task' | 'User' | 'Service_Request__c';

export type FieldType =
    | 'id'
    | 'string'
    | 'phone'
    | 'email'
    | 'textarea'
    | 'boolean'
    | 'int'
    | 'date'
    | 'datetime'
    | 'reference'
    | 'url'
    | 'picklist'
    | 'double'
    | 'percent';

export interface FieldDescribe {
    apiName: string;
    label: string;
    type: FieldType;
    /** reference: the object it points to (several for polymorphic WhoId/WhatId). */
    referenceTo?: ObjectName[];
}

export interface ObjectDescribe {
    name: ObjectName;
    label: string;
    labelPlural: string;
    keyPrefix: string;
    /** The field the record page shows as the title. */
    nameField: string;
    fields: FieldDescribe[];
}

const f = (apiName: string, label: string, type: FieldType, referenceTo?: ObjectName[]): FieldDescribe =>
    referenceTo ? { apiName, label, type, referenceTo } : { apiName, label, type };

const AUDIT = [
    f('OwnerId', 'Owner', 'reference', ['User']),
    f('CreatedDate', 'Created Date', 'datetime'),
    f('LastModifiedDate', 'Last Modified Date', 'datetime'),
    f('LastActivityDate', 'Last Activity', 'date')
];

export const OBJECTS: Readonly<Record<ObjectName, ObjectDescribe>> = {
    Account: {
        name: 'Account',
        label: 'Account',
        labelPlural: 'Accounts',
        keyPrefix: '001',
        nameField: 'Name',
        fields: [
            f('Id', 'Account ID', 'id'),
            f('Name', 'Account Name', 'string'),
            f('IsPersonAccount', 'Is Person Account', 'boolean'),
            f('FirstName', 'First Name', 'string'),
            f('LastName', 'Last Name', 'string'),
            f('PersonContactId', 'Person Contact', 'reference', ['Contact']),
            f('Phone', 'Phone', 'phone'),
            f('PersonMobilePhone', 'Mobile', 'phone'),
            f('PersonHomePhone', 'Home Phone', 'phone'),
            f('PersonOtherPhone', 'Other Phone', 'phone'),
            f('PersonEmail', 'Email', 'email'),
            f('Industry', 'Industry', 'picklist'),
            f('BillingCity', 'Billing City', 'string'),
            f('BillingCountry', 'Billing Country', 'string'),
            ...AUDIT
        ]
    },
    Contact: {
        name: 'Contact',
        label: 'Contact',
        labelPlural: 'Contacts',
        keyPrefix: '003',
        nameField: 'Name',
        fields: [
            f('Id', 'Contact ID', 'id'),
            f('Name', 'Name', 'string'),
            f('FirstName', 'First Name', 'string'),
            f('LastName', 'Last Name', 'string'),
            f('Title', 'Title', 'string'),
            f('AccountId', 'Account Name', 'reference', ['Account']),
            f('IsPersonAccount', 'Is Person Account', 'boolean'),
            f('Phone', 'Phone', 'phone'),
            f('MobilePhone', 'Mobile', 'phone'),
            f('HomePhone', 'Home Phone', 'phone'),
            f('OtherPhone', 'Other Phone', 'phone'),
            f('AssistantPhone', 'Asst. Phone', 'phone'),
            f('Email', 'Email', 'email'),
            ...AUDIT
        ]
    },
    Lead: {
        name: 'Lead',
        label: 'Lead',
        labelPlural: 'Leads',
        keyPrefix: '00Q',
        nameField: 'Name',
        fields: [
            f('Id', 'Lead ID', 'id'),
            f('Name', 'Name', 'string'),
            f('FirstName', 'First Name', 'string'),
            f('LastName', 'Last Name', 'string'),
            f('Company', 'Company', 'string'),
            f('Status', 'Lead Status', 'picklist'),
            f('Phone', 'Phone', 'phone'),
            f('MobilePhone', 'Mobile', 'phone'),
            f('Email', 'Email', 'email'),
            f('IsConverted', 'Converted', 'boolean'),
            ...AUDIT
        ]
    },
    Case: {
        name: 'Case',
        label: 'Case',
        labelPlural: 'Cases',
        keyPrefix: '500',
        nameField: 'CaseNumber',
        fields: [
            f('Id', 'Case ID', 'id'),
            f('CaseNumber', 'Case Number', 'string'),
            f('Subject', 'Subject', 'string'),
            f('Status', 'Status', 'picklist'),
            f('IsClosed', 'Closed', 'boolean'),
            f('Priority', 'Priority', 'picklist'),
            f('Origin', 'Case Origin', 'picklist'),
            f('ContactId', 'Contact Name', 'reference', ['Contact']),
            f('AccountId', 'Account Name', 'reference', ['Account']),
            f('SuppliedPhone', 'Web Phone', 'phone'),
            f('Description', 'Description', 'textarea'),
            f('OwnerId', 'Owner', 'reference', ['User']),
            f('CreatedDate', 'Created Date', 'datetime'),
            f('LastModifiedDate', 'Last Modified Date', 'datetime')
        ]
    },
    Task: {
        name: 'Task',
        label: 'Task',
        labelPlural: 'Tasks',
        keyPrefix: '00T',
        nameField: 'Subject',
        fields: [
            f('Id', 'Activity ID', 'id'),
            f('Subject', 'Subject', 'string'),
            f('Status', 'Status', 'picklist'),
            f('TaskSubtype', 'Task Subtype', 'picklist'),
            f('ActivityDate', 'Due Date', 'date'),
            f('WhoId', 'Name', 'reference', ['Contact', 'Lead']),
            f('WhatId', 'Related To', 'reference', ['Account', 'Case', 'Service_Request__c']),
            f('CallType', 'Call Type', 'picklist'),
            f('CallObject', 'Call Object Identifier', 'string'),
            f('CallDurationInSeconds', 'Call Duration', 'int'),
            f('CallDisposition', 'Call Result', 'string'),
            f('Description', 'Comments', 'textarea'),
            f('Interaction_Id__c', 'Interaction ID', 'string'),
            f('Call_Started_At__c', 'Call Started At', 'datetime'),
            f('Call_Ended_At__c', 'Call Ended At', 'datetime'),
            f('Outcome__c', 'Outcome', 'picklist'),
            f('Direction__c', 'Direction', 'picklist'),
            f('Phone_Number__c', 'Phone Number', 'phone'),
            f('Extension__c', 'Extension', 'string'),
            f('Caller_Name__c', 'Caller Name', 'string'),
            f('Campaign__c', 'Campaign', 'string'),
            f('Queue__c', 'Queue', 'string'),
            f('Ivr_Code__c', 'IVR Code', 'string'),
            f('Ivr_Answers__c', 'IVR Answers', 'textarea'),
            f('Callback_Requested__c', 'Callback Requested', 'boolean'),
            f('Interaction_Unverified__c', 'Interaction Unverified', 'boolean'),
            f('Callback_Of__c', 'Callback Of Call', 'string'),
            f('Callback_Due_At__c', 'Callback Due At', 'datetime'),
            f('Callback_Queued__c', 'Callback Queued in Contact Centre', 'boolean'),
            f('Contact_Centre_Callback_Id__c', 'Contact Centre Callback Id', 'string'),
            f('Recording_Url__c', 'Recording', 'url'),
            f('Mos_Lowest__c', 'Lowest MOS', 'double'),
            f('Mos_Average__c', 'Average MOS', 'double'),
            f('Packet_Loss_Max__c', 'Worst Packet Loss', 'percent'),
            f('Jitter_Max__c', 'Worst Jitter (ms)', 'double'),
            f('Recording_Consent__c', 'Recording Consent', 'picklist'),
            f('Recording_Paused_Seconds__c', 'Recording Paused (s)', 'int'),
            f('Recording_Audit__c', 'Recording Audit Trail', 'textarea'),
            f('Call_Summary__c', 'Call Summary', 'textarea'),
            f('Suggested_Result__c', 'Suggested Result', 'string'),
            f('OwnerId', 'Assigned To', 'reference', ['User']),
            f('CreatedDate', 'Created Date', 'datetime'),
            f('LastModifiedDate', 'Last Modified Date', 'datetime')
        ]
    },
    Service_Request__c: {
        name: 'Service_Request__c',
        label: 'Service Request',
        labelPlural: 'Service Requests',
        keyPrefix: 'a01',
        nameField: 'Name',
        fields: [
            f('Id', 'Record ID', 'id'),
            f('Name', 'Service Request Name', 'string'),
            f('Customer_Name__c', 'Customer Name', 'string'),
            f('Phone__c', 'Phone', 'phone'),
            f('Alternate_Phone__c', 'Alternate Phone', 'string'),
            f('Status__c', 'Status', 'picklist'),
            f('Requested_At__c', 'Requested At', 'datetime'),
            f('OwnerId', 'Owner', 'reference', ['User']),
            f('CreatedDate', 'Created Date', 'datetime'),
            f('LastModifiedDate', 'Last Modified Date', 'datetime')
        ]
    },
    User: {
        name: 'User',
        label: 'User',
        labelPlural: 'Users',
        keyPrefix: '005',
        nameField: 'Name',
        fields: [f('Id', 'User ID', 'id'), f('Name', 'Full Name', 'string'), f('Email', 'Email', 'email')]
    }
};

/** The object a record id belongs to (by its key prefix), or null. */
export function objectOfId(id: unknown): ObjectName | null {
    if (typeof id !== 'string' || !/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)) return null;
    const prefix = id.slice(0, 3);
    return (
        (Object.values(OBJECTS).find((object) => object.keyPrefix === prefix)?.name as
            ObjectName | undefined) ?? null
    );
}

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character form of a 15-character id (Salesforce's case-safety suffix). */
export function to18(id15: string): string {
    let suffix = '';
    for (let chunk = 0; chunk < 3; chunk++) {
        let bits = 0;
        for (let i = 0; i < 5; i++) {
            const char = id15.charAt(chunk * 5 + i);
            if (char >= 'A' && char <= 'Z') bits |= 1 << i;
        }
        suffix += CHECKSUM_ALPHABET.charAt(bits);
    }
    return id15 + suffix;
}

/** A new 18-character id of the object (prefix, `Wb` for "workbench", a counter). */
export function newId(object: ObjectName, sequence: number): string {
    return to18(`${OBJECTS[object].keyPrefix}Wb${String(sequence).padStart(10, '0')}`);
}

/** True when two ids name the same record (15 or 18 characters). */
export function sameId(a: unknown, b: unknown): boolean {
    return (
        typeof a === 'string' &&
        typeof b === 'string' &&
        a.length >= 15 &&
        b.length >= 15 &&
        a.slice(0, 15) === b.slice(0, 15)
    );
}

// Phone fields (PhoneFieldCatalog, PersonAccounts)

/** Phone fields of each object the phone indexes, searches and may write (PhoneFieldCatalog.STATIC_FIELDS). */
export const PHONE_FIELDS: Readonly<Record<'Account' | 'Contact' | 'Lead' | 'Case', readonly string[]>> = {
    Account: ['Phone'],
    Contact: ['Phone', 'MobilePhone', 'HomePhone', 'OtherPhone', 'AssistantPhone'],
    Lead: ['Phone', 'MobilePhone'],
    Case: ['SuppliedPhone']
};

/** Person contact phone fields on the Account (PersonAccounts.PERSON_PHONE_FIELDS). */
export const PERSON_PHONE_FIELDS: readonly string[] = [
    'PersonMobilePhone',
    'PersonHomePhone',
    'PersonOtherPhone'
];

/** Every phone field of an object (PhoneFieldCatalog.phoneFields; the local org has Person Accounts). */
export function phoneFields(object: ObjectName): string[] {
    if (object === 'Account') return [...PHONE_FIELDS.Account, ...PERSON_PHONE_FIELDS];
    if (object === 'Contact' || object === 'Lead' || object === 'Case') return [...PHONE_FIELDS[object]];
    return [];
}

/**
 * The phone fields that carry this record's numbers (PhoneFieldCatalog.fieldsOf): none for a converted Lead
 * or a person contact (its Account carries them); only `Phone` on a business Account.
 */
export function phoneFieldsOf(object: ObjectName, record: SObject): string[] {
    if (object === 'Lead' && record.IsConverted === true) return [];
    if (object === 'Contact' && record.IsPersonAccount === true) return [];
    if (object === 'Account' && record.IsPersonAccount !== true) return [...PHONE_FIELDS.Account];
    return phoneFields(object);
}

/** The phone's object type of a record (PhoneFieldCatalog.objectTypeOf). */
export function phoneObjectTypeOf(object: ObjectName, record: SObject): string {
    return object === 'Account' && record.IsPersonAccount === true ? 'PersonAccount' : object;
}
