'use strict';
// Shared fixtures for the Node tests: the package under test and a small deterministic shop.

const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = path.join(ROOT, 'bindings-node');
const cartlift = require(PKG);

function products() {
  return [
    { id: 'p1', title: 'Phone', price: '299.00', category: 'phones' },
    { id: 'p2', title: 'Case', price: '19.99', category: 'cases' },
    { id: 'p3', title: 'Charger', price: 25, category: 'chargers' },
    { id: '9007199254740993123', title: 'Cable', price: '9.50', category: 'cables' },
  ];
}

function orders(n = 40) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const second = ['p2', 'p3', '9007199254740993123'][i % 3];
    out.push({
      id: `o${i}`,
      customer_id: `c${i % 5}`,
      created_at: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
      lines: [{ product_id: 'p1', quantity: 1 }, { product_id: second, quantity: 1 }],
    });
  }
  return out;
}

/** Assert that fn throws a cartlift error with the given code (and field, when given); returns the error. */
function expectCode(assert, fn, code, field) {
  let caught;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught, `expected an error with code ${code}, nothing was thrown`);
  assert.ok(caught instanceof Error, 'cartlift throws Error instances');
  assert.strictEqual(caught.code, code, `code of: ${caught.message}`);
  if (field !== undefined) assert.strictEqual(caught.field, field, `field of: ${caught.message}`);
  return caught;
}

module.exports = { ROOT, PKG, cartlift, products, orders, expectCode };
