import type { AgentStatusChange, CallLogEntry } from 'webphone-core';
import { createHostPorts, toRecordMatches, toSendResult, toSipSession, type PhoneApex } from '../hostPorts';

function apex(
    overrides: Partial<Record<keyof PhoneApex, jest.Mock>> = {}
): Record<Exclude<keyof PhoneApex, 'controlRecording'>, jest.Mock> &
    Partial<Record<'controlRecording', jest.Mock>> {
    return {
        getSipCredentials: jest.fn().mockResolvedValue({
            agentId: 'a-1',
            wssUrl: 'wss://sip.example.com',
            sipUri: 'sip:agent42@example.com',
            authorizationUsername: 'agent42',
            authorizationPassword: 'secret',
            displayName: 'Agent 42',
            expiresAt: 1_900_000_000_000,
            extension: '42',
            iceServers: [
                { urls: ['stun:stun.example.com'], username: null, credential: null },
                { urls: ['turns:turn.example.com:443?transport=tcp'], username: 'u', credential: 'c' },
                { urls: [] }
            ]
        }),
        getCampaigns: jest.fn().mockResolvedValue([
            { id: 'c1', name: 'Inbound', mode: 'inbound', active: true, wrapSeconds: 45 },
            { id: null, name: 'broken' }
        ]),
        getPauseReasons: jest.fn().mockResolvedValue([
            { id: 'lunch', label: 'Lunch', maxSeconds: 1800 },
            { id: 'x', label: '' },
            { id: '', label: 'no id' }
        ]),
        setStatus: jest.fn().mockResolvedValue({ status: 'Ready' }),
        findCallers: jest.fn().mockResolvedValue([]),
        getActiveInteractions: jest.fn().mockResolvedValue([
            {
                interactionId: 'int-1',
                rejoinUri: 'sip:rejoin.int-1@cc.example',
                answeredAt: 1_700_000_000_000
            },
            { interactionId: 'int-2', rejoinUri: 'https://evil.example', answeredAt: null },
            { interactionId: null, rejoinUri: 'sip:x@cc.example' },
            { interactionId: 'int-3', rejoinUri: 'sips:rejoin.int-3@cc.example', answeredAt: null }
        ]),
        saveCallLog: jest.fn().mockResolvedValue({
            interactionId: 'ia-1',
            status: 'saved',
            taskId: '00T1',
            retryable: null,
            message: null,
            retryAfterMs: null
        }),
        ...overrides
    };
}

const change = (overrides: Partial<AgentStatusChange>): AgentStatusChange => ({
    sequence: 1,
    from: 'Ready' as AgentStatusChange['from'],
    to: 'Paused' as AgentStatusChange['to'],
    at: 1,
    cause: 'pause',
    ...overrides
});

describe('webPhone host ports (Apex -> phone-core)', () => {
    it('getSipSession maps credentials, ICE servers and campaigns', async () => {
        const ports = createHostPorts(apex(), () => undefined);
        await expect(ports.getSipSession()).resolves.toEqual({
            wssUrl: 'wss://sip.example.com',
            sipUri: 'sip:agent42@example.com',
            authorizationUsername: 'agent42',
            authorizationPassword: 'secret',
            displayName: 'Agent 42',
            expiresAt: 1_900_000_000_000,
            iceServers: [
                { urls: ['stun:stun.example.com'] },
                { urls: ['turns:turn.example.com:443?transport=tcp'], username: 'u', credential: 'c' }
            ],
            campaigns: [{ id: 'c1', name: 'Inbound', wrapSeconds: 45 }]
        });
    });

    it('getSipSession still works when campaigns cannot be read', async () => {
        const ports = createHostPorts(
            apex({ getCampaigns: jest.fn().mockRejectedValue(new Error('API down')) }),
            () => undefined
        );
        await expect(ports.getSipSession()).resolves.toEqual(expect.objectContaining({ campaigns: [] }));
    });

    it('getSipSession rejects when Apex rejects (the session shows "credentials")', async () => {
        const error = { body: { message: 'No seat' } };
        const ports = createHostPorts(
            apex({ getSipCredentials: jest.fn().mockRejectedValue(error) }),
            () => undefined
        );
        await expect(ports.getSipSession()).rejects.toBe(error);
    });

    it('toSipSession refuses an empty answer and leaves out a zero expiry', () => {
        expect(() => toSipSession(null, [])).toThrow('no SIP credentials');
        expect(toSipSession({ wssUrl: 'wss://x', expiresAt: 0, iceServers: null }, null)).toEqual({
            wssUrl: 'wss://x',
            sipUri: '',
            authorizationUsername: '',
            authorizationPassword: '',
            iceServers: [],
            campaigns: []
        });
    });

    it.each([
        [
            change({ to: 'Paused' as never, reason: { id: 'lunch', label: 'Lunch' } }),
            { status: 'Paused', pauseReasonId: 'lunch', campaignId: null }
        ],
        [
            change({ to: 'Wrap' as never, interactionId: 'ia-1' }),
            { status: 'Wrap', pauseReasonId: null, campaignId: 'c1' }
        ],
        [
            change({ to: 'Ready' as never, interactionId: 'ia-1' }),
            { status: 'Ready', pauseReasonId: null, campaignId: null }
        ]
    ])('publishAgentStatus sends %j as %j', async (statusChange, params) => {
        const methods = apex();
        const ports = createHostPorts(methods, (id) => (id === 'ia-1' ? 'c1' : undefined));
        await ports.publishAgentStatus(statusChange);
        expect(methods.setStatus).toHaveBeenCalledWith(params);
    });

    it('publishAgentStatus rejects when Apex rejects (the session keeps the status and retries)', async () => {
        const ports = createHostPorts(
            apex({ setStatus: jest.fn().mockRejectedValue(new Error('timeout')) }),
            () => undefined
        );
        await expect(ports.publishAgentStatus(change({}))).rejects.toThrow('timeout');
    });

    it('lookupCaller asks Apex once with the search keys and the IVR code', async () => {
        const methods = apex({
            findCallers: jest.fn().mockResolvedValue([
                {
                    id: '003A',
                    objectType: 'Contact',
                    name: 'Jan',
                    subtitle: null,
                    accountId: '001A',
                    contactId: null,
                    isClosed: null
                },
                { id: '500A', objectType: 'Case', name: '00001', caseNumber: '00001', isClosed: false },
                { id: 'x', objectType: 'Opportunity', name: 'not a caller type' },
                null
            ])
        });
        const ports = createHostPorts(methods, () => undefined);
        const matches = await ports.lookupCaller({
            searchKeys: ['+48600700800'],
            e164: '+48600700800',
            number: '600700800',
            ivrCaseCode: '00001',
            direction: 'inbound',
            interactionId: 'ia'
        });
        expect(methods.findCallers).toHaveBeenCalledWith({
            searchKeys: ['+48600700800'],
            ivrCaseCode: '00001'
        });
        expect(matches).toEqual([
            { id: '003A', objectType: 'Contact', name: 'Jan', accountId: '001A' },
            { id: '500A', objectType: 'Case', name: '00001', caseNumber: '00001', isClosed: false }
        ]);
    });

    it('lookupCaller does not call Apex for an unsearchable number without IVR code', async () => {
        const methods = apex();
        const ports = createHostPorts(methods, () => undefined);
        await expect(
            ports.lookupCaller({
                searchKeys: [],
                e164: null,
                number: 'anonymous',
                direction: 'inbound',
                interactionId: 'ia'
            })
        ).resolves.toEqual([]);
        expect(methods.findCallers).not.toHaveBeenCalled();
    });

    it('toRecordMatches keeps a hostile name as data', () => {
        expect(
            toRecordMatches([{ id: '003A', objectType: 'Contact', name: '<img src=x onerror=alert(1)>' }])
        ).toEqual([{ id: '003A', objectType: 'Contact', name: '<img src=x onerror=alert(1)>' }]);
        expect(toRecordMatches('not a list')).toEqual([]);
    });

    it('controlRecording sends the interaction, action and reason (F21); without the method it rejects', async () => {
        const controlRecording = jest.fn().mockResolvedValue({ state: 'paused' });
        const ports = createHostPorts(apex({ controlRecording }), () => undefined);
        await ports.controlRecording!('ia-1', { action: 'pause', reason: 'sensitive-page' });
        expect(controlRecording).toHaveBeenCalledWith({
            interactionId: 'ia-1',
            action: 'pause',
            reason: 'sensitive-page'
        });
        const without = createHostPorts(apex(), () => undefined);
        await expect(
            without.controlRecording!('ia-1', { action: 'resume', reason: 'agent' })
        ).rejects.toThrow();
        controlRecording.mockRejectedValueOnce(new Error('409'));
        await expect(ports.controlRecording!('ia-1', { action: 'resume', reason: 'agent' })).rejects.toThrow(
            '409'
        );
    });

    it('saveCallLog sends the entry without unset fields and maps the result', async () => {
        const methods = apex();
        const ports = createHostPorts(methods, () => undefined);
        const entry: CallLogEntry = {
            interactionId: 'ia-1',
            direction: 'inbound',
            fromNumber: '+48600700800',
            toNumber: '100',
            startedAt: '2026-01-15T10:00:00.000Z',
            endedAt: '2026-01-15T10:02:00.000Z',
            durationSeconds: 90,
            outcome: 'answered',
            notes: undefined
        };
        await expect(ports.saveCallLog(entry)).resolves.toEqual({ status: 'saved', taskId: '00T1' });
        expect(methods.saveCallLog).toHaveBeenCalledWith({
            entry: {
                interactionId: 'ia-1',
                direction: 'inbound',
                fromNumber: '+48600700800',
                toNumber: '100',
                startedAt: '2026-01-15T10:00:00.000Z',
                endedAt: '2026-01-15T10:02:00.000Z',
                durationSeconds: 90,
                outcome: 'answered'
            }
        });
    });

    it.each([
        [
            { status: 'rejected', retryable: false, message: 'Subject is required', retryAfterMs: null },
            { status: 'rejected', retryable: false, message: 'Subject is required' }
        ],
        [
            { status: 'rejected', retryable: true, message: 'Row lock', retryAfterMs: 5000 },
            { status: 'rejected', retryable: true, message: 'Row lock', retryAfterMs: 5000 }
        ],
        [null, { status: 'rejected', retryable: true, message: '' }],
        [
            { status: 'rejected', retryable: false, message: 'Not yours', code: 'interaction-not-issued' },
            { status: 'rejected', retryable: false, message: 'Not yours', code: 'interaction-not-issued' }
        ],
        [
            { status: 'saved', taskId: null },
            { status: 'rejected', retryable: true, message: '' }
        ]
    ])('toSendResult maps %j', (result, expected) => {
        expect(toSendResult(result)).toEqual(expected);
    });

    it('saveCallLog rejects when Apex rejects (the outbox retries)', async () => {
        const ports = createHostPorts(
            apex({ saveCallLog: jest.fn().mockRejectedValue(new Error('offline')) }),
            () => undefined
        );
        await expect(ports.saveCallLog({} as CallLogEntry)).rejects.toThrow('offline');
    });

    it('getPauseReasons keeps reasons with an id, labelled by their id when unnamed', async () => {
        const ports = createHostPorts(apex(), () => undefined);
        await expect(ports.getPauseReasons!()).resolves.toEqual([
            { id: 'lunch', label: 'Lunch' },
            { id: 'x', label: 'x' }
        ]);
    });

    it('getActiveInteractions (B7) keeps the SIP entries, answer time only when given', async () => {
        const ports = createHostPorts(apex(), () => undefined);
        await expect(ports.getActiveInteractions!()).resolves.toEqual([
            {
                interactionId: 'int-1',
                rejoinUri: 'sip:rejoin.int-1@cc.example',
                answeredAt: 1_700_000_000_000
            },
            { interactionId: 'int-3', rejoinUri: 'sips:rejoin.int-3@cc.example' }
        ]);
        const none = createHostPorts(
            apex({ getActiveInteractions: jest.fn().mockResolvedValue(null) }),
            () => undefined
        );
        await expect(none.getActiveInteractions!()).resolves.toEqual([]);
    });
});
