// Drives Cast's web console in headless Chromium through what an operator does, and prints one
// JSON line saying what it saw; ConsoleBrowserTest starts the server and asserts on that line.
//
//   node console.mjs '{"base": URL, "admin": TOKEN, "viewer": TOKEN, "bundle": PATH,
//                      "app": "hello", "version": "2.0.0", "service": "web", "logHost": "local",
//                      "logText": "hello 2.0.0 listening on", "screenshots": DIR}'
//
// Steps: a wrong token is refused on the login page with the api's reason; the admin logs in,
// pushes the bundle by file upload, starts a canary deploy (1 host, promote manual), sees it
// await promote; meanwhile a viewer (a second browser context) sees the same page without a
// button; the admin presses Promote and sees it succeed; then the service's log shows the app's
// line, and after Restart the new line arrives on the followed log. The report names the step
// that failed, if one did. Exit code 0 when every step ran, 1 when one failed, 2 when the browser
// could not start. CHROMIUM names the browser (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { launchOptions } from './chromium.mjs';
import { join } from 'node:path';

const input = JSON.parse(process.argv[2] ?? 'null');
if (!input || !input.base) {
  console.error('usage: node console.mjs \'{"base": ..., "admin": ..., "viewer": ..., ...}\'');
  process.exit(2);
}
const { base, admin, viewer, bundle, app, version, service, logHost, logText, screenshots } = input;
const wait = Number(process.env.CAST_UI_WAIT_MS ?? 60000);
const report = { steps: [], errors: [] };

let browser;
try {
  browser = await chromium.launch(launchOptions);
} catch (e) {
  console.error(`console.mjs: chromium did not start: ${e && e.stack ? e.stack : e}`);
  process.exit(2);
}

/** A tab of its own (its own sessionStorage: its own login), reporting script errors. */
async function tab(who) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(wait);
  page.on('pageerror', (e) => report.errors.push(`${who}: ${e.message}`));
  page.on('console', (m) => {
    // A refused call (the wrong token, on purpose) is logged by Chromium as a failed resource.
    if (m.type() === 'error' && !/status of 401/.test(m.text())) {
      report.errors.push(`${who}: ${m.text()}`);
    }
  });
  return page;
}

let current = 'start';
let shotPage = null;
async function step(name, page, action) {
  current = name;
  shotPage = page;
  await action();
  report.steps.push(name);
}
const shot = (page, name) => page.screenshot({ path: join(screenshots, name), fullPage: true });
const text = (page, selector) => page.locator(selector).first().innerText();

async function logIn(page, token) {
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
  await page.waitForURL(/#\/apps$/);
  await page.locator('[data-testid=role]').waitFor();
}

let code = 0;
try {
  const operator = await tab('admin');
  const watcher = await tab('viewer');

  await step('refuses a wrong token', operator, async () => {
    const answer = await operator.goto(`${base}/`);
    report.csp = answer.headers()['content-security-policy'] ?? null;
    await operator.locator('#login').waitFor();
    await operator.fill('#token', 'cast_not_a_token');
    await operator.click('#login button[type=submit]');
    await operator.locator('.login-error', { hasText: '401' }).waitFor();
    report.wrongToken = await text(operator, '.login-error');
    await shot(operator, 'login-refused.png');
  });

  await step('logs in as admin', operator, async () => {
    await logIn(operator, admin);
    report.adminRole = await text(operator, '[data-testid=role]');
  });

  await step('pushes the bundle by file upload', operator, async () => {
    await operator.getByRole('link', { name: app, exact: true }).first().click();
    await operator.waitForURL(new RegExp(`#/apps/${app}$`));
    // The hash changes before the app's page replaces the list, and both have a push form: wait
    // for the app's own page, or the file may go to the list's form that is about to go away.
    await operator.locator('h1', { hasText: `/ ${app}` }).waitFor();
    await operator.setInputFiles('#push input[type=file]', bundle);
    await operator.click('#push button[type=submit]');
    await operator.locator('[data-testid=push-result]', { hasText: `pushed ${app} ${version}` }).waitFor();
    report.pushed = await text(operator, '[data-testid=push-result]');
  });

  await step('starts a canary deploy', operator, async () => {
    await operator.locator(`#deploy select[name=version] option[value="${version}"]`).waitFor({ state: 'attached' });
    await operator.selectOption('#deploy select[name=version]', version);
    await operator.fill('#deploy input[name=canary]', '1');
    await operator.selectOption('#deploy select[name=promote]', 'manual');
    await operator.fill('#deploy input[name=reason]', 'canary from the console');
    await shot(operator, 'app.png');
    await operator.click('#deploy button[type=submit]');
    await operator.waitForURL(/#\/deployments\/d-[a-z0-9]+$/);
    report.deployment = decodeURIComponent(operator.url().split('#/deployments/')[1]);
  });

  await step('sees it await promote', operator, async () => {
    await operator.locator('.facts .badge', { hasText: 'awaiting promote' }).waitFor();
    await operator.locator('[data-action=promote]:not([disabled])').waitFor();
    report.adminButtons = await operator.$$eval('[data-action]', (els) =>
      els.map((e) => e.dataset.action + (e.disabled ? ' (disabled)' : '')),
    );
    report.hostsWhileWaiting = await text(operator, 'section table');
    await shot(operator, 'deployment-awaiting-promote.png');
  });

  await step('a viewer sees the deployment without buttons', watcher, async () => {
    await watcher.goto(`${base}/`);
    await watcher.locator('#login').waitFor();
    await logIn(watcher, viewer);
    report.viewerRole = await text(watcher, '[data-testid=role]');
    await watcher.goto(`${base}/#/deployments/${report.deployment}`);
    await watcher.locator('.facts .badge', { hasText: 'awaiting promote' }).waitFor();
    report.viewerButtons = await watcher.$$eval('main button, [data-action]', (els) =>
      els.map((e) => e.dataset.action ?? e.textContent),
    );
    await shot(watcher, 'deployment-as-viewer.png');
    await watcher.goto(`${base}/#/apps/${app}`);
    await watcher.getByRole('heading', { name: 'Releases' }).waitFor();
    await watcher.locator('table').first().waitFor();
    report.viewerForms = await watcher.$$eval('main form', (els) => els.map((e) => e.id));
    report.viewerAppButtons = await watcher.$$eval('main button', (els) => els.map((e) => e.textContent));
    report.viewerNav = await text(watcher, '#nav');
  });

  await step('presses Promote and sees it succeed', operator, async () => {
    await operator.click('[data-action=promote]');
    await operator.locator('h1 .badge', { hasText: 'SUCCEEDED' }).waitFor();
    report.finalState = await text(operator, 'h1 .badge');
    report.hostsAtEnd = await text(operator, 'section table');
    report.timeline = await text(operator, '#timeline');
    report.buttonsAtEnd = await operator.$$eval('[data-action]', (els) => els.map((e) => e.dataset.action));
    await shot(operator, 'deployment-succeeded.png');
  });

  await step('the log shows a line the app printed', operator, async () => {
    await operator.goto(`${base}/#/services/${app}/${service}?host=${logHost}`);
    await operator.locator('#log', { hasText: logText }).waitFor();
    report.logStatus = await text(operator, '#log-status');
    report.linesBefore = (await text(operator, '#log')).split(logText).length - 1;
  });

  await step('restart prints a new line on the followed log', operator, async () => {
    await operator.click('[data-action=restart]');
    await operator.locator('.actions a', { hasText: 'd-' }).waitFor();
    await operator.waitForFunction(
      ([want, before]) => document.getElementById('log').textContent.split(want).length - 1 > before,
      [logText, report.linesBefore],
      { timeout: wait },
    );
    report.linesAfter = (await text(operator, '#log')).split(logText).length - 1;
    report.log = (await text(operator, '#log')).slice(-2000);
    await shot(operator, 'service-log.png');
  });

  await step('the other pages load', operator, async () => {
    for (const [hash, expect, png] of [
      ['#/deployments', report.deployment, 'deployments.png'],
      ['#/hosts', logHost, 'hosts.png'],
      ['#/registry?tab=catalog', service, 'registry-catalog.png'],
      ['#/audit', 'promote', 'audit.png'],
    ]) {
      await operator.goto(`${base}/${hash}`);
      await operator.locator('main table', { hasText: expect }).first().waitFor();
      await shot(operator, png);
    }
  });
} catch (e) {
  code = 1;
  report.failedAt = current;
  report.error = String(e && e.message ? e.message : e).split('\n').slice(0, 6).join('\n');
  if (shotPage) {
    report.page = await shotPage.evaluate(() => document.body.innerText).catch(() => null);
    await shot(shotPage, 'failed.png').catch(() => {});
  }
} finally {
  await browser.close().catch(() => {});
}
console.log(JSON.stringify(report));
process.exit(code);
