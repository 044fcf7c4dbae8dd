/**
 * RecordCreationController / RecordCreationService: a Contact, Lead, Person Account or Case created from the
 * phone with the caller's number, and "add this number to an existing record" (F4, F7).
 */
import { PhoneError } from '../errors';
import { label } from '../labels';
import { isSearchKey } from '../phone-keys';
import { objectOfId, phoneFields, phoneFieldsOf, type ObjectName } from '../schema';
import { isBlank, text, type ApexContext } from './context';
import type { NewRecordRequest } from './types';

/** RecordCreationController.createRecord(request): the new record's id. */
export function createRecord(context: ApexContext, params: Record<string, unknown>): string {
    const request = (
        params.request && typeof params.request === 'object' ? params.request : null
    ) as NewRecordRequest | null;
    const objectType = text(request?.objectType);
    if (!request || objectType === null || isBlank(objectType)) throw invalid(context);
    const phone = validPhone(context, text(request.phone));
    switch (objectType) {
        case 'Contact':
            return context.db.insert(
                'Contact',
                {
                    FirstName: trimmed(request.firstName, 40),
                    LastName: required(context, request.lastName, 80),
                    AccountId: idOf(request.accountId, 'Account'),
                    [phoneField(context, 'Contact', request.phoneField, 'Phone')]: phone
                },
                context.user.Id
            ).Id;
        case 'Lead':
            return context.db.insert(
                'Lead',
                {
                    FirstName: trimmed(request.firstName, 40),
                    LastName: required(context, request.lastName, 80),
                    Company: required(context, request.company, 255),
                    Status: 'Open - Not Contacted',
                    [phoneField(context, 'Lead', request.phoneField, 'Phone')]: phone
                },
                context.user.Id
            ).Id;
        case 'PersonAccount':
            return context.db.insert(
                'Account',
                {
                    IsPersonAccount: true,
                    FirstName: trimmed(request.firstName, 40),
                    LastName: required(context, request.lastName, 80),
                    [phoneField(context, 'Account', request.phoneField, 'Phone')]: phone
                },
                context.user.Id
            ).Id;
        case 'Case': {
            const subject = !isBlank(text(request.subject))
                ? (request.subject as string)
                : label(
                      context.labels,
                      'Phone_Case_SubjectDefault',
                      phone ?? label(context.labels, 'Phone_Label_UnknownCaller')
                  );
            return context.db.insert(
                'Case',
                {
                    Subject: trimmed(subject, 255),
                    Description:
                        typeof request.description === 'string' ? request.description.slice(0, 32000) : null,
                    Origin: 'Phone',
                    Status: 'New',
                    Priority: 'Medium',
                    SuppliedPhone: phone,
                    ContactId: idOf(request.contactId, 'Contact'),
                    AccountId: idOf(request.accountId, 'Account')
                },
                context.user.Id
            ).Id;
        }
        default:
            throw invalid(context);
    }
}

/** RecordCreationController.attachNumber(recordId, phone, fieldName): the field written. */
export function attachNumber(context: ApexContext, params: Record<string, unknown>): string {
    const dialled = validPhone(context, text(params.phone));
    const recordId = text(params.recordId);
    if (dialled === null || recordId === null || !objectOfId(recordId)) throw invalid(context);
    const record = context.db.get(recordId);
    const object = objectOfId(recordId)!;
    if (!record || !['Account', 'Contact', 'Lead', 'Case'].includes(object)) {
        throw new PhoneError(label(context.labels, 'Phone_Error_NoAccess'));
    }
    const fields = phoneFieldsOf(object, record);
    const requested = text(params.fieldName);
    let target: string | undefined;
    if (requested !== null && !isBlank(requested)) {
        target = fields.find((field) => field.toLowerCase() === requested.trim().toLowerCase());
        if (!target) throw invalid(context);
    } else {
        target = fields.find((field) => isBlank(text(record[field])));
        if (!target) throw new PhoneError(label(context.labels, 'Phone_Error_NoEmptyPhoneField'));
    }
    context.db.update(record.Id, { [target]: dialled });
    return target;
}

function invalid(context: ApexContext): PhoneError {
    return new PhoneError(label(context.labels, 'Phone_Error_InvalidInput'));
}

/** The number as phone-core gives it (`+` and digits), or null when none was given. */
function validPhone(context: ApexContext, phone: string | null): string | null {
    if (phone === null || isBlank(phone)) return null;
    if (!isSearchKey(phone.trim())) throw invalid(context);
    return phone.trim();
}

/** A phone field of the object from the catalog, or the default one. */
function phoneField(context: ApexContext, object: ObjectName, requested: unknown, fallback: string): string {
    const name = text(requested);
    if (name === null || isBlank(name)) return fallback;
    const found = phoneFields(object).find((field) => field.toLowerCase() === name.trim().toLowerCase());
    if (!found) throw invalid(context);
    return found;
}

function required(context: ApexContext, value: unknown, maxLength: number): string {
    const cleaned = trimmed(value, maxLength);
    if (cleaned === null) throw new PhoneError(label(context.labels, 'Phone_Error_RequiredField'));
    return cleaned;
}

function trimmed(value: unknown, maxLength: number): string | null {
    return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, maxLength) : null;
}

function idOf(value: unknown, expected: ObjectName): string | null {
    const id = text(value)?.trim() ?? null;
    return id !== null && objectOfId(id) === expected ? id : null;
}
