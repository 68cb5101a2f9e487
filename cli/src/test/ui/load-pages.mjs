// Loads pages of the Temporal Web UI in one headless Chromium, waits on each until every
// expected text is visible, saves a screenshot of each and prints what it saw, one JSON line per
// page:
//   {"url": ..., "title": ..., "found": [...], "missing": [...], "reloads": 0, "text": "..."}
// The caller (TemporalUiBrowserTest) asserts on those lines; this script only waits and reports.
//
//   node load-pages.mjs '[{"url": URL, "screenshot": "x.png", "expect": ["TEXT", ...],
//                          "show": "TEXT"}, ...]'
//
// "show" (optional) is scrolled into view for a second screenshot, x-scrolled.png, e.g. an event
// far down a workflow's history.
// Exit code 0 when every text showed up, 1 when one did not within CAST_UI_WAIT_MS (default
// 30000) per page, 2 when the browser or a page failed. CHROMIUM names the browser
// (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { launchOptions } from './chromium.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pages = JSON.parse(process.argv[2] ?? 'null');
if (!Array.isArray(pages) || pages.length === 0) {
  console.error('usage: node load-pages.mjs \'[{"url": ..., "screenshot": ..., "expect": [...]}]\'');
  process.exit(2);
}
const waitMs = Number(process.env.CAST_UI_WAIT_MS ?? 30000);
// The UI's own error page (SvelteKit's), shown when one of its first API calls failed.
const ERROR_PAGE = "Uh oh. There's an error.";

/** Waits until each text is visible, all against one deadline; returns those that never were. */
async function awaitTexts(page, texts) {
  const deadline = Date.now() + waitMs;
  const missing = [];
  for (const text of texts) {
    try {
      await page
        .getByText(text)
        .first()
        .waitFor({ state: 'visible', timeout: Math.max(1, deadline - Date.now()) });
    } catch {
      missing.push(text);
    }
  }
  return missing;
}

// A profile of its own; the browser's flags are chromium.mjs's.
const profile = mkdtempSync(join(tmpdir(), 'cast-ui-chromium-'));
let context;
let code = 0;
try {
  context = await chromium.launchPersistentContext(profile, {
    ...launchOptions,
    viewport: { width: 1600, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  for (const { url, screenshot, expect = [], show } of pages) {
    const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: waitMs });
    if (!response || !response.ok()) {
      throw new Error(`GET ${url} answered ${response ? response.status() : 'nothing'}`);
    }
    // The UI is a single-page app: what it shows comes from the server after the page loaded.
    let missing = await awaitTexts(page, expect);
    let reloads = 0;
    if (missing.length > 0 && (await page.getByText(ERROR_PAGE).count()) > 0) {
      // Seen once on a cold first start; a second look tells a flake from a page that is wrong.
      reloads = 1;
      await page.reload({ waitUntil: 'domcontentloaded', timeout: waitMs });
      missing = await awaitTexts(page, expect);
    }
    await page.screenshot({ path: screenshot, fullPage: true });
    if (show && missing.length === 0) {
      await page.getByText(show).first().scrollIntoViewIfNeeded({ timeout: waitMs });
      await page.screenshot({ path: screenshot.replace(/\.png$/, '-scrolled.png'), fullPage: true });
    }
    const text = await page.evaluate(() => document.body.innerText);
    const found = expect.filter((t) => !missing.includes(t));
    console.log(
      JSON.stringify({ url: page.url(), title: await page.title(), found, missing, reloads, text }),
    );
    if (missing.length > 0) {
      code = 1;
    }
  }
} catch (e) {
  console.error(`load-pages: ${e && e.stack ? e.stack : e}`);
  code = 2;
} finally {
  if (context) {
    await context.close().catch(() => {});
  }
  rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
