/**
 * Control routes of customer-side recordings (see `recording/library.ts`). No authentication: the
 * simulator listens on 127.0.0.1 only, and these routes also refuse any peer that is not loopback.
 *
 * | route | what |
 * |---|---|
 * | `PUT /_sim/recordings/by-call-id/{callId}?durationMs=` | the customer page's upload, keyed by its SIP Call-ID (the simulator maps it to the interaction) |
 * | `PUT /_sim/recordings/by-interaction/{interactionId}?durationMs=` | the same by interaction id |
 * | `GET /_sim/recordings/{recordingId}` | a recording's metadata with its `source` (customer-leg / synthetic) |
 * | `GET /_sim/recordings/by-call-id/{callId}/control` | the call's recording control (F21): `recording`, `paused` or `stopped`; the customer page's recorder follows it |
 *
 * The body is the audio file (WebM, Ogg or WAV, checked by its bytes), at most
 * {@link MAX_RECORDING_BYTES}. Answers: 201 stored (an upload that beat the hang-up waits for it a
 * moment), 202 held until the call ends, 404 unknown call, 409 the call was not answered, 413 too
 * large, 415 not audio.
 */
import type * as http from 'node:http';
import { ApiError } from '../http/problem';
import type { Store } from '../store/store';
import {
    MAX_RECORDING_BYTES,
    RecordingError,
    recordingFacts,
    type RecordingErrorCode,
    type RecordingLibrary
} from '../recording/library';
import type { RecordingControls } from '../recording/recording-control';

/** What the recording routes work with. */
export interface RecordingRouteDeps {
    store: Store;
    recordings: RecordingLibrary;
    /** Recording pause / resume / stop per call (F21). */
    recordingControls?: RecordingControls;
    /** The interaction a SIP Call-ID belongs to (undefined: unknown, or no SIP signalling). */
    interactionOfCallId?: (callId: string) => string | undefined;
    /** The tenant of an interaction (throws a 404 ApiError when there is none). */
    tenantOfCall(interactionId: string): string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const STATUS: Record<RecordingErrorCode, [number, string]> = {
    'not-found': [404, 'not-found'],
    'not-answered': [409, 'call-not-answered'],
    empty: [422, 'validation-failed'],
    'too-large': [413, 'payload-too-large'],
    'unsupported-media': [415, 'unsupported-media-type']
};

/** Reads a body of at most `limit` bytes (413 beyond). */
async function readAudio(request: http.IncomingMessage, limit: number): Promise<Buffer> {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit)
        throw new ApiError(413, 'payload-too-large', `A recording may have at most ${limit} bytes.`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > limit)
            throw new ApiError(413, 'payload-too-large', `A recording may have at most ${limit} bytes.`);
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
}

function durationOf(url: URL): number | null {
    const raw = url.searchParams.get('durationMs');
    if (raw === null || raw === '') return null;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0)
        throw new ApiError(422, 'validation-failed', 'durationMs must be a number >= 0');
    return value;
}

/**
 * Builds the handler; it returns undefined for paths outside `/_sim/recordings` (`parts` are the path
 * segments after `/_sim`), else `[status, body]`. It reads the request body itself (binary).
 */
export function createRecordingRoutes(deps: RecordingRouteDeps) {
    return async (
        method: string,
        parts: string[],
        request: http.IncomingMessage,
        url: URL
    ): Promise<[number, unknown] | undefined> => {
        const [first, second, third] = parts;
        if (first !== 'recordings') return undefined;

        if (
            method === 'GET' &&
            second === 'by-call-id' &&
            third &&
            parts[3] === 'control' &&
            parts.length === 4
        ) {
            const interactionId = deps.interactionOfCallId?.(third);
            if (!interactionId)
                throw new ApiError(404, 'not-found', `No contact-centre call has the SIP Call-ID ${third}.`);
            const tenantId = deps.tenantOfCall(interactionId);
            const view = deps.recordingControls?.get(tenantId, interactionId);
            return [200, view ?? { interactionId, state: 'recording', pausedMs: 0, events: [] }];
        }

        if (method === 'GET' && second && parts.length === 2) {
            const recording = deps.store.getRecordingById(second);
            if (!recording) throw new ApiError(404, 'not-found', `Recording ${second} does not exist.`);
            return [200, recordingFacts(recording)];
        }

        if (
            method === 'PUT' &&
            (second === 'by-call-id' || second === 'by-interaction') &&
            third &&
            parts.length === 3
        ) {
            if (!LOOPBACK.has(request.socket.remoteAddress ?? ''))
                throw new ApiError(403, 'forbidden', 'Recordings are accepted from this machine only.');
            let interactionId = third;
            if (second === 'by-call-id') {
                const found = deps.interactionOfCallId?.(third);
                if (!found)
                    throw new ApiError(
                        404,
                        'not-found',
                        `No contact-centre call has the SIP Call-ID ${third}.`
                    );
                interactionId = found;
            }
            const tenantId = deps.tenantOfCall(interactionId);
            const durationMs = durationOf(url);
            const audio = await readAudio(request, MAX_RECORDING_BYTES);
            try {
                let result = deps.recordings.attachCustomerLeg({
                    tenantId,
                    interactionId,
                    audio,
                    contentType: request.headers['content-type'],
                    durationMs
                });
                // The customer's BYE and this upload race to the simulator: wait a moment for the hang-up.
                if (result.state === 'pending')
                    result = await deps.recordings.settle(tenantId, interactionId);
                if (result.state === 'dropped')
                    throw new RecordingError('not-answered', `Call ${interactionId} ended unanswered.`);
                return result.state === 'stored'
                    ? [201, { interactionId, state: 'stored', recording: recordingFacts(result.recording) }]
                    : [202, { interactionId, state: 'pending', recording: null }];
            } catch (error) {
                if (!(error instanceof RecordingError)) throw error;
                const [status, code] = STATUS[error.code];
                throw new ApiError(status, code, error.message);
            }
        }
        throw new ApiError(404, 'not-found', `No control route ${method} /_sim/${parts.join('/')}.`);
    };
}
