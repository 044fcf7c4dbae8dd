#!/usr/bin/env node
// `npm start` (after scripts/build.mjs has built the package): the real phone without a Salesforce org.
// Builds the workbench page (workbench/build.mjs), starts the contact-centre simulator with Kamailio, the
// local org and the web server on 127.0.0.1, prints the URL, and stops everything on Ctrl+C.
// `node workbench/start.mjs --help` lists the options.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { buildWorkbench, OUT_DIR, ROOT } from './build.mjs';

const HELP = `Usage: npm start -- [options]        (or: node workbench/start.mjs [options])

  --port N          web server port (default 4300; 0: any free port)           WORKBENCH_PORT
  --sim-port N      simulator API port (default: any free port)
  --user EMAIL      sign in as this sample user (default anna.kowalska@acme.example = agent agt-101;
                    also piotr.nowak@acme.example, jan.wisniewski@acme.example)
  --country CC      the org's default country for phone numbers (default PL)
  --language L      the org's and the user's language: en_US, nl_NL, pl, cs, ru (default en_US); the page
                    has a switch for the user's language too
  --in-memory       keep nothing: a fresh org and contact centre every start
  --fresh           delete the saved data (workbench/.data) first
  --verbose         print every Apex call and the simulator's log
  --help            this text

Data (records, Tasks, call records) is kept in workbench/.data/ between starts.`;

function parseArgs(argv) {
    const options = {
        port: Number(process.env.WORKBENCH_PORT ?? 4300),
        simPort: 0,
        user: undefined,
        country: undefined,
        language: undefined,
        inMemory: false,
        fresh: false,
        verbose: false
    };
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split('=', 2);
        const value = () => inline ?? argv[++i];
        switch (flag) {
            case '--port':
                options.port = Number(value());
                break;
            case '--sim-port':
                options.simPort = Number(value());
                break;
            case '--user':
                options.user = value();
                break;
            case '--country':
                options.country = value();
                break;
            case '--language':
                options.language = value();
                break;
            case '--in-memory':
                options.inMemory = true;
                break;
            case '--fresh':
                options.fresh = true;
                break;
            case '--verbose':
                options.verbose = true;
                break;
            case '--help':
            case '-h':
                console.log(HELP);
                process.exit(0);
                break;
            default:
                console.error(`Unknown option ${argv[i]}\n\n${HELP}`);
                process.exit(2);
        }
    }
    if (options.language !== undefined && !/^(en_US|nl_NL|pl|cs|ru)$/.test(options.language)) {
        console.error('--language must be one of the package languages: en_US, nl_NL, pl, cs, ru');
        process.exit(2);
    }
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
        console.error('--port must be a port number');
        process.exit(2);
    }
    if (options.country !== undefined && !/^[A-Za-z]{2}$/.test(options.country)) {
        console.error('--country must be a two-letter ISO country code (PL, NL, US...)');
        process.exit(2);
    }
    return options;
}

const INSTALL_ALL = 'bash e2e/install-deps.sh';

/** What is missing on this machine, with the exact commands that install it. */
async function checkPrerequisites() {
    const fatal = [];
    const notes = [];
    const resource = path.join(ROOT, 'force-app/main/default/staticresources/webphoneCore.js');
    if (!existsSync(resource)) {
        fatal.push(
            `The phone's static resource is not built (${path.relative(ROOT, resource)}).\n  Run: npm run build`
        );
    }
    const { findKamailio, KAMAILIO_INSTALL_HINT } = await tsImport(
        '../simulator/src/sip/kamailio.ts',
        import.meta.url
    );
    try {
        findKamailio();
    } catch (error) {
        fatal.push(
            `Kamailio (the SIP server the phone registers with) is missing: ${error.message.split('\n')[0]}\n` +
                `  Install it:  ${KAMAILIO_INSTALL_HINT}\n` +
                `  or, with Chromium for the e2e tests too:  ${INSTALL_ALL}`
        );
    }
    const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
    if (!existsSync(chromium)) {
        notes.push(
            `Chromium is not installed (${chromium}): the workbench works in any browser on this machine, but ` +
                `\`npm run test:e2e\` needs it.\n  Install it:  sudo apt-get install -y chromium   (or: ${INSTALL_ALL})`
        );
    }
    return { fatal, notes };
}

function banner(stack, options) {
    const line = '-'.repeat(78);
    return [
        line,
        `  ccphone workbench: ${stack.url}`,
        line,
        `  Signed in as ${stack.org.user.Name} <${stack.org.user.Email}>; org country ${stack.org.defaultCountry || '(none)'}; language ${stack.org.userLanguage}`,
        `  Contact-centre simulator: ${stack.simulator.url}   Kamailio (SIP over WebSocket): ${stack.simulator.wsUrl}`,
        `  Customer phone: the panel on the right of the page, or ${stack.simulator.url}/customer in another window`,
        '',
        '  Try it: open the Phone in the utility bar, set yourself Ready, then in the customer panel call',
        '  "Customer support" as +48600700800 (Jan Kowalski), +48602111222 (two matches) or +48609000111 (nobody).',
        `  Data: ${options.inMemory ? 'in memory (nothing is kept)' : path.relative(ROOT, path.join(ROOT, 'workbench/.data'))}`,
        '  Stop: Ctrl+C',
        line
    ].join('\n');
}

async function main() {
    const options = parseArgs(process.argv.slice(2));
    const { fatal, notes } = await checkPrerequisites();
    for (const note of notes) console.warn(`note: ${note}\n`);
    if (fatal.length > 0) {
        console.error(
            `The workbench cannot start:\n\n${fatal.map((problem) => `* ${problem}`).join('\n\n')}`
        );
        process.exit(1);
    }

    const build = await buildWorkbench({ log: (text) => console.log(text) });
    console.log(
        build.skipped
            ? 'workbench: page bundle up to date'
            : `workbench: compiled the package's components into ${path.relative(ROOT, build.file)} in ${build.seconds.toFixed(1)}s`
    );

    const dataDir = path.join(ROOT, 'workbench/.data');
    if (options.fresh) await fs.rm(dataDir, { recursive: true, force: true });
    const { startWorkbenchStack, KamailioNotInstalled } = await tsImport(
        './server/stack.ts',
        import.meta.url
    );
    let stack;
    try {
        stack = await startWorkbenchStack({
            root: ROOT,
            port: options.port,
            simulatorPort: options.simPort,
            simulatorDataDir: options.inMemory ? null : path.join(dataDir, 'simulator'),
            orgDataDir: options.inMemory ? null : path.join(dataDir, 'org'),
            userEmail: options.user,
            country: options.country,
            language: options.language,
            bundleDir: OUT_DIR,
            log: options.verbose ? (text) => console.log(text) : undefined
        });
    } catch (error) {
        if (error instanceof KamailioNotInstalled) {
            console.error(
                `The simulator could not start Kamailio:\n${error.message}\n\nInstall everything: ${INSTALL_ALL}`
            );
        } else if (error.code === 'EADDRINUSE') {
            console.error(
                `Port ${options.port} is in use: start with --port N (or --port 0 for any free port).`
            );
        } else {
            console.error(`The workbench could not start: ${error.stack ?? error}`);
        }
        process.exit(1);
    }
    console.log(banner(stack, options));

    let stopping = false;
    const stop = (signal) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: stopping the web server, the local org, the simulator and Kamailio...`);
        stack.close().then(
            () => process.exit(0),
            (error) => {
                console.error(`Shutdown failed: ${error}`);
                process.exit(1);
            }
        );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    main().catch((error) => {
        console.error(error);
        process.exit(1);
    });
}
