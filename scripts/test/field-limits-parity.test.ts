/**
 * The length limits the phone (phone-core) and Apex apply to the same Task fields are one number, owned by
 * the field's metadata (#11 finding 10): a value the phone accepts is never cut or refused by Apex, and a
 * recording link is dropped whole by both, never cut into a broken link.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { CALL_DATA_LIMITS } from '../../phone-core/src/call/call-data';
import { MAX_DISPOSITION } from '../../phone-core/src/session/interaction';

const root = path.resolve(__dirname, '..', '..');
const read = (relative: string): string => readFileSync(path.join(root, relative), 'utf8');
const fieldLength = (object: string, field: string): number => {
    const xml = read(`force-app/main/default/objects/${object}/fields/${field}.field-meta.xml`);
    const type = /<type>([^<]+)<\/type>/.exec(xml)?.[1];
    if (type === 'Url') return 255; // a URL field always holds 255 characters
    return Number(/<length>(\d+)<\/length>/.exec(xml)?.[1]);
};
const apexConstant = (file: string, name: string): number => {
    const match = new RegExp(`\\b${name}\\s*=\\s*(\\d+)\\s*;`).exec(read(file));
    if (!match) throw new Error(`${name} not found in ${file}`);
    return Number(match[1]);
};
const CLASSES = 'force-app/main/default/classes';

describe('Task field limits: phone-core and Apex agree with the field', () => {
    it('interaction id: 255 in the phone, the push, the call log and both fields', () => {
        const field = fieldLength('Activity', 'Interaction_Id__c');
        expect(fieldLength('Call_Log_Key__c', 'Interaction_Id__c')).toBe(field);
        expect(CALL_DATA_LIMITS.interactionId).toBe(field);
        expect(apexConstant(`${CLASSES}/services/CallRecordPushService.cls`, 'MAX_INTERACTION_ID')).toBe(field);
        expect(read(`${CLASSES}/services/CallLogService.cls`)).toContain(
            `clean(entry?.interactionId, ${field})`
        );
    });

    it('recording link: the phone and Apex keep at most what Task.Recording_Url__c holds', () => {
        const field = fieldLength('Activity', 'Recording_Url__c');
        expect(CALL_DATA_LIMITS.recordingUrl).toBe(field);
        expect(apexConstant(`${CLASSES}/domain/RecordingLinks.cls`, 'MAX_LENGTH')).toBe(field);
    });

    it('disposition: the phone caps it at what CallDisposition holds, as Apex does', () => {
        expect(read(`${CLASSES}/services/CallLogService.cls`)).toContain(
            `clean(entry.disposition, ${MAX_DISPOSITION})`
        );
        expect(MAX_DISPOSITION).toBe(255); // Task.CallDisposition, a standard field of 255 characters
    });
});
