/**
 * Runs a PhoneCommand (the detail of every child's `phonecommand` event) through the session's API. The
 * switch is exhaustive: a command type added to phone-core fails the type check until it is handled here.
 */
import type { PhoneApi, PhoneCommand, SessionResult } from 'webphone-core';

export function runCommand(api: PhoneApi, command: PhoneCommand): Promise<SessionResult> {
    switch (command.type) {
        case 'setStatus':
            return api.setStatus(command.request);
        case 'clearNextStatus':
            return api.clearNextStatus();
        case 'answer':
            return api.answer(command.callId);
        case 'reject':
            return api.reject(command.callId);
        case 'hangup':
            return api.hangup(command.callId);
        case 'hold':
            return api.hold(command.callId);
        case 'resume':
            return api.resume(command.callId);
        case 'mute':
            return api.mute(command.callId);
        case 'unmute':
            return api.unmute(command.callId);
        case 'sendDtmf':
            return api.sendDtmf(command.digits, command.callId);
        case 'blindTransfer':
            return api.blindTransfer(command.target, command.callId);
        case 'startConsultation':
            return api.startConsultation(command.target, command.callId);
        case 'completeTransfer':
            return api.completeTransfer(command.consultCallId);
        case 'returnToCaller':
            return api.returnToCaller(command.consultCallId);
        case 'conference':
            return api.conference(command.callId);
        case 'dial':
            return api.dial(command.number, command.context);
        case 'redial':
            return api.redial();
        case 'endWrapEarly':
            return api.endWrapEarly();
        case 'updateWrapUp':
            return api.updateWrapUp(command.patch, command.interactionId);
        case 'submitWrapUp':
            return api.submitWrapUp(command.form, command.interactionId);
        case 'chooseRecord':
            return api.chooseRecord(command.recordId, command.callId);
        case 'relateToRecord':
            return api.relateToRecord(command.record, command.callId);
        case 'requestCallback':
            return api.requestCallback(command.interactionId, command.requested);
        case 'setAudioDevices':
            return api.setAudioDevices(command.devices);
        case 'retryCallLog':
            return api.retryCallLog(command.interactionId, command.patch);
        case 'dismissCallLog':
            return api.dismissCallLog(command.interactionId);
        case 'clearError':
            return api.clearError();
        case 'restartPhone':
            return api.restartPhone();
        default:
            return Promise.resolve(unknownCommand(command));
    }
}

function unknownCommand(command: never): SessionResult {
    return {
        ok: false,
        error: 'invalid-argument',
        detail: `unknown command ${String((command as { type?: unknown })?.type)}`
    };
}
