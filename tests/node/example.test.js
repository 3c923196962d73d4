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

  // Upsell and cart pricing: whatever the core answers (an answer or a coded error), the route works end to end.
  for (const [route, body] of [['/upsell', { product_id: '1001' }], ['/cart/price', { cart: [{ product_id: '1001', quantity: 1 }, '1004'] }]]) {
    const r = await post(base, route, body);
    assert.ok(r.status === 200 || (r.status === 400 && typeof r.body.error.code === 'string'), `${route}: ${JSON.stringify(r.body)}`);
    if (r.status === 200) assert.strictEqual(typeof r.body, 'object');
  }

  const nf = await fetch(base + '/nope', { method: 'POST' });
  assert.strictEqual(nf.status, 404);
  await nf.arrayBuffer();
});
