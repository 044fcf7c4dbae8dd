/**
 * RecordingControlController / RecordingControlService (F21): pause, resume or stop the running agent's call
 * recording at the contact centre (POST /v1/calls/{interactionId}/recording with the agent's id).
 */
import { ContactCentreClient } from '../contact-centre-client';
import { PhoneError } from '../errors';
import { label } from '../labels';
import { currentAgent } from './agent-session';
import { text, type ApexContext } from './context';

const ACTIONS = new Set(['pause', 'resume', 'stop']);
const REASONS = new Set(['agent', 'sensitive-page', 'consent-declined']);

/** RecordingControlService.RecordingStateView */
export interface RecordingStateView {
    interactionId: string | null;
    state: string | null;
    pausedMs: number | null;
}

/** RecordingControlController.controlRecording(interactionId, action, reason) */
export async function controlRecording(
    context: ApexContext,
    params: Record<string, unknown>
): Promise<RecordingStateView> {
    const interactionId = text(params.interactionId)?.trim() ?? '';
    const action = text(params.action)?.trim().toLowerCase() ?? '';
    const reason = text(params.reason)?.trim().toLowerCase() ?? '';
    if (interactionId === '' || interactionId.length > 255 || !ACTIONS.has(action) || !REASONS.has(reason))
        throw new PhoneError(label(context.labels, 'Phone_Error_InvalidInput'));
    const path = `/v1/calls/${ContactCentreClient.pathSegment(interactionId)}/recording`;
    const agent = await currentAgent(context);
    const result = await context.contactCentre.post<Partial<RecordingStateView> | null>(path, {
        action,
        reason,
        agentId: agent.id
    });
    return {
        interactionId: result?.interactionId ?? null,
        state: result?.state ?? null,
        pausedMs: typeof result?.pausedMs === 'number' ? result.pausedMs : null
    };
}
