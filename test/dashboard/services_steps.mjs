// The browser flow's services steps: in the space the org manager made (and develops in), the
// marketplace offers the cupola-pg broker's plans; the manager creates a postgresql instance,
// sees it succeed, binds it to the pushed app, sees it among the app's bound services, unbinds
// and deletes it, and makes a user-provided instance, which stays for the auditor to see.

import { APP, SPACE, check, cli, expect, must, screenshot } from './harness.mjs';

export const DB = 'dash-db';
export const UPS = 'dash-ups';

export async function serviceSteps(page, spaceUrl) {
  console.log('# services: the marketplace, an instance of cupola-pg, a binding');
  await page.goto(spaceUrl);
  await page.getByRole('heading', { level: 1, name: SPACE }).waitFor();
  await must('the marketplace lists the cupola-pg broker\'s postgresql plans', async () => {
    const row = page.locator('tr[data-offering="postgresql"][data-plan="small"]');
    await row.waitFor();
    await page.getByText('Broker: cupola-pg').waitFor();
  });
  await must(`the manager creates ${DB} from postgresql's small plan`, async () => {
    await page.getByRole('button', { name: 'Create a postgresql small instance' }).click();
    const dialog = page.getByRole('dialog', { name: 'New postgresql instance' });
    await dialog.getByLabel('Instance name').fill(DB);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
  });
  await must(`${DB} goes to "create succeeded" (refreshed while in progress)`, async () => {
    const row = page.locator(`tr[data-instance="${DB}"]`);
    await row.waitFor();
    await row.getByText('create succeeded').waitFor({ timeout: 180_000 });
    await row.getByText('postgresql (small)').waitFor();
    await page.locator('ul.activity li.ok', { hasText: `${DB} is created` }).waitFor();
  });
  await screenshot(page, 'space-services');
  await must(`the manager binds ${DB} to ${APP}`, async () => {
    await page.getByRole('button', { name: `Bind ${DB} to an app` }).click();
    const dialog = page.getByRole('dialog', { name: `Bind ${DB}` });
    await dialog.getByLabel('App').selectOption({ label: APP });
    await dialog.getByText('next restart or restage').waitFor();
    await dialog.getByRole('button', { name: 'Bind' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('ul.activity li.ok', { hasText: `${DB} is bound` }).waitFor({ timeout: 120_000 });
    await page.locator(`tr[data-instance="${DB}"] li.chip`, { hasText: APP }).waitFor();
  });
  await check('the page says the binding takes effect at the app\'s next restart or restage', async () => {
    await page.locator('ul.activity li.ok', { hasText: 'next restart or restage' }).first().waitFor();
  });
  await check('a user-provided instance with credentials is created', async () => {
    await page.getByRole('button', { name: 'New user-provided instance' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user-provided instance' });
    await dialog.getByLabel('Instance name').fill(UPS);
    await dialog.getByLabel('Credentials').fill('not json');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Credentials must be JSON' }).waitFor();
    await dialog.getByLabel('Credentials').fill('{"uri": "https://example.com/api", "key": "k-1"}');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator(`tr[data-instance="${UPS}"]`);
    await row.getByText('user-provided').waitFor();
    await row.getByText('create succeeded').waitFor();
  });
  await screenshot(page, 'space-bound');
  await check(`the app page lists ${DB} among its bound services`, async () => {
    await page.getByRole('link', { name: APP }).click();
    await page.getByRole('heading', { level: 1, name: APP }).waitFor();
    await page.locator(`tr[data-binding="${DB}"]`).getByText('create succeeded').waitFor();
  });
  await screenshot(page, 'app-bound-services');
  await check(`the manager unbinds ${DB} on the app page`, async () => {
    await page.getByRole('button', { name: `Unbind ${DB}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Unbind service?' });
    await dialog.getByRole('button', { name: 'Unbind' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(`${DB} is unbound.`).waitFor({ timeout: 120_000 });
    await page.getByText('No services are bound to this app.').waitFor();
  });
  await check(`the manager deletes ${DB} after confirming`, async () => {
    await page.goto(spaceUrl);
    await page.getByRole('button', { name: `Delete ${DB}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete service instance?' });
    await dialog.getByText(`Delete ${DB}?`).waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('ul.activity li.ok', { hasText: `${DB} is deleted` }).waitFor({ timeout: 180_000 });
    await page.locator(`tr[data-instance="${DB}"]`).waitFor({ state: 'detached' });
  });
  await check('the API no longer lists the instance', async () => {
    const out = cli('services');
    expect(!out.includes(DB), out);
  });
  await screenshot(page, 'space-services-after');

}
