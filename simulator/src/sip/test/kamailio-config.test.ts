import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
    findKamailio,
    KamailioMissingError,
    KAMAILIO_INSTALL_HINT,
    renderKamailioConfig,
    TEMPLATE_FILE,
    type KamailioConfigValues
} from '../kamailio';

const VALUES: KamailioConfigValues = {
    modulePath: '/usr/lib/x86_64-linux-gnu/kamailio/modules',
    wsPort: 8081,
    udpPort: 5071,
    simSipPort: 5072,
    eventUrl: 'http://127.0.0.1:5073/token',
    rpcPath: '/rpc-secret',
    secret: 'shared-secret',
    domain: '127.0.0.1',
    debug: 1,
    tcpChildren: 4,
    frInvMs: 180000,
    parkMs: 3600000,
    logPrefix: '[kamailio test]',
    registerDelayMs: 0
};

function installed(): boolean {
    try {
        findKamailio();
        return true;
    } catch {
        return false;
    }
}

describe('renderKamailioConfig', () => {
    const template = fs.readFileSync(TEMPLATE_FILE, 'utf8');

    it('fills every placeholder of the shipped template', () => {
        const config = renderKamailioConfig(template, VALUES);
        expect(config).not.toMatch(/\{\{[A-Z_]+\}\}/);
        expect(config).toContain('listen=tcp:127.0.0.1:8081');
        expect(config).toContain('listen=udp:127.0.0.1:5071');
        expect(config).toContain('modparam("auth_ephemeral", "secret", "shared-secret")');
        expect(config).toContain('$du = "sip:127.0.0.1:5072;transport=udp";');
        // Only loopback listeners.
        for (const line of config.split('\n').filter((l) => l.startsWith('listen=')))
            expect(line).toMatch(/127\.0\.0\.1/);
    });

    it('turns the REGISTER delay of fault tests into microseconds', () => {
        const config = renderKamailioConfig(template, { ...VALUES, registerDelayMs: 5000 });
        expect(config).toContain('if (5000 > 0) { usleep("5000000"); }');
    });

    it.each([
        ['secret', 'a"b'],
        ['secret', 'a\nb'],
        ['domain', 'x$y'],
        ['eventUrl', 'http://a\\b']
    ] as const)('refuses %s values that would break the config (%j)', (name, value) => {
        expect(() => renderKamailioConfig(template, { ...VALUES, [name]: value })).toThrow(
            /forbidden character/
        );
    });

    it('refuses unknown placeholders', () => {
        expect(() => renderKamailioConfig('x={{NOPE}}', VALUES)).toThrow(/Unknown placeholder/);
    });

    (installed() ? it : it.skip)('is a config Kamailio accepts (kamailio -c)', () => {
        const installation = findKamailio();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kam-cfg-test-'));
        try {
            const file = path.join(dir, 'kamailio.cfg');
            fs.writeFileSync(
                file,
                renderKamailioConfig(template, { ...VALUES, modulePath: installation.modulePath })
            );
            const check = spawnSync(installation.binary, ['-c', '-f', file], { encoding: 'utf8' });
            expect({ status: check.status, output: check.status === 0 ? '' : check.stderr }).toEqual({
                status: 0,
                output: ''
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe('KamailioMissingError', () => {
    it('says how to install Kamailio', () => {
        const error = new KamailioMissingError('Kamailio is not installed.');
        expect(error.message).toContain(KAMAILIO_INSTALL_HINT);
        expect(KAMAILIO_INSTALL_HINT).toBe(
            'sudo apt-get update && sudo apt-get install -y kamailio kamailio-websocket-modules kamailio-autheph-modules kamailio-utils-modules'
        );
    });
});
