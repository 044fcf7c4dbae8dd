/**
 * Runs Kamailio as the simulator's SIP edge: checks the installation, writes a config from
 * `simulator/kamailio/kamailio.cfg.tpl` into a fresh run directory, starts `kamailio -DD -E` as a
 * child process in its own process group (so a kill takes its workers too) and stops it on close or
 * when the simulator's process exits. Everything listens on 127.0.0.1 only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The Debian packages the edge needs (Debian 12 names). */
export const KAMAILIO_PACKAGES = [
    'kamailio',
    'kamailio-websocket-modules',
    'kamailio-autheph-modules',
    'kamailio-utils-modules'
] as const;

/** The exact command that installs them. */
export const KAMAILIO_INSTALL_HINT = `sudo apt-get update && sudo apt-get install -y ${KAMAILIO_PACKAGES.join(' ')}`;

/** Modules the config loads, with the package that ships each one that is not in `kamailio` itself. */
const REQUIRED_MODULES: Record<string, string> = {
    'websocket.so': 'kamailio-websocket-modules',
    'auth_ephemeral.so': 'kamailio-autheph-modules',
    'http_client.so': 'kamailio-utils-modules',
    'jsonrpcs.so': 'kamailio',
    'xhttp.so': 'kamailio',
    'tm.so': 'kamailio',
    'registrar.so': 'kamailio',
    'auth.so': 'kamailio'
};

/** Kamailio or one of its modules is missing. */
export class KamailioMissingError extends Error {
    constructor(detail: string) {
        super(`${detail}\nInstall it with:\n  ${KAMAILIO_INSTALL_HINT}`);
        this.name = 'KamailioMissingError';
    }
}

/** Where the binary and the modules are. */
export interface KamailioInstallation {
    binary: string;
    modulePath: string;
    version: string;
}

const BINARY_CANDIDATES = ['/usr/sbin/kamailio', '/usr/local/sbin/kamailio', '/usr/bin/kamailio'];

function modulePathCandidates(): string[] {
    const candidates: string[] = [];
    for (const base of ['/usr/lib', '/usr/local/lib']) {
        let entries: string[] = [];
        try {
            entries = fs.readdirSync(base);
        } catch {
            continue;
        }
        for (const entry of entries) {
            if (entry.endsWith('-linux-gnu') || entry.endsWith('-linux-gnueabihf')) {
                candidates.push(path.join(base, entry, 'kamailio/modules'));
            }
        }
        candidates.push(path.join(base, 'kamailio/modules'));
    }
    candidates.push('/usr/lib64/kamailio/modules', '/usr/local/lib64/kamailio/modules');
    return candidates;
}

/**
 * Finds Kamailio and every module the config needs.
 * @throws KamailioMissingError saying what is missing and how to install it
 */
export function findKamailio(): KamailioInstallation {
    const fromPath = (process.env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, 'kamailio'));
    const binary = [...fromPath, ...BINARY_CANDIDATES].find((file) => {
        try {
            fs.accessSync(file, fs.constants.X_OK);
            return true;
        } catch {
            return false;
        }
    });
    if (!binary)
        throw new KamailioMissingError(
            'Kamailio is not installed (no `kamailio` binary on PATH or in /usr/sbin).'
        );
    const modulePath = modulePathCandidates().find((dir) => fs.existsSync(path.join(dir, 'tm.so')));
    if (!modulePath)
        throw new KamailioMissingError(`Kamailio's module directory was not found (looked for tm.so).`);
    const missing = Object.entries(REQUIRED_MODULES).filter(
        ([file]) => !fs.existsSync(path.join(modulePath, file))
    );
    if (missing.length > 0) {
        const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(', ');
        throw new KamailioMissingError(
            `Kamailio modules missing in ${modulePath}: ${missing.map(([file]) => file).join(', ')} (packages: ${packages}).`
        );
    }
    const probe = spawnSync(binary, ['-v'], { encoding: 'utf8' });
    const version = /version:\s*(\S+\s+\S+)/.exec(probe.stdout ?? '')?.[1] ?? 'unknown';
    return { binary, modulePath, version };
}

/** Asks the OS for a free TCP port on 127.0.0.1 (also free for UDP when `udp` is set). */
export async function freePort(udp = false): Promise<number> {
    for (let attempt = 0; attempt < 20; attempt++) {
        const port = await new Promise<number>((resolve, reject) => {
            const server = net.createServer();
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => {
                const { port: picked } = server.address() as net.AddressInfo;
                server.close(() => resolve(picked));
            });
        });
        if (!udp) return port;
        const udpFree = await new Promise<boolean>((resolve) => {
            const socket = dgram.createSocket('udp4');
            socket.once('error', () => resolve(false));
            socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
        });
        if (udpFree) return port;
    }
    throw new Error('No free port pair found on 127.0.0.1');
}

/** Values of the config template. */
export interface KamailioConfigValues {
    modulePath: string;
    wsPort: number;
    udpPort: number;
    simSipPort: number;
    eventUrl: string;
    rpcPath: string;
    secret: string;
    domain: string;
    debug: number;
    tcpChildren: number;
    /** Kamailio's own INVITE timeout (a safety net: the ACD owns ring timeouts). */
    frInvMs: number;
    /** How long an INVITE may stay parked at the simulator (queue wait). */
    parkMs: number;
    logPrefix: string;
    /** Fault tests: hold every REGISTER this long before answering (0: off). */
    registerDelayMs: number;
}

/** Default location of the template. */
export const TEMPLATE_FILE = path.resolve(__dirname, '../../kamailio/kamailio.cfg.tpl');

/**
 * Fills the template; throws when a placeholder is left or a value could break the config syntax.
 */
export function renderKamailioConfig(template: string, values: KamailioConfigValues): string {
    const map: Record<string, string> = {
        MODULE_PATH: values.modulePath,
        WS_PORT: String(values.wsPort),
        UDP_PORT: String(values.udpPort),
        SIM_SIP_PORT: String(values.simSipPort),
        EVENT_URL: values.eventUrl,
        RPC_PATH: values.rpcPath,
        SECRET: values.secret,
        DOMAIN: values.domain,
        DEBUG: String(values.debug),
        TCP_CHILDREN: String(values.tcpChildren),
        FR_INV_MS: String(values.frInvMs),
        PARK_MS: String(values.parkMs),
        LOG_PREFIX: values.logPrefix,
        REGISTER_DELAY_MS: String(Math.max(0, Math.round(values.registerDelayMs))),
        REGISTER_DELAY_US: String(Math.max(0, Math.round(values.registerDelayMs)) * 1000)
    };
    for (const [name, value] of Object.entries(map)) {
        // Values land inside double-quoted config strings: no quotes, backslashes, `$` or newlines.
        if (/["\\$\r\n]/.test(value))
            throw new Error(`Kamailio config value ${name} contains a forbidden character`);
    }
    const rendered = template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => {
        const value = map[name];
        if (value === undefined) throw new Error(`Unknown placeholder ${whole} in the Kamailio template`);
        return value;
    });
    return rendered;
}

/** Options of {@link KamailioProcess}. */
export interface KamailioProcessOptions {
    /** Shared secret of the ephemeral credentials (the simulator's `sip.secret`). */
    secret: string;
    /** SIP domain of agents' URIs (default 127.0.0.1). */
    domain?: string;
    /** WebSocket port (0 or absent: a free one). */
    wsPort?: number;
    /** Kamailio's UDP port towards the simulator (0 or absent: a free one). */
    udpPort?: number;
    simSipPort: number;
    eventUrl: string;
    rpcPath: string;
    /** Kamailio debug level (default 1; 3 shows every message). */
    debug?: number;
    frInvMs?: number;
    parkMs?: number;
    /** Where Kamailio's stderr goes (default: dropped unless KAMAILIO_LOG=1, then stderr). */
    log?: (line: string) => void;
    template?: string;
    installation?: KamailioInstallation;
}

/** A Kamailio child process that can be stopped, killed and started again on the same ports. */
export class KamailioProcess {
    readonly installation: KamailioInstallation;
    readonly runDir: string;
    readonly configFile: string;
    readonly wsPort: number;
    readonly udpPort: number;
    private child: ChildProcess | undefined;
    private exited: Promise<void> = Promise.resolve();
    private readonly log: (line: string) => void;
    private readonly exitHook = (): void => this.killNow();
    private recentOutput: string[] = [];
    private readonly template: string;
    private readonly values: KamailioConfigValues;

    private constructor(
        options: KamailioProcessOptions,
        installation: KamailioInstallation,
        wsPort: number,
        udpPort: number
    ) {
        this.installation = installation;
        this.wsPort = wsPort;
        this.udpPort = udpPort;
        this.runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccphone-kamailio-'));
        this.configFile = path.join(this.runDir, 'kamailio.cfg');
        this.template = options.template ?? fs.readFileSync(TEMPLATE_FILE, 'utf8');
        this.values = {
            modulePath: installation.modulePath,
            wsPort,
            udpPort,
            simSipPort: options.simSipPort,
            eventUrl: options.eventUrl,
            rpcPath: options.rpcPath,
            secret: options.secret,
            domain: options.domain ?? '127.0.0.1',
            debug: options.debug ?? 1,
            tcpChildren: 4,
            frInvMs: options.frInvMs ?? 180_000,
            parkMs: options.parkMs ?? 3_600_000,
            logPrefix: `[kamailio ${randomBytes(2).toString('hex')}]`,
            registerDelayMs: 0
        };
        this.writeConfig(0);
        const verbose = process.env.KAMAILIO_LOG === '1';
        this.log = options.log ?? ((line) => (verbose ? process.stderr.write(`${line}\n`) : undefined));
    }

    /** Finds Kamailio, picks ports, writes the config, checks it with `kamailio -c` and starts it. */
    static async start(options: KamailioProcessOptions): Promise<KamailioProcess> {
        const installation = options.installation ?? findKamailio();
        const wsPort = options.wsPort || (await freePort());
        const udpPort = options.udpPort || (await freePort(true));
        const kamailio = new KamailioProcess(options, installation, wsPort, udpPort);
        const check = spawnSync(installation.binary, ['-c', '-f', kamailio.configFile], { encoding: 'utf8' });
        if (check.status !== 0) {
            const output = `${check.stdout ?? ''}${check.stderr ?? ''}`
                .trim()
                .split('\n')
                .slice(-15)
                .join('\n');
            kamailio.removeRunDir();
            throw new Error(`Kamailio rejected the generated config ${kamailio.configFile}:\n${output}`);
        }
        await kamailio.startProcess();
        return kamailio;
    }

    /** `ws://127.0.0.1:<port>` for SIP over WebSocket. */
    get wsUrl(): string {
        return `ws://127.0.0.1:${this.wsPort}`;
    }

    /** True while the main Kamailio process runs. */
    get running(): boolean {
        return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
    }

    /** Process id of the main Kamailio process (undefined when stopped). */
    get pid(): number | undefined {
        return this.running ? this.child?.pid : undefined;
    }

    /** The last lines Kamailio wrote (for error messages). */
    get output(): string {
        return this.recentOutput.join('\n');
    }

    /**
     * Starts Kamailio again (after {@link kill} or {@link stop}) on the same ports and config;
     * `registerDelayMs` (fault tests) makes it hold every REGISTER that long.
     */
    async startProcess(options: { registerDelayMs?: number } = {}): Promise<void> {
        if (this.running) return;
        this.writeConfig(options.registerDelayMs ?? 0);
        const args = [
            '-f',
            this.configFile,
            '-DD',
            '-E',
            '-Y',
            this.runDir,
            '-m',
            '64',
            '-M',
            '8',
            '-P',
            path.join(this.runDir, 'kamailio.pid')
        ];
        const child = spawn(this.installation.binary, args, {
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe']
        });
        this.child = child;
        const onData = (chunk: Buffer) => {
            for (const line of chunk.toString('utf8').split('\n')) {
                if (!line.trim()) continue;
                this.recentOutput.push(line);
                if (this.recentOutput.length > 200) this.recentOutput.shift();
                this.log(line);
            }
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
        process.once('exit', this.exitHook);
        await this.waitUntilListening(child);
    }

    /** Kills Kamailio and all its workers at once (SIGKILL to the process group): a crash. */
    async kill(): Promise<void> {
        this.killNow();
        await this.exited;
    }

    /** Stops Kamailio gracefully (SIGTERM; SIGKILL after 3 s). */
    async stop(): Promise<void> {
        const child = this.child;
        if (!child || !this.running) return;
        this.signalGroup('SIGTERM');
        const timer = setTimeout(() => this.signalGroup('SIGKILL'), 3000);
        await this.exited;
        clearTimeout(timer);
        // Workers left over from a main process that died first.
        this.signalGroup('SIGKILL');
    }

    /** Stops Kamailio and removes the run directory. */
    async close(): Promise<void> {
        await this.stop();
        process.removeListener('exit', this.exitHook);
        this.removeRunDir();
    }

    private writeConfig(registerDelayMs: number): void {
        const config = renderKamailioConfig(this.template, { ...this.values, registerDelayMs });
        fs.writeFileSync(this.configFile, config, { mode: 0o600 });
    }

    private killNow(): void {
        if (this.child?.pid === undefined) return;
        this.signalGroup('SIGKILL');
    }

    private signalGroup(signal: NodeJS.Signals): void {
        const pid = this.child?.pid;
        if (pid === undefined) return;
        try {
            process.kill(-pid, signal);
        } catch {
            // Already gone.
        }
    }

    private removeRunDir(): void {
        fs.rmSync(this.runDir, { recursive: true, force: true });
    }

    private async waitUntilListening(child: ChildProcess): Promise<void> {
        const deadline = Date.now() + 15_000;
        while (Date.now() < deadline) {
            if (child.exitCode !== null || child.signalCode !== null) {
                throw new Error(
                    `Kamailio exited during start-up (code ${child.exitCode ?? child.signalCode}):\n${this.output}`
                );
            }
            const open = await new Promise<boolean>((resolve) => {
                const socket = net.connect(this.wsPort, '127.0.0.1');
                socket.once('connect', () => {
                    socket.destroy();
                    resolve(true);
                });
                socket.once('error', () => resolve(false));
            });
            if (open) return;
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        this.killNow();
        throw new Error(`Kamailio did not listen on 127.0.0.1:${this.wsPort} within 15 s:\n${this.output}`);
    }
}
