import { LightningElement, api } from 'lwc';
import type { DoctorCheckId, DoctorResult } from 'webphone-core';

import STATUS_GREEN from '@salesforce/label/c.Phone_Doctor_Status_Green';
import STATUS_RED from '@salesforce/label/c.Phone_Doctor_Status_Red';
import STATUS_UNKNOWN from '@salesforce/label/c.Phone_Doctor_Status_Unknown';
import CHECK_MIC_PERMISSION from '@salesforce/label/c.Phone_Doctor_Check_MicrophonePermission';
import CHECK_MIC_DEVICE from '@salesforce/label/c.Phone_Doctor_Check_MicrophoneDevice';
import CHECK_POLICY from '@salesforce/label/c.Phone_Doctor_Check_PermissionsPolicy';
import CHECK_CSP from '@salesforce/label/c.Phone_Doctor_Check_CspTrustedSite';
import CHECK_WEBSOCKET from '@salesforce/label/c.Phone_Doctor_Check_WebSocket';
import CHECK_STUN_TURN from '@salesforce/label/c.Phone_Doctor_Check_StunTurn';
import CHECK_ECHO from '@salesforce/label/c.Phone_Doctor_Check_EchoTest';
import CHECK_TASK_FIELDS from '@salesforce/label/c.Phone_Doctor_Check_TaskFields';
import CHECK_SEAT from '@salesforce/label/c.Phone_Doctor_Check_Seat';
import CHECK_PERMISSION_SET from '@salesforce/label/c.Phone_Doctor_Check_PermissionSet';
import CHECK_CALL_CENTER from '@salesforce/label/c.Phone_Doctor_Check_CallCenter';
import CHECK_LWS from '@salesforce/label/c.Phone_Doctor_Check_LightningWebSecurity';
import FIX_MIC_PERMISSION from '@salesforce/label/c.Phone_Doctor_FixMicrophonePermission';
import FIX_MIC_DEVICE from '@salesforce/label/c.Phone_Doctor_FixMicrophoneDevice';
import FIX_POLICY from '@salesforce/label/c.Phone_Doctor_FixPermissionsPolicy';
import FIX_TRUSTED_SITE from '@salesforce/label/c.Phone_Doctor_FixTrustedSite';
import FIX_WEBSOCKET from '@salesforce/label/c.Phone_Doctor_FixWebSocket';
import FIX_STUN_TURN from '@salesforce/label/c.Phone_Doctor_FixStunTurn';
import FIX_NETWORK from '@salesforce/label/c.Phone_Doctor_FixNetwork';
import FIX_TASK_FIELDS from '@salesforce/label/c.Phone_Doctor_FixTaskFields';
import FIX_SEAT from '@salesforce/label/c.Phone_Doctor_FixSeat';
import FIX_PERMISSION_SET from '@salesforce/label/c.Phone_Doctor_FixPermissionSet';
import FIX_CALL_CENTER from '@salesforce/label/c.Phone_Doctor_FixCallCenter';
import FIX_LWS from '@salesforce/label/c.Phone_Doctor_FixLightningWebSecurity';

const NAMES: Readonly<Record<DoctorCheckId, string>> = {
    'microphone-permission': CHECK_MIC_PERMISSION,
    'microphone-device': CHECK_MIC_DEVICE,
    'permissions-policy': CHECK_POLICY,
    'csp-trusted-site': CHECK_CSP,
    websocket: CHECK_WEBSOCKET,
    'stun-turn': CHECK_STUN_TURN,
    'echo-test': CHECK_ECHO,
    'task-fields': CHECK_TASK_FIELDS,
    seat: CHECK_SEAT,
    'permission-set': CHECK_PERMISSION_SET,
    'call-center': CHECK_CALL_CENTER,
    'lightning-web-security': CHECK_LWS
};

/** phone-core's fix label names (DoctorResult.fix) and their text. */
const FIXES: Readonly<Record<string, string>> = {
    Phone_Doctor_FixMicrophonePermission: FIX_MIC_PERMISSION,
    Phone_Doctor_FixMicrophoneDevice: FIX_MIC_DEVICE,
    Phone_Doctor_FixPermissionsPolicy: FIX_POLICY,
    Phone_Doctor_FixTrustedSite: FIX_TRUSTED_SITE,
    Phone_Doctor_FixWebSocket: FIX_WEBSOCKET,
    Phone_Doctor_FixStunTurn: FIX_STUN_TURN,
    Phone_Doctor_FixNetwork: FIX_NETWORK,
    Phone_Doctor_FixTaskFields: FIX_TASK_FIELDS,
    Phone_Doctor_FixSeat: FIX_SEAT,
    Phone_Doctor_FixPermissionSet: FIX_PERMISSION_SET,
    Phone_Doctor_FixCallCenter: FIX_CALL_CENTER,
    Phone_Doctor_FixLightningWebSecurity: FIX_LWS
};

const STATUS = {
    green: { text: STATUS_GREEN, icon: 'utility:success', variant: 'success' },
    red: { text: STATUS_RED, icon: 'utility:error', variant: 'error' },
    unknown: { text: STATUS_UNKNOWN, icon: 'utility:help', variant: '' }
} as const;

/**
 * The Phone Doctor's results (B8), one row per check: its name, green / red / not measured, what was
 * measured, and for a red one the fix, all in the user's language. Results come from phone-core's
 * `runDoctorChecks`; every text is rendered as text.
 */
export default class PhoneDoctorChecks extends LightningElement {
    @api results: DoctorResult[] = [];

    get rows() {
        return (this.results ?? []).map((result) => {
            const status = STATUS[result.status] ?? STATUS.unknown;
            return {
                key: result.id,
                id: result.id,
                status: result.status,
                name: NAMES[result.id] ?? result.id,
                statusText: status.text,
                icon: status.icon,
                variant: status.variant,
                detail: result.detail ?? '',
                fix: result.fix ? (FIXES[result.fix] ?? '') : ''
            };
        });
    }
}
