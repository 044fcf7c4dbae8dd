import { TransferFailureReason, transferFailureReason } from '../src/call/transfer-failure';

describe('transferFailureReason', () => {
    it.each([
        [486, TransferFailureReason.Busy],
        [600, TransferFailureReason.Busy],
        [480, TransferFailureReason.Unavailable],
        [410, TransferFailureReason.Unavailable],
        [408, TransferFailureReason.NoAnswer],
        [487, TransferFailureReason.NoAnswer],
        [603, TransferFailureReason.Declined],
        [403, TransferFailureReason.Declined],
        [404, TransferFailureReason.UnknownTarget],
        [484, TransferFailureReason.UnknownTarget],
        [604, TransferFailureReason.UnknownTarget],
        [500, TransferFailureReason.Other],
        [undefined, TransferFailureReason.Other]
    ])('names SIP %s as %s', (code, reason) => {
        expect(transferFailureReason(code)).toBe(reason);
    });
});
