import { LightningElement, api } from 'lwc';
import { loadScript } from 'lightning/platformResourceLoader';
import WEBPHONE_CORE from '@salesforce/resourceUrl/webphoneCore';
import checkUser from '@salesforce/apex/PhoneDoctorController.checkUser';
import type { DoctorResult, ServerDoctorView } from 'webphone-core';
import type * as WebphoneCoreModule from 'webphone-core';
import { errorMessage, formatLabel } from 'c/phoneUtils';

import TITLE from '@salesforce/label/c.Phone_Doctor_UserTitle';
import BROWSER_ONLY from '@salesforce/label/c.Phone_Doctor_BrowserOnly';
import RUNNING from '@salesforce/label/c.Phone_Doctor_Running';
import FAILED from '@salesforce/label/c.Phone_Doctor_Failed';

type DoctorCore = Pick<typeof WebphoneCoreModule, 'runDoctorChecks' | 'serverFacts' | 'SERVER_DOCTOR_CHECKS'>;

/**
 * One user's Phone Doctor on the Phone Setup tab (B8, admins): the org's checks for that user
 * (PhoneDoctorController.checkUser: Task field access, seat, persona permission set, call centre), judged by
 * phone-core's `runDoctorChecks` like in the phone. The browser checks run only in the agent's own browser,
 * which the panel says.
 */
export default class PhoneUserDoctor extends LightningElement {
    @api userName = '';

    private currentUserId = '';
    running = false;
    results: DoctorResult[] | null = null;
    errorText = '';
    labels = { browserOnly: BROWSER_ONLY, running: RUNNING };

    @api
    get doctorUserId(): string {
        return this.currentUserId;
    }
    set doctorUserId(value: string) {
        if (value === this.currentUserId) return;
        this.currentUserId = value;
        if (value) void this.run(value);
    }

    get heading(): string {
        return formatLabel(TITLE, this.userName || '');
    }

    private async run(userId: string): Promise<void> {
        this.running = true;
        this.results = null;
        this.errorText = '';
        try {
            await loadScript(this, WEBPHONE_CORE);
            const core = (window as unknown as { WebphoneCore?: DoctorCore }).WebphoneCore;
            const view = (await checkUser({ userId })) as ServerDoctorView;
            if (userId !== this.currentUserId || !core) return;
            const ids = new Set(core.SERVER_DOCTOR_CHECKS);
            this.results = core
                .runDoctorChecks(core.serverFacts(view))
                .filter((result) => ids.has(result.id));
        } catch (error) {
            if (userId === this.currentUserId)
                this.errorText = formatLabel(FAILED, errorMessage(error) || '-');
        } finally {
            if (userId === this.currentUserId) this.running = false;
        }
    }
}
