/**
 * Rejections the server gives again for the same call whatever the agent adds to its log (issue 11 finding 3):
 * `interaction-not-issued` - the contact centre did not give this call to the agent, so Salesforce will not
 * log it as theirs. The outbox keeps such an entry in `needs-attention` with everything typed (later notes
 * are merged into it, not sent); only the agent's explicit retry sends it again, or dismiss removes it.
 *
 * @packageDocumentation
 */

/** CallLogResult.INTERACTION_NOT_ISSUED */
export const INTERACTION_NOT_ISSUED = 'interaction-not-issued';

const FINAL_REFUSALS: ReadonlySet<string> = new Set([INTERACTION_NOT_ISSUED]);

/** Longest problem code kept from the server's answer. */
const MAX_CODE_LENGTH = 64;

/** True when a rejection with this code is not worth sending again by itself. */
export function isFinalRefusal(code: string | undefined): boolean {
    return code !== undefined && FINAL_REFUSALS.has(code);
}

/** The server's rejection code, when it is a short string; else undefined. */
export function refusalCode(value: unknown): string | undefined {
    return typeof value === 'string' && value !== '' && value.length <= MAX_CODE_LENGTH ? value : undefined;
}
