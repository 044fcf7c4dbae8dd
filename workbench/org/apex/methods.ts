/**
 * The `@AuraEnabled` Apex methods the local org implements, as `Class.method`. The workbench build checks every
 * `@salesforce/apex/*` import of the package's components against this list (and against the Apex classes in
 * force-app), so a component that starts using a method the workbench lacks fails the build instead of
 * failing at run time; `LocalOrg` must implement each one (the type checks it).
 */
export const APEX_METHODS = [
    'AgentSessionController.getSipCredentials',
    'AgentSessionController.getActiveInteractions',
    'AgentStatusController.setStatus',
    'AgentStatusController.getPauseReasons',
    'AgentStatusController.getCampaigns',
    'CallerLookupController.findCallers',
    'CallLogController.saveCallLog',
    'CallLogController.saveCallLogs',
    'CallbackController.openCallbacks',
    'CallbackController.completeCallback',
    'ConversationController.getConversation',
    'RecordingControlController.controlRecording',
    'RecordCreationController.createRecord',
    'RecordCreationController.attachNumber',
    'PhoneSettingsController.getSettings',
    'PhoneAdminController.startKeyBackfill',
    'PhoneSetupController.getConnection',
    'PhoneSetupController.saveConnection',
    'PhoneSetupController.testConnection',
    'PhoneSetupController.getUsers',
    'PhoneSetupController.grantSeat',
    'PhoneSetupController.removeSeat',
    'PhoneSetupController.provisionAgent',
    'PhoneSetupController.deactivateAgent',
    'PhoneSetupController.getOptions',
    'PhoneSetupController.saveOptions',
    'PhoneSetupController.setPhoneEnabled',
    'PhoneSetupController.getJobProgress',
    'PhoneSetupController.getContactCentre',
    'PhoneSetupController.getChecklist',
    'OmniPresenceController.getMapping',
    'PhoneDoctorController.checkMe',
    'PhoneDoctorController.checkUser',
    'RecordingPlaybackController.getPlaybackUrl'
] as const;

/** One implemented method. */
export type ApexMethodName = (typeof APEX_METHODS)[number];
