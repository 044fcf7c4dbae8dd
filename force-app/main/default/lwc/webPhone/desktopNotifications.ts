// The phone's desktop notifications while the agent looks elsewhere: who is calling, a missed call, a call
// log that needs attention. Owns the text (the admin's template or the phone's own) and the browser API.
import type { PhoneNotification } from 'webphone-core';
import { errorText } from './messages';
import UNKNOWN_CALLER from '@salesforce/label/c.Phone_Label_UnknownCaller';
import NOTIFY_INCOMING from '@salesforce/label/c.Phone_Notify_IncomingTitle';
import NOTIFY_MISSED from '@salesforce/label/c.Phone_Notify_MissedTitle';
import NOTIFY_LOG from '@salesforce/label/c.Phone_Notify_LogTitle';

export type NotificationConstructor = {
    new (title: string, options?: NotificationOptions): Notification;
    readonly permission: NotificationPermission;
    requestPermission(): Promise<NotificationPermission>;
};

/** What a notification needs from its host. */
export interface NotificationHost {
    /** The admin's template from Phone Setup ('' or absent: the phone's own text). */
    template?: string | null;
    /** phone-core's renderNotificationTemplate (plain text). */
    render?: (template: string, values: Record<string, string>) => string;
    /** A call log needing attention while the phone is visible: shown as a toast. */
    onAttention(text: string): void;
    /** The agent clicked the notification: bring the phone forward. */
    onClick(): void;
}

/** The browser's Notification API, or null where it has none. */
export function browserNotification(): NotificationConstructor | null {
    const api = (window as unknown as { Notification?: NotificationConstructor }).Notification;
    return typeof api === 'function' ? api : null;
}

/** Shows a notification when the page is hidden and the agent allowed it. */
export function showNotification(notification: PhoneNotification, host: NotificationHost): void {
    const visible = document.visibilityState !== 'hidden';
    if (notification.kind === 'call-log-needs-attention' && visible) {
        host.onAttention(errorText('call-log-needs-attention'));
        return;
    }
    if (visible) return; // the open utility panel shows the call
    const NotificationApi = browserNotification();
    if (!NotificationApi || NotificationApi.permission !== 'granted') return;
    const title =
        notification.kind === 'incoming-call'
            ? NOTIFY_INCOMING
            : notification.kind === 'missed-call'
              ? NOTIFY_MISSED
              : NOTIFY_LOG;
    // the OS renders notification text as plain text: caller names cannot inject markup
    const body =
        templatedBody(notification, host) ||
        [notification.name || UNKNOWN_CALLER, notification.company, notification.numberDisplay]
            .filter(Boolean)
            .join('\n');
    try {
        const shown = new NotificationApi(title, { body, tag: notification.tag });
        shown.onclick = () => {
            window.focus();
            host.onClick();
            shown.close();
        };
    } catch {
        // some browsers only allow notifications from a service worker: the utility bar still highlights
    }
}

/** The admin's notification template filled for this call ('' when none is set: the phone's own text). */
function templatedBody(notification: PhoneNotification, host: NotificationHost): string {
    const { template, render } = host;
    if (!template || !render || notification.kind === 'call-log-needs-attention') return '';
    return render(template, {
        name: notification.name || UNKNOWN_CALLER,
        company: notification.company,
        number: notification.numberDisplay,
        campaign: notification.campaign ?? '',
        queue: notification.queue ?? ''
    });
}
