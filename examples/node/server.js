'use strict';
// A storefront server on node:http that asks cartlift in-process: no network hop, no event-loop blocking
// (training runs on the libuv pool, queries take microseconds).
//   npm install && node server.js [port]     (here, once the addon is built: bindings-node/README.md)
//   then: curl -d '{"cart":["1001"]}' localhost:8080/recommendations

const http = require('node:http');
const { Engine } = require('cartlift');
const { products, orders } = require('./catalog');

const routes = {
  '/recommendations': (engine, body) => engine.crossSell(body),
  '/upsell': (engine, body) => engine.upsell(body),
  '/cart/price': (engine, body) => engine.priceCart(body),
};

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch (err) {
        err.code = 'invalid_input';
        reject(err);
      }
    });
    req.on('error', reject);
  });
}

function send(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Train the engine, then serve. Resolves to the listening server. */
async function start(port = 0, host = '127.0.0.1') {
  const engine = await Engine.train({ products, orders: orders() });
  const server = http.createServer(async (req, res) => {
    const route = routes[req.url];
    if (!route || req.method !== 'POST') return send(res, 404, { error: { code: 'not_found' } });
    try {
      send(res, 200, route(engine, await readJson(req)));
    } catch (err) {
      // cartlift errors carry a stable code (and the offending field): a 4xx for bad input, 5xx otherwise.
      const status = err.code === 'internal' ? 500 : 400;
      send(res, status, { error: { code: err.code, field: err.field, message: err.message } });
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  return server;
}

module.exports = { start };

if (require.main === module) {
  start(Number(process.argv[2] || 8080)).then((server) => {
    const { address, port } = server.address();
    console.log(`storefront listening on http://${address}:${port}`);
  });
}
