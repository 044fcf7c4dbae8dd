// The telephone-network side of the PSTN caller e2e: rtpengine (userspace) as the media gateway between plain
// RTP/AVP G.711 and WebRTC, Kamailio with simulator/kamailio/pstn-bridge.cfg.tpl (every SDP through rtpengine),
// baresip as the plain SIP/RTP caller (driven over its ctrl_tcp module), and a credentials endpoint in the shape
// of the contact centre's webrtc-session for the agent page. Every port is picked free on 127.0.0.1 (media ranges
// at random, rtpengine and baresip skip busy ports), so parallel runs do not clash; every process runs in its
// own process group and is killed in close() or by the exit hook.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import dgram from 'node:dgram';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { killOnExit, ROOT, stopProcess } from './harness.mjs';
import { waitFor } from './wait.mjs';

export const PSTN_TEMPLATE = path.join(ROOT, 'simulator/kamailio/pstn-bridge.cfg.tpl');
const BINARIES = {
    kamailio: '/usr/sbin/kamailio',
    rtpengine: '/usr/bin/rtpengine',
    baresip: '/usr/bin/baresip'
};
const MODULE_DIRS = [
    '/usr/lib/x86_64-linux-gnu/kamailio/modules',
    '/usr/lib/aarch64-linux-gnu/kamailio/modules'
];
const BARESIP_MODULES = '/usr/lib/baresip/modules';

/** What is missing for the PSTN scenario (empty when it can run). */
export function pstnPrerequisites() {
    const problems = [];
    for (const [name, file] of Object.entries(BINARIES))
        if (!existsSync(file)) problems.push(`${name} not installed (${file}): run e2e/install-deps.sh`);
    if (!MODULE_DIRS.some((dir) => existsSync(path.join(dir, 'rtpengine.so'))))
        problems.push("Kamailio's rtpengine.so module not found: run e2e/install-deps.sh");
    if (!existsSync(path.join(BARESIP_MODULES, 'ctrl_tcp.so')))
        problems.push('baresip ctrl_tcp module not found: run e2e/install-deps.sh (baresip-core)');
    return problems;
}

/** A port free for TCP and UDP on 127.0.0.1. */
async function freePort() {
    for (let attempt = 0; attempt < 20; attempt++) {
        const server = net.createServer();
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        const { port } = server.address();
        await new Promise((resolve) => server.close(resolve));
        const socket = dgram.createSocket('udp4');
        const free = await new Promise((resolve) => {
            socket.once('error', () => resolve(false));
            socket.bind(port, '127.0.0.1', () => resolve(true));
        });
        socket.close();
        if (free) return port;
    }
    throw new Error('no free port on 127.0.0.1');
}

/** A random port range of `size` below the usual ephemeral range (the daemons skip ports in use). */
function randomRange(size) {
    const slots = Math.floor((32000 - 20000) / size);
    const min = 20000 + Math.floor(Math.random() * slots) * size;
    return { min, max: min + size - 1 };
}

/** Spawns `command` in its own process group; keeps its last output lines. */
function startProcess(name, command, args, options = {}) {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    killOnExit(child);
    const lines = [];
    const onData = (chunk) => {
        for (const line of chunk.toString('utf8').split('\n')) {
            if (!line.trim()) continue;
            lines.push(line);
            if (lines.length > 300) lines.shift();
            if (process.env.PSTN_LOG === '1') console.error(`[${name}] ${line}`);
        }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    return { name, child, lines };
}

async function untilLine(proc, pattern, what) {
    return waitFor(
        () => {
            if (proc.child.exitCode !== null)
                throw new Error(`${proc.name} exited (${proc.child.exitCode}):\n${proc.lines.join('\n')}`);
            return proc.lines.find((line) => pattern.test(line)) ?? null;
        },
        { what, timeoutMs: 20000, intervalMs: 100 }
    );
}

/** baresip's ctrl_tcp: netstring-framed JSON commands, responses and events. */
class BaresipControl {
    constructor(socket) {
        this.socket = socket;
        this.buffer = Buffer.alloc(0);
        this.events = [];
        this.pending = new Map();
        this.token = 0;
        socket.on('data', (chunk) => this.onData(chunk));
    }

    static async connect(port) {
        const socket = await waitFor(
            () =>
                new Promise((resolve) => {
                    const s = net.connect(port, '127.0.0.1');
                    s.once('connect', () => resolve(s));
                    s.once('error', () => resolve(null));
                }),
            { what: `baresip ctrl_tcp on ${port}`, timeoutMs: 15000, intervalMs: 100 }
        );
        return new BaresipControl(socket);
    }

    onData(chunk) {
        this.buffer = Buffer.concat([this.buffer, chunk]);
        for (;;) {
            const colon = this.buffer.indexOf(0x3a);
            if (colon < 0) return;
            const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
            if (this.buffer.length < colon + 1 + length + 1) return;
            const message = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8'));
            this.buffer = this.buffer.subarray(colon + 1 + length + 1);
            if (message.event) this.events.push(message);
            else if (message.response && this.pending.has(message.token)) {
                this.pending.get(message.token)(message);
                this.pending.delete(message.token);
            }
        }
    }

    /** Runs a baresip command (`dial`, `accept`, `hangup`, `hold`, `resume`, `sndcode`, ...). */
    command(command, params = '') {
        const token = String(++this.token);
        const body = Buffer.from(JSON.stringify({ command, params, token }), 'utf8');
        const reply = new Promise((resolve) => this.pending.set(token, resolve));
        this.socket.write(Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]));
        return reply;
    }

    /** Waits for an event of `type` (CALL_INCOMING, CALL_ESTABLISHED, CALL_DTMF_START, ...) after `from`. */
    waitForEvent(type, { from = 0, match = () => true, timeoutMs = 20000 } = {}) {
        return waitFor(
            () => this.events.slice(from).find((event) => event.type === type && match(event)) ?? null,
            { what: `baresip event ${type}`, timeoutMs, intervalMs: 100 }
        );
    }

    close() {
        this.socket.destroy();
    }
}

/** rtpengine's DTMF log (dtmf-log-dest): one JSON datagram per RFC 2833 event it saw in the RTP. */
async function dtmfListener() {
    const socket = dgram.createSocket('udp4');
    const events = [];
    socket.on('message', (message) => {
        try {
            events.push(JSON.parse(message.toString('utf8')));
        } catch {
            // not JSON: ignored
        }
    });
    await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return { socket, events, port: socket.address().port };
}

/** Serves POST /v1/agents/{id}/webrtc-session (CORS for the agent page) pointing phones at the bridge. */
async function credentialsServer(wsUrl) {
    const server = http.createServer((request, response) => {
        const headers = {
            'Access-Control-Allow-Origin': '*',
            'Access-Control-Allow-Headers': 'Content-Type, X-Api-Key, X-Tenant-Id',
            'Access-Control-Allow-Methods': 'POST, OPTIONS'
        };
        const match = /^\/v1\/agents\/([^/]+)\/webrtc-session$/.exec(request.url ?? '');
        if (request.method === 'OPTIONS') return response.writeHead(204, headers).end();
        if (!match || request.method !== 'POST') return response.writeHead(404, headers).end();
        const agentId = decodeURIComponent(match[1]);
        response.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end(
            JSON.stringify({
                wssUrl: wsUrl,
                sipUri: `sip:${agentId}@127.0.0.1`,
                authorizationUsername: agentId,
                authorizationPassword: 'not-checked-by-the-bridge',
                displayName: agentId,
                expiresAt: new Date(Date.now() + 3600000).toISOString(),
                iceServers: []
            })
        );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** rtpengine + Kamailio (bridge config) + baresip registered as `callerNumber`. */
export class PstnBridge {
    /** @param {{ callerNumber?: string }} [options] */
    static async start(options = {}) {
        const problems = pstnPrerequisites();
        if (problems.length > 0)
            throw new Error(`PSTN e2e prerequisites missing:\n  ${problems.join('\n  ')}`);
        const bridge = new PstnBridge();
        bridge.callerNumber = options.callerNumber ?? '+48600700900';
        try {
            await bridge.boot();
        } catch (error) {
            await bridge.close();
            throw error;
        }
        return bridge;
    }

    constructor() {
        this.processes = [];
    }

    async boot() {
        this.runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ccphone-pstn-'));
        const [sipPort, wsPort, ngPort, baresipPort, ctrlPort] = [
            await freePort(),
            await freePort(),
            await freePort(),
            await freePort(),
            await freePort()
        ];
        this.sipPort = sipPort;
        this.wsUrl = `ws://127.0.0.1:${wsPort}`;
        this.dtmf = await dtmfListener();
        const media = randomRange(200);
        const callerMedia = randomRange(100);

        await fs.writeFile(
            path.join(this.runDir, 'rtpengine.conf'),
            [
                '[rtpengine]',
                'table = -1', // userspace forwarding, no kernel module
                'interface = 127.0.0.1',
                `listen-ng = 127.0.0.1:${ngPort}`,
                `port-min = ${media.min}`,
                `port-max = ${media.max}`,
                'foreground = true',
                'log-stderr = true',
                'log-level = 6',
                'delete-delay = 0',
                'timeout = 60',
                `dtmf-log-dest = 127.0.0.1:${this.dtmf.port}`,
                `pidfile = ${path.join(this.runDir, 'rtpengine.pid')}`,
                ''
            ].join('\n')
        );
        const rtpengine = startProcess('rtpengine', BINARIES.rtpengine, [
            '--config-file',
            path.join(this.runDir, 'rtpengine.conf'),
            '--config-section',
            'rtpengine'
        ]);
        this.processes.push(rtpengine);
        // Kamailio pings rtpengine once at start and disables it for a minute when it does not answer
        await untilLine(rtpengine, /Startup complete/, 'rtpengine started');

        const template = await fs.readFile(PSTN_TEMPLATE, 'utf8');
        const values = {
            UDP_PORT: sipPort,
            WS_PORT: wsPort,
            RTPENGINE_NG: ngPort,
            MODULE_PATH: MODULE_DIRS.find((dir) => existsSync(path.join(dir, 'tm.so'))),
            DEBUG: process.env.PSTN_LOG === '1' ? 2 : 1
        };
        const config = template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name) => String(values[name] ?? whole));
        await fs.writeFile(path.join(this.runDir, 'kamailio.cfg'), config);
        const kamailio = startProcess('kamailio', BINARIES.kamailio, [
            '-f',
            path.join(this.runDir, 'kamailio.cfg'),
            '-DD', // no daemon, but its worker processes (one process group)
            '-E', // log to stderr
            '-Y',
            this.runDir
        ]);
        this.processes.push(kamailio);
        await waitFor(
            () =>
                new Promise((resolve) => {
                    const probe = net.connect(wsPort, '127.0.0.1');
                    probe.once('connect', () => {
                        probe.destroy();
                        resolve(true);
                    });
                    probe.once('error', () => resolve(kamailio.child.exitCode === null ? null : false));
                }).then((up) => {
                    if (up === false) throw new Error(`kamailio exited:\n${kamailio.lines.join('\n')}`);
                    return up;
                }),
            { what: 'kamailio listening', timeoutMs: 20000, intervalMs: 100 }
        );

        const home = path.join(this.runDir, 'baresip');
        await fs.mkdir(path.join(home, 'dumps'), { recursive: true });
        // Debian's baresip 1.0: full codec names, a 48 kHz stereo tone source, the loopback interface
        await fs.writeFile(
            path.join(home, 'config'),
            [
                'poll_method epoll',
                `sip_listen 127.0.0.1:${baresipPort}`,
                'call_local_timeout 120',
                'audio_player aubridge,spk',
                'audio_source ausine,440',
                'audio_alert aubridge,alert',
                'ausrc_srate 48000',
                'auplay_srate 48000',
                'ausrc_channels 2',
                'net_interface 127.0.0.1',
                `rtp_ports ${callerMedia.min}-${callerMedia.max}`,
                'rtp_stats yes',
                'rtcp_mux no',
                'jitter_buffer_delay 5-10',
                `module_path ${BARESIP_MODULES}`,
                'module g711.so',
                'module ausine.so',
                'module aubridge.so',
                'module_app account.so',
                'module_app menu.so',
                'module_app ctrl_tcp.so',
                `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
                ''
            ].join('\n')
        );
        await fs.writeFile(
            path.join(home, 'accounts'),
            `<sip:${this.callerNumber}@127.0.0.1>;outbound="sip:127.0.0.1:${sipPort}";regint=600;` +
                'audio_codecs=PCMU/8000/1,PCMA/8000/1;answermode=manual\n'
        );
        const baresip = startProcess('baresip', BINARIES.baresip, ['-f', home], { cwd: home });
        this.processes.push(baresip);
        this.baresipProcess = baresip;
        await untilLine(baresip, /200 OK .*binding/, 'baresip registered with the bridge');
        this.caller = await BaresipControl.connect(ctrlPort);
        this.credentials = await credentialsServer(this.wsUrl);
    }

    /** The agent page's options for {@link Environment.newAgent}-like use (apiUrl = the credentials server). */
    agentOptions(agentId) {
        return { agentId, apiUrl: this.credentials.url, apiKey: 'pstn', tenantId: 'pstn' };
    }

    /** rtpengine's DTMF events so far, as digits in order (with the SIP tag of the sending side). */
    dtmfDigits() {
        return this.dtmf.events.map((event) => ({ digit: dtmfDigit(event.event), tag: event.source_tag }));
    }

    /** Freezes rtpengine (SIGSTOP): media and its control socket stop, as a gateway that hangs mid-call. */
    freezeMedia() {
        process.kill(this.processes.find((proc) => proc.name === 'rtpengine').child.pid, 'SIGSTOP');
    }

    /** Lets a frozen rtpengine run again. */
    thawMedia() {
        process.kill(this.processes.find((proc) => proc.name === 'rtpengine').child.pid, 'SIGCONT');
    }

    /** baresip's and Kamailio's last output lines (diagnostics). */
    diagnostics() {
        return this.processes
            .map((proc) => `--- ${proc.name} ---\n${proc.lines.slice(-60).join('\n')}`)
            .join('\n');
    }

    async close() {
        this.caller?.close();
        if (this.processes.some((proc) => proc.name === 'rtpengine')) {
            try {
                this.thawMedia(); // a frozen process ignores SIGTERM until it runs again
            } catch {
                // gone
            }
        }
        for (const proc of [...this.processes].reverse())
            await stopProcess(proc.child).catch(() => undefined);
        this.processes = [];
        if (this.credentials) await new Promise((resolve) => this.credentials.server.close(resolve));
        this.dtmf?.socket.close();
        if (this.runDir) await fs.rm(this.runDir, { recursive: true, force: true });
    }
}

/** RFC 4733 event code -> key. */
function dtmfDigit(code) {
    return '0123456789*#ABCD'[Number(code)] ?? `?${code}`;
}
