/** Keeps the phone keys of Case records in Phone_Key__c (see PhoneKeyTriggerHandler). */
trigger PhoneKeyCase on Case(after insert, after update, after delete, after undelete) {
    new PhoneKeyTriggerHandler().run();
}
