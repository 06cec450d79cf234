// What the browser flow's steps share: checks that print `ok -`/`not ok -` lines, screenshots,
// the cupola CLI, signing in and out, and the names the steps use.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const env = process.env;
export const BASE = `${env.CC_URL}/dashboard`;
export const SPACE = 'web';
export const APP = 'dash-static';

let shot = 0;
// What the checks came to: {passed, failed}.
export const tally = { passed: 0, failed: 0 };

export function ok(what) {
  tally.passed += 1;
  console.log(`ok - ${what}`);
}
export function notOk(what, e) {
  tally.failed += 1;
  console.log(`not ok - ${what}`);
  if (e) console.log(`    ${String(e.message || e).split('\n').slice(0, 6).join('\n    ')}`);
}
export async function check(what, f) {
  try {
    await f();
    ok(what);
    return true;
  } catch (e) {
    notOk(what, e);
    return false;
  }
}
// As check, but the steps after it need it.
export async function must(what, f) {
  if (!(await check(what, f))) throw new Error(`stopped: ${what}`);
}
export function expect(cond, message) {
  if (!cond) throw new Error(message);
}
export async function screenshot(page, name) {
  shot += 1;
  const file = path.join(env.SCREENSHOTS, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`# screenshot ${path.basename(file)}`);
}
export function cli(...args) {
  return execFileSync(env.CUPOLA, args, { cwd: env.APP_DIR, encoding: 'utf8', timeout: 300_000, stdio: 'pipe' });
}
export async function signIn(page, user, password = env.PASSWORD) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
}
export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in to Cupola' }).waitFor();
}
// Asks the app through the router for `probe`, so that a log line names it.
// (curl: fetch may not set Host.)
export function requestApp(probe) {
  try {
    execFileSync('curl', ['-s', '-o', '/dev/null', '--max-time', '5', '-H', `Host: ${APP}.apps.localhost`,
      `http://127.0.0.1:${env.ROUTER_PORT}/${probe}`]);
  } catch {
    // The log line is what counts.
  }
}
