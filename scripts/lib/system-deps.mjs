#!/usr/bin/env node
// The one owner of the Debian packages the project's commands need, and of the check that installs them:
// `npm start` (the workbench: Kamailio), `npm test` (validate: Java for PMD and the Apex semantic checker;
// e2e: Chromium, Kamailio, rtpengine and baresip) and e2e/install-deps.sh (which delegates here).
//
// Only what is missing is installed, with one `apt-get update` first, when this process may: as root, or
// through a sudo that needs no password (`sudo -n true`). Otherwise it installs nothing and prints the one
// command that would. Every call to the system goes through `system` so the tests inject it.
//
// CLI: node scripts/lib/system-deps.mjs [--check] [--for validate,e2e,workbench]   (default: all of them)
//   --check  report what is missing, install nothing; exit 1 when something is missing
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What each package is for, and which uses need it (validate, e2e, workbench). */
export const SYSTEM_PACKAGES = [
    {
        name: 'openjdk-17-jre-headless',
        purpose: 'Java 17 for PMD and the Apex semantic checker (npm run validate)',
        uses: ['validate'],
        // any Java 17+ on PATH will do (a JDK installed some other way)
        satisfiedBy: (system) => javaMajorVersion(system) >= 17
    },
    {
        name: 'chromium',
        purpose: 'Debian Chromium, driven by playwright-core in the e2e tests',
        uses: ['e2e'],
        satisfiedBy: (system) => Boolean(system.env.CHROMIUM_PATH) && system.exists(system.env.CHROMIUM_PATH)
    },
    {
        name: 'kamailio',
        purpose: 'the SIP registrar/proxy the phone registers with',
        uses: ['workbench', 'e2e']
    },
    {
        name: 'kamailio-websocket-modules',
        purpose: 'websocket.so: SIP over WebSocket',
        uses: ['workbench', 'e2e']
    },
    {
        name: 'kamailio-autheph-modules',
        purpose: 'auth_ephemeral.so: short-lived SIP credentials from a shared secret',
        uses: ['workbench', 'e2e']
    },
    {
        name: 'kamailio-utils-modules',
        purpose: 'http_client.so: Kamailio reports answers, BYE and CANCEL to the simulator',
        uses: ['workbench', 'e2e']
    },
    {
        name: 'rtpengine-daemon',
        purpose: 'rtpengine (userspace): bridges plain RTP to WebRTC for the PSTN caller e2e (e2e/pstn-*)',
        uses: ['e2e']
    },
    {
        name: 'baresip-core',
        purpose: 'baresip: the plain SIP/RTP caller (the telephone-network side) in the PSTN caller e2e',
        uses: ['e2e']
    }
];

export const USES = ['validate', 'e2e', 'workbench'];

/** The real machine: child processes, the process's uid and environment, the file system. */
export const realSystem = {
    run(command, args, { inherit = false, env } = {}) {
        const result = spawnSync(command, args, {
            encoding: 'utf8',
            stdio: inherit ? 'inherit' : 'pipe',
            env: env ? { ...process.env, ...env } : process.env
        });
        return {
            status: result.status,
            stdout: result.stdout ?? '',
            stderr: result.stderr ?? '',
            error: result.error
        };
    },
    uid: () => (typeof process.getuid === 'function' ? process.getuid() : -1),
    env: process.env,
    exists: existsSync
};

/** The packages the given uses need, in list order, each once. */
export function packagesFor(uses) {
    const unknown = uses.filter((use) => !USES.includes(use));
    if (unknown.length > 0) throw new Error(`unknown use ${unknown.join(', ')} (known: ${USES.join(', ')})`);
    return SYSTEM_PACKAGES.filter((pkg) => pkg.uses.some((use) => uses.includes(use)));
}

/** The major version `java -version` reports (it prints to stderr), or 0 without a java. */
function javaMajorVersion(system) {
    const result = system.run('java', ['-version']);
    if (result.error || result.status !== 0) return 0;
    const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
    if (!match) return 0;
    // Java 8 and older say "1.8.0_..."
    return match[1] === '1' ? Number(match[2] ?? 0) : Number(match[1]);
}

/**
 * Which of `packages` are missing: `dpkg-query` says not installed and nothing else satisfies them.
 * Returns null on a machine without dpkg (not Debian): nothing can be checked or installed here.
 */
export function findMissing(packages, system = realSystem) {
    const missing = [];
    for (const pkg of packages) {
        const query = system.run('dpkg-query', ['-W', '-f=${Status}', pkg.name]);
        if (query.error?.code === 'ENOENT') return null;
        const installed = query.status === 0 && query.stdout.trim() === 'install ok installed';
        if (!installed && !pkg.satisfiedBy?.(system)) missing.push(pkg);
    }
    return missing;
}

/** How this process may run apt-get: as root, through passwordless sudo, or not at all (null). */
function privilegePrefix(system) {
    if (system.uid() === 0) return [];
    const sudo = system.run('sudo', ['-n', 'true']);
    return !sudo.error && sudo.status === 0 ? ['sudo', '-n'] : null;
}

/** The one command line a person runs to install `names`. */
export function installCommand(names, system = realSystem) {
    const hasSudo = !system.run('sudo', ['--version']).error;
    const apt = `apt-get update && ${hasSudo ? 'sudo ' : ''}apt-get install -y ${names.join(' ')}`;
    return hasSudo ? `sudo ${apt}` : `${apt}   (as root)`;
}

/**
 * Makes sure the packages that `uses` need are installed, installing the missing ones when allowed.
 * Resolves to { ok, installed: names, missing: names, command? } and says on `log` what it does.
 */
export function ensureSystemPackages({
    uses = USES,
    system = realSystem,
    log = console.log,
    checkOnly = false
} = {}) {
    const needed = packagesFor(uses);
    const missing = findMissing(needed, system);
    if (missing === null) {
        log(
            `system packages: not a Debian system (no dpkg-query), so nothing is checked or installed here. ` +
                `Needed: ${needed.map((pkg) => pkg.name).join(', ')} (or their equivalents).`
        );
        return { ok: true, installed: [], missing: [] };
    }
    if (missing.length === 0) return { ok: true, installed: [], missing: [] };

    const names = missing.map((pkg) => pkg.name);
    const command = installCommand(names, system);
    const listing = missing.map((pkg) => `  ${pkg.name}: ${pkg.purpose}`).join('\n');
    const prefix = checkOnly ? null : privilegePrefix(system);
    if (prefix === null) {
        log(`system packages missing:\n${listing}\nInstall them with:\n  ${command}`);
        return { ok: false, installed: [], missing: names, command };
    }

    log(`system packages: installing ${names.length} Debian package(s) with apt-get:\n${listing}`);
    const apt = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
    for (const args of [
        ['update', '-qq'],
        ['install', '-y', '-qq', ...names]
    ]) {
        const result = system.run(apt[0], [...apt.slice(1), ...args], { inherit: true });
        if (result.error || result.status !== 0) {
            log(
                `system packages: apt-get ${args[0]} failed (exit ${result.status ?? result.error?.code}). Run:\n  ${command}`
            );
            return { ok: false, installed: [], missing: names, command };
        }
    }
    const stillMissing = findMissing(missing, system) ?? missing;
    if (stillMissing.length > 0) {
        const left = stillMissing.map((pkg) => pkg.name);
        log(`system packages: still missing after apt-get: ${left.join(', ')}. Run:\n  ${command}`);
        return { ok: false, installed: names.filter((name) => !left.includes(name)), missing: left, command };
    }
    log(`system packages: installed ${names.join(', ')}`);
    return { ok: true, installed: names, missing: [] };
}

function parseCli(argv) {
    const options = { checkOnly: false, uses: USES };
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split('=', 2);
        if (flag === '--check') options.checkOnly = true;
        else if (flag === '--for') options.uses = (inline ?? argv[++i] ?? '').split(',').filter(Boolean);
        else throw new Error(`unknown option ${argv[i]}`);
    }
    return options;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    try {
        const { checkOnly, uses } = parseCli(process.argv.slice(2));
        const result = ensureSystemPackages({ uses, checkOnly, log: (line) => console.error(line) });
        if (result.ok) console.log(`system packages: all installed for ${uses.join(', ')}`);
        process.exitCode = result.ok ? 0 : 1;
    } catch (error) {
        console.error(
            `system-deps: ${error.message}\nusage: node scripts/lib/system-deps.mjs [--check] [--for ${USES.join(',')}]`
        );
        process.exitCode = 2;
    }
}
