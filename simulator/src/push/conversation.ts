/**
 * The conversation of a recorded call (F22): the transcript, summary and suggested result the contact centre
 * sends to Salesforce after the call (`PUT /services/apexrest/ccphone/conversations/v1/{interactionId}`, the
 * contract's `conversationPush` webhook, body `ConversationPush`).
 *
 * The simulator has no speech recognition: the transcript is **built from what it knows of the call**, not from
 * its audio: the campaign's greeting, the caller's IVR digits, case code, IVR data and voicebot answers, who
 * answered and when, and who hung up, each line stamped with its time from the offer (`[mm:ss] Speaker: text`).
 * The same call always gives the same text, so tests can assert it. Test variants (`ConversationVariant`):
 * `empty` sends nothing worth keeping, `oversized` a transcript over the receiver's 1,000,000 characters.
 */
import type { CallRecordData } from '../model';

/** Path of the conversation endpoint below /services/apexrest (the interaction id is appended). */
export const APEX_CONVERSATIONS_PATH = '/ccphone/conversations/v1';

/** Longest transcript the receiver keeps (ConversationService.MAX_TRANSCRIPT); `oversized` goes past it. */
export const RECEIVER_TRANSCRIPT_LIMIT = 1_000_000;

/** The body sent (the contract's `ConversationPush`). */
export interface ConversationBody {
    summary: string | null;
    suggestedResult: string | null;
    transcript: string | null;
}

/** What to send: the call's conversation, an empty one, or one with an oversized transcript (tests). */
export type ConversationVariant = 'normal' | 'empty' | 'oversized';

/** Suggested results are values of the package's built-in call results (Task.CallDisposition). */
export const SUGGESTED_RESULTS = {
    followUp: 'Follow-up needed',
    information: 'Information given',
    resolved: 'Resolved'
} as const;

/** A call shorter than this (talk seconds) is suggested as "Information given". */
const SHORT_CALL_SECONDS = 30;

/** Whether the contact centre makes a conversation for this call: answered, ended and recorded. */
export function hasConversation(record: CallRecordData): boolean {
    return record.state === 'ended' && record.answeredAt !== null && record.recordingId !== null;
}

/** `mm:ss` from the call's offer. */
function stamp(record: CallRecordData, at: number): string {
    const seconds = Math.max(0, Math.round((at - record.offeredAt) / 1000));
    return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

function talkSecondsOf(record: CallRecordData): number {
    if (record.answeredAt === null || record.endedAt === null) return 0;
    return Math.max(0, Math.round((record.endedAt - record.answeredAt) / 1000));
}

function agentOf(record: CallRecordData): string {
    return record.agentEmail ?? record.agentId ?? 'the agent';
}

/** The transcript lines (see the module documentation). */
export function transcriptOf(record: CallRecordData): string {
    const caller = record.callerNumber ?? 'unknown number';
    const agent = agentOf(record);
    const offered = record.offeredAt;
    const lines = [
        `Transcript of call ${record.interactionId} (simulated from the call's data, not speech recognition)`
    ];
    if (record.direction === 'inbound') {
        lines.push(
            `[${stamp(record, offered)}] IVR: Welcome to ${record.campaignName ?? 'the contact centre'}.`
        );
        if (record.ivr.digits)
            lines.push(`[${stamp(record, offered)}] Caller (${caller}): pressed ${record.ivr.digits}`);
        if (record.ivr.caseCode)
            lines.push(`[${stamp(record, offered)}] Caller (${caller}): my case is ${record.ivr.caseCode}`);
        for (const { question, answer } of record.ivr.voicebotAnswers) {
            lines.push(`[${stamp(record, offered)}] Voicebot: ${question}`);
            lines.push(`[${stamp(record, offered)}] Caller (${caller}): ${answer}`);
        }
        for (const [key, value] of Object.entries(record.ivr.data).sort(([a], [b]) => a.localeCompare(b)))
            lines.push(`[${stamp(record, offered)}] IVR: noted ${key} = ${value}`);
    } else {
        lines.push(`[${stamp(record, offered)}] Agent (${agent}): calling ${record.calleeNumber ?? caller}`);
    }
    const answered = record.answeredAt ?? offered;
    const customer =
        record.direction === 'inbound' ? `Caller (${caller})` : `Customer (${record.calleeNumber ?? caller})`;
    lines.push(`[${stamp(record, answered)}] Agent (${agent}): Hello, how can I help you?`);
    lines.push(`[${stamp(record, answered)}] ${customer}: ${topicOf(record)}`);
    const ended = record.endedAt ?? answered;
    lines.push(
        `[${stamp(record, ended)}] ${record.hangupBy === 'agent' ? `Agent (${agent})` : customer}: Goodbye.`
    );
    lines.push(`[${stamp(record, ended)}] Call ended by ${record.hangupBy ?? 'the system'}.`);
    return lines.join('\n');
}

/** What the customer came for, as far as the simulator knows. */
function topicOf(record: CallRecordData): string {
    if (record.ivr.caseCode) return `I am calling about case ${record.ivr.caseCode}.`;
    const answer = record.ivr.voicebotAnswers[0];
    if (answer) return `It is about ${answer.answer}.`;
    return `I have a question about ${record.campaignName ?? 'my account'}.`;
}

/** One paragraph an agent can paste into the notes. */
export function summaryOf(record: CallRecordData): string {
    const talk = talkSecondsOf(record);
    const who =
        record.direction === 'inbound'
            ? `Inbound call from ${record.callerNumber ?? 'an unknown number'}`
            : `Outbound call to ${record.calleeNumber ?? 'an unknown number'}`;
    const parts = [
        `${who}${record.campaignName ? ` on ${record.campaignName}` : ''}, handled by ${agentOf(record)} (${Math.floor(talk / 60)}:${String(talk % 60).padStart(2, '0')} talk time).`
    ];
    if (record.ivr.digits) parts.push(`The caller entered ${record.ivr.digits} in the IVR.`);
    if (record.ivr.caseCode) parts.push(`The caller referred to case ${record.ivr.caseCode}.`);
    for (const { question, answer } of record.ivr.voicebotAnswers) parts.push(`${question} ${answer}.`);
    parts.push(`Ended by ${record.hangupBy ?? 'the system'}.`);
    return parts.join(' ');
}

/**
 * A call result the agent may accept: something to follow up when the caller named a case (or entered a code in
 * the IVR, which the phone looks up as a case number), else "Information given" for a short call, else resolved.
 */
export function suggestedResultOf(record: CallRecordData): string {
    if (record.ivr.caseCode || record.ivr.digits) return SUGGESTED_RESULTS.followUp;
    if (talkSecondsOf(record) < SHORT_CALL_SECONDS) return SUGGESTED_RESULTS.information;
    return SUGGESTED_RESULTS.resolved;
}

/** The body for a call, in one of the test variants. */
export function conversationOf(
    record: CallRecordData,
    variant: ConversationVariant = 'normal'
): ConversationBody {
    if (variant === 'empty') return { summary: '', suggestedResult: null, transcript: '' };
    const transcript = transcriptOf(record);
    if (variant === 'oversized') {
        const filler = `\n${'[..:..] Caller: and one more thing. '.repeat(100)}`;
        const copies = Math.ceil((RECEIVER_TRANSCRIPT_LIMIT + 1 - transcript.length) / filler.length);
        return {
            summary: summaryOf(record),
            suggestedResult: suggestedResultOf(record),
            transcript: transcript + filler.repeat(copies)
        };
    }
    return { summary: summaryOf(record), suggestedResult: suggestedResultOf(record), transcript };
}
