/**
 * The synthetic placeholder recording of an answered call: a PCM WAV (8 kHz, 16-bit, mono) of DTMF
 * tone pairs spelling the caller's number, repeated for as long as the call's talk time (1 s minimum,
 * 10 s maximum, so the data dir stays small). It stays only when the customer's side uploads no real
 * recording of the call (see `library.ts`); {@link RecordingFiles} keeps both kinds of file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Sample rate of the generated recordings. */
export const SAMPLE_RATE = 8000;
/** Shortest and longest recording. */
export const MIN_RECORDING_MS = 1000;
export const MAX_RECORDING_MS = 10_000;

const TONE_MS = 120;
const GAP_MS = 40;
const FADE_MS = 5;
const AMPLITUDE = 0.3 * 32767;

const DTMF_ROWS = [697, 770, 852, 941];
const DTMF_COLUMNS = [1209, 1336, 1477, 1633];
const DTMF_KEYS = ['123A', '456B', '789C', '*0#D'];

/** The two frequencies of a DTMF key, or undefined for other characters. */
export function dtmfFrequencies(key: string): [number, number] | undefined {
    for (let row = 0; row < DTMF_KEYS.length; row++) {
        const column = DTMF_KEYS[row]!.indexOf(key.toUpperCase());
        if (column >= 0) return [DTMF_ROWS[row]!, DTMF_COLUMNS[column]!];
    }
    return undefined;
}

/** The recording length for a talk time. */
export function recordingLengthMs(talkMs: number): number {
    return Math.min(MAX_RECORDING_MS, Math.max(MIN_RECORDING_MS, Math.round(talkMs)));
}

/** Builds a WAV file of `durationMs` of DTMF tones for `digits` (non-DTMF characters are skipped). */
export function generateToneWav(durationMs: number, digits: string): Buffer {
    const keys = [...digits].filter((key) => dtmfFrequencies(key) !== undefined);
    if (keys.length === 0) keys.push('0');
    const sampleCount = Math.round((durationMs * SAMPLE_RATE) / 1000);
    const toneSamples = (TONE_MS * SAMPLE_RATE) / 1000;
    const slotSamples = ((TONE_MS + GAP_MS) * SAMPLE_RATE) / 1000;
    const fadeSamples = (FADE_MS * SAMPLE_RATE) / 1000;
    const pcm = Buffer.alloc(sampleCount * 2);
    for (let i = 0; i < sampleCount; i++) {
        const slot = Math.floor(i / slotSamples);
        const offset = i - slot * slotSamples;
        let sample = 0;
        if (offset < toneSamples) {
            const [low, high] = dtmfFrequencies(keys[slot % keys.length]!)!;
            const t = i / SAMPLE_RATE;
            // Short fades keep the tone edges from clicking.
            const envelope = Math.min(1, offset / fadeSamples, (toneSamples - offset) / fadeSamples);
            sample =
                envelope *
                AMPLITUDE *
                (Math.sin(2 * Math.PI * low * t) + Math.sin(2 * Math.PI * high * t)) *
                0.5;
        }
        pcm.writeInt16LE(Math.round(sample), i * 2);
    }
    return Buffer.concat([wavHeader(pcm.length), pcm]);
}

function wavHeader(dataBytes: number): Buffer {
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'ascii');
    header.writeUInt32LE(36 + dataBytes, 4);
    header.write('WAVE', 8, 'ascii');
    header.write('fmt ', 12, 'ascii');
    header.writeUInt32LE(16, 16); // PCM fmt chunk size
    header.writeUInt16LE(1, 20); // PCM
    header.writeUInt16LE(1, 22); // mono
    header.writeUInt32LE(SAMPLE_RATE, 24);
    header.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
    header.writeUInt16LE(2, 32); // block align
    header.writeUInt16LE(16, 34); // bits per sample
    header.write('data', 36, 'ascii');
    header.writeUInt32LE(dataBytes, 40);
    return header;
}

/** Where recordings are kept: files under a directory, or memory when there is no data dir. */
export class RecordingFiles {
    private readonly memory = new Map<string, Buffer>();

    constructor(private readonly directory: string | null) {}

    /** Stores a recording as `<id>.<extension>`; returns the file name used. */
    save(id: string, audio: Buffer, extension = 'wav'): string {
        const file = `${path.basename(id)}.${extension}`;
        if (this.directory) {
            fs.mkdirSync(this.directory, { recursive: true });
            fs.writeFileSync(path.join(this.directory, file), audio);
        } else {
            this.memory.set(file, audio);
        }
        return file;
    }

    /** Reads a stored recording, or undefined when its file is gone. */
    read(file: string): Buffer | undefined {
        if (!this.directory) return this.memory.get(file);
        const full = path.join(this.directory, path.basename(file));
        return fs.existsSync(full) ? fs.readFileSync(full) : undefined;
    }

    /** Deletes a stored recording (a replaced placeholder); a missing file is fine. */
    remove(file: string): void {
        if (!this.directory) {
            this.memory.delete(file);
            return;
        }
        fs.rmSync(path.join(this.directory, path.basename(file)), { force: true });
    }
}
