import { sdpDirection, sipfragStatus } from '../../src/sip/call-session';
import { toSipUri } from '../../src/sip/sip-phone';

describe('toSipUri', () => {
    it.each([
        ['+48 600 700 800', 'sip:+48600700800@cc.example.com'],
        ['(022) 123-45-67', 'sip:0221234567@cc.example.com'],
        ['tel:+31612345678', 'sip:+31612345678@cc.example.com'],
        ['*555', 'sip:*555@cc.example.com'],
        ['1234#', 'sip:1234%23@cc.example.com'],
        ['sip:queue-sales@pbx.example.com', 'sip:queue-sales@pbx.example.com'],
        ['agent.7', 'sip:agent.7@cc.example.com'],
        ['06.12.34.56.78', 'sip:0612345678@cc.example.com']
    ])('%s -> %s', (target, uri) => {
        expect(toSipUri(target, 'cc.example.com')?.toString()).toBe(uri);
    });

    it.each(['', '   ', '<script>', 'a b@c', 'x'.repeat(65), 'sip:'])('%p is not a target', (target) => {
        expect(toSipUri(target, 'cc.example.com')).toBeUndefined();
    });
});

describe('sdpDirection', () => {
    it.each([
        ['v=0\r\nm=audio 1 RTP/AVP 0\r\na=sendonly\r\n', 'sendonly'],
        ['v=0\r\na=inactive\r\nm=audio 1 RTP/AVP 0\r\n', 'inactive'],
        ['v=0\r\nm=audio 1 RTP/AVP 0\r\na=recvonly\r\n', 'recvonly'],
        ['v=0\r\nm=audio 1 RTP/AVP 0\r\n', 'sendrecv'],
        [undefined, 'sendrecv']
    ])('%p -> %s', (sdp, direction) => {
        expect(sdpDirection(sdp)).toBe(direction);
    });
});

describe('sipfragStatus', () => {
    it.each([
        ['SIP/2.0 200 OK', 200],
        ['SIP/2.0 180 Ringing\r\n', 180],
        ['  SIP/2.0 486 Busy Here', 486],
        ['garbage', undefined],
        [undefined, undefined]
    ])('%p -> %p', (body, status) => {
        expect(sipfragStatus(body)).toBe(status);
    });
});
