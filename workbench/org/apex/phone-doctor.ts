/**
 * PhoneDoctorController / PhoneDoctorService (B8): the Phone Doctor's server checks for the running user
 * (`checkMe`) and, for an admin, for any user (`checkUser`). The local org models what the setup tab models:
 * the persona permission set (it grants the Task call fields, so without one every custom Task field the
 * phone writes is listed), the seat (persona + a licensed contact-centre agent). It has no call centre and
 * no CSP trusted sites of its own: every user counts as in the call centre, and the trusted site list is
 * empty (the phone's browser measures what the page's CSP allows).
 */
import { PhoneError } from '../errors';
import { label } from '../labels';
import { OBJECTS, objectOfId } from '../schema';
import { text, type ApexContext } from './context';
import { allAgents, matchOf, personas, requireAdmin } from './phone-setup';

/** PhoneDoctorService.DoctorView */
export interface DoctorView {
    userId: string;
    taskFieldsWithoutAccess: string[];
    hasSeat: boolean | null;
    hasPermissionSet: boolean;
    inCallCenter: boolean;
    trustedSiteUrls: string[] | null;
}

/** The package's custom Task fields (what a user without a persona cannot edit). */
const TASK_CUSTOM_FIELDS = OBJECTS.Task.fields
    .map((field) => field.apiName)
    .filter((name) => name.endsWith('__c'));

/** PhoneDoctorController.checkMe() */
export async function checkMe(context: ApexContext): Promise<DoctorView> {
    // the agent may not read the org's trusted sites: null, the browser measures the page's CSP
    return { ...(await check(context, context.user.Id)), trustedSiteUrls: null };
}

/** PhoneDoctorController.checkUser(userId), admins only. */
export function checkUser(context: ApexContext, params: Record<string, unknown>): Promise<DoctorView> {
    requireAdmin(context);
    return check(context, text(params.userId) ?? '');
}

async function check(context: ApexContext, userId: string): Promise<DoctorView> {
    const user = objectOfId(userId) === 'User' ? context.db.get(userId) : null;
    if (!user) throw new PhoneError(label(context.labels, 'Phone_Error_NoAccess'));
    const persona = personas(context)[user.Id] ?? null;
    let hasSeat: boolean | null;
    try {
        hasSeat = !!persona && matchOf(user, await allAgents(context))?.licensed === true;
    } catch {
        hasSeat = null;
    }
    return {
        userId: user.Id,
        taskFieldsWithoutAccess: persona ? [] : [...TASK_CUSTOM_FIELDS],
        hasSeat,
        hasPermissionSet: !!persona,
        inCallCenter: true,
        trustedSiteUrls: []
    };
}
