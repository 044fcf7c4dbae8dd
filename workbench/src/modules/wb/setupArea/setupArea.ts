/**
 * The setup tab (A1-A8: connection, users and seats, options): the package's own setup component when it
 * exists (a custom tab's LWC, `phoneSetup`, or an LWC targeting lightning__Tab; found by workbench/build.mjs),
 * else a placeholder that says so.
 */
import { LightningElement } from 'lwc';
import appConfig from 'wb/appConfig';
import packageComponents from 'wb/packageComponents';

export default class SetupArea extends LightningElement {
    get setupComponent(): unknown {
        const setup = appConfig.setup;
        return setup ? ((packageComponents as Record<string, unknown>)[setup.name] ?? null) : null;
    }

    get heading(): string {
        return appConfig.setup?.label ?? 'Phone Setup';
    }
}
