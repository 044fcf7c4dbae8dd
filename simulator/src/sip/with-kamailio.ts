/**
 * The simulator with real SIP: Kamailio as registrar/proxy on 127.0.0.1 and the ACD offering calls
 * through {@link KamailioSignalling}. WebRTC sessions from the API point phones at Kamailio's
 * WebSocket with credentials it accepts (same shared secret).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startSimulator, type Simulator, type SimulatorOptions } from '../server';
import { defaultConfig } from '../config';
import { storeDirectory } from './directory';
import { KamailioSignalling, type KamailioSignallingOptions } from './kamailio-signalling';

/** Options of {@link startSimulatorWithKamailio}. */
export interface KamailioSimulatorOptions {
    simulator?: SimulatorOptions;
    kamailio?: Omit<KamailioSignallingOptions, 'secret' | 'domain'>;
    /**
     * Open a control endpoint (loopback, random port, secret path) to kill/start Kamailio
     * (`POST <controlUrl>/kill|start|stop`, `start?registerDelayMs=N`, `GET <controlUrl>`,
     * `GET <controlUrl>/contacts/<user>`): e2e fault tests.
     */
    control?: boolean;
}

/** A running simulator with its Kamailio. */
export interface KamailioSimulator {
    simulator: Simulator;
    signalling: KamailioSignalling;
    /** Kamailio's WebSocket URL. */
    wsUrl: string;
    /** Base URL of the Kamailio control endpoint, when asked for. */
    controlUrl: string | null;
    close(): Promise<void>;
}

/**
 * Starts Kamailio, then the simulator using it.
 * @throws KamailioMissingError with the install command when Kamailio is missing
 */
export async function startSimulatorWithKamailio(
    options: KamailioSimulatorOptions = {}
): Promise<KamailioSimulator> {
    const base = defaultConfig();
    const sipConfig = { ...base.sip, ...(options.simulator?.config?.sip ?? {}) };
    const signalling = await KamailioSignalling.start({
        ...options.kamailio,
        secret: sipConfig.secret,
        domain: sipConfig.domain
    });
    let simulator: Simulator;
    try {
        simulator = await startSimulator({
            ...options.simulator,
            config: { ...options.simulator?.config, sip: { ...sipConfig, wssUrl: signalling.wsUrl } },
            signalling
        });
    } catch (error) {
        await signalling.close();
        throw error;
    }
    signalling.setDirectory(storeDirectory(simulator.store));

    let control: http.Server | null = null;
    let controlUrl: string | null = null;
    if (options.control) {
        const token = randomBytes(12).toString('hex');
        control = http.createServer((request, response) => {
            const url = new URL(request.url ?? '/', 'http://127.0.0.1');
            const [first, action, argument] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
            const send = (status: number, body: unknown) => {
                response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
            };
            if (first !== token) return send(404, { error: 'not found' });
            const kamailio = signalling.kamailio!;
            const state = () => ({
                running: kamailio.running,
                pid: kamailio.pid ?? null,
                wsUrl: kamailio.wsUrl
            });
            const run = async (): Promise<void> => {
                if (request.method === 'GET' && !action)
                    return send(200, { ...state(), calls: signalling.snapshot() });
                if (request.method === 'GET' && action === 'contacts' && argument) {
                    return send(200, { user: argument, contacts: await signalling.contacts(argument) });
                }
                if (request.method !== 'POST') return send(405, { error: 'use POST' });
                if (action === 'kill') await kamailio.kill();
                else if (action === 'stop') await kamailio.stop();
                else if (action === 'start') {
                    await kamailio.startProcess({
                        registerDelayMs: Number(url.searchParams.get('registerDelayMs') ?? 0) || 0
                    });
                } else return send(404, { error: `no action ${action ?? ''}` });
                send(200, state());
            };
            run().catch((error: unknown) => send(500, { error: (error as Error).message }));
        });
        await new Promise<void>((resolve) => control!.listen(0, '127.0.0.1', () => resolve()));
        controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}/${token}`;
    }

    let closed: Promise<void> | undefined;
    const close = (): Promise<void> => {
        closed ??= (async () => {
            if (control) {
                control.closeAllConnections();
                await new Promise<void>((resolve) => control!.close(() => resolve()));
            }
            await simulator.close(); // closes the signalling (and Kamailio) too
        })();
        return closed;
    };
    return { simulator, signalling, wsUrl: signalling.wsUrl, controlUrl, close };
}
