'use strict';
// A small demo shop: what a real store would load from its database or a Shopify export.

const products = [
  { id: '1001', title: 'Espresso machine', price: '249.00', category: 'machines', tags: ['coffee'] },
  { id: '1002', title: 'Burr grinder', price: '89.00', category: 'grinders', tags: ['coffee'] },
  { id: '1003', title: 'Milk jug', price: '14.50', category: 'accessories', tags: ['coffee'] },
  { id: '1004', title: 'Tamper', price: 19, category: 'accessories', tags: ['coffee'] },
  { id: '1005', title: 'Descaler', price: '9.99', category: 'care', tags: ['coffee'] },
  { id: '1006', title: 'Coffee beans 1kg', price: '24.00', category: 'beans', tags: ['coffee'] },
];

/** Deterministic order history: machines bought with grinders and tampers, beans with descaler. */
function orders() {
  const out = [];
  const baskets = [
    ['1001', '1002'], ['1001', '1004'], ['1001', '1002', '1004'], ['1006', '1005'], ['1001', '1003'],
    ['1002', '1006'], ['1001', '1004', '1005'], ['1006', '1003'],
  ];
  for (let i = 0; i < 64; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    out.push({
      id: `o${i}`,
      customer_id: `c${i % 11}`,
      created_at: `2024-03-${day}T10:00:00Z`,
      lines: baskets[i % baskets.length].map((product_id) => ({ product_id, quantity: 1 })),
    });
  }
  return out;
}

module.exports = { products, orders };
