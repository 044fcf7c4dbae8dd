/**
 * RecordingPlaybackController / RecordingPlaybackService: a recording link of the contact centre is played
 * through a short-lived URL signed when the agent clicks "play" (GET /v1/recordings/{id}/signed-url); any
 * other https link is played as it is. (The workbench has no configured-host rule: its contact centre is
 * the local simulator.)
 */
import { ContactCentreClient } from '../contact-centre-client';
import { PhoneError } from '../errors';
import { label } from '../labels';
import { text, type ApexContext } from './context';

const RECORDING_ID = /\/v1\/recordings\/([A-Za-z0-9][A-Za-z0-9._:-]{0,127})(?:\/audio)?\/?(?:[?#].*)?$/;

/** RecordingPlaybackController.getPlaybackUrl */
export async function getPlaybackUrl(context: ApexContext, params: Record<string, unknown>): Promise<string> {
    const link = (text(params.recordingUrl) ?? '').trim();
    if (!/^https?:\/\/\S+$/i.test(link)) {
        throw new PhoneError(label(context.labels, 'Phone_Error_RecordingLinkRefused'));
    }
    const id = RECORDING_ID.exec(link)?.[1];
    if (!id) return link;
    const signed = await context.contactCentre.get<{ url?: string | null } | null>(
        `/v1/recordings/${ContactCentreClient.pathSegment(id)}/signed-url?ttlSeconds=300`
    );
    if (!signed?.url) throw new PhoneError(label(context.labels, 'Phone_Error_RecordingLinkRefused'));
    return signed.url;
}
