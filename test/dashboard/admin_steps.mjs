// The browser flow's quota and user steps: the org manager makes a space quota and assigns it,
// and the space's bars show its limits; the admin makes an org quota and applies it, and the
// org's bars show it; the admin creates a user, who then signs in.

import { BASE, SPACE, check, env, expect, must, screenshot, signIn, signOut } from './harness.mjs';

const SPACE_QUOTA = 'dash-space-quota';
const ORG_QUOTA = 'dash-org-quota';

export async function quotaAndUserSteps(page) {
  console.log('# quotas and users');
  await check(`the org manager creates the space quota ${SPACE_QUOTA} and assigns it to ${SPACE}`, async () => {
    await page.goto(`${BASE}/`);
    await page.getByRole('link', { name: env.ORG, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: env.ORG }).waitFor();
    await page.getByText('New space quota').click();
    const form = page.getByRole('form', { name: 'Create a space quota' });
    await form.getByLabel('Quota name').fill(SPACE_QUOTA);
    await form.getByLabel('Total memory (MB)').fill('2048');
    await form.getByLabel('Routes').fill('5');
    await form.getByLabel('Service instances').fill('3');
    await form.getByRole('button', { name: 'Create space quota' }).click();
    await page.locator(`tr[data-quota="${SPACE_QUOTA}"]`).waitFor();
    await page.getByRole('button', { name: `Assign ${SPACE_QUOTA} to a space` }).click();
    const dialog = page.getByRole('dialog', { name: `Assign ${SPACE_QUOTA}` });
    await dialog.getByLabel('Space').selectOption({ label: SPACE });
    await dialog.getByRole('button', { name: 'Assign' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`tr[data-quota="${SPACE_QUOTA}"]`).getByText(SPACE, { exact: true }).waitFor();
  });
  await check(`the space ${SPACE}'s quota bars show the space quota's limits`, async () => {
    const card = page.locator(`article[data-space="${SPACE}"]`);
    await card.getByText(`Space quota: ${SPACE_QUOTA}`).waitFor();
    const memory = await card.getByRole('progressbar', { name: 'Memory' }).getAttribute('aria-valuetext');
    expect(/of 2 GB$/.test(memory), `memory reads: ${memory}`);
    const routes = await card.getByRole('progressbar', { name: 'Routes' }).getAttribute('aria-valuetext');
    expect(/of 5$/.test(routes), `routes read: ${routes}`);
    const services = await card.getByRole('progressbar', { name: 'Service instances' }).getAttribute('aria-valuetext');
    expect(services === '1 of 3', `services read: ${services}`);
    const instances = await card.getByRole('progressbar', { name: 'App instances' }).getAttribute('aria-valuetext');
    expect(/no limit/.test(instances), `instances read: ${instances}`);
  });
  await screenshot(page, 'org-space-quotas');
  await check('the org manager is not offered the admin pages', async () => {
    await page.goto(`${BASE}/`);
    await page.getByRole('link', { name: env.ORG, exact: true }).waitFor();
    expect((await page.getByRole('link', { name: 'Organization quotas' }).count()) === 0, 'a quotas link shows');
    await page.goto(`${BASE}/users`);
    await page.getByText('Only admins create users.').waitFor();
    expect((await page.getByRole('button', { name: 'Create user' }).count()) === 0, 'a Create user button shows');
  });
  await signOut(page);

  await must('the admin signs in', () => signIn(page, 'admin', env.ADMIN_PASSWORD));
  await must(`the admin creates the org quota ${ORG_QUOTA}`, async () => {
    await page.getByRole('link', { name: 'Organization quotas' }).click();
    await page.getByRole('heading', { level: 1, name: 'Organization quotas' }).waitFor();
    const form = page.getByRole('form', { name: 'Create an organization quota' });
    await form.getByLabel('Quota name').fill(ORG_QUOTA);
    await form.getByLabel('Total memory (MB)').fill('10240');
    await form.getByLabel('Memory per instance (MB)').fill('1024');
    await form.getByLabel('App instances').fill('50');
    await form.getByLabel('Routes').fill('100');
    await form.getByLabel('Service instances').fill('20');
    await form.getByRole('button', { name: 'Create quota' }).click();
    await page.locator(`tr[data-quota="${ORG_QUOTA}"]`).getByText('10 GB').waitFor();
  });
  await check('a second quota of the same name is refused in words', async () => {
    const form = page.getByRole('form', { name: 'Create an organization quota' });
    await form.getByLabel('Quota name').fill(ORG_QUOTA);
    await form.getByRole('button', { name: 'Create quota' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(!text.includes('{') && /already|taken|unique/i.test(text), `the error reads: ${text}`);
    console.log(`#   it says: ${text}`);
  });
  await must(`the admin applies ${ORG_QUOTA} to ${env.ORG}`, async () => {
    await page.getByRole('button', { name: `Apply ${ORG_QUOTA} to an organization` }).click();
    const dialog = page.getByRole('dialog', { name: `Apply ${ORG_QUOTA}` });
    await dialog.getByLabel('Organization').selectOption({ label: env.ORG });
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`tr[data-quota="${ORG_QUOTA}"]`).getByText(env.ORG, { exact: true }).waitFor();
  });
  await screenshot(page, 'org-quotas');
  await check(`the org page's bars show ${ORG_QUOTA}'s limits`, async () => {
    await page.goto(`${BASE}/`);
    await page.getByRole('link', { name: env.ORG, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: env.ORG }).waitFor();
    await page.getByText(`Quota: ${ORG_QUOTA}`).waitFor();
    const usage = page.getByRole('region', { name: 'Quota usage' });
    const memory = await usage.getByRole('progressbar', { name: 'Memory' }).getAttribute('aria-valuetext');
    expect(/of 10 GB$/.test(memory), `memory reads: ${memory}`);
    const instances = await usage.getByRole('progressbar', { name: 'App instances' }).getAttribute('aria-valuetext');
    expect(/of 50$/.test(instances), `instances read: ${instances}`);
  });
  await must(`the admin creates the user ${env.NEW_USER}`, async () => {
    await page.goto(`${BASE}/`);
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    const form = page.getByRole('form', { name: 'Create a user' });
    await form.getByLabel('Username', { exact: true }).fill(env.NEW_USER);
    await form.getByLabel('Password', { exact: true }).fill(env.PASSWORD);
    await form.getByLabel('Password again').fill(`${env.PASSWORD}-typo`);
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByRole('alert').filter({ hasText: 'The two passwords differ.' }).waitFor();
    await form.getByLabel('Password again').fill(env.PASSWORD);
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByText(`User ${env.NEW_USER} created.`).waitFor();
    await page.locator(`tr[data-user="${env.NEW_USER}"]`).waitFor();
  });
  await check('creating the same user again says it exists', async () => {
    const form = page.getByRole('form', { name: 'Create a user' });
    await form.getByLabel('Username', { exact: true }).fill(env.NEW_USER);
    await form.getByLabel('Password', { exact: true }).fill(env.PASSWORD);
    await form.getByLabel('Password again').fill(env.PASSWORD);
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByRole('alert').filter({ hasText: `A user named ${env.NEW_USER} already exists.` }).waitFor();
  });
  await check('the admin finds the new user by name', async () => {
    await page.getByLabel('Username to find').fill(env.NEW_USER);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('region', { name: 'Find a user' }).locator(`tr[data-user="${env.NEW_USER}"]`).waitFor();
  });
  await screenshot(page, 'users');
  await signOut(page);
  await check(`${env.NEW_USER} signs in with the password the admin set`, async () => {
    await signIn(page, env.NEW_USER);
    await page.getByText('You are not a member of any organization yet.').waitFor();
  });
}
