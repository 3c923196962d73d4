'use strict';
// The cross-language conformance vectors (tests/vectors/<store>/{train.json,cases/*.json}), run through the
// public Node API: snake_case op names map to camelCase methods (`cross_sell` -> `engine.crossSell`). Checked as
// tests/vectors/README.md specifies: answers compared whole (numbers within 1e-6), errors by code, field and line.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, cartlift } = require('./_helpers');

const { Engine } = cartlift;
const VECTORS = path.join(ROOT, 'tests', 'vectors');
const camel = (op) => op.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

function stores() {
  if (!fs.existsSync(VECTORS)) return [];
  return fs.readdirSync(VECTORS).filter((d) => fs.existsSync(path.join(VECTORS, d, 'train.json'))).sort();
}

test('conformance vectors are present', () => {
  assert.ok(fs.existsSync(VECTORS), `${VECTORS} is missing: the vectors must be run, not skipped`);
  const all = stores();
  assert.ok(all.length > 0, 'no store under tests/vectors');
  const cases = all.flatMap((s) => {
    const dir = path.join(VECTORS, s, 'cases');
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  });
  assert.ok(cases.length > 0, 'no case under tests/vectors/*/cases');
});

/** Numbers agree when they differ by at most this (scores to 6 decimal places). */
const NUMBER_TOLERANCE = 1e-6;

/** Objects by key set, arrays in order, numbers within NUMBER_TOLERANCE, everything else exactly. */
function same(expected, actual) {
  if (typeof expected === 'number' && typeof actual === 'number') return Math.abs(expected - actual) <= NUMBER_TOLERANCE;
  if (Array.isArray(expected) || Array.isArray(actual)) {
    return Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length
      && expected.every((e, i) => same(e, actual[i]));
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((k) => k in actual && same(expected[k], actual[k]));
  }
  return expected === actual;
}

function checkError(err, expected, where) {
  assert.ok(err instanceof Error, `${where}: expected an Error`);
  const got = { code: err.code, field: err.field ?? null, line: err.line ?? null };
  const want = { code: expected.code, field: expected.field ?? null, line: expected.line ?? null };
  assert.deepStrictEqual(got, want, `${where}: error (message: ${err.message})`);
}

for (const store of stores()) {
  test(`vectors: ${store}`, async (t) => {
    const engine = Engine.trainSync(readJson(path.join(VECTORS, store, 'train.json')));
    const dir = path.join(VECTORS, store, 'cases');
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
    for (const file of files) {
      await t.test(file, () => {
        const c = readJson(path.join(dir, file));
        const where = `${store}/${file}`;
        const run = c.op === 'train' ? () => Engine.trainSync(c.request) : () => {
          const method = engine[camel(c.op)];
          assert.strictEqual(typeof method, 'function', `${where}: Engine has no method ${camel(c.op)} for op ${c.op}`);
          return method.call(engine, c.request);
        };
        if (c.error) {
          let err;
          try {
            run();
          } catch (e) {
            err = e;
          }
          assert.ok(err, `${where}: expected error ${JSON.stringify(c.error)}, got success`);
          checkError(err, c.error, where);
        } else {
          assert.ok('response' in c, `${where}: case has neither response nor error`);
          const got = run();
          if (c.op === 'train') return; // training succeeded; nothing to compare
          assert.ok(same(c.response, got), `${where}: answer differs\n  expected ${JSON.stringify(c.response)}\n  got      ${JSON.stringify(got)}`);
        }
      });
    }
  });
}
