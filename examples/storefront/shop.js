'use strict';
// The shop's data: the catalog, merchandising rules, bundles and the A/B experiment are the files in data/ (the
// formats of the README); the order history is generated here, deterministically, the way `cartlift demo` makes
// its sample store: each order starts with an anchor product and picks up its usual complements.

const fs = require('node:fs');
const path = require('node:path');

const DATA = path.join(__dirname, 'data');

function readJsonl(name) {
  return fs.readFileSync(path.join(DATA, name), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

// [anchor, complement, probability that an order of the anchor also holds the complement]
const COMPLEMENTS = [
  ['cam-a1', 'sd-64', 0.55], ['cam-a1', 'bag-sling', 0.3], ['cam-a1', 'lens-50', 0.25], ['cam-a2', 'sd-128', 0.55],
  ['cam-a2', 'lens-50', 0.35], ['cam-a2', 'bag-sling', 0.25], ['cam-a2', 'warranty-cam', 0.2], ['cam-a3', 'sd-256', 0.55],
  ['cam-a3', 'lens-zoom', 0.35], ['cam-a3', 'bag-backpack', 0.3], ['cam-a3', 'warranty-cam', 0.3], ['cam-a3', 'battery-cam', 0.3],
  ['lens-50', 'filter-uv', 0.3], ['lens-zoom', 'filter-uv', 0.3], ['tripod-travel', 'bag-sling', 0.15], ['lp-13', 'sleeve-13', 0.45],
  ['lp-14', 'sleeve-13', 0.35], ['lp-16', 'sleeve-16', 0.45], ['lp-15', 'sleeve-16', 0.35], ['lp-13', 'mouse-wl', 0.35],
  ['lp-14', 'mouse-wl', 0.3], ['lp-16', 'mouse-pro', 0.4], ['lp-16', 'hub-usbc', 0.45], ['lp-14', 'hub-usbc', 0.3],
  ['lp-16', 'warranty-lp', 0.3], ['lp-14', 'office-suite', 0.25], ['lp-13', 'antivirus', 0.15], ['esp-basic', 'grinder-hand', 0.35],
  ['esp-plus', 'grinder-burr', 0.4], ['esp-barista', 'tamper', 0.35], ['esp-basic', 'beans-house', 0.5], ['esp-plus', 'beans-house', 0.45],
  ['esp-barista', 'beans-eth', 0.45], ['esp-plus', 'jug-milk', 0.4], ['esp-barista', 'jug-milk', 0.3], ['esp-plus', 'descaler', 0.25],
  ['esp-basic', 'cups-esp', 0.25], ['esp-plus', 'warranty-esp', 0.2], ['grinder-burr', 'beans-eth', 0.35], ['beans-house', 'beans-col', 0.2],
  ['hp-basic', 'hp-cable', 0.3], ['hp-nc', 'hp-case', 0.45], ['hp-pro', 'hp-case', 0.5], ['hp-pro', 'hp-stand', 0.3],
  ['run-road', 'socks-run', 0.5], ['run-trail', 'socks-merino', 0.45], ['run-race', 'socks-comp', 0.4], ['run-road', 'bottle-500', 0.25],
  ['run-trail', 'belt-run', 0.3], ['run-race', 'gel-pack', 0.35], ['run-road', 'cap-run', 0.15], ['watch-gps', 'belt-run', 0.2],
];

/** mulberry32: a small seeded generator, so every run trains on the same orders. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Anchors start orders; accessories mostly ride along, expensive products start fewer orders. */
function anchorWeight(p) {
  if (p.kind === 'gift_card') return 0.3;
  if (p.kind) return 0.6;
  const minor = Number(p.price.replace('.', ''));
  return minor >= 50000 ? 1.2 : 2.0;
}

function picker(products, rnd) {
  const cum = [];
  let total = 0;
  for (const p of products) cum.push((total += anchorWeight(p)));
  return () => {
    const x = rnd() * total;
    return products[cum.findIndex((c) => x < c)].id;
  };
}

/** A year of orders (2025) from 1,200 customers. */
function orders(products, count = 5000, seed = 2026) {
  const rnd = random(seed);
  const pick = picker(products, rnd);
  const start = Date.UTC(2025, 0, 1);
  const yearSeconds = 365 * 86400;
  const times = Array.from({ length: count }, () => start + Math.floor(rnd() * yearSeconds) * 1000).sort((a, b) => a - b);
  return times.map((at, k) => {
    const anchor = pick();
    const items = new Set([anchor]);
    for (const [a, c, p] of COMPLEMENTS) if (a === anchor && rnd() < p) items.add(c);
    if (rnd() < 0.2) items.add(pick());
    return {
      id: `D${String(k + 1).padStart(5, '0')}`,
      customer_id: `cust-${String(Math.floor(rnd() * 1200)).padStart(4, '0')}`,
      created_at: new Date(at).toISOString().replace('.000Z', 'Z'),
      lines: [...items].sort().map((product_id) => ({
        product_id,
        quantity: /^(beans|socks)/.test(product_id) ? 1 + Math.floor(rnd() * 3) : 1,
      })),
    };
  });
}

/** The train request for the demo shop. */
function trainRequest() {
  const products = readJsonl('products.jsonl');
  return {
    products,
    orders: orders(products),
    rules: readJsonl('rules.jsonl'),
    bundles: readJsonl('bundles.jsonl'),
    experiments: readJsonl('experiments.jsonl'),
    // Four suggestions a shopper can take in at once (phones get mobile_limit, 3); the "off" variant shows none.
    config: { default_limit: 4 },
  };
}

/** Whether the shop can sell the product now (its catalog says so; the engine never suggests the others). */
function inStock(product) {
  return product.available !== false && product.inventory !== 0;
}

module.exports = { trainRequest, inStock };
