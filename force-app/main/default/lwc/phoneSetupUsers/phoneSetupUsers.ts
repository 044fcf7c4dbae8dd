import { LightningElement } from 'lwc';
import { errorMessage, formatLabel } from 'c/phoneUtils';
import getUsers from '@salesforce/apex/PhoneSetupController.getUsers';
import grantSeat from '@salesforce/apex/PhoneSetupController.grantSeat';
import removeSeat from '@salesforce/apex/PhoneSetupController.removeSeat';
import provisionAgent from '@salesforce/apex/PhoneSetupController.provisionAgent';
import deactivateAgent from '@salesforce/apex/PhoneSetupController.deactivateAgent';

import TITLE from '@salesforce/label/c.Phone_Setup_Users_Title';
import CHECK from '@salesforce/label/c.Phone_Setup_Users_Check';
import SEATS from '@salesforce/label/c.Phone_Setup_Users_Seats';
import PACKAGE_SEATS from '@salesforce/label/c.Phone_Setup_Users_PackageSeats';
import COL_USER from '@salesforce/label/c.Phone_Setup_Users_ColUser';
import COL_AGENT from '@salesforce/label/c.Phone_Setup_Users_ColAgent';
import COL_SEAT from '@salesforce/label/c.Phone_Setup_Users_ColSeat';
import COL_CHECK from '@salesforce/label/c.Phone_Setup_Users_ColCheck';
import COL_ACTIONS from '@salesforce/label/c.Phone_Setup_Users_ColActions';
import GRANT from '@salesforce/label/c.Phone_Setup_Users_Grant';
import REMOVE from '@salesforce/label/c.Phone_Setup_Users_Remove';
import PROVISION from '@salesforce/label/c.Phone_Setup_Users_Provision';
import DEACTIVATE from '@salesforce/label/c.Phone_Setup_Users_Deactivate';
import PERSONA from '@salesforce/label/c.Phone_Setup_Users_Persona';
import PERSONA_AGENT from '@salesforce/label/c.Phone_Setup_Users_PersonaAgent';
import PERSONA_SUPERVISOR from '@salesforce/label/c.Phone_Setup_Users_PersonaSupervisor';
import PERSONA_ADMIN from '@salesforce/label/c.Phone_Setup_Users_PersonaAdmin';
import OK from '@salesforce/label/c.Phone_Setup_Users_Ok';
import NOT_OK from '@salesforce/label/c.Phone_Setup_Users_NotOk';
import NO_AGENT from '@salesforce/label/c.Phone_Setup_Users_NoAgent';
import SUGGESTED from '@salesforce/label/c.Phone_Setup_Users_Suggested';
import HAS_SEAT from '@salesforce/label/c.Phone_Setup_Users_HasSeat';
import NO_SEAT from '@salesforce/label/c.Phone_Setup_Users_NoSeat';
import DONE from '@salesforce/label/c.Phone_Setup_Saved';
import DOCTOR from '@salesforce/label/c.Phone_Doctor_UserButton';

/** PhoneSetupViews.UserRow. */
interface UserRow extends Record<'name', string> {
    userId: string;
    email?: string | null;
    federationId?: string | null;
    profileName?: string | null;
    agentId?: string | null;
    agentName?: string | null;
    agentEmail?: string | null;
    extension?: string | null;
    matchedBy?: string | null;
    suggestedAgentId?: string | null;
    persona?: string | null;
    hasSeat?: boolean;
    ok?: boolean;
    problems?: string[];
    problemCodes?: string[];
    adminUrl?: string | null;
}

/** PhoneSetupViews.UsersView. */
interface UsersView {
    packageLicensed?: boolean;
    packageSeats?: number | null;
    packageSeatsUsed?: number | null;
    contactCentreSeats?: number | null;
    contactCentreSeatsUsed?: number | null;
    canGrant?: boolean;
    limitReason?: string | null;
    contactCentreError?: string | null;
    users?: UserRow[];
}

const PERSONAS = ['PhoneAgent', 'PhoneSupervisor', 'PhoneAdmin'] as const;

/**
 * Users and licences (A2, A3, I4): every Salesforce user beside the contact-centre agent it is matched to
 * (Salesforce user id or Federation ID; the e-mail only suggests), the seats bought and used, grant / remove a
 * seat with a persona in one action (never past the limit, which the page states), provision / deactivate the
 * agent, and Check configuration: green, or red with every reason. "Doctor" shows one user's server-side
 * Phone Doctor checks (B8, c-phone-user-doctor).
 */
export default class PhoneSetupUsers extends LightningElement {
    labels = { TITLE, CHECK, COL_USER, COL_AGENT, COL_SEAT, COL_CHECK, COL_ACTIONS, PERSONA, DOCTOR };
    /** The user whose Phone Doctor is shown. */
    doctorUserId = '';
    doctorUserName = '';

    loading = true;
    busyUserId = '';
    view: UsersView = {};
    error = '';
    notice = '';
    personaByUser: Record<string, string> = {};

    override connectedCallback(): void {
        void this.load();
    }

    get personaOptions(): Array<{ label: string; value: string }> {
        return [
            { label: PERSONA_AGENT, value: 'PhoneAgent' },
            { label: PERSONA_SUPERVISOR, value: 'PhoneSupervisor' },
            { label: PERSONA_ADMIN, value: 'PhoneAdmin' }
        ];
    }

    get seatText(): string {
        const view = this.view;
        if (view.contactCentreSeats === null || view.contactCentreSeats === undefined) return '';
        return formatLabel(SEATS, view.contactCentreSeatsUsed ?? 0, view.contactCentreSeats);
    }

    get packageSeatText(): string {
        const view = this.view;
        if (!view.packageLicensed) return '';
        const allowed = view.packageSeats ?? 0;
        return formatLabel(PACKAGE_SEATS, view.packageSeatsUsed ?? 0, allowed < 0 ? '∞' : allowed);
    }

    get limitReason(): string {
        return this.view.canGrant ? '' : (this.view.limitReason ?? '');
    }

    get contactCentreError(): string {
        return this.view.contactCentreError ?? '';
    }

    get rows() {
        return (this.view.users ?? []).map((user) => {
            const busy = this.busyUserId === user.userId;
            const hasAgent = !!user.agentId;
            return {
                ...user,
                key: user.userId,
                rowClass: user.ok ? 'setup-user setup-user_ok' : 'setup-user setup-user_problem',
                statusText: user.ok ? OK : NOT_OK,
                statusIcon: user.ok ? 'utility:success' : 'utility:error',
                statusVariant: user.ok ? 'success' : 'error',
                agentText: hasAgent
                    ? `${user.agentName ?? user.agentId}${user.extension ? ` (${user.extension})` : ''}`
                    : user.suggestedAgentId
                      ? formatLabel(SUGGESTED, user.suggestedAgentId)
                      : NO_AGENT,
                seatText: user.hasSeat ? formatLabel(HAS_SEAT, this.personaLabel(user.persona)) : NO_SEAT,
                problems: (user.problems ?? []).map((text, index) => ({
                    key: `${user.userId}-${index}`,
                    text
                })),
                persona: this.personaByUser[user.userId] ?? user.persona ?? 'PhoneAgent',
                grantLabel: formatLabel(GRANT, user.name),
                removeLabel: formatLabel(REMOVE, user.name),
                provisionLabel: formatLabel(PROVISION, user.name),
                deactivateLabel: formatLabel(DEACTIVATE, user.name),
                personaLabel: formatLabel(PERSONA, user.name),
                grantDisabled: !(hasAgent && !busy && (this.view.canGrant === true || user.hasSeat === true)),
                canRemove: !busy && (user.hasSeat === true || !!user.persona),
                canProvision: !hasAgent && !busy && !this.contactCentreError,
                canDeactivate: hasAgent && !busy
            };
        });
    }

    handlePersona(event: CustomEvent<{ value: string }>): void {
        const userId = (event.target as HTMLElement).dataset.userId ?? '';
        const persona = event.detail?.value;
        if (userId && PERSONAS.includes(persona as (typeof PERSONAS)[number])) {
            this.personaByUser = { ...this.personaByUser, [userId]: persona };
        }
    }

    async handleCheck(): Promise<void> {
        this.notice = '';
        await this.load();
    }

    handleDoctor(event: Event): void {
        const userId = this.userIdOf(event);
        this.doctorUserId = userId;
        this.doctorUserName = (this.view.users ?? []).find((user) => user.userId === userId)?.name ?? '';
    }

    async handleGrant(event: Event): Promise<void> {
        const userId = this.userIdOf(event);
        const row = (this.view.users ?? []).find((user) => user.userId === userId);
        const persona = this.personaByUser[userId] ?? row?.persona ?? 'PhoneAgent';
        await this.act(userId, () => grantSeat({ userId, persona }));
    }

    async handleRemove(event: Event): Promise<void> {
        const userId = this.userIdOf(event);
        await this.act(userId, () => removeSeat({ userId }));
    }

    async handleProvision(event: Event): Promise<void> {
        const userId = this.userIdOf(event);
        await this.act(userId, () => provisionAgent({ userId }));
    }

    async handleDeactivate(event: Event): Promise<void> {
        const userId = this.userIdOf(event);
        await this.act(userId, () => deactivateAgent({ userId }));
    }

    private personaLabel(persona: string | null | undefined): string {
        return this.personaOptions.find((option) => option.value === persona)?.label ?? '';
    }

    private userIdOf(event: Event): string {
        return (event.currentTarget as HTMLElement).dataset.userId ?? '';
    }

    private async act(userId: string, action: () => Promise<unknown>): Promise<void> {
        if (!userId) return;
        this.busyUserId = userId;
        this.error = '';
        this.notice = '';
        try {
            await action();
            this.notice = DONE;
            await this.load();
        } catch (error) {
            this.error = errorMessage(error);
        } finally {
            this.busyUserId = '';
        }
    }

    private async load(): Promise<void> {
        this.loading = true;
        try {
            this.view = ((await getUsers()) as UsersView) ?? {};
        } catch (error) {
            this.error = errorMessage(error);
        } finally {
            this.loading = false;
        }
    }
}
