'use strict';
// A demo shop on the cartlift Node addon: node:http, pages rendered on the server, every suggestion, price, saving
// and reason from the engine (this file only routes and renders; the business rules live in the Rust core).
//   PORT=8080 node examples/storefront/server.js   (HOST: the address, default 127.0.0.1; EVENTS_FILE: where the
//                                                     shopper events go, default events.jsonl beside this file)

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { Engine } = require('cartlift');
const shop = require('./shop');
const pages = require('./pages');

const EXPERIMENT = 'recs';
const PUBLIC = path.join(__dirname, 'public');
const STATIC = { 'store.css': 'text/css', 'store.js': 'text/javascript', 'cartlift-widgets.js': 'text/javascript' };
// Events the page may post; `order` is written by the server when an order is placed.
const PAGE_EVENTS = new Set(['view', 'impression', 'click', 'add_to_cart', 'decline']);
const MAX_BODY = 64 * 1024;
const CLIENT_ERRORS = new Set(['invalid_input', 'unknown_product']);

/** Per-visitor state in memory (a real shop keeps carts in its database). */
class Visitors {
  constructor() {
    this.byId = new Map();
  }

  get(id) {
    if (!this.byId.has(id)) this.byId.set(id, { cart: new Map(), declined: new Set(), viewed: [], orders: new Map() });
    return this.byId.get(id);
  }
}

/** Everything a page render needs about this request: the engine, the visitor and the variant they see. */
function context(app, req, visitorId) {
  const visitor = app.visitors.get(visitorId);
  const device = /Mobi|Android|iPhone/i.test(req.headers['user-agent'] || '') ? 'mobile' : 'desktop';
  const { variant } = app.engine.assign({ experiment: EXPERIMENT, visitor_id: visitorId });
  const cart = [...visitor.cart].map(([product_id, quantity]) => ({ product_id, quantity }));
  // The server stamps who and when; the page says what happened (docs/measurement.md, Events).
  const log = (event) => app.writeEvent({ ...event, at: new Date().toISOString(), visitor_id: visitorId });
  return { ...app, visitorId, visitor, device, variant, cart, experiment: EXPERIMENT, log };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch (err) {
        reject(Object.assign(err, { status: 400 }));
      }
    });
    req.on('error', reject);
  });
}

function badRequest(message) {
  return Object.assign(new Error(message), { status: 400 });
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendJson(res, status, value) {
  send(res, status, 'application/json', JSON.stringify(value));
}

function visitorCookie(req) {
  const match = /(?:^|;\s*)cartlift_visitor=([\w-]{1,64})/.exec(req.headers.cookie || '');
  return match ? match[1] : null;
}

/** Cart lines from a request body: `{items: [{product_id, quantity}]}`, products of the catalog only. */
function cartItems(ctx, body) {
  const items = Array.isArray(body.items) ? body.items : [];
  if (!items.length) throw badRequest('items: at least one {product_id, quantity}');
  return items.map(({ product_id, quantity = 1 }) => {
    if (!ctx.catalog.has(product_id)) throw badRequest(`items: unknown product ${product_id}`);
    if (!shop.inStock(ctx.catalog.get(product_id))) throw badRequest(`items: ${product_id} is sold out`);
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > 100) throw badRequest('items: quantity 0-100');
    return { product_id, quantity };
  });
}

/** A page event, stamped with the visitor and the time; a decline also hides the product for this visitor. */
function recordPageEvent(ctx, body) {
  if (!PAGE_EVENTS.has(body.type)) throw badRequest(`type: one of ${[...PAGE_EVENTS].join(', ')}`);
  const products = body.type === 'impression' ? body.product_ids : [body.product_id];
  if (!Array.isArray(products) || !products.every((id) => ctx.catalog.has(id))) throw badRequest('unknown product');
  if (body.type === 'decline') ctx.visitor.declined.add(body.product_id);
  if (body.type === 'view' && !ctx.visitor.viewed.includes(body.product_id)) ctx.visitor.viewed.push(body.product_id);
  ctx.log(body);
}

/** Place the cart as an order: priced by the engine without hints, logged as an `order` event (lines at their
 * unit price, the total after bundle discounts). */
function placeOrder(ctx) {
  if (!ctx.cart.length) throw badRequest('the cart is empty');
  const priced = ctx.engine.priceCart({ cart: ctx.cart, opportunities: false });
  const orderId = `W${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}`;
  const lines = priced.lines.map(({ product_id, quantity, unit_price }) => ({ product_id, quantity, price: unit_price }));
  ctx.log({ type: 'order', order_id: orderId, lines, total: priced.total, currency: priced.currency });
  ctx.visitor.orders.set(orderId, priced);
  ctx.visitor.cart.clear();
  return orderId;
}

const actions = {
  '/cart/add': (ctx, body) => {
    for (const { product_id, quantity } of cartItems(ctx, body)) {
      ctx.visitor.cart.set(product_id, (ctx.visitor.cart.get(product_id) || 0) + quantity);
    }
  },
  '/cart/set': (ctx, body) => {
    for (const { product_id, quantity } of cartItems(ctx, body)) {
      if (quantity === 0) ctx.visitor.cart.delete(product_id);
      else ctx.visitor.cart.set(product_id, quantity);
    }
  },
  '/events': recordPageEvent,
  '/order': (ctx) => ({ order_id: placeOrder(ctx) }),
};

function page(ctx, pathname) {
  if (pathname === '/') return pages.home(ctx);
  if (pathname === '/cart') return pages.cart(ctx);
  if (pathname === '/checkout') return pages.checkout(ctx);
  const product = /^\/product\/([\w-]+)$/.exec(pathname);
  if (product && ctx.catalog.has(product[1])) return pages.product(ctx, ctx.catalog.get(product[1]));
  const order = /^\/order\/(\w+)$/.exec(pathname);
  if (order && ctx.visitor.orders.has(order[1])) return pages.confirmation(ctx, order[1], ctx.visitor.orders.get(order[1]));
  return null;
}

async function handle(app, req, res) {
  const { pathname } = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && pathname.startsWith('/static/') && STATIC[pathname.slice(8)]) {
    const name = pathname.slice(8);
    return send(res, 200, STATIC[name], fs.readFileSync(path.join(PUBLIC, name), 'utf8'));
  }
  const known = visitorCookie(req);
  const visitorId = known || crypto.randomUUID();
  const cookie = known ? {} : { 'set-cookie': `cartlift_visitor=${visitorId}; Path=/; SameSite=Lax; HttpOnly` };
  const ctx = context(app, req, visitorId);
  if (req.method === 'POST' && actions[pathname]) {
    const answer = actions[pathname](ctx, await readBody(req));
    return send(res, 200, 'application/json', JSON.stringify(answer || { ok: true }), cookie);
  }
  const html = req.method === 'GET' ? page(ctx, pathname) : null;
  if (html === null) return send(res, 404, 'text/html; charset=utf-8', pages.notFound(ctx), cookie);
  return send(res, 200, 'text/html; charset=utf-8', html, cookie);
}

/** Train the demo shop's engine, then serve. Resolves to the listening server. */
async function start({ port = 0, host = '127.0.0.1', eventsFile } = {}) {
  const request = shop.trainRequest();
  const engine = await Engine.train(request);
  const catalog = new Map(request.products.map((p) => [p.id, p]));
  const events = fs.openSync(eventsFile || path.join(__dirname, 'events.jsonl'), 'a');
  const app = {
    engine,
    catalog,
    visitors: new Visitors(),
    writeEvent: (event) => fs.writeSync(events, `${JSON.stringify(event)}\n`),
  };
  const server = http.createServer((req, res) => {
    handle(app, req, res).catch((err) => {
      // cartlift errors carry a stable code: a bad request is the client's, anything else is ours.
      const status = err.status || (CLIENT_ERRORS.has(err.code) ? 400 : 500);
      if (status === 500) console.error(err);
      sendJson(res, status, { error: { code: err.code || 'bad_request', message: err.message } });
    });
  });
  server.on('close', () => fs.closeSync(events));
  await new Promise((resolve) => server.listen(port, host, resolve));
  return server;
}

module.exports = { start };

if (require.main === module) {
  const { PORT, HOST, EVENTS_FILE } = process.env;
  start({ port: Number(PORT || 8080), host: HOST || '127.0.0.1', eventsFile: EVENTS_FILE }).then((server) => {
    const { address, port } = server.address();
    console.log(`storefront listening on http://${address}:${port}`);
  });
}
