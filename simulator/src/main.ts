/**
 * Starts the local contact centre: `npx tsx simulator/src/main.ts --port 4010 --data-dir DIR`
 * (`--help` lists every option). Prints the URL and the sample credentials; stops cleanly on
 * SIGINT/SIGTERM.
 */
import { HelpRequested, readConfig, type SimulatorConfig } from './config';
import { startSimulator } from './server';
import { SEED } from './store/seed';

async function main(): Promise<void> {
    let config: SimulatorConfig;
    try {
        config = readConfig(process.argv.slice(2), process.env);
    } catch (error) {
        if (error instanceof HelpRequested) {
            process.stdout.write(error.message);
            return;
        }
        process.stderr.write(`${(error as Error).message}\n\n`);
        process.exitCode = 2;
        return;
    }
    const simulator = await startSimulator({ config });
    const lines = [
        `Contact-centre simulator listening on ${simulator.url}`,
        `  OpenAPI:  docs/contact-centre-api.yaml   control API: ${simulator.url}/_sim`,
        `  customer phone: ${simulator.url}/customer (needs Kamailio: npm run simulator)`,
        `  data:     ${config.dataDir ?? '(in memory)'}${config.manualClock ? '   clock: manual' : ''}`,
        `  test tenant:       X-Tenant-Id: ${SEED.test.tenantId}   X-Api-Key: ${SEED.test.apiKey}   X-Admin-Login: ${SEED.test.adminLogin}`,
        `  production tenant: X-Tenant-Id: ${SEED.production.tenantId}   X-Api-Key: ${SEED.production.apiKey}`,
        `  push to Salesforce: ${config.push ? `on (tenant ${config.push.tenantId})` : 'off'}`,
        `  try: curl -H 'X-Api-Key: ${SEED.test.apiKey}' -H 'X-Tenant-Id: ${SEED.test.tenantId}' ${simulator.url}/v1/connection`
    ];
    process.stdout.write(`${lines.join('\n')}\n`);

    let stopping = false;
    const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`\n${signal}: stopping the simulator...\n`);
        simulator.close().then(
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
