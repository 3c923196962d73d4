'use strict';
// Shared by the browser tests: the example shop as a child process (its documented interface), Debian's chromium
// through playwright-core, shopper contexts with a chosen A/B variant, console-error capture and axe-core scans.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '../..');
const SHOP = path.join(ROOT, 'examples/storefront');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = require.resolve('axe-core/axe.min.js');
// Where screenshots go: build/browser/screenshots, or docs/ when refreshing the committed ones.
const SHOTS = process.env.SCREENSHOTS_DIR || path.join(ROOT, 'build/browser/screenshots');

const DESKTOP = { viewport: { width: 1200, height: 900 } };
const MOBILE = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
};

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** `PORT=0 node examples/storefront/server.js`; resolves once it says where it listens. */
function startShop(eventsFile) {
  const child = spawn(process.execPath, [path.join(SHOP, 'server.js')], {
    env: { ...process.env, PORT: '0', EVENTS_FILE: eventsFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ url: match[1], stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`the shop exited (${code}) before listening: ${out}`)));
  });
}

function launch() {
  return chromium.launch({ executablePath: CHROMIUM });
}

/** A page in a fresh context that records console errors and uncaught exceptions in `page.errors`. */
async function newPage(browser, device = DESKTOP, cookies = []) {
  const context = await browser.newContext(device);
  // Waits end when the page is ready, not on a clock: the bound only turns a hang into a failure on a busy machine.
  context.setDefaultTimeout(120_000);
  await context.addCookies(cookies);
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => m.type() === 'error' && page.errors.push(m.text()));
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

/** A page for one shopper of the shop at `url`: their visitor cookie fixes their A/B variant. */
function shopper(browser, url, visitorId, device = DESKTOP) {
  return newPage(browser, device, [{ name: 'cartlift_visitor', value: visitorId, url }]);
}

/** `count` visitor ids the experiment puts in `variant` (the engine's own assignment, as the shop asks it). */
function visitorsIn(engine, variant, count) {
  const ids = [];
  for (let i = 0; ids.length < count; i++) {
    const id = `visitor-${variant}-${i}`;
    if (engine.assign({ experiment: 'recs', visitor_id: id }).variant === variant) ids.push(id);
  }
  return ids;
}

/** Click something that makes the page load again (the shop reloads after every cart change). */
async function clickAndLoad(page, locator) {
  await Promise.all([page.waitForEvent('load'), locator.click()]);
}

/** Product ids a recommendations widget shows. */
function shownIds(page) {
  return page.locator('[data-cartlift="recommendations"] li[data-product-id]').evaluateAll((lis) => lis.map((li) => li.dataset.productId));
}

/** The cart as the engine wants it, read from the cart page's lines. */
async function cartOnPage(page) {
  return page.locator('table.lines tbody tr').evaluateAll((rows) =>
    rows.map((tr) => ({ product_id: tr.dataset.productId, quantity: Number(tr.querySelector('.qty span').textContent) })),
  );
}

/** axe-core's serious and critical violations on the page (WCAG 2 A/AA rules and best practices). */
async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

function assertNoConsoleErrors(page) {
  assert.deepEqual(page.errors, [], `console errors on ${page.url()}`);
}

/** The page from the top, at most `maxHeight` CSS pixels of it (the home page is long on a phone). */
async function screenshot(page, name, maxHeight = 1800) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const { width, height } = await page.evaluate(() => ({ width: innerWidth, height: document.documentElement.scrollHeight }));
  const clip = { x: 0, y: 0, width, height: Math.min(height, maxHeight) };
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, clip });
}

function readEvents(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

module.exports = {
  ROOT,
  SHOP,
  DESKTOP,
  MOBILE,
  tempDir,
  startShop,
  launch,
  newPage,
  shopper,
  visitorsIn,
  clickAndLoad,
  shownIds,
  cartOnPage,
  axeViolations,
  assertNoConsoleErrors,
  screenshot,
  readEvents,
};
