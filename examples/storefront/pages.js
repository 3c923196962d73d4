'use strict';
// The shop's pages as HTML strings. Every amount shown is a decimal string from the engine, only prefixed with the
// currency's symbol: nothing here adds, multiplies or rounds money.

const crypto = require('node:crypto');
const { inStock } = require('./shop');

const SYMBOLS = { USD: '$', EUR: '€', GBP: '£' };
const BADGES = { most_popular: 'Most popular', best_value: 'Best value' };
const TIERS = [['Good', 'Better'], ['Good', 'Better', 'Best']];

function esc(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function money(amount, currency = 'USD') {
  return esc(`${SYMBOLS[currency] ?? `${currency} `}${amount}`);
}

/** JSON inside a <script> element: `<` escaped so no string can close the element. */
function jsonScript(value) {
  return `<script type="application/json">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;
}

function isZero(amount) {
  return /^-?0(\.0+)?$/.test(amount);
}

function layout(ctx, { title, name, body }) {
  const count = ctx.cart.reduce((n, line) => n + line.quantity, 0);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Northwind &amp; Crema</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/store.css">
<script src="/static/store.js" defer></script>
<script src="/static/cartlift-widgets.js" defer></script>
</head>
<body data-page="${name}" data-device="${ctx.device}">
<header class="top">
  <a class="brand" href="/">Northwind &amp; Crema</a>
  <nav aria-label="Main"><a href="/">Shop</a> <a href="/cart" data-cartlift="cart-link">Cart (${count})</a></nav>
</header>
<main>
${body}
</main>
<footer>A cartlift demo shop. Experiment <code>${esc(ctx.experiment)}</code>:
you see variant <code data-cartlift="variant">${esc(ctx.variant ?? 'none')}</code>.</footer>
</body>
</html>
`;
}

/** Ask the engine for suggestions for this visitor (their declines, what they viewed, their A/B variant); the
 * config's limits apply (`mobile_limit` on phones). */
function crossSell(ctx, request) {
  return ctx.engine.crossSell({
    ...request,
    visitor_id: ctx.visitorId,
    experiment: ctx.experiment,
    declined: [...ctx.visitor.declined],
    viewed: ctx.visitor.viewed,
    device: ctx.device,
  });
}

function newListId(answer) {
  return `${answer.placement}-${crypto.randomBytes(6).toString('hex')}`;
}

/** The drop-in widget, fed the engine's answer; `list-id` ties impressions and clicks together for attribution. */
function recommendationsWidget(answer, listId = newListId(answer)) {
  return `<cartlift-recommendations data-cartlift="recommendations" list-id="${listId}" currency-symbol="$">
${jsonScript(answer)}
</cartlift-recommendations>`;
}

function productCard(p) {
  return `<li class="card"><a href="/product/${esc(p.id)}"><span class="title">${esc(p.title)}</span></a>
<span class="price">${money(p.price)}</span>${inStock(p) ? '' : '<span class="sold-out">Sold out</span>'}</li>`;
}

function buyButton(p) {
  if (!inStock(p)) return '<p class="sold-out">Sold out</p>';
  return `<button type="button" class="primary" data-cartlift-action="add-to-cart" data-product-id="${esc(p.id)}">Add to cart</button>`;
}

function home(ctx) {
  const byTag = new Map();
  for (const p of ctx.catalog.values()) {
    if (p.kind === 'gift_card') continue;
    const tag = (p.tags || [])[0] || 'more';
    if (!byTag.has(tag)) byTag.set(tag, []);
    byTag.get(tag).push(p);
  }
  const sections = [...byTag]
    .map(([tag, list]) => `<section><h2>${esc(tag[0].toUpperCase() + tag.slice(1))}</h2>
<ul class="grid">${list.map(productCard).join('\n')}</ul></section>`)
    .join('\n');
  const popular = crossSell(ctx, { cart: ctx.cart, placement: 'product_page' });
  return layout(ctx, {
    title: 'Shop',
    name: 'home',
    body: `<h1>Cameras, computing, coffee, audio and running gear</h1>
${recommendationsWidget(popular)}
${sections}`,
  });
}

/** "Add all to cart": the product and its suggestions priced together by the engine, with any bundle saving. */
function addAll(ctx, product, answer, listId) {
  if (!answer.recommendations.length) return '';
  // The suggestions name their list, so adding them counts for the recommendations in the report.
  const suggested = answer.recommendations.map((r) => ({ product_id: r.product_id, quantity: 1, list_id: listId }));
  const items = [{ product_id: product.id, quantity: 1 }, ...suggested];
  const priced = ctx.engine.priceCart({ cart: items.map(({ product_id, quantity }) => ({ product_id, quantity })), opportunities: false });
  const saved = !isZero(priced.discount);
  return `<div class="add-all" data-cartlift="bundle-savings">
<p>All ${items.length} together: ${saved ? `<s class="was">${money(priced.subtotal, priced.currency)}</s>` : ''}
<strong class="combined" data-amount="${esc(priced.total)}">${money(priced.total, priced.currency)}</strong>
${saved ? `<span class="saving">You save ${money(priced.discount, priced.currency)}</span>` : ''}</p>
<button type="button" data-cartlift-action="add-to-cart" data-items="${esc(JSON.stringify(items))}">Add all ${items.length} to cart</button>
</div>`;
}

function priceDelta(option) {
  return option.role === 'base' ? '' : `<br><span class="delta">${esc(option.price_delta)}</span>`;
}

function upsellTable(ctx, product) {
  const answer = ctx.engine.upsell({
    product_id: product.id,
    visitor_id: ctx.visitorId,
    declined: [...ctx.visitor.declined],
    viewed: ctx.visitor.viewed,
    // The demo's tiers sit just above the default 1.5x ceiling (as in `cartlift demo`).
    max_price_ratio: 2.0,
  });
  if (answer.options.length < 2) return '';
  const cells = (fn) => answer.options.map((o, i) => fn(o, i)).join('');
  const tiers = TIERS[answer.options.length - 2] || [];
  const rows = (answer.comparison?.rows || [])
    .filter((row) => row.attribute !== 'price')
    .map((row) => `<tr><th scope="row">${esc(row.label)}</th>${row.values.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<section class="upsell" data-cartlift="upsell" aria-labelledby="upsell-h">
<h2 id="upsell-h">Compare and upgrade</h2>
<table>
<thead><tr><td></td> ${cells((o, i) => `<th scope="col" data-product-id="${esc(o.product_id)}" data-role="${esc(o.role)}">
<span class="tier">${tiers[i] || ''}</span> ${esc(o.title)}
${o.badge ? `<span class="badge">${esc(BADGES[o.badge] || o.badge)}</span>` : ''}</th>`)}</tr></thead>
<tbody>
<tr><th scope="row">Price</th>${cells((o) => `<td><strong>${money(o.price)}</strong>${priceDelta(o)}</td>`)}</tr>
${rows}
<tr><th scope="row">Why</th>${cells((o) => `<td class="reasons">${o.reasons.map((r) => esc(r.text)).join('<br>')}</td>`)}</tr>
<tr><td></td>${cells((o) => `<td><button type="button" data-cartlift-action="add-to-cart" data-product-id="${esc(o.product_id)}"
 aria-label="Add to cart: ${esc(o.title)}">Add to cart</button></td>`)}</tr>
</tbody>
</table>
</section>`;
}

function product(ctx, p) {
  const answer = crossSell(ctx, { cart: [p.id], placement: 'product_page' });
  const listId = newListId(answer);
  const attrs = Object.entries(p.attributes || {})
    .map(([k, v]) => `<li>${esc(k.replace(/_/g, ' '))}: ${esc(v === true ? 'yes' : v === false ? 'no' : v)}</li>`)
    .join('');
  return layout(ctx, {
    title: p.title,
    name: 'product',
    body: `<article class="product" data-product-id="${esc(p.id)}">
<h1>${esc(p.title)}</h1>
<p class="price big">${money(p.price)}</p>
${attrs ? `<ul class="attrs">${attrs}</ul>` : ''}
${buyButton(p)}
</article>
${recommendationsWidget(answer, listId)}
${addAll(ctx, p, answer, listId)}
${upsellTable(ctx, p)}`,
  });
}

function totals(priced) {
  const c = priced.currency;
  const discount = isZero(priced.discount)
    ? ''
    : `<dt>Bundle savings</dt><dd data-cartlift-discount>−${money(priced.discount, c)}</dd>`;
  return `<dl class="totals" data-cartlift="cart-total">
<dt>Subtotal</dt><dd data-cartlift-subtotal>${money(priced.subtotal, c)}</dd>
${discount}
<dt>Total</dt><dd data-cartlift-total data-amount="${esc(priced.total)}">${money(priced.total, c)}</dd>
</dl>`;
}

function title(ctx, id) {
  return ctx.catalog.get(id)?.title ?? id;
}

/** Bundles applied and the cheapest additions that unlock more, all as the engine priced them. */
function bundleSavings(ctx, priced) {
  const applied = priced.applied.map(
    (a) => `<li data-bundle-id="${esc(a.bundle_id)}"><span>${esc(a.title ?? a.bundle_id)}${a.applications > 1 ? ` (×${a.applications})` : ''}</span>
<span class="saving">save ${money(a.saving, priced.currency)}</span></li>`,
  );
  const offers = (priced.opportunities || []).map(
    (o) => `<li><button type="button" data-cartlift-action="add-to-cart" data-bundle-id="${esc(o.bundle_id)}"
 data-items="${esc(JSON.stringify(o.add))}">${esc(o.text)}</button></li>`,
  );
  if (!applied.length && !offers.length) return '';
  return `<section class="bundles" data-cartlift="bundle-savings" aria-label="Bundle savings">
${applied.length ? `<h2>Bundles applied</h2><ul class="applied">${applied.join('')}</ul>` : ''}
${offers.length ? `<h2>Save more</h2><ul class="offers">${offers.join('')}</ul>` : ''}
</section>`;
}

function quantityButton(ctx, line, step) {
  const label = `${step < 0 ? 'One less' : 'One more'} ${title(ctx, line.product_id)}`;
  return `<button type="button" data-cartlift-action="set-quantity" data-product-id="${esc(line.product_id)}"
 data-quantity="${line.quantity + step}" aria-label="${esc(label)}">${step < 0 ? '−' : '+'}</button>`;
}

function cartLines(ctx, priced) {
  const c = priced.currency;
  const rows = priced.lines.map(
    (l) => `<tr data-product-id="${esc(l.product_id)}">
<th scope="row"><a href="/product/${esc(l.product_id)}">${esc(title(ctx, l.product_id))}</a></th>
<td>${money(l.unit_price, c)}</td>
<td class="qty">${quantityButton(ctx, l, -1)} <span>${l.quantity}</span> ${quantityButton(ctx, l, +1)}</td>
<td>${isZero(l.discount) ? '' : `−${money(l.discount, c)}`}</td>
<td>${money(l.total, c)}</td></tr>`,
  );
  return `<table class="lines"><thead><tr><th scope="col">Product</th><th scope="col">Price</th><th scope="col">Qty</th>
<th scope="col">Discount</th><th scope="col">Total</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function cart(ctx) {
  if (!ctx.cart.length) {
    const popular = crossSell(ctx, { cart: [], placement: 'cart' });
    return layout(ctx, {
      title: 'Cart',
      name: 'cart',
      body: `<h1>Your cart is empty</h1><p><a href="/">Continue shopping</a></p>${recommendationsWidget(popular)}`,
    });
  }
  const priced = ctx.engine.priceCart({ cart: ctx.cart });
  const answer = crossSell(ctx, { cart: ctx.cart, placement: 'cart' });
  return layout(ctx, {
    title: 'Cart',
    name: 'cart',
    body: `<h1>Your cart</h1>
${cartLines(ctx, priced)}
${totals(priced)}
${bundleSavings(ctx, priced)}
<p><a class="button primary" href="/checkout">Checkout</a></p>
${recommendationsWidget(answer)}`,
  });
}

function checkout(ctx) {
  if (!ctx.cart.length) return cart(ctx);
  const priced = ctx.engine.priceCart({ cart: ctx.cart, opportunities: false });
  const answer = crossSell(ctx, { cart: ctx.cart, placement: 'checkout' });
  return layout(ctx, {
    title: 'Checkout',
    name: 'checkout',
    body: `<h1>Checkout</h1>
${cartLines(ctx, priced)}
${totals(priced)}
${recommendationsWidget(answer)}
<p><button type="button" class="primary" data-cartlift-action="place-order">Place order</button></p>`,
  });
}

function confirmation(ctx, orderId, priced) {
  const bought = priced.lines.map((l) => l.product_id);
  const answer = crossSell(ctx, { cart: bought, placement: 'post_purchase' });
  const lines = priced.lines
    .map((l) => `<li>${l.quantity} × ${esc(title(ctx, l.product_id))}: ${money(l.total, priced.currency)}</li>`)
    .join('');
  return layout(ctx, {
    title: 'Thank you',
    name: 'confirmation',
    body: `<h1>Thank you for your order</h1>
<p>Order <strong data-order-id>${esc(orderId)}</strong></p>
<ul class="ordered">${lines}</ul>
${totals(priced)}
${recommendationsWidget(answer)}`,
  });
}

function notFound(ctx) {
  return layout(ctx, { title: 'Not found', name: 'not-found', body: '<h1>Not found</h1><p><a href="/">Back to the shop</a></p>' });
}

module.exports = { home, product, cart, checkout, confirmation, notFound };
