import { dtmfFrequencies, generateToneWav, recordingLengthMs, SAMPLE_RATE } from '../src/recording/wav';

/** Power of one frequency in a block of samples (Goertzel). */
function goertzel(samples: Int16Array, frequency: number): number {
    const k = 2 * Math.cos((2 * Math.PI * frequency) / SAMPLE_RATE);
    let s1 = 0;
    let s2 = 0;
    for (const sample of samples) {
        const s0 = sample + k * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return s1 * s1 + s2 * s2 - k * s1 * s2;
}

function samplesOf(wav: Buffer): Int16Array {
    const data = wav.subarray(44);
    return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
}

describe('generated recordings', () => {
    const wav = generateToneWav(2500, '+48 600');

    it('has a valid RIFF/WAVE PCM header', () => {
        expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
        expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
        expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
        expect(wav.toString('ascii', 12, 16)).toBe('fmt ');
        expect({
            format: wav.readUInt16LE(20),
            channels: wav.readUInt16LE(22),
            sampleRate: wav.readUInt32LE(24),
            byteRate: wav.readUInt32LE(28),
            blockAlign: wav.readUInt16LE(32),
            bits: wav.readUInt16LE(34)
        }).toEqual({ format: 1, channels: 1, sampleRate: 8000, byteRate: 16000, blockAlign: 2, bits: 16 });
        expect(wav.toString('ascii', 36, 40)).toBe('data');
        expect(wav.readUInt32LE(40)).toBe(2500 * 8 * 2);
    });

    it('is not silent', () => {
        const samples = samplesOf(wav);
        const rms = Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / samples.length);
        expect(rms).toBeGreaterThan(1000);
        expect(Math.max(...samples)).toBeLessThanOrEqual(32767);
    });

    it('spells the digits as DTMF tones (4 first, + is skipped)', () => {
        const firstTone = samplesOf(wav).subarray(80, 880); // inside the first 120 ms tone
        const [low, high] = dtmfFrequencies('4')!;
        const other = goertzel(firstTone, 941);
        expect(goertzel(firstTone, low)).toBeGreaterThan(other * 100);
        expect(goertzel(firstTone, high)).toBeGreaterThan(other * 100);
    });

    it.each([
        ['5', [770, 1336]],
        ['#', [941, 1477]],
        ['d', [941, 1633]],
        ['x', undefined]
    ])('DTMF %s is %j', (key, expected) => {
        expect(dtmfFrequencies(key)).toEqual(expected);
    });

    it('still makes a tone for a caller without digits', () => {
        expect(samplesOf(generateToneWav(200, 'anonymous')).some((s) => Math.abs(s) > 1000)).toBe(true);
    });

    it.each([
        [0, 1000],
        [4321, 4321],
        [60_000, 10_000]
    ])('talk time %i ms -> %i ms of audio', (talk, expected) => {
        expect(recordingLengthMs(talk)).toBe(expected);
    });
});
