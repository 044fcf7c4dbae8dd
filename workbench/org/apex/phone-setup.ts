/**
 * PhoneSetupController and its services (the setup tab): the connection kept as the External/Named Credential
 * would keep it (the key never returned), users beside the contact centre's agents with Check configuration,
 * seats within the licences bought, provisioning, options, the contact centre's configuration and the setup
 * checklist. The same rules and messages as the Apex (PhoneSeatService, PhoneUserDirectoryService, ...);
 * only the platform parts differ: persona permission sets are a map in the database, the package is not
 * licensed (no PackageLicense, like a scratch org), and the workbench's loopback simulator may be http.
 *
 * This module is PhoneSetupController's face for the local org (its importers use it); each service it stands
 * in for has its own module: `phone-setup-access.ts` (PhoneSetupAccess, personas, shared helpers),
 * `phone-setup-errors.ts` (PhoneSetupErrors), `phone-setup-connection.ts` (PhoneConnectionService),
 * `phone-setup-users.ts` (PhoneUserDirectoryService, PhoneSeatService), `phone-setup-options.ts`
 * (PhoneSetupOptionsService, PhoneOptionCodec), `phone-setup-checklist.ts` (ContactCentreAdminService,
 * PhoneSetupChecklistService).
 */
export {
    ASSIGNMENTS_KEY,
    CREDENTIAL_KEY,
    OVERRIDES_KEY,
    PERSONAS,
    personas,
    requireAdmin
} from './phone-setup-access';
export { connectionMessage } from './phone-setup-errors';
export {
    getConnection,
    saveConnection,
    testConnection,
    type StoredCredential
} from './phone-setup-connection';
export {
    allAgents,
    deactivateAgent,
    getUsers,
    grantSeat,
    matchOf,
    matchesOf,
    provisionAgent,
    removeSeat
} from './phone-setup-users';
export {
    getJobProgress,
    getOptions,
    isValidUrlTemplate,
    parseCardFields,
    parseDispositions,
    phoneEnabledFor,
    readableCardFields,
    saveOptions,
    setPhoneEnabled,
    startKeyBackfill
} from './phone-setup-options';
export { getChecklist, getContactCentre } from './phone-setup-checklist';
