/**
 * Omni-Channel presence -> the phone's agent status.
 *
 * The softphone calls `setAgentStatus(agentStatus, statusInfo)` with one of the base library's
 * `Constants.AGENT_STATUS` values (`Online`, `Offline`, `AfterCallWork`) and the presence status the agent
 * picked (`statusInfo.statusApiName`, `statusName`). The contact centre routes on Ready / NotReady /
 * Paused (with a reason) / Wrap, so:
 *
 * 1. an explicit admin mapping wins: `statusMap[statusApiName]` = `Ready`, `NotReady`, `Wrap` or
 *    `Pause:<reason id>` (from the contact center definition, see docs/voice-partner-telephony.md);
 * 2. `AfterCallWork` is Wrap;
 * 3. `Online` (a presence status with the phone channel) is Ready;
 * 4. any other status whose API name or label is one of the contact centre's pause reasons is Paused
 *    with that reason ("Break", "Training"...);
 * 5. everything else is NotReady.
 */
import { Constants } from '@salesforce/scv-connector-base';
import type { PauseReason } from '../../phone-core/src/index';

/** What a presence status means to the contact centre. */
export type PresenceTarget =
    | { status: 'Ready' }
    | { status: 'NotReady' }
    | { status: 'Wrap' }
    | { status: 'Paused'; reason: PauseReason };

/** The presence status the softphone sends (base library `AgentStatusInfo`, fields optional there). */
export interface PresenceStatusInfo {
    statusId?: string;
    statusApiName?: string;
    statusName?: string;
}

/** An admin's mapping value could not be read: the clear error names it. */
export class PresenceMappingError extends Error {
    readonly type = Constants.ERROR_TYPE.INVALID_AGENT_STATUS;
    constructor(message: string) {
        super(message);
        this.name = 'PresenceMappingError';
    }
}

const same = (a: string | undefined, b: string | undefined): boolean =>
    !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

function findReason(
    reasons: readonly PauseReason[],
    ...keys: Array<string | undefined>
): PauseReason | undefined {
    return reasons.find((reason) => keys.some((key) => same(key, reason.id) || same(key, reason.label)));
}

/**
 * Parses the admin's mapping (`{"Break_Status": "Pause:brk", "On_Queue": "Ready"}`): a JSON object of
 * strings. Bad input throws a PresenceMappingError naming what is wrong (never silently ignored).
 */
export function parseStatusMap(text: string | undefined): Record<string, string> {
    if (text === undefined || text.trim() === '') {
        return {};
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new PresenceMappingError('the presence status map is not JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new PresenceMappingError('the presence status map must be a JSON object');
    }
    const map: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
        if (typeof value !== 'string' || !/^(Ready|NotReady|Wrap|Pause:.+)$/.test(value)) {
            throw new PresenceMappingError(
                `presence status ${key}: expected Ready, NotReady, Wrap or Pause:<reason id>`
            );
        }
        map[key] = value;
    }
    return map;
}

/** The target of one `setAgentStatus` call (see the module documentation for the rules). */
export function presenceTarget(
    agentStatus: string,
    info: PresenceStatusInfo,
    reasons: readonly PauseReason[],
    statusMap: Readonly<Record<string, string>> = {}
): PresenceTarget {
    const mapped = info.statusApiName ? statusMap[info.statusApiName] : undefined;
    if (mapped) {
        if (mapped === 'Ready' || mapped === 'NotReady' || mapped === 'Wrap') {
            return { status: mapped };
        }
        const reasonId = mapped.slice('Pause:'.length);
        const reason = findReason(reasons, reasonId);
        if (!reason) {
            throw new PresenceMappingError(
                `presence status ${info.statusApiName}: no pause reason ${reasonId}`
            );
        }
        return { status: 'Paused', reason };
    }
    if (same(agentStatus, Constants.AGENT_STATUS.ACW)) {
        return { status: 'Wrap' };
    }
    if (same(agentStatus, Constants.AGENT_STATUS.ONLINE)) {
        return { status: 'Ready' };
    }
    const reason = findReason(reasons, info.statusApiName, info.statusName);
    return reason ? { status: 'Paused', reason } : { status: 'NotReady' };
}
