/**
 * Recording control (F21) on the contact centre's side: per call, whether the recording runs, is paused or
 * stopped, with every change and its time. The customer page records the call's real audio
 * (`customer/recorder.js`) and asks for this state while it records
 * (`GET /_sim/recordings/by-call-id/{callId}/control`), pausing its MediaRecorder while the state is not
 * `recording`: the uploaded file really leaves the paused time out, and a stop ends it for the call.
 *
 * ```text
 *  recording ──pause──► paused ──resume──► recording        pause/resume again: no change
 *  recording | paused ──stop──► stopped (terminal: pause/resume refused with recording-stopped)
 * ```
 */
import type { Clock } from '../../../phone-core/src/util/clock';

export type RecordingControlState = 'recording' | 'paused' | 'stopped';
export type RecordingControlAction = 'pause' | 'resume' | 'stop';
export type RecordingControlReason = 'agent' | 'sensitive-page' | 'consent-declined';

/** One call's recording control, as the API answers it. */
export interface RecordingControlView {
    interactionId: string;
    state: RecordingControlState;
    pausedMs: number;
    events: Array<{ at: string; action: RecordingControlAction; reason: RecordingControlReason }>;
}

interface Entry {
    state: RecordingControlState;
    pausedMs: number;
    pausedSince: number | null;
    events: Array<{ at: number; action: RecordingControlAction; reason: RecordingControlReason }>;
}

/** Why a change was refused. */
export class RecordingControlError extends Error {
    constructor(readonly code: 'recording-stopped') {
        super('The recording of this call was stopped; it cannot be paused or resumed again.');
        this.name = 'RecordingControlError';
    }
}

/** Most calls remembered (the oldest go first): the simulator runs for days in the workbench. */
const MAX_CALLS = 5000;

/** The recording control of every call (in memory; a call that was never controlled is `recording`). */
export class RecordingControls {
    private readonly calls = new Map<string, Entry>();

    constructor(private readonly clock: Clock) {}

    /** Applies one action; see the module diagram. */
    apply(
        tenantId: string,
        interactionId: string,
        action: RecordingControlAction,
        reason: RecordingControlReason
    ): RecordingControlView {
        const key = `${tenantId}\u0000${interactionId}`;
        const entry = this.calls.get(key) ?? {
            state: 'recording',
            pausedMs: 0,
            pausedSince: null,
            events: []
        };
        const now = this.clock.now();
        if (entry.state === 'stopped') {
            if (action !== 'stop') throw new RecordingControlError('recording-stopped');
        } else if (action === 'stop') {
            this.closePause(entry, now);
            entry.state = 'stopped';
            entry.events.push({ at: now, action, reason });
        } else if (action === 'pause' && entry.state === 'recording') {
            entry.state = 'paused';
            entry.pausedSince = now;
            entry.events.push({ at: now, action, reason });
        } else if (action === 'resume' && entry.state === 'paused') {
            this.closePause(entry, now);
            entry.state = 'recording';
            entry.events.push({ at: now, action, reason });
        }
        this.calls.delete(key);
        this.calls.set(key, entry);
        if (this.calls.size > MAX_CALLS) this.calls.delete(this.calls.keys().next().value as string);
        return this.view(interactionId, entry, now);
    }

    /** The state of a call (a call never controlled is recording). */
    get(tenantId: string, interactionId: string): RecordingControlView {
        const entry = this.calls.get(`${tenantId}\u0000${interactionId}`) ?? {
            state: 'recording' as const,
            pausedMs: 0,
            pausedSince: null,
            events: []
        };
        return this.view(interactionId, entry, this.clock.now());
    }

    private closePause(entry: Entry, now: number): void {
        if (entry.pausedSince !== null) entry.pausedMs += Math.max(0, now - entry.pausedSince);
        entry.pausedSince = null;
    }

    private view(interactionId: string, entry: Entry, now: number): RecordingControlView {
        const open = entry.pausedSince !== null ? Math.max(0, now - entry.pausedSince) : 0;
        return {
            interactionId,
            state: entry.state,
            pausedMs: entry.pausedMs + open,
            events: entry.events.map((e) => ({
                at: new Date(e.at).toISOString(),
                action: e.action,
                reason: e.reason
            }))
        };
    }
}
