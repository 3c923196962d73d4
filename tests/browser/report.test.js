'use strict';
// The HTML experiment report (`cartlift report --format html`) of a simulated experiment, opened in chromium:
// it renders without console errors, its charts are on screen with a bar per variant, and axe-core finds no
// serious or critical violation.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const h = require('./_helpers');

const CLI = process.env.CARTLIFT_CLI || path.join(h.ROOT, 'target/debug/cartlift');

let dir;
let browser;
let reportUrl;

before(async () => {
  dir = h.tempDir('cartlift-report-');
  const store = path.join(dir, 'store');
  const html = path.join(dir, 'report.html');
  // 10% AOV lift planted in variant "on" (docs/measurement.md, worked example), small enough to run in seconds.
  const gen = ['--products', '200', '--orders', '2000', '--seed', '3', '--events', '8000', '--lift', '10'];
  execFileSync(CLI, ['gen', ...gen, '--out', store], { stdio: 'ignore' });
  const experiments = path.join(store, 'experiments.jsonl');
  const events = path.join(store, 'events.jsonl');
  execFileSync(CLI, ['report', '--experiments', experiments, '--events', events, '--format', 'html', '--out', html]);
  reportUrl = pathToFileURL(html).href;
  browser = await h.launch();
});

after(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the experiment report renders in chromium with its charts on screen', async () => {
  const page = await h.newPage(browser);
  await page.goto(reportUrl);
  assert.equal(await page.locator('h1').textContent(), 'Experiment report');

  const charts = page.locator('svg[role="img"]');
  assert.equal(await charts.count(), 2, 'AOV and attachment rate');
  for (const chart of await charts.all()) {
    const box = await chart.boundingBox();
    assert.ok(box && box.width >= 300 && box.height >= 60, `${await chart.getAttribute('aria-label')}: ${JSON.stringify(box)}`);
    assert.ok(await chart.isVisible());
    const bars = await chart.locator('rect').evaluateAll((rects) => rects.map((r) => r.getBBox().width));
    assert.equal(bars.length, 2, 'a bar for "off" and for "on"');
    assert.ok(bars[1] > 0, 'the "on" bar has a length');
  }
  assert.match(await page.locator('table').first().textContent(), /on.*off|off.*on/s);
  h.assertNoConsoleErrors(page);
  assert.deepEqual(await h.axeViolations(page), []);
  await h.screenshot(page, 'report-chromium', 1600);
});
