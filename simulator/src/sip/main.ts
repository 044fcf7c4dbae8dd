/**
 * The simulator with Kamailio: `npx tsx simulator/src/sip/main.ts [simulator options] [--kamailio-ws-port N]
 * [--kamailio-debug N] [--kamailio-control]`. Every option of `simulator/src/main.ts` works here too.
 * Prints one line `SIMULATOR_READY {json}` (urls, ports) for scripts, then a human summary; stops
 * Kamailio and the simulator on SIGINT/SIGTERM.
 */
import { HelpRequested, readConfig, USAGE } from '../config';
import { SEED } from '../store/seed';
import { KamailioMissingError } from './kamailio';
import { startSimulatorWithKamailio } from './with-kamailio';

const OWN_USAGE = `
Kamailio (SIP over WebSocket on 127.0.0.1; needs: apt-get install kamailio kamailio-websocket-modules
kamailio-autheph-modules kamailio-utils-modules):
  --kamailio-ws-port N   WebSocket port (default: a free one)                   SIM_KAMAILIO_WS_PORT
  --kamailio-debug N     Kamailio log level 0..3 (KAMAILIO_LOG=1 prints its log) SIM_KAMAILIO_DEBUG
  --kamailio-control     control endpoint to kill/start Kamailio (e2e tests)
`;

function splitArgs(argv: string[]): { own: Map<string, string | true>; rest: string[] } {
    const own = new Map<string, string | true>();
    const rest: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        const [name, inline] = arg.replace(/^--/, '').split('=', 2) as [string, string | undefined];
        if (arg.startsWith('--kamailio-')) {
            if (name === 'kamailio-control') own.set(name, true);
            else own.set(name, inline ?? argv[++i] ?? '');
        } else {
            rest.push(arg);
        }
    }
    return { own, rest };
}

async function main(): Promise<void> {
    const { own, rest } = splitArgs(process.argv.slice(2));
    let config;
    try {
        config = readConfig(rest, process.env);
    } catch (error) {
        if (error instanceof HelpRequested) {
            process.stdout.write(
                USAGE.replace('simulator/src/main.ts', 'simulator/src/sip/main.ts') + OWN_USAGE
            );
            return;
        }
        process.stderr.write(`${(error as Error).message}\n`);
        process.exitCode = 2;
        return;
    }
    const wsPort = Number(own.get('kamailio-ws-port') ?? process.env.SIM_KAMAILIO_WS_PORT ?? 0) || 0;
    const debug = Number(own.get('kamailio-debug') ?? process.env.SIM_KAMAILIO_DEBUG ?? 1);
    let running;
    try {
        running = await startSimulatorWithKamailio({
            simulator: { config },
            kamailio: { wsPort, kamailioDebug: Number.isFinite(debug) ? debug : 1 },
            control: own.has('kamailio-control')
        });
    } catch (error) {
        if (error instanceof KamailioMissingError) {
            process.stderr.write(`${error.message}\n`);
            process.exit(3);
        }
        throw error;
    }
    const { simulator, wsUrl, controlUrl, signalling } = running;
    const ready = {
        url: simulator.url,
        wsUrl,
        controlUrl,
        sipDomain: simulator.config.sip.domain,
        kamailioPid: signalling.kamailio?.pid ?? null,
        manualClock: simulator.config.manualClock,
        customerUrl: `${simulator.url}/customer`
    };
    process.stdout.write(`SIMULATOR_READY ${JSON.stringify(ready)}\n`);
    process.stdout.write(
        [
            `Contact-centre simulator on ${simulator.url} with Kamailio ${signalling.kamailio?.installation.version ?? '?'} on ${wsUrl}`,
            `  test tenant: X-Tenant-Id: ${SEED.test.tenantId}   X-Api-Key: ${SEED.test.apiKey}`,
            `  phones: POST /v1/agents/{agentId}/webrtc-session for credentials; callers dial sip:<campaign id>@${simulator.config.sip.domain}`,
            `  customer phone (call a campaign, answer agents' calls; answered calls are recorded): ${simulator.url}/customer`
        ].join('\n') + '\n'
    );

    let stopping = false;
    const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`${signal}: stopping the simulator and Kamailio...\n`);
        running.close().then(
            () => process.exit(0),
            (error: unknown) => {
                process.stderr.write(`Shutdown failed: ${String(error)}\n`);
                process.exit(1);
            }
        );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
});
