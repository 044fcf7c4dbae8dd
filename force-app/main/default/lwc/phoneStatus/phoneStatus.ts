import { LightningElement, api } from 'lwc';
import type { AgentView, PauseReason, StatusRequest } from 'webphone-core';
import { commandEvent, formatClock, formatLabel } from 'c/phoneUtils';

import STATUS_OFFLINE from '@salesforce/label/c.Phone_Status_Offline';
import STATUS_NOT_READY from '@salesforce/label/c.Phone_Status_NotReady';
import STATUS_READY from '@salesforce/label/c.Phone_Status_Ready';
import STATUS_RINGING from '@salesforce/label/c.Phone_Status_Ringing';
import STATUS_BUSY from '@salesforce/label/c.Phone_Status_Busy';
import STATUS_WRAP from '@salesforce/label/c.Phone_Status_Wrap';
import STATUS_PAUSED from '@salesforce/label/c.Phone_Status_Paused';
import STATUS_ERROR from '@salesforce/label/c.Phone_Status_Error';
import PAUSED_WITH from '@salesforce/label/c.Phone_Status_PausedWith';
import CHANGE_STATUS from '@salesforce/label/c.Phone_Status_Change';
import STATUS_AFTER_CALL from '@salesforce/label/c.Phone_Status_AfterCall';
import PAUSE_OPTION from '@salesforce/label/c.Phone_Status_PauseOption';
import NOT_READY_AFTER_CALL from '@salesforce/label/c.Phone_Status_NotReadyAfterCall';
import NEXT_IS from '@salesforce/label/c.Phone_Status_NextIs';
import WRAP_LEFT from '@salesforce/label/c.Phone_Status_WrapLeft';
import NOT_SYNCED from '@salesforce/label/c.Phone_Status_NotSynced';
import REGION from '@salesforce/label/c.Phone_Status_Region';

const STATUS_TEXT: Readonly<Record<string, string>> = {
    Offline: STATUS_OFFLINE,
    NotReady: STATUS_NOT_READY,
    Ready: STATUS_READY,
    Ringing: STATUS_RINGING,
    Busy: STATUS_BUSY,
    Wrap: STATUS_WRAP,
    Paused: STATUS_PAUSED,
    Error: STATUS_ERROR
};

/** SLDS theme per status: Ready green, Busy red, Wrap orange, Ringing blue, the rest grey. */
const STATUS_THEME: Readonly<Record<string, string>> = {
    Ready: 'slds-theme_success',
    Busy: 'slds-theme_error',
    Error: 'slds-theme_error',
    Wrap: 'slds-theme_warning',
    Ringing: 'slds-theme_info',
    Paused: 'slds-theme_alt-inverse'
};

const CALL_WORK = new Set(['Ringing', 'Busy', 'Wrap']);
const PAUSE_PREFIX = 'Paused:';

interface StatusOption {
    label: string;
    value: string;
}

/**
 * The agent status (F2): a coloured badge, the Wrap countdown (mm:ss), the status picker with the contact
 * centre's pause reasons, and "Not ready after this call". Presentational: every change is a `phonecommand`
 * event (`setStatus` / `clearNextStatus`) that c/webPhone hands to the session.
 */
export default class PhoneStatus extends LightningElement {
    /** The agent part of the PhoneViewState. */
    @api agent: AgentView | null = null;
    /** Pause reasons configured in the contact centre. */
    @api pauseReasons: PauseReason[] = [];
    /** Disables the picker (phone not started). */
    @api disabled = false;

    now = Date.now();
    private ticker: ReturnType<typeof setInterval> | undefined;

    labels = {
        notReadyAfterCall: NOT_READY_AFTER_CALL,
        wrapLeft: WRAP_LEFT,
        notSynced: NOT_SYNCED,
        region: REGION
    };

    override connectedCallback(): void {
        // the countdown needs a clock tick; the session does not re-publish its state every second
        // eslint-disable-next-line @lwc/lwc/no-async-operation -- one-second tick of the visible Wrap countdown
        this.ticker = setInterval(() => {
            if (this.agent?.wrap) this.now = Date.now();
        }, 1000);
        this.now = Date.now();
    }

    override disconnectedCallback(): void {
        if (this.ticker !== undefined) clearInterval(this.ticker);
        this.ticker = undefined;
    }

    get status(): string {
        return this.agent?.status ?? 'Offline';
    }

    get statusText(): string {
        const reason = this.agent?.pauseReason;
        if (this.status === 'Paused' && reason) return formatLabel(PAUSED_WITH, reason.label || reason.id);
        return STATUS_TEXT[this.status] ?? this.status;
    }

    get badgeClass(): string {
        return `slds-badge status-badge ${STATUS_THEME[this.status] ?? 'slds-theme_shade'}`;
    }

    get inCallWork(): boolean {
        return CALL_WORK.has(this.status);
    }

    get showWrap(): boolean {
        return this.status === 'Wrap' && !!this.agent?.wrap;
    }

    get wrapRemaining(): string {
        const deadline = this.agent?.wrap?.deadline ?? this.now;
        return formatClock(deadline - this.now);
    }

    get pickerLabel(): string {
        return this.status === 'Ringing' || this.status === 'Busy' ? STATUS_AFTER_CALL : CHANGE_STATUS;
    }

    get options(): StatusOption[] {
        const allowed = new Set(this.agent?.allowed ?? []);
        const options: StatusOption[] = [];
        if (allowed.has('Ready')) options.push({ label: STATUS_READY, value: 'Ready' });
        if (allowed.has('NotReady')) options.push({ label: STATUS_NOT_READY, value: 'NotReady' });
        if (allowed.has('Paused')) {
            for (const reason of this.pauseReasons ?? []) {
                options.push({
                    label: formatLabel(PAUSE_OPTION, reason.label || reason.id),
                    value: PAUSE_PREFIX + reason.id
                });
            }
        }
        return options;
    }

    get pickerValue(): string | undefined {
        const next = this.inCallWork ? this.agent?.nextStatus : null;
        const status = next ? next.status : this.status;
        if (status === 'Paused') {
            const reason = next && next.status === 'Paused' ? next.reason : this.agent?.pauseReason;
            return reason ? PAUSE_PREFIX + reason.id : undefined;
        }
        return status === 'Ready' || status === 'NotReady' ? status : undefined;
    }

    get pickerDisabled(): boolean {
        return this.disabled || this.options.length === 0;
    }

    get notReadyAfterCall(): boolean {
        return this.agent?.nextStatus?.status === 'NotReady';
    }

    get nextStatusText(): string {
        const next = this.inCallWork ? this.agent?.nextStatus : null;
        if (!next) return '';
        const text =
            next.status === 'Paused'
                ? formatLabel(PAUSED_WITH, next.reason.label || next.reason.id)
                : (STATUS_TEXT[next.status] ?? next.status);
        return formatLabel(NEXT_IS, text);
    }

    get syncFailed(): boolean {
        return this.agent?.sync === 'failed';
    }

    handleStatusChange(event: CustomEvent<{ value: string }>): void {
        const request = this.requestFor(event.detail.value);
        if (request) this.dispatchEvent(commandEvent({ type: 'setStatus', request }));
    }

    handleNotReadyAfterCall(event: CustomEvent<{ checked: boolean }>): void {
        this.dispatchEvent(
            event.detail.checked
                ? commandEvent({ type: 'setStatus', request: { status: 'NotReady' } })
                : commandEvent({ type: 'clearNextStatus' })
        );
    }

    private requestFor(value: string): StatusRequest | null {
        if (value === 'Ready') return { status: 'Ready' };
        if (value === 'NotReady') return { status: 'NotReady' };
        if (value.startsWith(PAUSE_PREFIX)) {
            const id = value.slice(PAUSE_PREFIX.length);
            const reason = (this.pauseReasons ?? []).find((candidate) => candidate.id === id);
            return reason ? { status: 'Paused', reason: { id: reason.id, label: reason.label } } : null;
        }
        return null;
    }
}
