/** Keeps the phone keys of Lead records in Phone_Key__c (see PhoneKeyTriggerHandler). */
trigger PhoneKeyLead on Lead(after insert, after update, after delete, after undelete) {
    new PhoneKeyTriggerHandler().run();
}
