/** Jest mock of `@salesforce/messageChannel/*`: one token object for every channel. */
export default { channelName: 'WebPhone__c' };
