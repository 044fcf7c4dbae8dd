/**
 * Workbench implementation of `lightning/platformShowToastEvent`. The event bubbles out of the component
 * (composed); the workbench page listens for it at its root and shows the toast, as Lightning Experience does.
 */
export const SHOW_TOAST_EVENT = 'lightning__showtoast';

export interface ToastConfig {
    title?: string;
    message: string;
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'pester' | 'sticky';
    messageData?: unknown[];
}

export class ShowToastEvent extends CustomEvent<ToastConfig> {
    constructor(config: ToastConfig) {
        super(SHOW_TOAST_EVENT, { bubbles: true, composed: true, cancelable: true, detail: config });
    }
}
