// The API of the `webphoneCore` static resource as LWC code sees it after `loadScript`:
// exactly the exports of phone-core/src/index.ts, so the types cannot drift from what ships.
import type * as WebphoneCoreModule from '../phone-core/src/index';

declare global {
    interface Window {
        WebphoneCore?: typeof WebphoneCoreModule;
    }
}

export type WebphoneCoreApi = typeof WebphoneCoreModule;
