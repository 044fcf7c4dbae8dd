/**
 * The admin's template for the phone's browser notifications (F15, set in Phone Setup): text with tokens for
 * the caller as the CRM knows them and the call as the contact centre routed it, e.g.
 * `{name} ({company})\n{number} · {campaign}`.
 *
 * Tokens are case-insensitive; an unknown token or an empty value leaves nothing, and a line left empty
 * goes. Plain text in and out: the operating system shows notifications as text, so caller data cannot
 * become markup.
 *
 * @packageDocumentation
 */

/** The tokens a template may use. */
export const NOTIFICATION_TEMPLATE_TOKENS = ['name', 'company', 'number', 'campaign', 'queue'] as const;

export type NotificationTemplateToken = (typeof NOTIFICATION_TEMPLATE_TOKENS)[number];

/** Longest notification body rendered (browsers cut long bodies anyway). */
const MAX_BODY = 500;

/**
 * Fills a notification template.
 * @param template the admin's template ('' or blank: nothing)
 * @param values the value of each token ('' when unknown)
 * @returns the notification body, '' when nothing is left
 */
export function renderNotificationTemplate(
    template: string,
    values: Partial<Record<NotificationTemplateToken, string>>
): string {
    if (typeof template !== 'string' || template.trim() === '') return '';
    const filled = template.replace(/\{\s*([A-Za-z][\w.]*)\s*\}/g, (_whole, token: string) => {
        const key = token.toLowerCase() as NotificationTemplateToken;
        return NOTIFICATION_TEMPLATE_TOKENS.includes(key) ? (values[key] ?? '') : '';
    });
    return filled
        .split(/\r?\n/)
        .map((line) => line.replace(/[ \t]+/g, ' ').trim())
        .filter((line) => line !== '')
        .join('\n')
        .slice(0, MAX_BODY);
}
