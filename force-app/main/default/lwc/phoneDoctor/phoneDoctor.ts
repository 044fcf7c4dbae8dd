import { LightningElement, api } from 'lwc';
import checkMe from '@salesforce/apex/PhoneDoctorController.checkMe';
import getSipCredentials from '@salesforce/apex/AgentSessionController.getSipCredentials';
import type { DoctorResult, DoctorTarget, PhoneViewState, ServerDoctorView } from 'webphone-core';
import type * as WebphoneCoreModule from 'webphone-core';
import { errorMessage, formatLabel } from 'c/phoneUtils';
import { browserApis, browserVersions } from './browserApis';

import TITLE from '@salesforce/label/c.Phone_Doctor_Title';
import RUN from '@salesforce/label/c.Phone_Doctor_Run';
import RUNNING from '@salesforce/label/c.Phone_Doctor_Running';
import HELP from '@salesforce/label/c.Phone_Doctor_Help';
import DOWNLOAD from '@salesforce/label/c.Phone_Doctor_Download';
import DOWNLOAD_HELP from '@salesforce/label/c.Phone_Doctor_DownloadHelp';
import FAILED from '@salesforce/label/c.Phone_Doctor_Failed';

/** The phone-core functions the Doctor uses (from the `webphoneCore` static resource the phone loaded). */
export type DoctorCore = Pick<
    typeof WebphoneCoreModule,
    | 'gatherBrowserFacts'
    | 'runDoctorChecks'
    | 'serverFacts'
    | 'buildDiagnosticsFile'
    | 'personalTextOf'
    | 'CORE_API_VERSION'
>;

/** The phone's recent log (phone-core's DoctorLog). */
export interface DoctorLogSource {
    lines(): string[];
}

/**
 * The Phone Doctor in the phone's Settings (B8): one click runs phone-core's browser probes (microphone,
 * Permissions-Policy, the SIP WebSocket and CSP, STUN/TURN, the echo test) with the SIP server and ICE servers
 * of the agent's credentials, asks Apex for the org's checks (PhoneDoctorController.checkMe), and shows each
 * check green / red / not measured with its fix. "Download diagnostics" saves phone-core's redacted file: the
 * phone's recent log, the browser's version and the results. The SIP password is read with the credentials
 * but goes nowhere: only the WebSocket URL and ICE servers are handed on.
 */
export default class PhoneDoctor extends LightningElement {
    /** phone-core, once the phone loaded it. */
    @api core: DoctorCore | null = null;
    /** The phone's recent log. */
    @api log: DoctorLogSource | null = null;
    /** The phone's state: its callers, numbers and notes are hidden in the file wherever they appear. */
    @api viewState: PhoneViewState | null = null;
    /** The phone runs only under Lightning Web Security (webPhone's security check): true once it runs. */
    @api lightningWebSecurity = false;

    running = false;
    results: DoctorResult[] | null = null;
    errorText = '';

    labels = { title: TITLE, run: RUN, help: HELP, download: DOWNLOAD, downloadHelp: DOWNLOAD_HELP };

    get runLabel(): string {
        return this.running ? RUNNING : RUN;
    }

    get runDisabled(): boolean {
        return this.running || !this.core;
    }

    get hasResults(): boolean {
        return !!this.results;
    }

    async handleRun(): Promise<void> {
        const core = this.core;
        if (!core || this.running) return;
        this.running = true;
        this.errorText = '';
        try {
            const [server, credentials] = await Promise.allSettled([checkMe(), getSipCredentials()]);
            const target = targetOf(credentials.status === 'fulfilled' ? credentials.value : null);
            const facts = await core.gatherBrowserFacts(browserApis(), target);
            this.results = core.runDoctorChecks({
                ...(server.status === 'fulfilled' ? core.serverFacts(server.value as ServerDoctorView) : {}),
                ...facts,
                lightningWebSecurity: this.lightningWebSecurity === true
            });
        } catch (error) {
            this.errorText = formatLabel(FAILED, errorMessage(error) || '-');
        } finally {
            this.running = false;
        }
    }

    handleDownload(): void {
        const core = this.core;
        if (!core || !this.results) return;
        const text = core.buildDiagnosticsFile(
            {
                createdAt: Date.now(),
                versions: { ...browserVersions(), phoneCoreApi: String(core.CORE_API_VERSION) },
                checks: this.results,
                log: this.log?.lines() ?? []
            },
            { names: core.personalTextOf(this.viewState) }
        );
        const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        const link = this.template?.querySelector('a[data-id="doctor-file"]') as HTMLAnchorElement | null;
        if (!link) return;
        link.href = url;
        link.download = `phone-diagnostics-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
        link.click();
        // eslint-disable-next-line @lwc/lwc/no-async-operation -- the download started; free the file later
        window.setTimeout(() => URL.revokeObjectURL(url), 60000);
    }
}

/** The WebSocket URL and ICE servers of the credentials (never the password). */
function targetOf(credentials: unknown): DoctorTarget | null {
    const c = credentials as { wssUrl?: unknown; iceServers?: unknown } | null;
    if (!c || typeof c.wssUrl !== 'string') return null;
    const servers = Array.isArray(c.iceServers) ? (c.iceServers as RTCIceServer[]) : [];
    return {
        wssUrl: c.wssUrl,
        iceServers: servers.map((s) => ({
            urls: s.urls,
            ...(s.username ? { username: s.username } : {}),
            ...(s.credential ? { credential: s.credential } : {})
        }))
    };
}
