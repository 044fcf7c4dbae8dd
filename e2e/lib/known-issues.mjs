// SipPhone bugs the e2e scenarios found, with the SIP trace in the report (docs in e2e/README.md).
// A scenario listed here still runs; node:test reports it as TODO instead of failing the run, so CI
// stays green on the rest. E2E_STRICT=1 makes them ordinary tests again (to check a fix).

export const KNOWN_ISSUES = {
    expiredCredentials:
        "SipPhone re-sends the Registerer's old Authorization header after a 403 and fresh credentials " +
        '(sip.js keeps it on the reused REGISTER request): registration never recovers',
    attendedTransferReplaces:
        'SipPhone answers an INVITE with Replaces (matching its own consultation dialog) with 180 then ' +
        '486 Busy Here instead of replacing the consultation call (RFC 3891): the attended transfer fails'
};

/** node:test options for a scenario hit by a known issue. */
export function knownIssue(key) {
    if (process.env.E2E_STRICT === '1') return {};
    return { todo: KNOWN_ISSUES[key] };
}

/** withDiagnostics options for such a scenario: a short message unless E2E_STRICT=1. */
export function knownIssueDiagnostics() {
    return { brief: process.env.E2E_STRICT !== '1' };
}
