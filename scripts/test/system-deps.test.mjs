// scripts/lib/system-deps.mjs with the machine faked: which packages dpkg reports, the uid, whether sudo needs
// a password, and what apt-get does. No real apt-get or dpkg runs here. (node:test: the module is ESM.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ensureSystemPackages, packagesFor, SYSTEM_PACKAGES } from '../lib/system-deps.mjs';

/**
 * A fake machine. `installed`: package names dpkg reports as installed; `uid`; `sudo`: 'passwordless',
 * 'password' or 'absent'; `aptFails`: the apt-get subcommand that exits non-zero; `java`: `java -version`
 * output, or undefined for no java; `aptInstalls`: whether a successful apt-get install installs.
 */
function fakeSystem({
    installed = [],
    uid = 1000,
    sudo = 'absent',
    aptFails,
    java,
    env = {},
    files = [],
    noDpkg = false,
    aptInstalls = true
} = {}) {
    const dpkg = new Set(installed);
    const calls = [];
    const enoent = () => ({
        status: null,
        stdout: '',
        stderr: '',
        error: Object.assign(new Error('ENOENT'), { code: 'ENOENT' })
    });
    return {
        calls,
        env,
        uid: () => uid,
        exists: (file) => files.includes(file),
        run(command, args, options = {}) {
            calls.push({ command, args, inherit: Boolean(options.inherit) });
            if (command === 'dpkg-query') {
                if (noDpkg) return enoent();
                const name = args[args.length - 1];
                return dpkg.has(name)
                    ? { status: 0, stdout: 'install ok installed', stderr: '' }
                    : { status: 1, stdout: '', stderr: `dpkg-query: no packages found matching ${name}` };
            }
            if (command === 'java') {
                return java === undefined ? enoent() : { status: 0, stdout: '', stderr: java };
            }
            if (command === 'sudo' && args[0] === '--version') {
                return sudo === 'absent' ? enoent() : { status: 0, stdout: 'Sudo version 1.9', stderr: '' };
            }
            if (command === 'sudo' && args.join(' ') === '-n true') {
                if (sudo === 'absent') return enoent();
                return {
                    status: sudo === 'passwordless' ? 0 : 1,
                    stdout: '',
                    stderr: 'a password is required'
                };
            }
            // apt-get, as root (env ...) or through sudo -n env ...
            const aptAt = args.indexOf('apt-get');
            assert.ok(aptAt >= 0, `unexpected command ${command} ${args.join(' ')}`);
            const [subcommand, ...rest] = args.slice(aptAt + 1);
            if (subcommand === aptFails) return { status: 100, stdout: '', stderr: '' };
            if (subcommand === 'install' && aptInstalls) {
                for (const name of rest.filter((arg) => !arg.startsWith('-'))) dpkg.add(name);
            }
            return { status: 0, stdout: '', stderr: '' };
        }
    };
}

const aptCalls = (system) =>
    system.calls.filter((call) => call.command === 'apt-get' || call.args.includes('apt-get'));
const aptSubcommand = (call) => call.args[call.args.indexOf('apt-get') + 1];
const everything = SYSTEM_PACKAGES.map((pkg) => pkg.name);
const KAMAILIO = [
    'kamailio',
    'kamailio-websocket-modules',
    'kamailio-autheph-modules',
    'kamailio-utils-modules'
];
const PSTN_BRIDGE = ['rtpengine-daemon', 'baresip-core'];

function collectLog() {
    const lines = [];
    return { lines, log: (line) => lines.push(line), text: () => lines.join('\n') };
}

describe('system packages', () => {
    it('lists, per use, only the packages that use needs', () => {
        assert.deepEqual(
            packagesFor(['workbench']).map((pkg) => pkg.name),
            KAMAILIO
        );
        assert.deepEqual(
            packagesFor(['validate']).map((pkg) => pkg.name),
            ['openjdk-17-jre-headless']
        );
        assert.deepEqual(
            packagesFor(['validate', 'e2e', 'workbench']).map((pkg) => pkg.name),
            everything
        );
        assert.deepEqual(
            packagesFor(['e2e']).map((pkg) => pkg.name),
            ['chromium', ...KAMAILIO, ...PSTN_BRIDGE],
            'the PSTN caller e2e needs rtpengine and baresip; the workbench does not'
        );
        assert.throws(() => packagesFor(['deploy']), /unknown use deploy/);
    });

    it('runs no apt-get when everything is installed', () => {
        const system = fakeSystem({ installed: everything, uid: 0 });
        const output = collectLog();
        const result = ensureSystemPackages({ system, log: output.log });
        assert.deepEqual(result, { ok: true, installed: [], missing: [] });
        assert.equal(aptCalls(system).length, 0);
        assert.equal(output.lines.length, 0);
    });

    it('as root installs exactly the missing packages after one apt-get update, and says which and why', () => {
        const system = fakeSystem({ installed: ['kamailio', 'openjdk-17-jre-headless'], uid: 0 });
        const output = collectLog();
        const result = ensureSystemPackages({ system, log: output.log });
        const missing = [
            'chromium',
            'kamailio-websocket-modules',
            'kamailio-autheph-modules',
            'kamailio-utils-modules',
            'rtpengine-daemon',
            'baresip-core'
        ];
        assert.deepEqual(result, { ok: true, installed: missing, missing: [] });
        assert.deepEqual(
            aptCalls(system).map((call) => [call.command, ...call.args]),
            [
                ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-qq'],
                ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', ...missing]
            ]
        );
        assert.ok(
            aptCalls(system).every((call) => call.inherit),
            'apt-get output reaches the terminal'
        );
        assert.match(output.text(), /installing 6 Debian package\(s\)/);
        assert.match(output.text(), /chromium: Debian Chromium/);
        assert.match(output.text(), /installed chromium, kamailio-websocket-modules/);
    });

    it('without root goes through sudo -n when sudo needs no password', () => {
        const system = fakeSystem({ installed: KAMAILIO, sudo: 'passwordless' });
        const result = ensureSystemPackages({ uses: ['validate'], system, log: () => {} });
        assert.equal(result.ok, true);
        assert.deepEqual(
            aptCalls(system).map((call) => [call.command, ...call.args].join(' ')),
            [
                'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq',
                'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless'
            ]
        );
    });

    it('installs nothing and prints the one command when sudo wants a password', () => {
        const system = fakeSystem({ installed: [], sudo: 'password' });
        const output = collectLog();
        const result = ensureSystemPackages({ uses: ['workbench'], system, log: output.log });
        const command = `sudo apt-get update && sudo apt-get install -y ${KAMAILIO.join(' ')}`;
        assert.deepEqual(result, { ok: false, installed: [], missing: KAMAILIO, command });
        assert.equal(aptCalls(system).length, 0);
        assert.match(output.text(), /system packages missing:/);
        assert.ok(output.text().endsWith(`  ${command}`), output.text());
    });

    it('asks for a root shell when there is no sudo at all', () => {
        const system = fakeSystem({ installed: everything.filter((name) => name !== 'chromium') });
        const result = ensureSystemPackages({ uses: ['e2e'], system, log: () => {} });
        assert.equal(result.ok, false);
        assert.equal(result.command, 'apt-get update && apt-get install -y chromium   (as root)');
        assert.equal(aptCalls(system).length, 0);
    });

    it('with checkOnly reports what is missing even as root, installing nothing', () => {
        const system = fakeSystem({ installed: [], uid: 0 });
        const result = ensureSystemPackages({ uses: ['e2e'], system, checkOnly: true, log: () => {} });
        assert.equal(result.ok, false);
        assert.deepEqual(result.missing, ['chromium', ...KAMAILIO, ...PSTN_BRIDGE]);
        assert.equal(aptCalls(system).length, 0);
    });

    it('stops with the command when apt-get fails, and does not install after a failed update', () => {
        const system = fakeSystem({ installed: [], uid: 0, aptFails: 'update' });
        const output = collectLog();
        const result = ensureSystemPackages({ uses: ['validate'], system, log: output.log });
        assert.equal(result.ok, false);
        assert.deepEqual(result.missing, ['openjdk-17-jre-headless']);
        assert.deepEqual(aptCalls(system).map(aptSubcommand), ['update']);
        assert.match(output.text(), /apt-get update failed \(exit 100\)/);
    });

    it('fails when apt-get succeeds but the package is still not installed', () => {
        const system = fakeSystem({ installed: [], uid: 0, aptInstalls: false });
        const result = ensureSystemPackages({ uses: ['validate'], system, log: () => {} });
        assert.equal(result.ok, false);
        assert.deepEqual(result.missing, ['openjdk-17-jre-headless']);
    });

    it('takes any Java 17 or newer on PATH instead of the Debian package, but not Java 11 or 8', () => {
        for (const [java, ok] of [
            ['openjdk version "21.0.2" 2024-01-16', true],
            ['openjdk version "17.0.15" 2025-04-15', true],
            ['openjdk version "11.0.22" 2024-01-16', false],
            ['java version "1.8.0_401"', false]
        ]) {
            const system = fakeSystem({ java, sudo: 'password' });
            const result = ensureSystemPackages({ uses: ['validate'], system, log: () => {} });
            assert.equal(result.ok, ok, java);
        }
    });

    it('takes a Chromium named by CHROMIUM_PATH (as the e2e harness does) when it exists', () => {
        const present = fakeSystem({
            installed: [...KAMAILIO, ...PSTN_BRIDGE],
            env: { CHROMIUM_PATH: '/opt/chrome' },
            files: ['/opt/chrome']
        });
        assert.equal(ensureSystemPackages({ uses: ['e2e'], system: present, log: () => {} }).ok, true);
        const absent = fakeSystem({
            installed: [...KAMAILIO, ...PSTN_BRIDGE],
            env: { CHROMIUM_PATH: '/opt/chrome' },
            sudo: 'password'
        });
        assert.equal(ensureSystemPackages({ uses: ['e2e'], system: absent, log: () => {} }).ok, false);
    });

    it('checks and installs nothing on a machine without dpkg, and says so', () => {
        const system = fakeSystem({ noDpkg: true, uid: 0 });
        const output = collectLog();
        const result = ensureSystemPackages({ uses: ['workbench'], system, log: output.log });
        assert.equal(result.ok, true);
        assert.equal(aptCalls(system).length, 0);
        assert.match(output.text(), /not a Debian system/);
    });
});
