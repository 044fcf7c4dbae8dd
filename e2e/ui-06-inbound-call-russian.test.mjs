// UI: the inbound call flow in Russian, switched to with the page's language switch (the user's personal
// language; the org stays English): Russian statuses and call states, the object named as the org names it in
// Russian, and the Task subject in the org's language (English), whichever language the agent works in.
// Screenshots: e2e/screenshots/ui-06-inbound-call-russian/.
import { after, before, test } from 'node:test';
import { inboundCallIn } from './lib/localized-inbound-call.mjs';
import { startUiEnvironment } from '../workbench/test/ui-harness.mjs';

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-06-inbound-call-russian');
    await agent.switchLanguage('ru');
});
after(async () => {
    await ui?.close();
});

test('an agent switches the phone to Russian, takes a call and the Task keeps the org language', () =>
    agent.run(() =>
        inboundCallIn({
            ui,
            agent,
            language: 'ru',
            expected: {
                ready: 'Готов',
                busy: 'Занят',
                wrap: 'Постобработка',
                contact: 'Контакт',
                subject: 'Inbound call: +48600700800'
            }
        })
    ));
