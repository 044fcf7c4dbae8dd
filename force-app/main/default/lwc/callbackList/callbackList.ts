import { LightningElement, api } from 'lwc';
import type { CallbackAttempt, OpenCallback, RecentCall } from 'webphone-core';
import openCallbacks from '@salesforce/apex/CallbackController.openCallbacks';
import completeCallback from '@salesforce/apex/CallbackController.completeCallback';
import { callBackEvent, errorMessage, formatLabel } from 'c/phoneUtils';

import TITLE from '@salesforce/label/c.Phone_Callbacks_Title';
import DUE from '@salesforce/label/c.Phone_Callbacks_Due';
import REFRESH from '@salesforce/label/c.Phone_Callbacks_Refresh';
import LOAD_FAILED from '@salesforce/label/c.Phone_Callbacks_LoadFailed';
import CALL_BACK from '@salesforce/label/c.Phone_Recent_CallBack';
import UNKNOWN_CALLER from '@salesforce/label/c.Phone_Label_UnknownCaller';

/** The phone-core functions this list uses (from the webphoneCore static resource the phone loaded). */
interface CallbackFunctions {
    sortCallbacks(callbacks: readonly OpenCallback[] | null | undefined): OpenCallback[];
    isCallbackDue(callback: OpenCallback, nowMs: number): boolean;
    callbackMadeBy(
        attempt: CallbackAttempt | null | undefined,
        calls: readonly RecentCall[] | null | undefined,
        options?: NumberOptions
    ): RecentCall | undefined;
}

/** The org's numbering, as the phone reads numbers (webPhone's numberOptions). */
interface NumberOptions {
    defaultCountry: string;
    defaultAreaCode?: string;
}

/** Any of them may be missing (an older static resource): the list then shows the callbacks unsorted. */
export type CallbackHelpers = Partial<CallbackFunctions>;

interface CallbackRow {
    key: string;
    id: string;
    title: string;
    number: string;
    dueAt: string | number | null;
    dueClass: string;
    queue: string;
    callBackTitle: string;
}

/**
 * The agent's open callbacks above the recent calls (F11, F24): the most urgent first, late ones in red,
 * one click calls back (related to the callback's record); once that call was answered the callback is
 * closed on the server and the list reloads. The call-back itself is logged as any call (one Task per call).
 */
export default class CallbackList extends LightningElement {
    /** Disables call back (the phone cannot dial now). */
    @api disabled = false;
    /** phone-core's callback functions; null until the phone has loaded them. */
    @api helpers: CallbackHelpers | null = null;
    /** The org's numbering: a callback stored as `06-12345678` is made by a call to `+31612345678`. */
    @api numberOptions: NumberOptions | null = null;

    callbacks: OpenCallback[] = [];
    error = '';
    labels = { title: TITLE, refresh: REFRESH };

    private recentCalls: RecentCall[] = [];
    private attempt: CallbackAttempt | null = null;
    private newestCall: string | undefined;
    private closing = false;

    /** `PhoneViewState.recentCalls`: a new call reloads the list and may complete the call-back in progress. */
    @api
    get calls(): RecentCall[] {
        return this.recentCalls;
    }
    set calls(value: RecentCall[]) {
        this.recentCalls = value ?? [];
        const newest = this.recentCalls[0]?.interactionId;
        if (newest !== this.newestCall) {
            this.newestCall = newest;
            void this.afterNewCall();
        }
    }

    override connectedCallback(): void {
        void this.load();
    }

    get hasCallbacks(): boolean {
        return this.callbacks.length > 0;
    }

    get rows(): CallbackRow[] {
        const now = Date.now();
        return this.callbacks.map((callback) => {
            const title = callback.recordName || callback.callerName || UNKNOWN_CALLER;
            const late = this.helpers?.isCallbackDue?.(callback, now) ?? false;
            return {
                key: callback.id,
                id: callback.id,
                title,
                number: callback.phoneNumber ?? '',
                dueAt: callback.dueAt ?? null,
                dueClass: `slds-text-body_small ${late ? 'slds-text-color_error' : 'slds-text-color_weak'}`,
                queue: callback.queue ?? '',
                callBackTitle: formatLabel(CALL_BACK, title)
            };
        });
    }

    get dueLabel(): string {
        return DUE;
    }

    handleRefresh(): void {
        void this.load();
    }

    handleCallBack(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.callbackId;
        const callback = this.callbacks.find((candidate) => candidate.id === id);
        if (!callback?.phoneNumber || this.disabled) return;
        this.attempt = { callbackId: callback.id, number: callback.phoneNumber, startedAt: Date.now() };
        this.dispatchEvent(callBackEvent(callback.phoneNumber, callback.recordId, callback.recordName));
    }

    private async afterNewCall(): Promise<void> {
        const made = this.helpers?.callbackMadeBy?.(
            this.attempt,
            this.recentCalls,
            this.numberOptions ?? undefined
        );
        if (made && this.attempt && !this.closing) {
            this.closing = true;
            const { callbackId } = this.attempt;
            try {
                await completeCallback({ callbackId });
                this.attempt = null;
            } catch (error) {
                this.error = formatLabel(LOAD_FAILED, errorMessage(error) || '-');
            } finally {
                this.closing = false;
            }
        }
        await this.load();
    }

    private async load(): Promise<void> {
        try {
            const loaded = ((await openCallbacks()) ?? []) as OpenCallback[];
            this.callbacks = this.helpers?.sortCallbacks?.(loaded) ?? loaded;
            this.error = '';
        } catch (error) {
            this.error = formatLabel(LOAD_FAILED, errorMessage(error) || '-');
        }
    }
}
