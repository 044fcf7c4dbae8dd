/** Keeps the phone keys of Contact records in Phone_Key__c (see PhoneKeyTriggerHandler). */
trigger PhoneKeyContact on Contact(after insert, after update, after delete, after undelete) {
    new PhoneKeyTriggerHandler().run();
}
