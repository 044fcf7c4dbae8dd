#!/usr/bin/env node
// The workbench's Salesforce Voice mode for a person: the simulator with Kamailio (VoiceCall records to the
// Voice server), the local org, the Voice server, and a headed Chromium with the softphone stand-in (served
// from a Salesforce origin through Playwright routing, which the base library requires) and the customer
// phone in a second tab. Needs a display (X11/Wayland): without one, run the e2e scenarios instead
// (node --test e2e/voice-01-softphone.test.mjs) and look at e2e/screenshots/voice-*/.
// Build first: node scripts/build.mjs --core-only (the voiceConnector static resource).
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../e2e/lib/harness.mjs';
import { startVoiceEnvironment } from '../../e2e/lib/voice.mjs';

if (process.argv.includes('--help')) {
    console.log(
        'node workbench/voice/start.mjs   Salesforce Voice mode in a headed Chromium (needs a display)'
    );
    process.exit(0);
}
if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.error(
        'voice: no display. Run the Voice scenarios instead: node --test e2e/voice-01-softphone.test.mjs ' +
            '(screenshots in e2e/screenshots/voice-*/).'
    );
    process.exit(2);
}
const voiceEnv = await startVoiceEnvironment();
// a person's browser: real microphone and speakers, no fake devices
const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: false,
    args: CHROMIUM_ARGS.filter((arg) => !/^--(headless|use-fake-)/.test(arg))
});
const softphone = await voiceEnv.openSoftphone({ browser });
const customer = await softphone.page.context().newPage();
await customer.goto(voiceEnv.env.sim.customerUrl);
console.log(
    `voice: softphone ready (agent agt-101, the workbench user); customer phone: ${voiceEnv.env.sim.customerUrl}`
);
console.log(
    'voice: set the presence to Available, then call the campaign cmp-support from the customer tab. Ctrl+C stops.'
);
const stop = async () => {
    await browser.close().catch(() => undefined);
    await voiceEnv.close();
    process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
