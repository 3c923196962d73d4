'use strict';
// The example storefront (examples/node/server.js), started on a loopback port and called over real HTTP.

const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { ROOT } = require('./_helpers');

const { start } = require(path.join(ROOT, 'examples', 'node', 'server.js'));

async function post(base, route, body) {
  const res = await fetch(base + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

test('storefront server answers over HTTP', async (t) => {
  const server = await start(0, '127.0.0.1');
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const base = `http://127.0.0.1:${server.address().port}`;

  const rec = await post(base, '/recommendations', { cart: ['1001'], limit: 3 });
  assert.strictEqual(rec.status, 200, JSON.stringify(rec.body));
  assert.ok(rec.body.recommendations.length > 0);
  assert.ok(rec.body.recommendations.every((r) => r.product_id !== '1001' && typeof r.price === 'string'));
  assert.ok(rec.body.recommendations.some((r) => r.product_id === '1002' || r.product_id === '1004'));

  const bad = await post(base, '/recommendations', { cart: [{ product_id: '1001', quantity: -1 }] });
  assert.strictEqual(bad.status, 400);
  assert.strictEqual(bad.body.error.code, 'invalid_input');
  assert.strictEqual(bad.body.error.field, 'cart[0].quantity');

  // Upsell: the machine has no family and nothing pricier to compare with, so no options and the reason why.
  const up = await post(base, '/upsell', { product_id: '1001' });
  assert.strictEqual(up.status, 200, JSON.stringify(up.body));
  assert.strictEqual(up.body.product_id, '1001');
  assert.deepStrictEqual(up.body.options, []);
  assert.ok(up.body.reasons.some((r) => r.code === 'no_higher_tier'), JSON.stringify(up.body.reasons));
  const unknown = await post(base, '/upsell', { product_id: 'nope' });
  assert.strictEqual(unknown.status, 400);
  assert.strictEqual(unknown.body.error.code, 'unknown_product');

  // Cart pricing to the cent: 249.00 + 19.00, no bundle.
  const priced = await post(base, '/cart/price', { cart: [{ product_id: '1001', quantity: 1 }, '1004'] });
  assert.strictEqual(priced.status, 200, JSON.stringify(priced.body));
  assert.deepStrictEqual(priced.body.lines.map((l) => [l.product_id, l.total]), [['1001', '249.00'], ['1004', '19.00']]);
  assert.deepStrictEqual([priced.body.subtotal, priced.body.discount, priced.body.total], ['268.00', '0.00', '268.00']);

  const nf = await fetch(base + '/nope', { method: 'POST' });
  assert.strictEqual(nf.status, 404);
  await nf.arrayBuffer();
});
