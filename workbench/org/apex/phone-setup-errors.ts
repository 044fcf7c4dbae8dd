/**
 * PhoneSetupErrors: a failed contact-centre call becomes the setup tab's message (timeout, HTML answer,
 * network, 401/403/404/429, 5xx), with the same labels as the Apex.
 */
import { ContactCentreError, PhoneError } from '../errors';
import { label, type Labels } from '../labels';
import type { ApexContext } from './context';

/** PhoneSetupErrors.connectionMessage */
export function connectionMessage(error: unknown, labels: Labels): string {
    if (!(error instanceof ContactCentreError)) throw error;
    const status = String(error.status);
    const wait = String(error.retryAfterSeconds ?? 30);
    if (error.timedOut) return label(labels, 'Phone_Setup_ErrorTimeout', status, wait);
    if (error.problemCode === 'invalid-response') return label(labels, 'Phone_Setup_ErrorHtml', status, wait);
    if (error.status === 0) return label(labels, 'Phone_Setup_ErrorNetwork', status, wait);
    const byStatus: Record<number, string> = {
        401: 'Phone_Setup_Error401',
        403: 'Phone_Setup_Error403',
        404: 'Phone_Setup_Error404',
        429: 'Phone_Setup_Error429'
    };
    const name = byStatus[error.status] ?? (error.status >= 500 ? 'Phone_Setup_Error5xx' : null);
    if (name) return label(labels, name, status, wait);
    throw error;
}

/** Runs a contact-centre call; its failure becomes the setup tab's message. */
export async function calling<T>(context: ApexContext, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (error) {
        throw new PhoneError(connectionMessage(error, context.labels));
    }
}
