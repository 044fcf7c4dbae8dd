/**
 * Signed URLs for recordings: `?expires=<unix s>&signature=<hex HMAC-SHA256(secret, "GET <path>\n<expires>")>`.
 * They let an `<audio>` element play a recording without the API key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

function signature(secret: string, pathname: string, expires: number): string {
    return createHmac('sha256', secret).update(`GET ${pathname}\n${expires}`).digest('hex');
}

/** The query string (without `?`) that signs `pathname` until `expires` (unix seconds). */
export function signPath(secret: string, pathname: string, expires: number): string {
    return `expires=${expires}&signature=${signature(secret, pathname, expires)}`;
}

/** Whether a signature is valid for `pathname` and not expired at `nowMs`. */
export function verifySignedPath(
    secret: string,
    pathname: string,
    expires: string | null,
    given: string | null,
    nowMs: number
): boolean {
    if (!expires || !given || !/^\d+$/.test(expires) || !/^[0-9a-f]{64}$/.test(given)) return false;
    const expiresAt = Number(expires);
    if (expiresAt * 1000 < nowMs) return false;
    return timingSafeEqual(
        Buffer.from(signature(secret, pathname, expiresAt), 'hex'),
        Buffer.from(given, 'hex')
    );
}
