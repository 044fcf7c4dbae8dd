/**
 * What an Apex transaction of the local org sees: the database, the labels, the running user and the
 * contact centre behind the Named Credential.
 */
import type { ContactCentreClient } from '../contact-centre-client';
import type { OrgDatabase } from '../database';
import type { Labels } from '../labels';

/** The running user (UserInfo). */
export interface RunningUser {
    Id: string;
    Name: string;
    Email: string;
}

export interface ApexContext {
    db: OrgDatabase;
    /** `System.Label` in the running user's language. */
    labels: Labels;
    /** Labels in the org's default language (OrgLanguageLabels: the Task subjects every path writes alike). */
    orgLabels: Labels;
    user: RunningUser;
    contactCentre: ContactCentreClient;
}

/** A text parameter as Apex would bind it (anything that is not a string is null). */
export function text(value: unknown): string | null {
    return typeof value === 'string' ? value : null;
}

/** `String.isBlank`. */
export function isBlank(value: string | null | undefined): boolean {
    return value === null || value === undefined || value.trim() === '';
}
