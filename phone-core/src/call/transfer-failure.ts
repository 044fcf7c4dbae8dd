/**
 * Why a transfer did not go through, as the agent needs to hear it: the SIP status the transferee reported in
 * its NOTIFY (or the REFER's own final response) mapped to one reason the phone can say in the agent's language.
 */

/** The reasons the phone names. */
export enum TransferFailureReason {
    /** 486, 600: the target is on a call, or its phone refuses calls while Not Ready. */
    Busy = 'busy',
    /** 480, 410: the target is not signed in or not reachable now. */
    Unavailable = 'unavailable',
    /** 408, 487: the target rang and nobody answered. */
    NoAnswer = 'noAnswer',
    /** 603, 403: the target (or the contact centre) declined it. */
    Declined = 'declined',
    /** 404, 484, 604: no such number or agent. */
    UnknownTarget = 'unknownTarget',
    /** Anything else, or no status. */
    Other = 'other'
}

const BY_CODE: Readonly<Record<number, TransferFailureReason>> = {
    486: TransferFailureReason.Busy,
    600: TransferFailureReason.Busy,
    480: TransferFailureReason.Unavailable,
    410: TransferFailureReason.Unavailable,
    408: TransferFailureReason.NoAnswer,
    487: TransferFailureReason.NoAnswer,
    603: TransferFailureReason.Declined,
    403: TransferFailureReason.Declined,
    404: TransferFailureReason.UnknownTarget,
    484: TransferFailureReason.UnknownTarget,
    604: TransferFailureReason.UnknownTarget
};

/** The reason for a failed transfer's SIP status (undefined or unlisted: Other). */
export function transferFailureReason(code: number | undefined): TransferFailureReason {
    return (code !== undefined ? BY_CODE[code] : undefined) ?? TransferFailureReason.Other;
}
