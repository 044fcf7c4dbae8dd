// Steps shared by the scenarios: place an inbound call through the ACD, wait for media facts.
import { waitFor } from './wait.mjs';

let customerSeq = 0;

/** A fresh caller number per customer (a customer registers as its number). */
export function nextCustomerNumber() {
    customerSeq += 1;
    return `+48600700${String(800 + customerSeq).padStart(3, '0')}`;
}

/** Sets every agent the scenarios use to NotReady, then `ready` to Ready. */
export async function onlyReady(env, ready, all = ['agt-101', 'agt-102', 'agt-103']) {
    for (const agentId of all) {
        const current = await env.status(agentId);
        if (ready.includes(agentId)) continue;
        if (current.status === 'Busy') continue; // ends with its call
        if (current.status !== 'NotReady') await env.setStatus(agentId, 'NotReady');
    }
    for (const agentId of ready) await env.setStatus(agentId, 'Ready');
}

/**
 * The customer calls `campaign`; resolves once the call rings at `agent` (its snapshot).
 * @returns {Promise<{ ringing: object, session: { id: number, callId: string } }>}
 */
export async function callRingsAt(customer, agent, options = {}) {
    const session = await customer.call({
        campaign: options.campaign ?? 'cmp-support',
        callerNumber: options.callerNumber ?? customer.user,
        ivrCode: options.ivrCode,
        displayName: options.displayName,
        extraHeaders: options.extraHeaders
    });
    const ringing = await agent.waitForRinging(options.timeoutMs);
    return { ringing, session };
}

/** The agent's peer connection stats of SIP call `callId` (or the only live one). */
export async function agentLeg(agent, callId) {
    const legs = await agent.stats();
    return legs.find((leg) => leg.callId === callId) ?? (callId ? undefined : legs[0]);
}

/** Waits until audio arrives on both sides: inbound-rtp bytesReceived > 0 at agent and customer. */
export async function audioBothWays(agent, customer, callId, customerSessionId) {
    const agentSide = await waitFor(
        async () => {
            const leg = await agentLeg(agent, callId);
            return leg && leg.bytesReceived > 0 && leg.bytesSent > 0 ? leg : null;
        },
        { what: `audio at agent ${agent.agentId} (call ${callId})` }
    );
    const customerSide = await waitFor(
        async () => {
            const stats = await customer.stats(customerSessionId);
            return stats && stats.bytesReceived > 0 && stats.bytesSent > 0 ? stats : null;
        },
        { what: `audio at customer ${customer.user}` }
    );
    return { agent: agentSide, customer: customerSide };
}

/** Waits until the value `read()` returns grows past `baseline` (media still flowing). */
export async function grows(read, baseline, what) {
    return waitFor(
        async () => {
            const value = await read();
            return value > baseline ? value : null;
        },
        { what }
    );
}
