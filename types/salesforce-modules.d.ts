// Declarations for the `@salesforce/*` and `lightning/*` modules that @salesforce/lightning-types 0.8.0 lacks.
declare module '@salesforce/apex/*' {
    const apexMethod: (params?: Record<string, unknown>) => Promise<any>;
    export default apexMethod;
}
declare module '@salesforce/label/*' {
    const label: string;
    export default label;
}
declare module '@salesforce/resourceUrl/*' {
    const url: string;
    export default url;
}
declare module '@salesforce/messageChannel/*' {
    const channel: { readonly channelName?: string };
    export default channel;
}
declare module '@salesforce/i18n/*' {
    const value: string;
    export default value;
}
declare module 'lightning/navigation' {
    export interface PageReference {
        type: string;
        attributes?: Record<string, unknown>;
        state?: Record<string, unknown>;
    }
    type Constructor<T = object> = new (...args: any[]) => T;
    export function NavigationMixin<T extends Constructor>(base: T): T;
    export namespace NavigationMixin {
        const Navigate: unique symbol;
        const GenerateUrl: unique symbol;
    }
    export const CurrentPageReference: any;
}
declare module 'lightning/messageService' {
    export const MessageContext: any;
    export const APPLICATION_SCOPE: symbol;
    export function publish(context: unknown, channel: unknown, message?: unknown): void;
    export function subscribe(
        context: unknown,
        channel: unknown,
        listener: (message: any) => void,
        options?: { scope?: symbol }
    ): unknown;
    export function unsubscribe(subscription: unknown): void;
    export function createMessageContext(): unknown;
    export function releaseMessageContext(context: unknown): void;
}
declare module 'lightning/platformUtilityBarApi' {
    export function getEnclosingUtilityId(): Promise<string | undefined>;
    export function getAllUtilityInfo(): Promise<unknown[]>;
    export function open(utilityId: string, options?: Record<string, unknown>): Promise<boolean>;
    export function minimize(utilityId: string): Promise<boolean>;
    export function setUtilityLabel(utilityId: string, label: string): Promise<boolean>;
    export function setUtilityHighlighted(
        utilityId: string,
        highlighted: boolean,
        options?: Record<string, unknown>
    ): Promise<boolean>;
    export function setUtilityIcon(
        utilityId: string,
        icon: string,
        options?: Record<string, unknown>
    ): Promise<boolean>;
    export function setPanelHeaderLabel(utilityId: string, label: string): Promise<boolean>;
    export function onUtilityClick(utilityId: string, handler: (event: unknown) => void): Promise<boolean>;
    export function EnclosingUtilityId(config: unknown): unknown;
}

declare module 'lightning/pageReferenceUtils' {
    export function encodeDefaultFieldValues(values: Record<string, unknown>): string;
    export function decodeDefaultFieldValues(text: string): Record<string, string>;
}
declare module 'lightning/platformShowToastEvent' {
    export class ShowToastEvent extends CustomEvent<unknown> {
        constructor(detail: {
            title?: string;
            message: string;
            variant?: 'info' | 'success' | 'warning' | 'error';
            mode?: string;
        });
    }
}
declare module 'lightning/uiRecordApi' {
    /** Wire adapter: `{ recordId, fields?, optionalFields? }` -> a record in the UI API shape. */
    export const getRecord: any;
    /** A field's value from a record of `getRecord` (`'Account.Name'` or an imported field reference). */
    export function getFieldValue(
        record: unknown,
        field: string | { fieldApiName: string; objectApiName: string }
    ): unknown;
}

declare module 'lightning/uiObjectInfoApi' {
    /** Wire adapter: `{ objectApiNames }` -> `{ results: [{ statusCode, result: ObjectInfo }] }`, in request order. */
    export const getObjectInfos: any;
}
