/** The `webphoneCore` static resource as the utility item loads it: its API version and its global's shape. */
import type * as WebphoneCoreModule from 'webphone-core';

/** phone-core API version this component is written for (the static resource's CORE_API_VERSION). */
export const CORE_API_VERSION = 1;

/** What `loadScript` leaves on `window`: the static resource's global, typed by phone-core's own exports. */
export type WebphoneCoreGlobal = Partial<
    Pick<
        typeof WebphoneCoreModule,
        | 'CORE_API_VERSION'
        | 'PhoneSession'
        | 'isDialable'
        | 'formatForDisplay'
        | 'renderNotificationTemplate'
        | 'sortCallbacks'
        | 'isCallbackDue'
        | 'callbackMadeBy'
        | 'sensitivePageInput'
        | 'ConversationWatch'
        | 'notesWithSummary'
        | 'suggestedDisposition'
        | 'systemClock'
        | 'DoctorLog'
    >
>;
