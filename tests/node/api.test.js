'use strict';
// Node-specific behaviour: argument forms, money, errors with codes, buffers, files, the event loop, panics.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { execFileSync, spawnSync } = require('node:child_process');
const { PKG, cartlift, products, orders, expectCode } = require('./_helpers');

const { Engine } = cartlift;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cartlift-node-'));
const engine = Engine.trainSync({ products: products(), orders: orders() });

test('package metadata', () => {
  assert.match(cartlift.VERSION, /^\d+\.\d+\.\d+/);
  assert.deepStrictEqual([...cartlift.ERROR_CODES].slice(0, 8), [
    'invalid_input', 'unknown_product', 'currency_mismatch', 'corrupt_model',
    'unsupported_version', 'io', 'unknown_experiment', 'internal',
  ]);
  for (const op of cartlift.OPERATIONS) {
    const method = op.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    assert.strictEqual(typeof engine[method], 'function', `method ${method} for ${op}`);
  }
  for (const m of ['crossSell', 'upsell', 'upgradePath', 'suggestDecoyPrice', 'priceCart', 'suggestBundles']) {
    assert.strictEqual(typeof engine[m], 'function', m);
  }
  assert.throws(() => new Engine({}), TypeError);
});

test('absurd requests are errors and the process answers the next one', () => {
  // An offset this large once sized an allocation whose failure aborted the whole Node process.
  expectCode(assert, () => engine.crossSell({ cart: ['p1'], offset: 10000000000000, limit: 5 }), 'invalid_input', 'offset');
  expectCode(assert, () => engine.priceCart({ cart: [{ product_id: 'p1', quantity: 1000000 }] }), 'invalid_input',
    'cart[0].quantity');
  expectCode(assert, () => engine.priceCart({ cart: [{ product_id: 'p1', price: '90000000000000.00' }] }),
    'invalid_input', 'cart[0].price');
  assert.ok(engine.crossSell({ cart: ['p1'], limit: 3 }).recommendations.length > 0);
});

test('crossSell answers plain objects with snake_case fields and string money', () => {
  const answer = engine.crossSell({ cart: ['p1'], limit: 3 });
  assert.strictEqual(Object.getPrototypeOf(answer), Object.prototype);
  assert.strictEqual(answer.placement, 'cart');
  assert.ok(answer.recommendations.length > 0);
  for (const r of answer.recommendations) {
    assert.strictEqual(typeof r.product_id, 'string');
    assert.strictEqual(typeof r.price, 'string');
    assert.match(r.price, /^\d+\.\d\d$/);
  }
  assert.ok(!answer.recommendations.some((r) => r.product_id === 'p1'), 'never recommends what is in the cart');
});

test('large ids stay exact strings', () => {
  const answer = engine.crossSell({ cart: ['p1'], limit: 10 });
  assert.ok(answer.recommendations.some((r) => r.product_id === '9007199254740993123'));
  const again = engine.crossSell({ cart: ['9007199254740993123'] });
  assert.ok(again.recommendations.some((r) => r.product_id === 'p1'));
});

test('cart lines as ids or objects give the same answer; undefined fields are ignored', () => {
  const a = engine.crossSell({ cart: ['p1'] });
  const b = engine.crossSell({ cart: [{ product_id: 'p1', quantity: 1 }], customer_id: undefined, device: undefined });
  assert.deepStrictEqual(a, b);
});

test('money: integer numbers are whole units, fractions are rejected with a hint to pass a string', () => {
  const e = Engine.trainSync({ products: [{ id: 'a', title: 'A', price: 20 }, { id: 'b', title: 'B', price: '5.5' }], orders: [
    { id: 'o1', created_at: '2024-01-01T00:00:00Z', lines: [{ product_id: 'a' }, { product_id: 'b' }] },
    { id: 'o2', created_at: '2024-01-02T00:00:00Z', lines: [{ product_id: 'a' }, { product_id: 'b' }] },
  ] });
  const prices = Object.fromEntries(e.crossSell({ cart: ['b'] }).recommendations.map((r) => [r.product_id, r.price]));
  assert.strictEqual(prices.a, '20.00');
  const err = expectCode(assert, () => Engine.trainSync({ products: [{ id: 'a', title: 'A', price: 19.99 }] }), 'invalid_input');
  assert.match(err.message, /string/);
  const err2 = expectCode(assert, () => engine.crossSell({ cart: [{ product_id: 'p1', price: 1.5 }] }), 'invalid_input', 'cart[0].price');
  assert.match(err2.message, /string/);
  // A string price override is fine.
  engine.crossSell({ cart: [{ product_id: 'p1', price: '1.50' }] });
});

test('errors carry a stable code and the offending field', () => {
  const err = expectCode(assert, () => engine.crossSell({ cart: [{ product_id: 'p1', quantity: 0 }] }), 'invalid_input', 'cart[0].quantity');
  assert.match(err.message, /quantity/);
  expectCode(assert, () => engine.crossSell({ cart: ['p1'], bogus: 1 }), 'invalid_input');
  expectCode(assert, () => engine.crossSell({ cart: ['p1'], placement: 'nowhere' }), 'invalid_input');
  expectCode(assert, () => Engine.trainSync({ products: products(), nonsense: true }), 'invalid_input');
  const big = { cart: [1n] };
  expectCode(assert, () => engine.crossSell(big), 'invalid_input');
  const circular = { cart: [] };
  circular.self = circular;
  expectCode(assert, () => engine.crossSell(circular), 'invalid_input');
});

test('errors in files name the line and the file', () => {
  const file = path.join(tmp, 'products.jsonl');
  fs.writeFileSync(file, '{"id":"a","title":"A","price":"1.00"}\n{"id":"b","title":"B","price":"nope"}\n');
  const err = expectCode(assert, () => Engine.trainSync({ products: file }), 'invalid_input');
  assert.strictEqual(err.line, 2, err.message);
  assert.strictEqual(err.file, file);
  const missing = expectCode(assert, () => Engine.trainSync({ products: path.join(tmp, 'missing.csv') }), 'io');
  assert.match(missing.message, /missing\.csv/);
});

test('arguments as file paths give the same engine as arrays', () => {
  const pf = path.join(tmp, 'products.json');
  const of = path.join(tmp, 'orders.jsonl');
  fs.writeFileSync(pf, JSON.stringify(products()));
  fs.writeFileSync(of, orders().map((o) => JSON.stringify(o)).join('\n') + '\n');
  const fromFiles = Engine.trainSync({ products: pf, orders: of });
  for (const cart of [['p1'], ['p2'], ['p1', 'p3']]) {
    assert.deepStrictEqual(fromFiles.crossSell({ cart }), engine.crossSell({ cart }));
  }
});

test('train returns a Promise; errors reject with codes', async () => {
  const p = Engine.train({ products: products(), orders: orders() });
  assert.ok(p instanceof Promise);
  const e = await p;
  assert.deepStrictEqual(e.crossSell({ cart: ['p1'] }), engine.crossSell({ cart: ['p1'] }));
  await assert.rejects(Engine.train({ products: path.join(tmp, 'nope.csv') }), (err) => err instanceof Error && err.code === 'io');
  await assert.rejects(Engine.train({ products: [{ id: 'x', title: 'X', price: 1.25 }] }), (err) => err.code === 'invalid_input');
  await assert.rejects(Engine.train({ products: [2n] }), (err) => err.code === 'invalid_input');
});

// Run in a child process: were training to block the event loop it would deadlock, and the timeout turns that
// into a failure instead of a hung suite.
const EVENT_LOOP_CHECK = `
const fs = require('node:fs');
const { Engine } = require(process.argv[1]);
const fifo = process.argv[2];
const products = [{ id: 'camera', title: 'Camera', price: '499.00' }, { id: 'lens', title: 'Lens', price: '249.50' }];
const line = (i) => JSON.stringify({ id: 'o' + i, created_at: '2026-01-02T10:00:00Z',
  lines: [{ product_id: 'camera' }, { product_id: 'lens' }] }) + '\\n';
(async () => {
  const training = Engine.train({ products, orders: fifo });
  // Only this event loop writes the pipe training reads its orders from.
  await fs.promises.writeFile(fifo, Array.from({ length: 20 }, (_, i) => line(i)).join(''));
  const engine = await training;
  process.stdout.write(engine.crossSell({ cart: ['camera'] }).recommendations[0].product_id);
})();
`;

test('the event loop keeps running while a training runs', () => {
  // Training reads its orders from a pipe that only the event loop fills: the promise can only settle if
  // training runs off the loop. Nothing is timed.
  const fifo = path.join(tmp, 'orders-pipe.jsonl');
  execFileSync('mkfifo', [fifo]);
  const done = spawnSync(process.execPath, ['-e', EVENT_LOOP_CHECK, PKG, fifo], { encoding: 'utf8', timeout: 120000 });
  assert.strictEqual(done.status, 0, `${done.error || ''} ${done.stderr}`);
  assert.strictEqual(done.stdout, 'lens');
});

test('toBuffer/fromBuffer round-trip, also from a Uint8Array', () => {
  const buf = engine.toBuffer();
  assert.ok(Buffer.isBuffer(buf) && buf.length > 0);
  const copy = Engine.fromBuffer(buf);
  assert.deepStrictEqual(copy.crossSell({ cart: ['p1'] }), engine.crossSell({ cart: ['p1'] }));
  const u8 = new Uint8Array(buf.length + 3);
  u8.set(buf, 3);
  const fromView = Engine.fromBuffer(u8.subarray(3));
  assert.deepStrictEqual(fromView.crossSell({ cart: ['p2'] }), engine.crossSell({ cart: ['p2'] }));
  assert.deepStrictEqual(engine.toBuffer(), buf, 'serialising one engine twice gives the same bytes');
  assert.throws(() => Engine.fromBuffer('not bytes'), (err) => err.code === 'invalid_input');
});

test('a model buffer can be shared with a worker thread', async () => {
  const buf = engine.toBuffer();
  const script = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { Engine } = require(workerData.pkg);
    const e = Engine.fromBuffer(Buffer.from(workerData.buf));
    parentPort.postMessage(e.crossSell({ cart: ['p1'] }));
  `;
  const answer = await new Promise((resolve, reject) => {
    const w = new Worker(script, { eval: true, workerData: { pkg: PKG, buf } });
    w.once('message', resolve);
    w.once('error', reject);
  });
  assert.deepStrictEqual(answer, engine.crossSell({ cart: ['p1'] }));
});

test('save/load round-trip; a corrupt or truncated file fails with corrupt_model', () => {
  const file = path.join(tmp, 'model.cartlift');
  engine.save(file);
  const loaded = Engine.load(file);
  assert.deepStrictEqual(loaded.crossSell({ cart: ['p1'] }), engine.crossSell({ cart: ['p1'] }));

  const bytes = fs.readFileSync(file);
  const flipped = Buffer.from(bytes);
  flipped[Math.floor(flipped.length / 2)] ^= 0xff;
  fs.writeFileSync(path.join(tmp, 'flipped.cartlift'), flipped);
  expectCode(assert, () => Engine.load(path.join(tmp, 'flipped.cartlift')), 'corrupt_model');
  fs.writeFileSync(path.join(tmp, 'short.cartlift'), bytes.subarray(0, bytes.length - 10));
  expectCode(assert, () => Engine.load(path.join(tmp, 'short.cartlift')), 'corrupt_model');
  fs.writeFileSync(path.join(tmp, 'text.cartlift'), 'hello, not a model');
  expectCode(assert, () => Engine.load(path.join(tmp, 'text.cartlift')), 'corrupt_model');
  expectCode(assert, () => Engine.fromBuffer(Buffer.alloc(0)), 'corrupt_model');
  expectCode(assert, () => Engine.load(path.join(tmp, 'absent.cartlift')), 'io');
  expectCode(assert, () => engine.save(path.join(tmp, 'no-such-dir', 'm.cartlift')), 'io');
});

test('open maps a model file: same answers as load; damaged or truncated files fail with corrupt_model', () => {
  const file = path.join(tmp, 'mapped.cartlift');
  engine.save(file);
  const opened = Engine.open(file);
  const loaded = Engine.load(file);
  for (const cart of [['p1'], ['p2'], ['p1', 'p3']]) {
    assert.deepStrictEqual(opened.crossSell({ cart }), loaded.crossSell({ cart }));
  }
  assert.deepStrictEqual(opened.toBuffer(), loaded.toBuffer());
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(path.join(tmp, 'mapped-short.cartlift'), bytes.subarray(0, bytes.length - 10));
  expectCode(assert, () => Engine.open(path.join(tmp, 'mapped-short.cartlift')), 'corrupt_model');
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 1] ^= 0xff;
  fs.writeFileSync(path.join(tmp, 'mapped-flipped.cartlift'), flipped);
  expectCode(assert, () => Engine.open(path.join(tmp, 'mapped-flipped.cartlift')), 'corrupt_model');
  const table = Buffer.from(bytes);
  table[40] ^= 0x01; // a byte of the tables: open checksums them too
  fs.writeFileSync(path.join(tmp, 'mapped-table.cartlift'), table);
  expectCode(assert, () => Engine.open(path.join(tmp, 'mapped-table.cartlift')), 'corrupt_model');
  expectCode(assert, () => Engine.open(path.join(tmp, 'absent.cartlift')), 'io');
});

test('updateProducts returns a new engine and leaves the old one unchanged', () => {
  const before = engine.crossSell({ cart: ['p1'], limit: 10 });
  const updated = engine.updateProducts([{ id: 'p2', price: '17.00' }, { id: 'p3', available: false }]);
  assert.ok(updated instanceof Engine && updated !== engine);
  const after = updated.crossSell({ cart: ['p1'], limit: 10 });
  const p2 = after.recommendations.find((r) => r.product_id === 'p2');
  assert.strictEqual(p2 && p2.price, '17.00');
  assert.ok(!after.recommendations.some((r) => r.product_id === 'p3'), 'unavailable product is not suggested');
  assert.deepStrictEqual(engine.crossSell({ cart: ['p1'], limit: 10 }), before);
  const single = engine.updateProducts({ id: 'p2', price: 18 });
  assert.strictEqual(single.crossSell({ cart: ['p1'], limit: 10 }).recommendations.find((r) => r.product_id === 'p2').price, '18.00');
  expectCode(assert, () => engine.updateProducts([{ id: 'nope', price: '1.00' }]), 'unknown_product', 'updates[0].id');
  expectCode(assert, () => engine.updateProducts([{ id: 'p2', price: 1.5 }]), 'invalid_input');
});

test('stats report what training read', () => {
  const s = engine.stats();
  assert.ok(Array.isArray(s.phases_ms));
  assert.ok(s.pairs > 0);
});

test('a panic never crashes the process: it becomes an internal error', async () => {
  const native = cartlift.__native;
  for (const place of ['guarded', 'export']) {
    let err;
    try {
      native.__testPanic(place);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Error, `${place}: a panic is thrown as an Error`);
    assert.match(err.message, /test panic/);
    if (place === 'guarded') assert.strictEqual(err.code, 'internal');
  }
  await assert.rejects(native.__testPanic('async'), (err) => err.code === 'internal' && /test panic/.test(err.message));
  // Still alive and answering.
  assert.ok(engine.crossSell({ cart: ['p1'] }).recommendations.length > 0);
});
