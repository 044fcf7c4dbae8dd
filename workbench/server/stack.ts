/**
 * Everything the workbench runs, started and stopped together: the contact-centre simulator with Kamailio
 * (a child process: `simulator/src/sip/main.ts`, unless one is already running), the local org and the web
 * server. Used by `npm start` (workbench/start.mjs) and by the UI e2e tests (which bring their own simulator).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { LocalOrg } from '../org/local-org';
import { startWorkbenchServer } from './server';

/** The sample tenant's credentials (simulator/README.md): what the External Credential holds in an org. */
export const SAMPLE_TENANT = {
    tenantId: 'acme-test',
    apiKey: 'sim_test_4f3c2a1b9d8e7f60a1b2c3d4',
    adminLogin: 'admin@acme.example'
};
/** The simulator's default shared SIP secret (SIM_SIP_SECRET). */
export const DEFAULT_SIP_SECRET = 'ccphone-local-sip-secret';

/** A running simulator (what its SIMULATOR_READY line says). */
export interface SimulatorEndpoints {
    url: string;
    wsUrl: string;
    sipDomain: string;
    controlUrl?: string | null;
}

export interface WorkbenchStackOptions {
    root: string;
    /** Web server port (0: any free one). */
    port: number;
    /** A simulator already running; otherwise one is started with Kamailio. */
    simulator?: SimulatorEndpoints;
    /** Options for a simulator started here. */
    simulatorPort?: number;
    simulatorDataDir?: string | null;
    /** Where the local org keeps its database; null: in memory. */
    orgDataDir: string | null;
    /** The workbench user (a sample user's e-mail). */
    userEmail?: string;
    /** The org's default country (Phone_Settings__c.Default_Country__c). */
    country?: string;
    /** The org's default language and the user's (en_US, nl_NL, pl, cs, ru). */
    language?: string;
    sipSecret?: string;
    bundleDir: string;
    log?: (line: string) => void;
}

export interface WorkbenchStack {
    url: string;
    simulator: SimulatorEndpoints;
    org: LocalOrg;
    close(): Promise<void>;
}

/** Raised when the simulator cannot start because Kamailio is missing (its exit code 3). */
export class KamailioNotInstalled extends Error {}

/** Starts `simulator/src/sip/main.ts` and waits for its SIMULATOR_READY line. */
export async function startSimulatorProcess(options: {
    root: string;
    port: number;
    dataDir: string | null;
    sipSecret: string;
    log?: (line: string) => void;
}): Promise<{ child: ChildProcess; endpoints: SimulatorEndpoints }> {
    const args = [
        '--import',
        'tsx',
        path.join(options.root, 'simulator/src/sip/main.ts'),
        '--port',
        String(options.port)
    ];
    args.push(...(options.dataDir ? ['--data-dir', options.dataDir] : ['--in-memory']));
    const child = spawn(process.execPath, args, {
        cwd: options.root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SIM_SIP_SECRET: options.sipSecret }
    });
    const output: string[] = [];
    const endpoints = await new Promise<SimulatorEndpoints>((resolve, reject) => {
        const timer = setTimeout(
            () => reject(new Error(`the simulator did not start within 60 s:\n${output.join('')}`)),
            60_000
        );
        let buffered = '';
        child.stdout!.on('data', (chunk: Buffer) => {
            const text = chunk.toString('utf8');
            output.push(text);
            buffered += text;
            const line = buffered.split('\n').find((candidate) => candidate.startsWith('SIMULATOR_READY '));
            if (line) {
                clearTimeout(timer);
                resolve(JSON.parse(line.slice('SIMULATOR_READY '.length)) as SimulatorEndpoints);
                buffered = '';
            }
            for (const printed of text.split('\n'))
                if (printed && !printed.startsWith('SIMULATOR_READY '))
                    options.log?.(`simulator: ${printed}`);
        });
        child.stderr!.on('data', (chunk: Buffer) => {
            const text = chunk.toString('utf8');
            output.push(text);
            for (const printed of text.split('\n')) if (printed) options.log?.(`simulator: ${printed}`);
        });
        child.once('exit', (code) => {
            clearTimeout(timer);
            const text = output.join('');
            reject(
                code === 3
                    ? new KamailioNotInstalled(text.trim())
                    : new Error(`the simulator exited with ${code}:\n${text}`)
            );
        });
    });
    return { child, endpoints };
}

async function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
    await exited;
    clearTimeout(timer);
}

/** Starts the workbench: simulator (unless given), local org, web server. */
export async function startWorkbenchStack(options: WorkbenchStackOptions): Promise<WorkbenchStack> {
    const log = options.log ?? (() => undefined);
    const sipSecret = options.sipSecret ?? process.env.SIM_SIP_SECRET ?? DEFAULT_SIP_SECRET;
    let child: ChildProcess | null = null;
    let simulator = options.simulator;
    if (!simulator) {
        const started = await startSimulatorProcess({
            root: options.root,
            port: options.simulatorPort ?? 0,
            dataDir: options.simulatorDataDir ?? null,
            sipSecret,
            log
        });
        child = started.child;
        simulator = started.endpoints;
    }
    let org: LocalOrg | null = null;
    try {
        org = await LocalOrg.open({
            root: options.root,
            dataDir: options.orgDataDir,
            contactCentre: { baseUrl: simulator.url, ...SAMPLE_TENANT },
            userEmail: options.userEmail,
            settings: options.country ? { Default_Country__c: options.country.toUpperCase() } : undefined,
            language: options.language,
            log
        });
        const server = await startWorkbenchServer({
            root: options.root,
            org,
            port: options.port,
            simulator: { url: simulator.url },
            bundleDir: options.bundleDir,
            log
        });
        const openedOrg = org;
        let closed = false;
        return {
            url: server.url,
            simulator,
            org: openedOrg,
            async close() {
                if (closed) return;
                closed = true;
                await server.close();
                openedOrg.close();
                if (child) await stopChild(child);
            }
        };
    } catch (error) {
        org?.close();
        if (child) await stopChild(child);
        throw error;
    }
}
