/** Keeps the phone keys of Account records in Phone_Key__c (see PhoneKeyTriggerHandler). */
trigger PhoneKeyAccount on Account(after insert, after update, after delete, after undelete) {
    new PhoneKeyTriggerHandler().run();
}
