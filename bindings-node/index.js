'use strict';
// cartlift for Node. Loads the native addon and gives it a JS-shaped API: requests and answers are plain objects
// with snake_case fields (they cross into Rust as JSON text), methods are camelCase, errors carry a stable `code`.

const path = require('node:path');
const fs = require('node:fs');

function platformTag() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const glibc = process.report && typeof process.report.getReport === 'function'
      ? Boolean(process.report.getReport().header.glibcVersionRuntime)
      : true;
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

function loadNative() {
  const file = path.join(__dirname, `cartlift.${platformTag()}.node`);
  if (!fs.existsSync(file)) {
    const found = fs.readdirSync(__dirname).filter((f) => /^cartlift\..*\.node$/.test(f));
    const err = new Error(
      `cartlift native addon not found at ${file}` +
        (found.length ? ` (found only: ${found.join(', ')}, built for another platform)` : '') +
        '; build it with `npm run build` in bindings-node (needs Rust: https://rustup.rs)',
    );
    err.code = 'native_addon_missing';
    throw err;
  }
  try {
    return require(file);
  } catch (cause) {
    const err = new Error(
      `cartlift native addon at ${file} failed to load (${cause.message}); ` +
        'it was built for another Node/platform or is damaged: rebuild it with `npm run build` in bindings-node',
      { cause },
    );
    err.code = 'native_addon_invalid';
    throw err;
  }
}

const native = loadNative();

/** Thrown for requests that cannot even be turned into JSON (BigInt, circular objects). */
function encode(value, what) {
  try {
    return JSON.stringify(value === undefined ? {} : value);
  } catch (cause) {
    const err = new Error(`${what} cannot be encoded as JSON: ${cause.message}; pass ids and money as strings`, { cause });
    err.code = 'invalid_input';
    throw err;
  }
}

const ENGINE = Symbol('cartlift.native');

/** A trained engine: an immutable snapshot, safe to share; `updateProducts` returns a new one. */
class Engine {
  constructor(inner) {
    if (!(inner instanceof native.NativeEngine)) {
      throw new TypeError('use Engine.train, Engine.trainSync, Engine.load, Engine.open or Engine.fromBuffer to make an Engine');
    }
    this[ENGINE] = inner;
  }

  /** Train off the main thread (libuv pool); resolves to an Engine. */
  static train(request) {
    let json;
    try {
      json = encode(request, 'train request');
    } catch (err) {
      return Promise.reject(err);
    }
    return native.NativeEngine.train(json).then((inner) => new Engine(inner));
  }

  /** Train on the calling thread (scripts, CLIs). */
  static trainSync(request) {
    return new Engine(native.NativeEngine.trainSync(encode(request, 'train request')));
  }

  static load(file) {
    return new Engine(native.NativeEngine.load(String(file)));
  }

  static open(file) {
    return new Engine(native.NativeEngine.open(String(file)));
  }

  static fromBuffer(buf) {
    if (!(buf instanceof Uint8Array)) {
      const err = new TypeError('Engine.fromBuffer expects a Buffer or Uint8Array');
      err.code = 'invalid_input';
      throw err;
    }
    return new Engine(native.NativeEngine.fromBuffer(Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)));
  }

  save(file) {
    this[ENGINE].save(String(file));
  }

  toBuffer() {
    return this[ENGINE].toBuffer();
  }

  updateProducts(updates) {
    return new Engine(this[ENGINE].updateProducts(encode(updates, 'product updates')));
  }

  /** What training read, skipped and how long each phase took. */
  stats() {
    return JSON.parse(this[ENGINE].stats());
  }
}

const KNOWN_CODES = new Set(native.errorCodes());

/** A native error without a cartlift code (only a panic caught by napi-rs itself) is reported as `internal`. */
function normalized(err) {
  if (err instanceof Error && !KNOWN_CODES.has(err.code)) {
    err.napi_status = err.code;
    err.code = 'internal';
  }
  return err;
}

function query(engine, op, request) {
  const json = encode(request, `${op} request`);
  let answer;
  try {
    answer = engine[ENGINE].query(op, json);
  } catch (err) {
    throw normalized(err);
  }
  return JSON.parse(answer);
}

// One camelCase method per core operation (`cross_sell` -> `crossSell`), so new operations appear by themselves.
for (const op of native.operations()) {
  const method = op.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  Object.defineProperty(Engine.prototype, method, {
    value: function (request) {
      return query(this, op, request);
    },
    writable: true,
    configurable: true,
  });
}

module.exports = {
  Engine,
  VERSION: native.version(),
  ERROR_CODES: Object.freeze(native.errorCodes()),
  OPERATIONS: Object.freeze(native.operations()),
};
Object.defineProperty(module.exports, '__native', { value: native, enumerable: false });
