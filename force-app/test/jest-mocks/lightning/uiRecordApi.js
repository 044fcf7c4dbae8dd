/**
 * Jest mock of `lightning/uiRecordApi`: sfdx-lwc-jest's stub (getRecord is a test wire adapter: `emit()` a
 * record in the UI API shape, `error()` a failure; getFieldValue reads it like the platform's).
 */
export * from '@salesforce/sfdx-lwc-jest/src/lightning-stubs/uiRecordApi/uiRecordApi';
