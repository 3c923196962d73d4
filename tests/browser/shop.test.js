'use strict';
// The example shop (examples/storefront) driven in chromium as shoppers use it. Money on the page is compared with
// the engine's own answers (the addon called directly, trained on the same shop); each shopper has a visitor cookie
// whose A/B variant the engine assigns.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Engine } = require('../../bindings-node');
const { trainRequest } = require('../../examples/storefront/shop');
const h = require('./_helpers');

const CLI = process.env.CARTLIFT_CLI || path.join(h.ROOT, 'target/debug/cartlift');
const MOBILE_LIMIT = 3; // the engine's default `mobile_limit`; the shop's config leaves it

let dir;
let shop;
let browser;
let engine;
let eventsFile;
let on;
let off;

before(async () => {
  dir = h.tempDir('cartlift-shop-');
  eventsFile = path.join(dir, 'events.jsonl');
  [shop, browser, engine] = await Promise.all([h.startShop(eventsFile), h.launch(), Engine.train(trainRequest())]);
  on = h.visitorsIn(engine, 'on', 9);
  off = h.visitorsIn(engine, 'off', 1);
});

after(async () => {
  await browser?.close();
  shop?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A new shopper on `path` of the shop. */
async function visit(visitorId, pathname, device) {
  const page = await h.shopper(browser, shop.url, visitorId, device);
  await page.goto(shop.url + pathname);
  return page;
}

/** Open a product page and press its own "Add to cart" `times` times. */
async function addProduct(page, productId, times = 1) {
  await page.goto(`${shop.url}/product/${productId}`);
  for (let i = 0; i < times; i++) await h.clickAndLoad(page, page.locator('article.product [data-cartlift-action="add-to-cart"]'));
}

/** Wait until the shop's event log holds an event matching `predicate` (beacons arrive when they arrive; the
 * bound is only there so a lost event fails the test instead of hanging it). */
async function eventLogged(predicate) {
  for (let waited = 0; waited < 60_000; waited += 50) {
    if (h.readEvents(eventsFile).some(predicate)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail('the event never reached the log');
}

/** Cents of a decimal string, as an integer (only the test compares amounts; the shop never does). */
function cents(amount) {
  const [units, fraction = ''] = amount.split('.');
  return BigInt(units) * 100n + BigInt(fraction.padEnd(2, '0'));
}

test('adding to the cart changes the cart recommendations', async () => {
  const page = await visit(on[0], '/');
  await addProduct(page, 'cam-a2');
  await page.goto(`${shop.url}/cart`);
  const before = await h.shownIds(page);
  assert.ok(before.length > 0, 'cart recommendations for a camera');

  // A suggestion clicked from the cart and added from its page: an attributed add (see the report test below).
  const clicked = before[0];
  await h.clickAndLoad(page, page.locator(`[data-cartlift="recommendations"] li[data-product-id="${clicked}"] a`));
  assert.equal(new URL(page.url()).pathname, `/product/${clicked}`);
  await eventLogged((e) => e.type === 'click' && e.visitor_id === on[0] && e.product_id === clicked && e.list_id);
  await h.clickAndLoad(page, page.locator('article.product [data-cartlift-action="add-to-cart"]'));
  await addProduct(page, 'esp-plus');

  await page.goto(`${shop.url}/cart`);
  const cart = (await h.cartOnPage(page)).map((l) => l.product_id);
  assert.deepEqual(cart.sort(), ['cam-a2', clicked, 'esp-plus'].sort());
  const now = await h.shownIds(page);
  assert.ok(now.length > 0);
  assert.notDeepEqual(now, before, 'the suggestions follow the cart');
  assert.ok(now.every((id) => !cart.includes(id)), `nothing in the cart is suggested: ${now}`);
  assert.ok(now.some((id) => !before.includes(id)), 'the espresso machine brought new suggestions');
  h.assertNoConsoleErrors(page);
});

test("the cart's lines and totals are price_cart's, to the cent", async () => {
  const page = await visit(on[1], '/');
  await addProduct(page, 'lp-16');
  await addProduct(page, 'warranty-lp');
  await addProduct(page, 'beans-house', 2);
  await addProduct(page, 'socks-merino', 3);
  await page.goto(`${shop.url}/cart`);
  const cart = await h.cartOnPage(page);
  assert.equal(cart.length, 4);
  const priced = engine.priceCart({ cart });

  const total = page.locator('[data-cartlift="cart-total"] [data-cartlift-total]');
  assert.equal(await total.getAttribute('data-amount'), priced.total);
  assert.equal(await total.textContent(), `$${priced.total}`);
  assert.equal(await page.locator('[data-cartlift-subtotal]').textContent(), `$${priced.subtotal}`);
  assert.equal(await page.locator('[data-cartlift-discount]').textContent(), `−$${priced.discount}`);
  for (const line of priced.lines) {
    const row = page.locator(`table.lines tr[data-product-id="${line.product_id}"] td`);
    assert.equal(await row.last().textContent(), `$${line.total}`, line.product_id);
  }
  const applied = await page
    .locator('[data-cartlift="bundle-savings"] li[data-bundle-id]')
    .evaluateAll((lis) => lis.map((li) => li.dataset.bundleId));
  assert.deepEqual(applied, priced.applied.map((a) => a.bundle_id));
  assert.ok(applied.includes('protect-laptop') && applied.includes('beans-volume') && applied.includes('socks-3'), `${applied}`);
  h.assertNoConsoleErrors(page);
});

test('"Add 1 more" adds the missing unit and the bundle applies', async () => {
  const page = await visit(on[2], '/');
  await addProduct(page, 'socks-run', 2);
  await page.goto(`${shop.url}/cart`);
  const offer = engine.priceCart({ cart: [{ product_id: 'socks-run', quantity: 2 }] }).opportunities.find((o) => o.bundle_id === 'socks-3');
  assert.match(offer.text, /^Add 1 more Running Socks to save \$/);
  const button = page.locator('[data-cartlift="bundle-savings"] button[data-bundle-id="socks-3"]');
  assert.equal(await button.textContent(), offer.text);
  assert.equal(await page.locator('li[data-bundle-id="socks-3"]').count(), 0);

  await h.clickAndLoad(page, button);
  assert.deepEqual(await h.cartOnPage(page), [{ product_id: 'socks-run', quantity: 3 }]);
  const priced = engine.priceCart({ cart: [{ product_id: 'socks-run', quantity: 3 }] });
  assert.equal(priced.applied[0].saving, offer.saving);
  assert.ok((await page.locator('li[data-bundle-id="socks-3"]').textContent()).endsWith(`save $${offer.saving}`));
  assert.equal(await page.locator('[data-cartlift-total]').getAttribute('data-amount'), priced.total);
  h.assertNoConsoleErrors(page);
});

test('"Add all to cart" puts the product and its suggestions in the cart at the combined price shown', async () => {
  const page = await visit(on[8], '/product/cam-a2');
  const suggested = await h.shownIds(page);
  const offer = page.locator('.add-all[data-cartlift="bundle-savings"]');
  const combined = await offer.locator('.combined').getAttribute('data-amount');
  const priced = engine.priceCart({ cart: ['cam-a2', ...suggested], opportunities: false });
  assert.equal(combined, priced.total);
  assert.ok((await offer.textContent()).includes(`You save $${priced.discount}`));

  await h.clickAndLoad(page, offer.locator('[data-cartlift-action="add-to-cart"]'));
  await page.goto(`${shop.url}/cart`);
  assert.deepEqual((await h.cartOnPage(page)).map((l) => l.product_id).sort(), ['cam-a2', ...suggested].sort());
  assert.equal(await page.locator('[data-cartlift-total]').getAttribute('data-amount'), combined);
  h.assertNoConsoleErrors(page);
});

test('"Not interested" hides the product for this visitor only', async () => {
  const page = await visit(on[3], '/product/cam-a2');
  const shown = await h.shownIds(page);
  const declined = shown[0];
  const card = page.locator(`[data-cartlift="recommendations"] li[data-product-id="${declined}"]`);
  await card.locator('[data-cartlift-action="decline"]').click();
  assert.equal(await card.count(), 0, 'gone at once');
  await eventLogged((e) => e.type === 'decline' && e.visitor_id === on[3] && e.product_id === declined);

  await page.reload();
  assert.ok(!(await h.shownIds(page)).includes(declined), 'still gone after a reload');
  await h.clickAndLoad(page, page.locator('article.product [data-cartlift-action="add-to-cart"]'));
  await page.goto(`${shop.url}/cart`);
  assert.ok(!(await h.shownIds(page)).includes(declined), 'and in the cart');

  const other = await visit(on[4], '/product/cam-a2');
  assert.ok((await h.shownIds(other)).includes(declined), 'another visitor still sees it');
  h.assertNoConsoleErrors(page);
});

test('a sold-out product cannot be added', async () => {
  const page = await visit(on[8], '/product/bag-backpack');
  assert.equal(await page.locator('article.product .sold-out').textContent(), 'Sold out');
  assert.equal(await page.locator('article.product [data-cartlift-action="add-to-cart"]').count(), 0);
  const refused = await page.request.post(`${shop.url}/cart/add`, { data: { items: [{ product_id: 'bag-backpack', quantity: 1 }] } });
  assert.equal(refused.status(), 400);
  h.assertNoConsoleErrors(page);
});

test('the control arm of the experiment sees no recommendations', async () => {
  const page = await visit(off[0], '/product/cam-a2');
  assert.equal(await page.locator('[data-cartlift="variant"]').textContent(), 'off');
  assert.equal(await page.locator('[data-cartlift="recommendations"] [data-product-id]').count(), 0);
  assert.ok(await page.locator('[data-cartlift="upsell"]').isVisible(), 'the upsell table is not part of the test');
  await h.clickAndLoad(page, page.locator('article.product [data-cartlift-action="add-to-cart"]'));
  await page.goto(`${shop.url}/checkout`);
  await Promise.all([page.waitForURL(/\/order\//), page.locator('[data-cartlift-action="place-order"]').click()]);
  h.assertNoConsoleErrors(page);
});

test('checkout offers add-ons under the price cap; the confirmation suggests what goes with the order', async () => {
  const page = await visit(on[5], '/');
  await addProduct(page, 'lp-16');
  await page.goto(`${shop.url}/checkout`);
  const subtotal = cents(await page.locator('[data-cartlift-subtotal]').textContent().then((t) => t.slice(1)));
  const addOns = page.locator('[data-cartlift="recommendations"] li[data-product-id]');
  assert.ok((await addOns.count()) > 0);
  for (const price of await addOns.locator('.price').allTextContents()) {
    assert.ok(cents(price.slice(1)) * 4n <= subtotal, `${price} is at most 25% of the subtotal`);
  }
  const addOn = await addOns.first().getAttribute('data-product-id');
  await h.clickAndLoad(page, addOns.first().locator('[data-cartlift-action="add-to-cart"]'));
  assert.deepEqual((await h.cartOnPage(page)).map((l) => l.product_id).sort(), [addOn, 'lp-16'].sort());
  // Logged before the order, so the report attributes the add-on to the checkout list.
  await eventLogged((e) => e.type === 'add_to_cart' && e.visitor_id === on[5] && e.product_id === addOn && e.list_id);

  await Promise.all([page.waitForURL(/\/order\//), page.locator('[data-cartlift-action="place-order"]').click()]);
  const orderId = await page.locator('[data-order-id]').textContent();
  await eventLogged((e) => e.type === 'order' && e.order_id === orderId);
  const suggested = await h.shownIds(page);
  assert.ok(suggested.length > 0, 'post-purchase suggestions');
  assert.ok(suggested.every((id) => id !== addOn && id !== 'lp-16'));
  assert.equal(await page.locator('[data-cartlift="cart-link"]').textContent(), 'Cart (0)');
  h.assertNoConsoleErrors(page);
});

/** Visit every page (a camera with four learned complements, so a desktop page has more to show than a phone,
 * and a better tier), with a camera and two pairs of socks in the cart, ending with an order. */
async function everyPage(page, check) {
  await page.goto(`${shop.url}/`);
  await check('home');
  await page.goto(`${shop.url}/product/cam-a2`);
  await check('product');
  await addProduct(page, 'cam-a2');
  await addProduct(page, 'socks-run', 2);
  await page.goto(`${shop.url}/cart`);
  await check('cart');
  await page.goto(`${shop.url}/checkout`);
  await check('checkout');
  await Promise.all([page.waitForURL(/\/order\//), page.locator('[data-cartlift-action="place-order"]').click()]);
  await check('confirmation');
}

for (const [device, options, visitor] of [
  ['desktop', h.DESKTOP, 6],
  ['mobile', h.MOBILE, 7],
]) {
  const phone = device === 'mobile' ? ', no sideways scrolling, mobile_limit suggestions' : '';
  test(`every page on ${device}: no console errors, no serious accessibility violations${phone}`, async () => {
    const page = await h.shopper(browser, shop.url, on[visitor], options);
    await everyPage(page, async (name) => {
      h.assertNoConsoleErrors(page);
      assert.deepEqual(await h.axeViolations(page), [], `axe on ${name}`);
      const shown = (await h.shownIds(page)).length;
      if (device === 'mobile') {
        const { scrollWidth, clientWidth } = await page.evaluate(() => {
          const { scrollWidth, clientWidth } = document.documentElement;
          return { scrollWidth, clientWidth };
        });
        assert.ok(scrollWidth <= clientWidth, `${name}: ${scrollWidth} px wide in a ${clientWidth} px viewport`);
        assert.ok(shown <= MOBILE_LIMIT, `${name}: ${shown} suggestions`);
        if (name === 'product' || name === 'cart') assert.equal(shown, MOBILE_LIMIT, name);
      } else if (name === 'product' || name === 'cart') {
        assert.ok(shown > MOBILE_LIMIT, `${name}: the desktop shows more than a phone`);
      }
      await h.screenshot(page, `storefront-${name}-${device}`);
    });
  });
}

test('the events the pages sent are in the schema: cartlift report reads them, training learns the decline', async () => {
  const events = h.readEvents(eventsFile);
  const types = new Set(events.map((e) => e.type));
  for (const type of ['view', 'impression', 'click', 'add_to_cart', 'decline', 'order']) assert.ok(types.has(type), type);

  const experiments = path.join(h.SHOP, 'data/experiments.jsonl');
  const report = JSON.parse(
    execFileSync(CLI, ['report', '--experiments', experiments, '--events', eventsFile, '--format', 'json'], { encoding: 'utf8' }),
  );
  assert.equal(report.events.malformed, 0, JSON.stringify(report.events.malformed_examples));
  assert.equal(report.events.variant_mismatches, 0);
  assert.equal(report.events.unmatched_clicks, 0);
  const variants = Object.fromEntries(report.experiments[0].variants.map((v) => [v.variant, v]));
  assert.ok(variants.off.visitors >= 1 && variants.off.orders >= 1, 'the control arm');
  assert.equal(variants.off.impressions, 0);
  assert.ok(variants.on.impressions > 0 && variants.on.orders >= 3);
  assert.ok(variants.on.attached_orders >= 1, 'an order holds a product added from a recommendation list');

  const decline = events.find((e) => e.type === 'decline');
  const learned = await Engine.train({ ...trainRequest(), events: eventsFile });
  const forVisitor = (visitor_id) => learned.crossSell({ cart: ['cam-a2'], visitor_id }).recommendations.map((r) => r.product_id);
  assert.ok(!forVisitor(decline.visitor_id).includes(decline.product_id), 'the decline, learned from the log');
  assert.ok(forVisitor('someone-else').includes(decline.product_id));
});
