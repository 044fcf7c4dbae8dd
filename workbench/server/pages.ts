/**
 * The workbench page: SLDS, the page's configuration (who the user is, the org's country, where the
 * simulator's customer phone is) and the compiled bundle.
 */
import type { RunningUser } from '../org/apex/context';
import type { LocalOrg } from '../org/local-org';

/** JSON that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
    return JSON.stringify(value)
        .replace(/</g, '\\u003c')
        .replace(/\u2028/g, '\\u2028')
        .replace(/\u2029/g, '\\u2029');
}

const SLDS = '/slds/styles/salesforce-lightning-design-system.min.css';

export function renderIndex(options: { org: LocalOrg; user: RunningUser; customerPanelUrl: string }): string {
    const { org, user } = options;
    const config = {
        userId: user.Id,
        userName: user.Name,
        userEmail: user.Email,
        orgName: 'Local org (workbench)',
        defaultCountry: org.defaultCountry,
        language: org.userLanguage,
        orgLanguage: org.orgLanguage,
        customerPanelUrl: options.customerPanelUrl
    };
    return `<!doctype html>
<html lang="${org.userLanguage.replace('_', '-')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ccphone workbench</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${SLDS}">
<style>
html, body { height: 100%; margin: 0; }
body { background: #b0c4df; overflow: hidden; }
#workbench-root { height: 100%; }
</style>
<script>window.workbenchConfig = ${scriptJson(config)};</script>
</head>
<body class="slds-scope">
<div id="workbench-root"></div>
<script src="/app.js"></script>
</body>
</html>
`;
}
