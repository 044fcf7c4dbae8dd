// UI: the setup tab (issue 10) against the local org and the simulator. The admin (Anna, PhoneAdmin) enters
// the connection and tests it (the tenant, agents and seats), then a wrong key gives 401; grants seats up
// to the 5 bought and is refused past them, with the reason; Check configuration turns a user from red to
// green once she has her seat. Screenshots: e2e/screenshots/ui-07-setup-connection-and-seats/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SEED } from './lib/harness.mjs';
import { startUiEnvironment } from '../workbench/test/ui-harness.mjs';

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-07-setup-connection-and-seats');
    // the phone starts first (its start shows the home page); the admin works in the setup tab after it
    await agent.openPhone();
    await agent.waitForRegistered();
    await agent.minimizePhone();
});
after(async () => {
    await ui?.close();
});

/** Opens the setup tab and one of its sections. */
async function openSection(section) {
    const setup = agent.page.locator('c-phone-setup');
    if ((await setup.count()) === 0) {
        await agent.page.locator('[data-id="nav-tab"][data-key="Phone_Setup"]').click();
        await setup.waitFor();
    }
    await setup.locator(`[role="tab"][data-section="${section}"]`).click();
    return setup;
}

/** Types into a lightning-input of a section. */
async function type(section, dataId, value) {
    const input = section.locator(`[data-id="${dataId}"] input`);
    await input.fill(value);
    await input.dispatchEvent('change');
}

test('connection: saved write-only, tested; a wrong key gives 401', () =>
    agent.run(async () => {
        await openSection('connection');
        const connection = agent.page.locator('c-phone-setup-connection');
        await connection.locator('[data-id="key-status"]', { hasText: 'set on' }).waitFor();
        await type(connection, 'endpoint', ui.env.sim.url);
        await type(connection, 'apiKey', SEED.apiKey);
        await type(connection, 'tenantId', SEED.tenantId);
        await type(connection, 'adminLogin', 'admin@acme.example');
        await connection.locator('[data-id="save"]').click();
        await connection.locator('[data-id="key-status"]', { hasText: 'by Anna Kowalska' }).waitFor();
        assert.equal(
            await connection.locator('[data-id="apiKey"] input').inputValue(),
            '',
            'the key is not shown again'
        );
        await agent.screenshot('connection-saved');

        await connection.locator('[data-id="test"]').click();
        const ok = connection.locator('[data-id="test-ok"]');
        await ok.waitFor({ timeout: 15000 });
        const summary = (await ok.innerText()).replace(/\s+/g, ' ');
        assert.match(summary, /Connected to Acme Sp\. z o\.o\. \(test\) \(test\): 9 agents\./);
        assert.match(summary, /Seats: 3 of 5 in use\./);
        await agent.screenshot('connection-tested');

        await type(connection, 'apiKey', 'sim_test_wrong_key');
        await connection.locator('[data-id="save"]').click();
        await connection.locator('c-phone-setup-status [data-id="notice"]').waitFor();
        await connection.locator('[data-id="test"]').click();
        const failed = connection.locator('[data-id="test-failed"]');
        await failed.waitFor({ timeout: 15000 });
        assert.match(await failed.innerText(), /refused the API key \(HTTP 401\)/);
        await agent.screenshot('wrong-key-401');

        // the right key again, for the rest of the scenario
        await type(connection, 'apiKey', SEED.apiKey);
        await connection.locator('[data-id="save"]').click();
        await connection.locator('c-phone-setup-status [data-id="notice"]').waitFor();
        await connection.locator('[data-id="test"]').click();
        await ok.waitFor({ timeout: 15000 });
        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));

test('seats up to the 5 bought, refused past them; Check configuration turns Eva green', () =>
    agent.run(async () => {
        await openSection('users');
        const users = agent.page.locator('c-phone-setup-users');
        const row = (name) => users.locator('tr', { hasText: name });
        await users
            .locator('[data-id="seats"]', { hasText: 'Contact-centre seats: 3 of 5 in use.' })
            .waitFor();
        const eva = row('Eva Dvořáková');
        await eva.locator('[data-id="problem"]').first().waitFor();
        const reasons = await eva.locator('[data-id="problem"]').allInnerTexts();
        assert.ok(reasons.includes('No seat: use Grant seat.'), reasons.join(' | '));
        assert.ok(
            reasons.some((text) => text.startsWith('No PhoneAgent')),
            reasons.join(' | ')
        );
        assert.equal(await eva.locator('[data-id="status-text"]').innerText(), 'Needs attention');
        assert.match(
            await row('Ewa Nowak').locator('[data-id="problem"]').first().innerText(),
            /No contact-centre agent/
        );
        await agent.screenshot('users-red');

        await eva.locator('[data-id="grant"]').click();
        await users.locator('[data-id="seats"]', { hasText: '4 of 5' }).waitFor({ timeout: 15000 });
        await users.locator('[data-id="check"]').click();
        await eva.locator('[data-id="status-text"]', { hasText: 'OK' }).waitFor({ timeout: 15000 });
        assert.equal(await eva.locator('[data-id="problem"]').count(), 0, 'green: no reason left');
        assert.equal(
            (await ui.env.api('GET', '/v1/agents/agt-104')).licensed,
            true,
            'seat in the contact centre'
        );
        await agent.screenshot('eva-green');

        await row('Tomasz Lewandowski').locator('[data-id="grant"]').click();
        await users.locator('[data-id="seats"]', { hasText: '5 of 5' }).waitFor({ timeout: 15000 });
        const limit = users.locator('[data-id="limit"]');
        await limit.waitFor();
        assert.match(await limit.innerText(), /All 5 seats bought at the contact centre are in use/);
        assert.equal(
            await row('Katarzyna Wójcik').locator('[data-id="grant"]').isDisabled(),
            true,
            'refused past the limit'
        );
        assert.match(
            (await row('Tomasz Lewandowski').locator('[data-id="problem"]').allInnerTexts()).join(' '),
            /no outbound number/,
            'his own contact-centre problem stays'
        );
        const agents = (await ui.env.api('GET', '/v1/agents?limit=200')).items;
        assert.equal(
            agents.filter((candidate) => candidate.licensed).length,
            5,
            'five seats in the contact centre'
        );
        await agent.screenshot('seat-limit');
        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
