/**
 * The contact centre's directory as the softphone's transfer list (`getPhoneContacts`): agents with their
 * availability, and queues; the softphone's filter (scv-connector-base `CONTACTS_FILTER_TYPES`) applied here.
 */
import { Constants, Contact, PhoneContactsResult } from '@salesforce/scv-connector-base';
import type { TransferTarget } from './ports';

/** The softphone's filter: `contains` searches names and numbers, `type` AGENT / QUEUE / AVAILABLE. */
export interface ContactFilter {
    contains?: string;
    type?: string;
    limit?: number;
    offset?: number;
}

/** One directory entry as the base library's Contact. */
export function contactOf(target: TransferTarget): Contact {
    const agent = target.kind === 'agent';
    let availability: string | undefined;
    if (agent && target.available !== undefined) {
        availability = target.available
            ? Constants.AGENT_AVAILABILITY.AVAILABLE
            : Constants.AGENT_AVAILABILITY.BUSY;
    }
    return new Contact({
        id: target.id,
        type: (agent ? Constants.CONTACT_TYPE.AGENT : Constants.CONTACT_TYPE.QUEUE) as 'Agent' | 'Queue',
        name: target.name,
        phoneNumber: target.target,
        availability
    });
}

/** The filtered page of the directory. */
export function phoneContacts(
    targets: readonly TransferTarget[],
    filter?: ContactFilter
): PhoneContactsResult {
    const needle = filter?.contains?.trim().toLowerCase();
    const wanted = filter?.type?.toUpperCase();
    const chosen = targets.filter(
        (t) =>
            (!needle || t.name.toLowerCase().includes(needle) || t.target.toLowerCase().includes(needle)) &&
            (!wanted || wanted === t.kind.toUpperCase() || (wanted === 'AVAILABLE' && t.available === true))
    );
    const offset = Math.max(0, filter?.offset ?? 0);
    const page = chosen.slice(offset, filter?.limit ? offset + filter.limit : undefined);
    return new PhoneContactsResult({
        contacts: page.map(contactOf),
        contactTypes: [Constants.CONTACT_TYPE.AGENT, Constants.CONTACT_TYPE.QUEUE]
    });
}
