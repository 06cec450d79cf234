// The dashboard in headless Chromium against a running platform (dashboard_test.sh starts it
// and makes the org, the users and the 1,000-app space); the services steps are in
// services_steps.mjs, the quota and user steps in admin_steps.mjs. Prints `ok -`/`not ok -`
// lines and exits 1 when a check failed.
//
// Environment: CC_URL, ROUTER_PORT, ORG, MANAGER, AUDITOR, DEVELOPER, PASSWORD (all three
// users'), ADMIN_PASSWORD (the user admin's), NEW_USER (a user the admin creates), MANY_SPACE
// (a space with 1,000 apps), CUPOLA (the CLI), APP_DIR (an app to push), SCREENSHOTS (a
// directory), NPM_DIR (where playwright-core is installed), CHROMIUM.

import { createRequire } from 'node:module';
import path from 'node:path';
import { APP, BASE, SPACE, check, cli, env, expect, must, requestApp, screenshot, signIn, signOut, tally } from './harness.mjs';
import { UPS, serviceSteps } from './services_steps.mjs';
import { quotaAndUserSteps } from './admin_steps.mjs';

const require = createRequire(path.join(env.NPM_DIR, 'package.json'));
const { chromium } = require('playwright-core');

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
context.setDefaultTimeout(20_000);
const page = await context.newPage();
const consoleErrors = [];
page.on('console', (m) => {
  if (m.type() === 'error') consoleErrors.push(m.text());
});
page.on('pageerror', (e) => consoleErrors.push(String(e)));

try {
  console.log('# signing in');
  await must('/dashboard sends a signed-out visitor to the sign-in page', async () => {
    await page.goto(`${BASE}/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to Cupola' }).waitFor();
    expect(page.url().endsWith('/dashboard/login'), `at ${page.url()}`);
  });
  await screenshot(page, 'login');
  await check('a wrong password is refused in words', async () => {
    await page.getByLabel('Username').fill(env.MANAGER);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That username and password do not match.' }).waitFor();
  });
  await must(`the org manager ${env.MANAGER} signs in and sees the organizations`, async () => {
    await signIn(page, env.MANAGER);
    await page.getByRole('link', { name: env.ORG }).waitFor();
  });
  await check('the org shows its quota usage as bars', async () => {
    await page.getByRole('progressbar', { name: 'Memory' }).first().waitFor();
    await page.getByRole('progressbar', { name: 'Service instances' }).first().waitFor();
  });
  await screenshot(page, 'orgs');

  console.log('# a space and its members');
  await page.getByRole('link', { name: env.ORG }).click();
  await page.getByRole('heading', { level: 1, name: env.ORG }).waitFor();
  await check('the org page lists the org manager among its members', async () => {
    await page.getByRole('row', { name: new RegExp(`${env.MANAGER}.*Org manager`) }).waitFor();
  });
  await screenshot(page, 'org');
  await must(`the org manager creates the space ${SPACE}`, async () => {
    await page.getByLabel('New space name').fill(SPACE);
    await page.getByRole('button', { name: 'Create space' }).click();
    await page.getByRole('heading', { level: 1, name: SPACE }).waitFor();
  });
  await must(`the org manager adds ${env.DEVELOPER} as space developer`, async () => {
    await page.getByLabel('Username').fill(env.DEVELOPER);
    await page.getByLabel('Role').selectOption('space_developer');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('row', { name: new RegExp(`${env.DEVELOPER}.*Space developer`) }).waitFor();
  });
  await check(`... and ${env.AUDITOR} as space auditor`, async () => {
    await page.getByLabel('Username').fill(env.AUDITOR);
    await page.getByLabel('Role').selectOption('space_auditor');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('row', { name: new RegExp(`${env.AUDITOR}.*Space auditor`) }).waitFor();
  });
  await check('adding an unknown user says why it failed', async () => {
    await page.getByLabel('Username').fill('nobody-by-this-name');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    const text = await alert.innerText();
    expect(!text.includes('{') && text.length > 5, `the error reads: ${text}`);
    console.log(`#   it says: ${text}`);
  });
  const spaceUrl = page.url();

  console.log(`# ${env.DEVELOPER} pushes ${APP} with the cupola CLI`);
  await must(`the developer pushes ${APP} into the new space`, async () => {
    cli('api', env.CC_URL);
    cli('login', '-u', env.DEVELOPER, '-p', env.PASSWORD, '-o', env.ORG, '-s', SPACE);
    cli('push', APP, '-m', '64M');
    cli('set-env', APP, 'GREETING', 'hello-from-the-env');
  });
  await must('the space page lists the pushed app, started, 1 of 1 instances running', async () => {
    await page.goto(spaceUrl);
    const row = page.getByRole('row', { name: new RegExp(APP) });
    await row.waitFor();
    await row.getByText('started').waitFor();
    await row.getByText('1 / 1').waitFor({ timeout: 60_000 });
  });
  await screenshot(page, 'space');

  console.log('# the app page');
  await page.getByRole('link', { name: APP }).click();
  await page.getByRole('heading', { level: 1, name: APP }).waitFor();
  await check('the instances table shows instance #0 running', async () => {
    await page.locator('[data-process="web"] tr[data-state="RUNNING"]').first().waitFor({ timeout: 60_000 });
  });
  await check('a developer sees the app\'s environment variables', async () => {
    await page.getByRole('row', { name: /GREETING/ }).waitFor();
  });
  await check('the app page shows its route', async () => {
    await page.getByText(`${APP}.apps.localhost`).first().waitFor();
  });
  await check('the app page shows its events', async () => {
    await page.getByRole('cell', { name: /audit\.app\./ }).first().waitFor();
  });
  await screenshot(page, 'app');

  await must('scale to 2 instances through the confirmation dialog', async () => {
    await page.getByRole('button', { name: 'Scale' }).click();
    const dialog = page.getByRole('dialog', { name: `Scale ${APP}` });
    await dialog.waitFor();
    await dialog.getByLabel('Instances').fill('2');
    await dialog.getByRole('button', { name: 'Scale' }).click();
    await dialog.waitFor({ state: 'detached' });
  });
  await check('both instances show running (refreshed live)', async () => {
    await page.locator('[data-process="web"] [data-running="2"]').waitFor({ timeout: 120_000 });
    const running = await page.locator('[data-process="web"] tr[data-state="RUNNING"]').count();
    expect(running === 2, `${running} rows running`);
  });
  await screenshot(page, 'app-scaled');

  const probe = `dashboard-probe-${Date.now()}`;
  await check('the live log stream shows a new line as it happens', async () => {
    await page.getByText('Streaming live.').waitFor({ timeout: 30_000 });
    const line = page.locator('ol.log li', { hasText: probe });
    for (let i = 0; i < 30 && !(await line.count()); i++) {
      requestApp(probe);
      await page.waitForTimeout(1000);
    }
    await line.first().waitFor({ timeout: 5_000 });
  });
  await check('pausing the stream holds new lines until resumed', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    const held = `${probe}-held`;
    requestApp(held);
    await page.waitForTimeout(3000);
    expect((await page.locator('ol.log li', { hasText: held }).count()) === 0, 'a line showed while paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('ol.log li', { hasText: held }).first().waitFor({ timeout: 30_000 });
  });
  await screenshot(page, 'app-logs');

  await must('stop the app through the confirmation dialog', async () => {
    await page.getByRole('button', { name: 'Stop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop app?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Stop' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.page-head .badge.stopped').waitFor();
  });
  await check('the API says the app is stopped', async () => {
    const out = cli('app', APP);
    expect(/requested state:\s+stopped/i.test(out), out);
  });
  await screenshot(page, 'app-stopped');
  const appUrlOf = page.url();

  await serviceSteps(page, spaceUrl);

  await check('on a phone the app page fits the screen (no sideways scrolling)', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(appUrlOf);
    await page.getByRole('heading', { level: 1, name: APP }).waitFor();
    await page.waitForTimeout(500);
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scroll <= width, `the page is ${scroll}px wide on a ${width}px screen`);
  });
  await screenshot(page, 'app-phone');
  await check('on a phone the space page with its services fits the screen', async () => {
    await page.goto(spaceUrl);
    await page.locator(`tr[data-instance="${UPS}"]`).waitFor();
    await page.locator('tr[data-offering="postgresql"]').first().waitFor();
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scroll <= width, `the page is ${scroll}px wide on a ${width}px screen`);
  });
  await screenshot(page, 'space-phone');
  await page.goto(appUrlOf);
  await page.setViewportSize({ width: 1280, height: 900 });
  const appUrl = page.url();

  console.log(`# the space auditor ${env.AUDITOR}`);
  await signOut(page);
  await must(`the space auditor ${env.AUDITOR} signs in`, () => signIn(page, env.AUDITOR));
  await check('the auditor sees the app page read-only: no start, stop, restart or scale', async () => {
    await page.goto(appUrl);
    await page.getByRole('heading', { level: 1, name: APP }).waitFor();
    await page.getByText('only space developers can change it').waitFor();
    for (const name of ['Start', 'Stop', 'Restart', 'Scale']) {
      expect((await page.getByRole('button', { name, exact: true }).count()) === 0, `a ${name} button shows`);
    }
  });
  await check('the auditor sees no environment variables', async () => {
    await page.getByText('Environment variables are shown to space developers only.').waitFor();
    expect((await page.getByText('hello-from-the-env').count()) === 0, 'a value shows');
    expect((await page.getByText('GREETING').count()) === 0, 'a name shows');
  });
  await check('the auditor sees the instances table and the events', async () => {
    await page.locator('[data-process="web"]').waitFor();
    await page.getByRole('cell', { name: /audit\.app\./ }).first().waitFor();
  });
  await screenshot(page, 'auditor-app');
  await check('the auditor sees the space members but no form to change them', async () => {
    await page.goto(spaceUrl);
    await page.getByRole('row', { name: new RegExp(`${env.DEVELOPER}.*Space developer`) }).waitFor();
    expect((await page.getByRole('button', { name: 'Add', exact: true }).count()) === 0, 'an Add button shows');
    expect((await page.getByRole('button', { name: /^Remove / }).count()) === 0, 'a Remove button shows');
  });
  await check('the auditor sees the service instances and the marketplace read-only', async () => {
    await page.locator(`tr[data-instance="${UPS}"]`).waitFor();
    await page.locator('tr[data-offering="postgresql"]').first().waitFor();
    await page.getByText('only space developers can change them').waitFor();
    for (const name of [/^Create a /, /^Delete /, /^Bind /, 'New user-provided instance']) {
      expect((await page.getByRole('button', { name }).count()) === 0, `a ${name} button shows`);
    }
  });
  await screenshot(page, 'auditor-space');
  await signOut(page);

  console.log('# a space with 1,000 apps');
  await must('the org manager signs in again', () => signIn(page, env.MANAGER));
  const started = Date.now();
  await page.goto(`${BASE}/spaces/${env.MANY_SPACE}`);
  await check('the first page of 50 apps shows, with 1000 apps in all', async () => {
    await page.locator('table[data-apps-page="1"] tbody tr').nth(49).waitFor({ timeout: 30_000 });
    const elapsed = Date.now() - started;
    const inPage = await page.evaluate(() => document.querySelector('[data-render-ms]')?.dataset.renderMs);
    console.log(`# 1,000-app space: the app list rendered ${elapsed} ms after navigation started (the list's own request and render: ${inPage} ms)`);
    await page.getByText('1000 apps').waitFor();
  });
  await screenshot(page, 'space-1000-apps');
  await check('the next page comes from the API', async () => {
    const started2 = Date.now();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.locator('table[data-apps-page="2"] tbody tr').nth(49).waitFor();
    console.log(`# 1,000-app space: page 2 rendered in ${Date.now() - started2} ms`);
    await page.getByText('Page 2 of 20').waitFor();
  });
  await check('searching by name finds the one app', async () => {
    await page.getByLabel('App name').fill('app-0777');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByText('1 app', { exact: true }).waitFor();
    expect((await page.locator('table[data-apps-page] tbody tr').count()) === 1, 'not one row');
    await page.getByRole('link', { name: 'app-0777' }).waitFor();
  });
  await quotaAndUserSteps(page);

  await check('the browser logged no script errors', async () => {
    // 409: creating a user who exists, which the flow does on purpose.
    const real = consoleErrors.filter((e) => !/status of (401|403|404|409|422)/.test(e));
    expect(real.length === 0, real.join('\n'));
  });
} catch (e) {
  console.log(`# ${e.message}`);
  try {
    await screenshot(page, 'failure');
  } catch {
    // No page to show.
  }
  if (consoleErrors.length) console.log(`# browser errors:\n#   ${consoleErrors.join('\n#   ')}`);
  tally.failed += 1;
} finally {
  await browser.close();
}

console.log(`# dashboard: ${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed ? 1 : 0);
