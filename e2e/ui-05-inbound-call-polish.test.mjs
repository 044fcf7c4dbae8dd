// UI: the inbound call flow in Polish, as `npm start -- --language pl` starts the workbench (a Polish org and
// a Polish user): the FCC statuses agents know (W kolejce, Zajęty, WRAP), the object named as the org names
// it, and the Task subject in the org's language. Screenshots: e2e/screenshots/ui-05-inbound-call-polish/.
import { after, before, test } from 'node:test';
import { inboundCallIn } from './lib/localized-inbound-call.mjs';
import { startUiEnvironment } from '../workbench/test/ui-harness.mjs';

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment({ language: 'pl' });
    agent = await ui.openAgent('ui-05-inbound-call-polish');
});
after(async () => {
    await ui?.close();
});

test('a Polish agent takes a call from a known customer and the call is logged in Polish', () =>
    agent.run(() =>
        inboundCallIn({
            ui,
            agent,
            language: 'pl',
            expected: {
                ready: 'W kolejce',
                busy: 'Zajęty',
                wrap: 'WRAP',
                contact: 'Kontakt',
                subject: 'Połączenie przychodzące: +48600700800'
            }
        })
    ));
