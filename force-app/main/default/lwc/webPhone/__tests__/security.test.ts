import { securityProblem } from '../security';

class RTC {}
class Socket {}

describe('webPhone security check', () => {
    it('accepts a Lightning Web Security sandbox (plain window)', () => {
        expect(securityProblem({ window, document, RTCPeerConnection: RTC, WebSocket: Socket })).toBeNull();
    });

    const wrapper = (text: string): object => ({ toString: (): string => text });
    const refusing: object = {
        toString(): string {
            throw new Error('denied');
        }
    };

    it.each<[string, unknown, unknown]>([
        ['SecureWindow', wrapper('SecureWindow: [object Window]{ key: {"namespace":"ccphone"} }'), document],
        [
            'SecureDocument',
            window,
            wrapper('SecureDocument: [object HTMLDocument]{ key: {"namespace":"ccphone"} }')
        ],
        ['a wrapper that refuses conversion', refusing, document]
    ])('detects Lightning Locker (%s)', (_name, win, doc) => {
        expect(
            securityProblem({ window: win, document: doc, RTCPeerConnection: RTC, WebSocket: Socket })
        ).toBe('locker');
    });

    it.each([
        ['RTCPeerConnection', { RTCPeerConnection: undefined, WebSocket: Socket }],
        ['WebSocket', { RTCPeerConnection: RTC, WebSocket: undefined }]
    ])('reports a browser without %s', (_name, apis) => {
        expect(securityProblem({ window, document, ...apis })).toBe('webrtc-unavailable');
    });
});
