// A caller from the telephone network: plain SIP/RTP (baresip, G.711, no ICE, no DTLS) reaches the SHIPPED phone
// in Chromium through Kamailio + rtpengine (e2e/lib/pstn-bridge.mjs, simulator/kamailio/pstn-bridge.cfg.tpl).
// Inbound and outbound, audio both ways (getStats at the agent, RTP counters at the caller), hold from either
// side, RFC 2833 DTMF both ways (baresip's DTMF events; rtpengine's DTMF log), a blind transfer to a second
// agent, and media lost mid-call (rtpengine frozen: no audio, then a port-0 answer to the ICE restart) told to
// the agent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { Agent } from './lib/agent.mjs';
import { agentLeg, grows } from './lib/calls.mjs';
import { CHROMIUM, CHROMIUM_ARGS, checkPrerequisites, startStaticServer, waitFor } from './lib/harness.mjs';
import { PstnBridge } from './lib/pstn-bridge.mjs';

const CALLER = '+48600700900';
/** Short media-loss grace so the media-loss scenario stays quick (the default is 10 s). */
const PHONE_OPTIONS = { mediaWatch: { intervalMs: 1000, graceMs: 3000 } };

describe('a caller from the telephone network (Kamailio + rtpengine + baresip)', () => {
    let bridge;
    let pages;
    let browser;
    const agents = [];

    before(async () => {
        const problems = checkPrerequisites();
        if (problems.length > 0) throw new Error(problems.join('\n'));
        bridge = await PstnBridge.start({ callerNumber: CALLER });
        pages = await startStaticServer();
        browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    });

    after(async () => {
        for (const agent of agents) await agent.close().catch(() => undefined);
        await browser?.close().catch(() => undefined);
        if (pages) await new Promise((resolve) => pages.server.close(resolve));
        await bridge?.close();
    });

    async function openAgent(agentId) {
        const context = await browser.newContext({ permissions: ['microphone'] });
        const agent = await Agent.open(context, {
            pageUrl: `${pages.url}/agent.html`,
            ...bridge.agentOptions(agentId),
            phoneOptions: PHONE_OPTIONS
        });
        agents.push(agent);
        await agent.waitForRegistration();
        return agent;
    }

    /** Runs `body`; a failure carries the SIP traces and the daemons' output. */
    async function withTraces(body) {
        try {
            await body();
        } catch (error) {
            const traces = [];
            for (const agent of agents) {
                traces.push(
                    `--- ${agent.agentId} ---\n${(await agent.sipLog(60).catch(() => [])).join('\n')}`
                );
                traces.push(JSON.stringify(await agent.state().catch(() => null)).slice(0, 3000));
            }
            traces.push(`--- baresip events ---\n${JSON.stringify(bridge.caller.events.slice(-20))}`);
            error.message = `${error.message}\n${traces.join('\n')}\n${bridge.diagnostics()}`;
            throw error;
        }
    }

    /**
     * The caller's RTP counters from its latest RTCP event (baresip reports each RTCP packet from the far end
     * with its own counters): packets received and sent on the call.
     */
    function callerRtp() {
        const last = bridge.caller.events.findLast((event) => event.type === 'CALL_RTCP' && event.rtcp_stats);
        return { rx: last?.rtcp_stats.rx.sent ?? 0, tx: last?.rtcp_stats.tx.sent ?? 0 };
    }

    /** The caller's audio reaches the agent: the agent's inbound-rtp packets grow (getStats). */
    async function callerHeard(agent, what) {
        const leg = await waitFor(
            async () => {
                const current = await agentLeg(agent);
                return current && current.packetsReceived > 0 && current.packetsSent > 0 ? current : null;
            },
            { what: `${what}: audio at ${agent.agentId}` }
        );
        await grows(
            async () => (await agentLeg(agent))?.packetsReceived ?? 0,
            leg.packetsReceived,
            `${what}: caller -> agent`
        );
    }

    /** The agent's audio reaches the caller: the packets received that the caller reports in RTCP grow. */
    async function agentHeard(what) {
        await grows(() => callerRtp().rx, callerRtp().rx, `${what}: agent -> caller (RTCP at the caller)`);
    }

    async function audioBothWays(agent, what) {
        await callerHeard(agent, what);
        await agentHeard(what);
    }

    /** agt-101, opened by the first test that needs it (each test may run alone with --test-name-pattern). */
    let agent101;
    async function firstAgent() {
        agent101 ??= await openAgent('agt-101');
        return agent101;
    }

    test('inbound: audio both ways, hold from either side, RFC 2833 DTMF both ways', () =>
        withTraces(async () => {
            await firstAgent();
            const from = bridge.caller.events.length;
            await bridge.caller.command('dial', 'sip:agt-101@127.0.0.1');
            const ringing = await agent101.waitForRinging();
            assert.equal(ringing.remote.number, CALLER);
            assert.equal((await agent101.command('answer', ringing.id)).ok, true);
            await agent101.waitForCallState(ringing.id, 'Connected');
            await bridge.caller.waitForEvent('CALL_ESTABLISHED', { from });
            await audioBothWays(agent101, 'connected');

            // the agent holds: sendonly towards the caller, the caller's audio stops reaching the agent
            assert.equal((await agent101.command('hold', ringing.id)).ok, true);
            const held = await agent101.waitForCallState(ringing.id, 'OnHold');
            assert.equal(held.onHold, true);
            assert.deepEqual((await agentLeg(agent101)).directions, ['sendonly']);
            assert.equal((await agent101.command('resume', ringing.id)).ok, true);
            await agent101.waitForCallState(ringing.id, 'Connected');
            assert.deepEqual((await agentLeg(agent101)).directions, ['sendrecv']);
            await callerHeard(agent101, 'after the agent resumed');

            // the caller holds (its re-INVITE through rtpengine) and resumes
            await bridge.caller.command('hold');
            await waitFor(
                async () =>
                    (await agent101.state()).calls.find((c) => c.id === ringing.id)?.remoteHold === true,
                { what: 'the agent sees the caller hold' }
            );
            await bridge.caller.command('resume');
            await waitFor(
                async () =>
                    (await agent101.state()).calls.find((c) => c.id === ringing.id)?.remoteHold === false,
                { what: 'the agent sees the caller resume' }
            );
            await agentHeard('after the caller resumed');

            // DTMF agent -> caller: RTP telephone-events (not SIP INFO) reach baresip
            const beforeDtmf = bridge.caller.events.length;
            assert.equal((await agent101.command('sendDtmf', ringing.id, '7')).ok, true);
            const key = await bridge.caller.waitForEvent('CALL_DTMF_START', { from: beforeDtmf });
            assert.equal(key.param, '7');
            // DTMF caller -> agent: baresip's RFC 2833 events pass rtpengine towards the phone
            await bridge.caller.command('sndcode', '5');
            await waitFor(() => bridge.dtmfDigits().some((event) => event.digit === '5'), {
                what: "rtpengine forwarding the caller's DTMF 5"
            });
            const callState = (await agent101.state()).calls.find((c) => c.id === ringing.id);
            assert.equal(callState.state, 'Connected', 'DTMF did not disturb the call');

            await bridge.caller.command('hangup');
            await agent101.waitForCallState(ringing.id, 'Ended');
        }));

    test('outbound: the agent dials the telephone number, audio both ways, the agent hangs up', () =>
        withTraces(async () => {
            await firstAgent();
            const from = bridge.caller.events.length;
            const dialled = await agent101.command('dial', CALLER);
            assert.equal(dialled.ok, true, dialled.message);
            await bridge.caller.waitForEvent('CALL_INCOMING', { from });
            await bridge.caller.command('accept');
            await agent101.waitForCallState(dialled.snapshot.id, 'Connected');
            await audioBothWays(agent101, 'outbound');
            await agent101.command('hangup', dialled.snapshot.id);
            await bridge.caller.waitForEvent('CALL_CLOSED', { from });
            await agent101.waitForCallState(dialled.snapshot.id, 'Ended');
        }));

    test('blind transfer: the caller follows the REFER to agt-102, audio there', () =>
        withTraces(async () => {
            await firstAgent();
            const agent102 = await openAgent('agt-102');
            await bridge.caller.command('dial', 'sip:agt-101@127.0.0.1');
            const ringing = await agent101.waitForRinging();
            await agent101.command('answer', ringing.id);
            await agent101.waitForCallState(ringing.id, 'Connected');
            const transferred = await agent101.command('blindTransfer', ringing.id, 'agt-102');
            assert.equal(transferred.ok, true, transferred.message);
            const atTarget = await agent102.waitForRinging();
            assert.equal(atTarget.remote.number, CALLER);
            await agent102.command('answer', atTarget.id);
            await agent102.waitForCallState(atTarget.id, 'Connected');
            await agent101.waitForCallState(ringing.id, 'Ended');
            await audioBothWays(agent102, 'transferred');
            await bridge.caller.command('hangup');
            await agent102.waitForCallState(atTarget.id, 'Ended');
        }));

    test('media lost mid-call (rtpengine frozen): the phone tries an ICE restart, then tells the agent; hang up works', () =>
        withTraces(async () => {
            await firstAgent();
            await bridge.caller.command('dial', 'sip:agt-101@127.0.0.1');
            const ringing = await agent101.waitForRinging();
            await agent101.command('answer', ringing.id);
            await agent101.waitForCallState(ringing.id, 'Connected');
            await callerHeard(agent101, 'before the fault');
            const reInvitesBefore = agent101.trace.filter((frame) => /^\S+ SENT\nINVITE /.test(frame)).length;
            bridge.freezeMedia();
            try {
                const health = [];
                await waitFor(
                    async () => {
                        const call = (await agent101.state()).calls.find((c) => c.id === ringing.id);
                        if (call?.mediaHealth && health[health.length - 1] !== call.mediaHealth)
                            health.push(call.mediaHealth);
                        return call?.mediaHealth === 'lost' ? call : null;
                    },
                    { what: 'the agent told that the audio is lost', timeoutMs: 40000, intervalMs: 200 }
                );
                assert.deepEqual(health, ['recovering', 'lost']);
                const reInvites = agent101.trace.filter((frame) => /^\S+ SENT\nINVITE /.test(frame)).length;
                assert.ok(reInvites > reInvitesBefore, 'an ICE restart re-INVITE was sent');
                // rtpengine could not rewrite the restart's offer, so baresip got WebRTC SDP and rejected the
                // audio stream: the answer the phone received is the port-0 answer of the issue
                const answers = agent101.trace
                    .filter((frame) => /RECV\nSIP\/2\.0 200 /.test(frame) && /^CSeq: \d+ INVITE/m.test(frame))
                    .map((frame) => /^m=audio (\d+)/m.exec(frame)?.[1]);
                assert.equal(
                    answers[answers.length - 1],
                    '0',
                    'the re-INVITE answer rejected the audio stream'
                );
            } finally {
                bridge.thawMedia();
            }
            assert.equal((await agent101.command('hangup', ringing.id)).ok, true);
            await agent101.waitForCallState(ringing.id, 'Ended');
        }));
});
