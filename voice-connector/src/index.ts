/**
 * The `voiceConnector` static resource: the Salesforce Voice partner-telephony connector over phone-core.
 *
 * The contact centre's connector page (the adapter URL of the contact center definition) loads this bundle
 * and calls `WebphoneVoice.start({ contactCentre })` with its ports; the base library then waits for the
 * softphone's SETUP_CONNECTOR message (scv-connector-base `initializeConnector`).
 */
import { initializeConnector } from '@salesforce/scv-connector-base';
import { CcphoneVoiceConnector, type VoiceConnectorOptions } from './connector';

export {
    CcphoneVoiceConnector,
    VoiceConnectorError,
    STATUS_MAP_CONFIG_KEY,
    AUDIO_DEVICES_MESSAGE
} from './connector';
export type { VoiceConnectorOptions } from './connector';
export type { VoiceContactCentre, TransferTarget, SignedRecording } from './ports';
export { presenceTarget, parseStatusMap } from './presence';

/** Version of this bundle's API (the connector page may check it). */
export const VOICE_CONNECTOR_API_VERSION = 1;

/** Creates the connector and hands it to the base library, which then answers the softphone. */
export function start(options: VoiceConnectorOptions): CcphoneVoiceConnector {
    const connector = new CcphoneVoiceConnector(options);
    initializeConnector(connector);
    return connector;
}
