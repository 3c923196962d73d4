'use strict';
// Node binding speed: crossSell through Node against the same request run inside Rust, and the per-call overhead.
//   node bench/node_bench.js            (needs the release addon with the bench hook: `npm run build:test` in bindings-node)
// Budget from the issue: crossSell through Node at most 3x the Rust time for the same request.

const path = require('node:path');
const cartlift = require(path.join(__dirname, '..', 'bindings-node'));

const { Engine } = cartlift;
const native = cartlift.__native;

function shop(nProducts, nOrders) {
  const products = [];
  for (let i = 0; i < nProducts; i++) {
    products.push({ id: `sku${i}`, title: `Product ${i}`, price: `${10 + (i % 90)}.99`, category: `cat${i % 25}`, tags: [`t${i % 7}`] });
  }
  const orders = [];
  let x = 42;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < nOrders; i++) {
    const lines = [];
    const k = 2 + Math.floor(rnd() * 4);
    // Skewed popularity so there are real neighbours.
    for (let j = 0; j < k; j++) lines.push({ product_id: `sku${Math.floor(rnd() * rnd() * nProducts)}`, quantity: 1 });
    orders.push({ id: `o${i}`, customer_id: `c${i % 5000}`, created_at: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`, lines });
  }
  return { products, orders };
}

function perCall(fn, iterations) {
  for (let i = 0; i < Math.min(1000, iterations); i++) fn(); // warm-up
  const best = [];
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    best.push(Number(process.hrtime.bigint() - t0) / iterations);
  }
  return Math.min(...best);
}

const nProducts = Number(process.env.BENCH_PRODUCTS || 5000);
const nOrders = Number(process.env.BENCH_ORDERS || 100000);
const iterations = Number(process.env.BENCH_ITERS || 20000);

const data = shop(nProducts, nOrders);
let t0 = process.hrtime.bigint();
const engine = Engine.trainSync(data);
const trainMs = Number(process.hrtime.bigint() - t0) / 1e6;

const requests = {
  small: { cart: ['sku1'], limit: 4 },
  typical: { cart: [{ product_id: 'sku1', quantity: 1 }, 'sku7', { product_id: 'sku42', quantity: 2, price: '12.50' }], placement: 'cart', customer_id: 'c17', viewed: ['sku3', 'sku9'], device: 'mobile', limit: 4 },
};

console.log(`cartlift ${cartlift.VERSION} node ${process.version}; shop ${nProducts} products, ${nOrders} orders; trainSync ${trainMs.toFixed(0)} ms`);
const fmt = (ns) => (ns / 1000).toFixed(2).padStart(8) + ' us';
const rows = [];
for (const [name, req] of Object.entries(requests)) {
  const json = JSON.stringify(req);
  const inner = engine[Object.getOwnPropertySymbols(engine)[0]];
  // Best of 5 rounds on both sides, so machine noise does not favour either.
  const rounds = Array.from({ length: 5 }, () => native.__benchQuery(inner, 'cross_sell', json, iterations));
  const rust = Object.fromEntries(Object.keys(rounds[0]).map((k) => [k, Math.min(...rounds.map((r) => r[k]))]));
  const nodeNs = perCall(() => engine.crossSell(req), iterations);
  const nativeOnly = perCall(() => inner.query('cross_sell', json), iterations);
  const ratio = nodeNs / rust.typed_ns;
  rows.push({ name, ratio });
  console.log(`crossSell ${name}: recommendations=${engine.crossSell(req).recommendations.length}`);
  console.log(`  rust typed cross_sell       ${fmt(rust.typed_ns)}`);
  console.log(`  rust Engine::query(Value)   ${fmt(rust.value_ns)}`);
  console.log(`  rust Engine::query_json     ${fmt(rust.json_ns)}`);
  console.log(`  node native query (string)  ${fmt(nativeOnly)}`);
  console.log(`  node engine.crossSell(obj)  ${fmt(nodeNs)}   = ${ratio.toFixed(2)}x rust typed, overhead ${fmt(nodeNs - rust.typed_ns)} per call`);
}
console.log(`empty native call (version()) ${fmt(perCall(() => native.version(), iterations * 5))}`);
const worst = Math.max(...rows.map((r) => r.ratio));
console.log(`worst ratio ${worst.toFixed(2)}x (budget 3x): ${worst <= 3 ? 'within budget' : 'OVER BUDGET'}`);
