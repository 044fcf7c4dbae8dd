/**
 * The recordings of answered calls. Media flows peer to peer between the browsers (Kamailio relays only
 * SIP), so the call's real audio is recorded on the customer's side: the customer page mixes its
 * microphone and the agent's voice, records them (MediaRecorder, WebM/Opus) and uploads the file when
 * the call ends (`PUT /_sim/recordings/by-call-id/{callId}`, see `control/recordings.ts`).
 *
 * ```text
 *  hang-up ──► ACD: call record ended, synthetic WAV placeholder (wav.ts), recordingId R
 *  upload  ──► replace R's file and metadata (same id: links already handed out stay valid),
 *              source customer-leg, call record version + 1 (and pushed again)
 *  upload before the ACD saw the hang-up ──► held; applied when the call ends (before the push);
 *              the upload's answer waits a moment for that ({@link RecordingLibrary.settle})
 * ```
 *
 * Calls nobody uploads for (the in-memory signalling of unit tests, a customer page with no simulator
 * URL) keep the synthetic placeholder.
 */
import type { Clock } from '../../../phone-core/src/util/clock';
import type { EventLog } from '../acd/events';
import type { CallRecordData, Recording, RecordingContentType } from '../model';
import type { Store } from '../store/store';
import type { RecordingFiles } from './wav';

/** Largest accepted upload (about 2 hours of 32 kbit/s Opus). */
export const MAX_RECORDING_BYTES = 32 * 1024 * 1024;

/** Uploads waiting for their call to end, at most (the oldest is dropped first). */
export const MAX_PENDING_UPLOADS = 100;

/** File extension of each recording media type. */
export const RECORDING_EXTENSIONS: Record<RecordingContentType, string> = {
    'audio/wav': 'wav',
    'audio/webm': 'webm',
    'audio/ogg': 'ogg'
};

/** The media type of an audio file from its first bytes (WebM/Matroska, Ogg, RIFF WAVE), else undefined. */
export function sniffAudio(data: Buffer): RecordingContentType | undefined {
    if (data.length >= 4 && data.readUInt32BE(0) === 0x1a45dfa3) return 'audio/webm'; // EBML magic
    if (data.length >= 4 && data.toString('ascii', 0, 4) === 'OggS') return 'audio/ogg';
    if (
        data.length >= 12 &&
        data.toString('ascii', 0, 4) === 'RIFF' &&
        data.toString('ascii', 8, 12) === 'WAVE'
    )
        return 'audio/wav';
    return undefined;
}

/** `audio/webm;codecs=opus` -> `audio/webm`; `audio/x-wav` -> `audio/wav`; lower case. */
export function baseMediaType(contentType: string | undefined): string {
    const base = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    return base === 'audio/x-wav' || base === 'audio/wave' ? 'audio/wav' : base;
}

/** Why an upload was refused. */
export type RecordingErrorCode = 'not-found' | 'not-answered' | 'empty' | 'too-large' | 'unsupported-media';

/** An upload the library refuses. */
export class RecordingError extends Error {
    constructor(
        readonly code: RecordingErrorCode,
        message: string
    ) {
        super(message);
        this.name = 'RecordingError';
    }
}

/** A customer-side recording of a call. */
export interface CustomerLegUpload {
    tenantId: string;
    interactionId: string;
    audio: Buffer;
    /** The Content-Type the browser sent; must agree with the file's bytes when given. */
    contentType?: string;
    /** Length the recorder measured; default the call's talk time. */
    durationMs?: number | null;
}

/** What became of an upload. */
export type CustomerLegResult =
    | { state: 'stored'; recording: Recording }
    /** The call has not ended yet: applied at the hang-up. */
    | { state: 'pending' }
    /** Held for a call that then ended unanswered: nothing to replace. */
    | { state: 'dropped' };

/** How long an upload's answer waits for the hang-up it raced with (real time: SIP events are). */
export const DEFAULT_SETTLE_WAIT_MS = 3000;

/** Options of {@link RecordingLibrary}. */
export interface RecordingLibraryOptions {
    store: Store;
    files: RecordingFiles;
    clock: Clock;
    events: EventLog;
    /** A finished call's record changed after its hang-up (e.g. to push it to Salesforce again). */
    onRecordReplaced?: (record: CallRecordData) => void;
}

interface PendingUpload {
    audio: Buffer;
    contentType: RecordingContentType;
    durationMs: number | null;
}

/** See the module documentation. */
export class RecordingLibrary {
    private readonly pending = new Map<string, PendingUpload>();
    private readonly waiters = new Map<string, Set<(result: CustomerLegResult) => void>>();
    /** See {@link DEFAULT_SETTLE_WAIT_MS}; tests shorten it. */
    settleWaitMs = DEFAULT_SETTLE_WAIT_MS;

    constructor(private readonly options: RecordingLibraryOptions) {}

    /**
     * Stores a customer-side recording as the call's recording.
     * @throws RecordingError when the call does not exist, ended unanswered, or the file is not audio
     */
    attachCustomerLeg(upload: CustomerLegUpload): CustomerLegResult {
        const audio = this.checkAudio(upload);
        const record = this.options.store.getCall(upload.tenantId, upload.interactionId);
        if (!record) throw new RecordingError('not-found', `Call ${upload.interactionId} does not exist.`);
        if (record.state !== 'ended') {
            const key = this.key(record);
            this.pending.delete(key); // a newer upload of the same call wins (and moves to the end)
            this.pending.set(key, audio);
            while (this.pending.size > MAX_PENDING_UPLOADS)
                this.pending.delete(this.pending.keys().next().value!);
            return { state: 'pending' };
        }
        const recording = this.replace(record, audio);
        this.options.onRecordReplaced?.(record);
        return { state: 'stored', recording };
    }

    /**
     * The ACD's call-ended listener: a recording uploaded before the hang-up replaces the placeholder
     * now, on the record the other listeners (the push) see next. Register it before the push.
     */
    callEnded(record: CallRecordData): void {
        const key = this.key(record);
        const audio = this.pending.get(key);
        if (!audio) return;
        this.pending.delete(key);
        const result: CustomerLegResult = record.recordingId
            ? { state: 'stored', recording: this.replace(record, audio) }
            : { state: 'dropped' };
        const waiters = this.waiters.get(key);
        this.waiters.delete(key);
        for (const resolve of waiters ?? []) resolve(result);
    }

    /**
     * Waits up to `waitMs` (default {@link settleWaitMs}) for a pending upload of the call to be
     * stored (or dropped) at the hang-up; `pending` when the call is still going on then.
     */
    settle(tenantId: string, interactionId: string, waitMs = this.settleWaitMs): Promise<CustomerLegResult> {
        const key = this.key({ tenantId, interactionId });
        if (!this.pending.has(key)) return Promise.resolve({ state: 'pending' });
        return new Promise((resolve) => {
            const waiters = this.waiters.get(key) ?? new Set();
            this.waiters.set(key, waiters);
            const done = (result: CustomerLegResult) => {
                clearTimeout(timer);
                waiters.delete(done);
                resolve(result);
            };
            const timer = setTimeout(() => {
                waiters.delete(done);
                if (waiters.size === 0 && this.waiters.get(key) === waiters) this.waiters.delete(key);
                resolve({ state: 'pending' });
            }, waitMs);
            timer.unref?.();
            waiters.add(done);
        });
    }

    /** Uploads waiting for their call to end (diagnostics). */
    pendingCount(): number {
        return this.pending.size;
    }

    private checkAudio(upload: CustomerLegUpload): PendingUpload {
        if (upload.audio.length === 0) throw new RecordingError('empty', 'The recording is empty.');
        if (upload.audio.length > MAX_RECORDING_BYTES)
            throw new RecordingError(
                'too-large',
                `A recording may have at most ${MAX_RECORDING_BYTES} bytes.`
            );
        const sniffed = sniffAudio(upload.audio);
        if (!sniffed)
            throw new RecordingError('unsupported-media', 'The body is not a WebM, Ogg or WAV audio file.');
        const declared = upload.contentType ? baseMediaType(upload.contentType) : undefined;
        if (declared && declared !== 'application/octet-stream' && declared !== sniffed)
            throw new RecordingError(
                'unsupported-media',
                `Content-Type ${declared} but the file is ${sniffed}.`
            );
        const duration = upload.durationMs;
        return {
            audio: upload.audio,
            contentType: sniffed,
            durationMs:
                typeof duration === 'number' && Number.isFinite(duration) && duration >= 0
                    ? Math.round(duration)
                    : null
        };
    }

    /** Puts `audio` in place of the call's current recording file (same recording id). */
    private replace(record: CallRecordData, audio: PendingUpload): Recording {
        const existing = record.recordingId
            ? this.options.store.getRecording(record.tenantId, record.recordingId)
            : undefined;
        if (!existing) {
            throw new RecordingError(
                'not-answered',
                `Call ${record.interactionId} was not answered: it has no recording.`
            );
        }
        const { files, store, clock, events } = this.options;
        const file = files.save(existing.id, audio.audio, RECORDING_EXTENSIONS[audio.contentType]);
        if (existing.file !== file) files.remove(existing.file);
        const talkMs =
            record.answeredAt !== null && record.endedAt !== null ? record.endedAt - record.answeredAt : 0;
        const recording: Recording = {
            ...existing,
            file,
            contentType: audio.contentType,
            durationMs: audio.durationMs ?? Math.max(0, talkMs),
            sizeBytes: audio.audio.length,
            source: 'customer-leg'
        };
        store.putRecording(recording);
        // The call record's recording reference changed (media type, duration): a new version.
        record.version += 1;
        record.updatedAt = clock.now();
        store.putCall(record);
        events.add(
            'recording-created',
            { tenantId: record.tenantId, interactionId: record.interactionId },
            {
                recordingId: recording.id,
                durationMs: recording.durationMs,
                source: recording.source,
                contentType: recording.contentType,
                sizeBytes: recording.sizeBytes,
                replaced: existing.source ?? 'synthetic'
            }
        );
        return recording;
    }

    private key(record: { tenantId: string; interactionId: string }): string {
        return `${record.tenantId}\u0000${record.interactionId}`;
    }
}

/** A recording's metadata as the control API shows it (the API's fields plus its source). */
export function recordingFacts(recording: Recording) {
    return {
        id: recording.id,
        tenantId: recording.tenantId,
        interactionId: recording.interactionId,
        contentType: recording.contentType,
        durationSeconds: recording.durationMs / 1000,
        sizeBytes: recording.sizeBytes,
        createdAt: new Date(recording.createdAt).toISOString(),
        source: recording.source ?? 'synthetic'
    };
}
