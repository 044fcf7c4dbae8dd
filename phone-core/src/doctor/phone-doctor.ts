/**
 * Phone Doctor (B8): what the phone measured about its surroundings turned into checks, each green or red
 * with the fix, and the diagnostics file for support with phone numbers, names, notes and credentials
 * redacted. Pure: the LWC gathers the facts (getUserMedia, enumerateDevices, a WebSocket and ICE probe, an
 * echo call, Apex for Task field access, seat, permission set, call centre, LWS) and renders the results.
 *
 * @packageDocumentation
 */

/** The checks, in the order they are shown. */
export const DOCTOR_CHECKS = [
    'microphone-permission',
    'microphone-device',
    'permissions-policy',
    'csp-trusted-site',
    'websocket',
    'stun-turn',
    'echo-test',
    'task-fields',
    'seat',
    'permission-set',
    'call-center',
    'lightning-web-security'
] as const;

export type DoctorCheckId = (typeof DOCTOR_CHECKS)[number];

/** green: fine; red: broken, `fix` says what to do; unknown: could not be measured here. */
export type DoctorStatus = 'green' | 'red' | 'unknown';

/** One check's result: the fix is a Custom Label name (the UI shows it in the user's language). */
export interface DoctorResult {
    id: DoctorCheckId;
    status: DoctorStatus;
    /** Label name of the fix, for red results. */
    fix?: string;
    /** Measured values or names, plain text (e.g. `rtt 84 ms, loss 0 %`, the fields without access). */
    detail?: string;
}

/** What was measured; a member left out is `unknown`. */
export interface DoctorFacts {
    /** `navigator.permissions.query({ name: 'microphone' })`, or the getUserMedia outcome. */
    microphonePermission?: 'granted' | 'denied' | 'prompt';
    /** Audio input devices `enumerateDevices()` lists. */
    audioInputs?: number;
    /** `document.featurePolicy.allowsFeature('microphone')` (false: the org's Permissions-Policy blocks it). */
    permissionsPolicyAllowsMicrophone?: boolean;
    /** The SIP WebSocket host (from the wss URL) and the org's CSP trusted sites' hosts. */
    sipHost?: string;
    trustedSiteHosts?: readonly string[];
    /**
     * Measured in the browser: a WebSocket to the SIP host raised no `securitypolicyviolation` (the page's
     * CSP connect-src, which the org's CSP trusted sites feed, lets it through). Wins over `trustedSiteHosts`.
     */
    cspAllowsSipHost?: boolean;
    /** A WebSocket opened to the SIP server (and the CSP did not refuse it). */
    websocketOpened?: boolean;
    /** Time the WebSocket took to open (ms). */
    websocketOpenMs?: number;
    /** ICE gathering against the configured STUN/TURN servers: candidate types seen. */
    iceCandidateTypes?: readonly string[];
    turnConfigured?: boolean;
    /** STUN servers are configured (false: none, a host candidate is all the phone can have). */
    stunConfigured?: boolean;
    /** The echo test: round-trip time and packet loss measured over a short call to the echo service. */
    echo?: { rttMs: number; lossPct: number; path?: 'relay' | 'local' };
    /** Task fields the phone writes that the agent cannot edit (from Apex describe, user mode). */
    taskFieldsWithoutAccess?: readonly string[];
    hasSeat?: boolean;
    hasPermissionSet?: boolean;
    inCallCenter?: boolean;
    lightningWebSecurity?: boolean;
}

/** The checks the org can answer (Apex `PhoneDoctorController`); the others run in the agent's browser. */
export const SERVER_DOCTOR_CHECKS: readonly DoctorCheckId[] = [
    'task-fields',
    'seat',
    'permission-set',
    'call-center'
];

/** `PhoneDoctorService.DoctorView` as Apex returns it (null: not known). */
export interface ServerDoctorView {
    taskFieldsWithoutAccess?: readonly string[] | null;
    hasSeat?: boolean | null;
    hasPermissionSet?: boolean | null;
    inCallCenter?: boolean | null;
    trustedSiteUrls?: readonly string[] | null;
}

/** The server's view as facts (a null member stays unknown). */
export function serverFacts(view: ServerDoctorView | null | undefined): DoctorFacts {
    if (!view) return {};
    const facts: DoctorFacts = {};
    if (Array.isArray(view.taskFieldsWithoutAccess))
        facts.taskFieldsWithoutAccess = view.taskFieldsWithoutAccess;
    if (typeof view.hasSeat === 'boolean') facts.hasSeat = view.hasSeat;
    if (typeof view.hasPermissionSet === 'boolean') facts.hasPermissionSet = view.hasPermissionSet;
    if (typeof view.inCallCenter === 'boolean') facts.inCallCenter = view.inCallCenter;
    if (Array.isArray(view.trustedSiteUrls)) facts.trustedSiteHosts = view.trustedSiteUrls;
    return facts;
}

/** Echo test limits: above these the calls will sound bad. */
export const ECHO_MAX_RTT_MS = 300;
export const ECHO_MAX_LOSS_PCT = 3;

/** Runs every check over the facts. */
export function runDoctorChecks(facts: DoctorFacts): DoctorResult[] {
    return DOCTOR_CHECKS.map((id) => CHECKS[id](facts));
}

const known = (value: unknown): boolean => value !== undefined && value !== null;

function result(id: DoctorCheckId, ok: boolean | undefined, fix: string, detail?: string): DoctorResult {
    const status: DoctorStatus = ok === undefined ? 'unknown' : ok ? 'green' : 'red';
    const out: DoctorResult = { id, status };
    if (status === 'red') out.fix = fix;
    if (detail) out.detail = detail;
    return out;
}

const CHECKS: Readonly<Record<DoctorCheckId, (facts: DoctorFacts) => DoctorResult>> = {
    'microphone-permission': (f) =>
        result(
            'microphone-permission',
            f.microphonePermission === undefined ? undefined : f.microphonePermission === 'granted',
            'Phone_Doctor_FixMicrophonePermission',
            f.microphonePermission
        ),
    'microphone-device': (f) =>
        result(
            'microphone-device',
            known(f.audioInputs) ? (f.audioInputs as number) > 0 : undefined,
            'Phone_Doctor_FixMicrophoneDevice'
        ),
    'permissions-policy': (f) =>
        result(
            'permissions-policy',
            f.permissionsPolicyAllowsMicrophone,
            'Phone_Doctor_FixPermissionsPolicy'
        ),
    'csp-trusted-site': (f) => {
        if (f.cspAllowsSipHost !== undefined) {
            return result('csp-trusted-site', f.cspAllowsSipHost, 'Phone_Doctor_FixTrustedSite', f.sipHost);
        }
        if (!f.sipHost || !f.trustedSiteHosts) return result('csp-trusted-site', undefined, '');
        const host = f.sipHost.toLowerCase();
        const trusted = f.trustedSiteHosts.some((site) => hostMatches(host, site));
        return result('csp-trusted-site', trusted, 'Phone_Doctor_FixTrustedSite', host);
    },
    websocket: (f) =>
        result(
            'websocket',
            f.websocketOpened,
            'Phone_Doctor_FixWebSocket',
            f.websocketOpenMs === undefined ? undefined : `open ${Math.round(f.websocketOpenMs)} ms`
        ),
    'stun-turn': (f) => {
        if (!f.iceCandidateTypes) return result('stun-turn', undefined, '');
        const types = new Set(f.iceCandidateTypes);
        const ok =
            types.size > 0 &&
            (f.stunConfigured === false || types.has('srflx')) &&
            (!f.turnConfigured || types.has('relay'));
        return result('stun-turn', ok, 'Phone_Doctor_FixStunTurn', [...types].sort().join(', '));
    },
    'echo-test': (f) => {
        if (!f.echo) return result('echo-test', undefined, '');
        const ok = f.echo.rttMs <= ECHO_MAX_RTT_MS && f.echo.lossPct <= ECHO_MAX_LOSS_PCT;
        return result(
            'echo-test',
            ok,
            'Phone_Doctor_FixNetwork',
            `rtt ${Math.round(f.echo.rttMs)} ms, loss ${Math.round(f.echo.lossPct * 10) / 10} %${f.echo.path ? `, ${f.echo.path}` : ''}`
        );
    },
    'task-fields': (f) =>
        result(
            'task-fields',
            f.taskFieldsWithoutAccess ? f.taskFieldsWithoutAccess.length === 0 : undefined,
            'Phone_Doctor_FixTaskFields',
            f.taskFieldsWithoutAccess?.join(', ')
        ),
    seat: (f) => result('seat', f.hasSeat, 'Phone_Doctor_FixSeat'),
    'permission-set': (f) => result('permission-set', f.hasPermissionSet, 'Phone_Doctor_FixPermissionSet'),
    'call-center': (f) => result('call-center', f.inCallCenter, 'Phone_Doctor_FixCallCenter'),
    'lightning-web-security': (f) =>
        result('lightning-web-security', f.lightningWebSecurity, 'Phone_Doctor_FixLightningWebSecurity')
};

/** A CSP trusted site (`wss://sip.example.com`, `*.example.com`, `https://sip.example.com:443`) covers `host`. */
export function hostMatches(host: string, site: string): boolean {
    const siteHost = site
        .trim()
        .toLowerCase()
        .replace(/^[a-z]+:\/\//, '')
        .replace(/[:/].*$/, '');
    if (siteHost === '') return false;
    if (siteHost.startsWith('*.')) return host.endsWith(siteHost.slice(1)) && host !== siteHost.slice(2);
    return host === siteHost;
}

/** What the redaction must also hide: the names (callers, records) the phone saw. */
export interface RedactionOptions {
    names?: readonly string[];
}

const REDACTED = '[redacted]';
/** JSON members and SIP headers whose values are personal data or secrets, whatever they hold. */
const SENSITIVE_KEYS =
    /("(?:displayName|name|caller|callerName|notes|description|draft|password|authorizationPassword|authorizationUsername|apiKey|token|secret|subject|company|email|[a-z]*Email|fullName|firstName|lastName|customer[A-Za-z]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const SIP_SECRETS =
    /^(\s*(?:Authorization|Proxy-Authorization|WWW-Authenticate|Proxy-Authenticate)\s*:).*$/gim;
/** SIP headers whose whole value can be personal: who diverted the call, its subject, linked data, UUI. */
const PERSONAL_HEADERS =
    /^(\s*(?:Subject|s|Diversion|History-Info|Call-Info|User-to-User|Organization|Reply-To|In-Reply-To)\s*:).*$/gim;
/** An e-mail address anywhere but in a Call-ID (whose `id@host` form support needs). */
const EMAIL = /[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const CALL_ID_LINE = /^\s*(?:Call-ID|i)\s*:/i;
/** SDP lines that carry keys: the ICE password and SDES-SRTP keys. */
const SDP_SECRETS = /^(a=(?:ice-pwd|crypto)\s*:).*$/gim;
const URL_SECRETS = /([?&](?:password|secret|token|api_?key|signature|sig)=)[^&\s"]+/gi;
const SIP_USER = /\b(sips?|tel):(\+?[^@\s;>"]+)/gi;
/** Contact-centre headers carry the caller's data (campaign, queue, IVR input, recording URL): only ids stay. */
const CALL_DATA_HEADER = /^(\s*X-(?![A-Za-z-]*-Id\s*:)[A-Za-z0-9-]+\s*:).*$/gim;
/** A display name, quoted or a bare token before `<`, in the headers that carry one (compact forms too). */
const DISPLAY_NAME =
    /^(\s*(?:From|To|P-Asserted-Identity|Remote-Party-ID|Contact|Refer-To|Referred-By|f|t|m|r|b)\s*:\s*)(?:"(?:[^"\\]|\\.)*"|[^<\r\n"\s][^<\r\n"]*?(?=\s*<))/gim;
/** ISO times (the log's own, `createdAt`): kept as they are, their digits are no phone number. */
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})?/g;
/**
 * Digit runs that look like a phone number: 5 or more digits with optional +, spaces, dots, dashes, brackets;
 * not part of a longer token (hex ids, UUIDs, call ids, versions, `host/127.0.0.1`), which support needs.
 */
const PHONE_NUMBER = /(?<![\w./-])\+?\(?\d[\d\s().-]{3,}\d(?!\w)/g;

/**
 * The text with phone numbers, names, notes and credentials replaced: JSON members that carry them, SIP
 * authentication headers, headers whose value can be personal (Subject, Diversion, History-Info, Call-Info,
 * User-to-User...), e-mail addresses, SDP keys (`a=ice-pwd`, `a=crypto`), contact-centre `X-` headers other than ids, display names and user parts of SIP/tel URIs, URL secrets, number-like digit runs,
 * and every name in `options.names`.
 */
export function redactDiagnostics(text: string, options: RedactionOptions = {}): string {
    const times: string[] = [];
    let out = text
        // ISO times stand aside as private-use placeholders while the digit rules run
        .replace(ISO_TIME, (time) => `\uE000${times.push(time) - 1}\uE000`)
        .replace(SENSITIVE_KEYS, `$1"${REDACTED}"`)
        .replace(SIP_SECRETS, `$1 ${REDACTED}`)
        .replace(PERSONAL_HEADERS, `$1 ${REDACTED}`)
        .replace(SDP_SECRETS, `$1${REDACTED}`)
        .replace(URL_SECRETS, `$1${REDACTED}`)
        .replace(DISPLAY_NAME, `$1"${REDACTED}"`)
        .replace(CALL_DATA_HEADER, `$1 ${REDACTED}`)
        .replace(SIP_USER, (_m, scheme: string) => `${scheme}:${REDACTED}`)
        .split('\n')
        .map((line) => (CALL_ID_LINE.test(line) ? line : line.replace(EMAIL, REDACTED)))
        .join('\n')
        .replace(PHONE_NUMBER, (match) => (match.replace(/\D/g, '').length >= 5 ? '[number]' : match));
    // the longest first: "Jan Kowalski" before "Jan" leaves no "Kowalski" behind
    const names = (options.names ?? []).map((name) => name.trim()).filter((name) => name.length >= 2);
    for (const name of names.sort((a, b) => b.length - a.length)) {
        // any case: a name typed in capitals is the same person
        out = out.replace(new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'), REDACTED);
    }
    return out.replace(/\uE000(\d+)\uE000/g, (_match, index: string) => times[Number(index)] ?? '');
}

/** The diagnostics file's content. */
export interface DiagnosticsInput {
    createdAt: number;
    /** Browser and versions: user agent, phone-core, package. */
    versions: Record<string, string>;
    checks: readonly DoctorResult[];
    /** The recent log: SIP messages and state changes, oldest first. */
    log: readonly string[];
}

/**
 * The diagnostics file (JSON text): every log line and every check's detail redacted before it is serialised
 * (JSON inside a line is still plain text then); the versions are the browser's and the phone's own strings,
 * kept as they are (a version's digits are no phone number).
 */
export function buildDiagnosticsFile(input: DiagnosticsInput, options: RedactionOptions = {}): string {
    return JSON.stringify(
        {
            createdAt: new Date(input.createdAt).toISOString(),
            versions: Object.fromEntries(
                Object.entries(input.versions).map(([key, value]) => [key, String(value)])
            ),
            checks: input.checks.map((check) =>
                check.detail === undefined
                    ? check
                    : { ...check, detail: redactDiagnostics(check.detail, options) }
            ),
            log: input.log.map((line) => redactDiagnostics(line, options))
        },
        null,
        2
    );
}
