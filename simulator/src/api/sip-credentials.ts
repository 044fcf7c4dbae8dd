/**
 * Ephemeral SIP credentials in the scheme of Kamailio's auth_ephemeral module (and of the TURN REST
 * API): username `<expiry unix seconds>:<sip user>`, password base64(HMAC-SHA1(secret, username)).
 * Kamailio configured with the same secret can check them without a database.
 */
import { createHmac } from 'node:crypto';

/** Credentials valid until `expiresAtMs`. */
export function ephemeralCredentials(
    secret: string,
    sipUser: string,
    expiresAtMs: number
): { username: string; password: string } {
    const username = `${Math.floor(expiresAtMs / 1000)}:${sipUser}`;
    return { username, password: createHmac('sha1', secret).update(username).digest('base64') };
}
