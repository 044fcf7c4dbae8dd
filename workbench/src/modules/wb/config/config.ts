/**
 * The page's configuration, written into index.html by the workbench server (who the user is, which org,
 * which country): the bundle itself is the same for every run.
 */
export interface WorkbenchConfig {
    /** The running user's 18-character id (`@salesforce/user/Id`). */
    userId: string;
    userName: string;
    userEmail: string;
    /** The local org's name, shown in the header. */
    orgName: string;
    /** The org's default country (Phone_Settings__c.Default_Country__c). */
    defaultCountry: string;
    /** The user's language (en_US, nl_NL, pl, cs, ru): the Custom Labels the components show. */
    language: string;
    /** The org's default language (the language of stored Task subjects). */
    orgLanguage: string;
    /** The simulator's customer phone page, shown beside the app. */
    customerPanelUrl: string;
}

const FALLBACK: WorkbenchConfig = {
    userId: '005000000000000AAA',
    userName: 'Workbench user',
    userEmail: '',
    orgName: 'Local org',
    defaultCountry: '',
    language: 'en_US',
    orgLanguage: 'en_US',
    customerPanelUrl: '/customer'
};

/** The configuration the server put on the page. */
export function workbenchConfig(): WorkbenchConfig {
    const fromPage = (window as unknown as { workbenchConfig?: Partial<WorkbenchConfig> }).workbenchConfig;
    return { ...FALLBACK, ...(fromPage ?? {}) };
}
