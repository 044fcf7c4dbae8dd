// The customer-side recording of a call. Media flows peer to peer between the browsers (Kamailio relays
// only SIP), so the contact centre's recording is made here: the customer's microphone (local track) and
// the agent's audio (remote track) are mixed with WebAudio into a MediaStreamDestination, recorded with
// MediaRecorder (WebM/Opus) and uploaded to the simulator when the call ends
// (`PUT <simulator>/_sim/recordings/by-call-id/<SIP Call-ID>`: the simulator knows which interaction a
// Call-ID belongs to; the X-CC-* headers only reach the agent's leg).

/** Container/codec choices, best first (Chromium records audio/webm;codecs=opus). */
const MIME_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/ogg'];

/** How often the level meters sample the mix (they show the person and the tests that both sides are heard). */
const METER_INTERVAL_MS = 50;

/**
 * How often the recorder asks the simulator whether the agent paused, resumed or stopped the recording
 * (F21): a pause takes effect in the file within this time.
 */
const CONTROL_INTERVAL_MS = 200;

/** The first media type this browser's MediaRecorder supports, or null. */
export function recordingMimeType() {
    if (typeof MediaRecorder === 'undefined') return null;
    return MIME_TYPES.find((type) => MediaRecorder.isTypeSupported(type)) ?? null;
}

/** Root mean square of a block of samples (0 = digital silence, ~0.7 = a full-scale sine). */
export function rms(samples) {
    let sum = 0;
    for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
    return samples.length > 0 ? Math.sqrt(sum / samples.length) : 0;
}

/**
 * Records one call: starts on `start()`, stops and uploads on `finish()`. `onChange` is called whenever
 * `facts` change (for the page's status line and the Node API).
 */
export class CallRecorder {
    /**
     * @param {{ pc: RTCPeerConnection, callId: string | null, uploadBase: string | null,
     *   onChange?: () => void, note?: (line: string) => void }} options
     */
    constructor(options) {
        this.options = options;
        /** What the Node API and the page report. */
        this.facts = {
            state: 'idle', // idle | recording | stopping | uploading | uploaded | failed | skipped
            mimeType: null,
            startedAt: null,
            durationMs: null,
            bytes: null,
            /** Highest RMS seen per side while recording (the mix holds both). */
            levels: { local: 0, remote: 0 },
            /** The contact centre's recording control (F21): recording, paused, stopped. */
            control: 'recording',
            /** Time the MediaRecorder was paused (ms, measured here): the file leaves it out. */
            pausedMs: 0,
            /** When the current pause began (epoch ms), null while recording. */
            pausedSince: null,
            upload: null,
            error: null
        };
        this.chunks = [];
    }

    /** Starts mixing and recording; false (facts.state = skipped/failed) when it cannot. */
    start() {
        const mimeType = recordingMimeType();
        if (!mimeType) return this.fail('skipped', 'MediaRecorder cannot record audio here');
        const { pc } = this.options;
        const local = pc
            .getSenders()
            .map((sender) => sender.track)
            .filter((track) => track && track.kind === 'audio');
        const remote = pc
            .getReceivers()
            .map((receiver) => receiver.track)
            .filter((track) => track && track.kind === 'audio');
        if (local.length + remote.length === 0) return this.fail('skipped', 'no audio track');
        try {
            this.context = new AudioContext();
            // Started outside a click (the ACK confirms the call later): allowed once the page had a
            // gesture, or with the autoplay policy the tests use.
            void this.context.resume().catch(() => undefined);
            const destination = this.context.createMediaStreamDestination();
            this.meters = {
                local: this.mix(local, destination),
                remote: this.mix(remote, destination)
            };
            this.recorder = new MediaRecorder(destination.stream, { mimeType, audioBitsPerSecond: 32000 });
        } catch (error) {
            this.release();
            return this.fail('failed', `recorder: ${error.message}`);
        }
        this.recorder.addEventListener('dataavailable', (event) => {
            if (event.data && event.data.size > 0) this.chunks.push(event.data);
        });
        this.stopped = new Promise((resolve) =>
            this.recorder.addEventListener('stop', resolve, { once: true })
        );
        // A timeslice keeps the data in chunks, so a page that goes away mid-call loses little.
        this.recorder.start(1000);
        this.facts.state = 'recording';
        this.facts.mimeType = this.recorder.mimeType || mimeType;
        this.facts.startedAt = Date.now();
        this.meterTimer = setInterval(() => this.measure(), METER_INTERVAL_MS);
        if (this.options.uploadBase && this.options.callId) {
            this.controlTimer = setInterval(() => void this.followControl(), CONTROL_INTERVAL_MS);
        }
        this.changed();
        return true;
    }

    /**
     * Follows the contact centre's recording control (F21): the MediaRecorder pauses while the call's
     * recording is paused or stopped, so the uploaded file really has the gap; a stop is for good.
     */
    async followControl() {
        if (this.controlBusy || !this.recorder || this.facts.state !== 'recording') return;
        this.controlBusy = true;
        try {
            const { uploadBase, callId } = this.options;
            const response = await fetch(
                `${uploadBase.replace(/\/$/, '')}/_sim/recordings/by-call-id/${encodeURIComponent(callId)}/control`
            );
            if (!response.ok) return;
            const { state } = await response.json();
            if (this.facts.control === 'stopped' || !this.recorder || this.facts.state !== 'recording')
                return;
            if ((state === 'paused' || state === 'stopped') && this.recorder.state === 'recording') {
                this.recorder.pause();
                this.pausedAt = Date.now();
                this.facts.pausedSince = this.pausedAt;
            } else if (state === 'recording' && this.recorder.state === 'paused') {
                this.recorder.resume();
                this.facts.pausedMs += Date.now() - this.pausedAt;
                this.pausedAt = null;
                this.facts.pausedSince = null;
            }
            if (state !== this.facts.control) {
                this.facts.control = state;
                this.options.note?.(`recording control: ${state}`);
                this.changed();
            }
        } catch {
            // the simulator is away for a moment: the next poll asks again
        } finally {
            this.controlBusy = false;
        }
    }

    /** Stops recording and uploads the file; resolves when the upload has finished (or failed). */
    async finish() {
        if (this.facts.state !== 'recording') return this.facts;
        this.facts.state = 'stopping';
        this.facts.durationMs = Date.now() - this.facts.startedAt;
        clearInterval(this.controlTimer);
        if (this.pausedAt) this.facts.pausedMs += Date.now() - this.pausedAt;
        this.pausedAt = null;
        this.measure();
        clearInterval(this.meterTimer);
        this.recorder.stop();
        await this.stopped;
        const blob = new Blob(this.chunks, { type: this.facts.mimeType });
        this.chunks = [];
        this.release();
        this.facts.bytes = blob.size;
        await this.upload(blob);
        return this.facts;
    }

    async upload(blob) {
        const { uploadBase, callId } = this.options;
        if (!uploadBase || !callId) {
            this.facts.state = 'skipped';
            this.facts.error = 'no simulator to upload to';
            this.changed();
            return;
        }
        this.facts.state = 'uploading';
        this.changed();
        const url =
            `${uploadBase.replace(/\/$/, '')}/_sim/recordings/by-call-id/${encodeURIComponent(callId)}` +
            `?durationMs=${this.facts.durationMs}`;
        try {
            const response = await fetch(url, {
                method: 'PUT',
                headers: { 'Content-Type': this.facts.mimeType },
                body: blob
            });
            const body = await response.json().catch(() => null);
            this.facts.upload = {
                status: response.status,
                ...(body && typeof body === 'object' ? body : {})
            };
            if (response.ok) {
                this.facts.state = 'uploaded';
            } else {
                this.facts.state = 'failed';
                this.facts.error = `upload: HTTP ${response.status} ${body?.detail ?? ''}`.trim();
            }
        } catch (error) {
            this.facts.state = 'failed';
            this.facts.error = `upload: ${error.message}`;
        }
        this.options.note?.(
            `recording of ${callId}: ${this.facts.state} (${this.facts.bytes} bytes${this.facts.error ? `, ${this.facts.error}` : ''})`
        );
        this.changed();
    }

    /** Sources for `tracks` into `destination`, with an analyser to meter them. */
    mix(tracks, destination) {
        if (tracks.length === 0) return null;
        const analyser = this.context.createAnalyser();
        analyser.fftSize = 2048;
        for (const track of tracks) {
            const source = this.context.createMediaStreamSource(new MediaStream([track]));
            source.connect(destination);
            source.connect(analyser);
        }
        return { analyser, samples: new Float32Array(analyser.fftSize) };
    }

    measure() {
        if (!this.meters) return;
        let changed = false;
        for (const side of ['local', 'remote']) {
            const meter = this.meters[side];
            if (!meter) continue;
            meter.analyser.getFloatTimeDomainData(meter.samples);
            const level = rms(meter.samples);
            if (level > this.facts.levels[side]) {
                this.facts.levels[side] = level;
                changed = true;
            }
        }
        if (changed) this.changed();
    }

    release() {
        clearInterval(this.meterTimer);
        this.meters = null;
        if (this.context) void this.context.close().catch(() => undefined);
        this.context = null;
    }

    fail(state, error) {
        this.facts.state = state;
        this.facts.error = error;
        this.options.note?.(`recording ${state}: ${error}`);
        this.changed();
        return false;
    }

    changed() {
        this.options.onChange?.();
    }
}

/**
 * Decodes an audio file (e.g. a recording from the simulator) and measures it: duration, sample rate,
 * channels, RMS and peak over all samples.
 * @param {ArrayBuffer} data
 */
export async function analyseAudio(data) {
    const context = new OfflineAudioContext(1, 1, 48000);
    const buffer = await context.decodeAudioData(data);
    let sum = 0;
    let peak = 0;
    let count = 0;
    for (let channel = 0; channel < buffer.numberOfChannels; channel++) {
        const samples = buffer.getChannelData(channel);
        for (let i = 0; i < samples.length; i++) {
            const value = samples[i];
            sum += value * value;
            if (Math.abs(value) > peak) peak = Math.abs(value);
        }
        count += samples.length;
    }
    return {
        durationSeconds: buffer.duration,
        sampleRate: buffer.sampleRate,
        channels: buffer.numberOfChannels,
        rms: count > 0 ? Math.sqrt(sum / count) : 0,
        peak
    };
}
