'use strict';
// Packaging: `require('cartlift')` and `import` work from an app that depends on the package, and a missing or
// unloadable native binary fails with an error saying what is missing and how to build it.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { ROOT, PKG } = require('./_helpers');

const APP = path.join(ROOT, 'examples', 'node');

test('require and import resolve the package from an app', () => {
  const cjs = execFileSync(process.execPath, ['-e', "const c = require('cartlift'); console.log(typeof c.Engine.train, c.VERSION)"], { cwd: APP }).toString();
  assert.match(cjs, /^function \d+\.\d+\.\d+/);
  const esm = execFileSync(process.execPath, ['--input-type=module', '-e',
    "import { Engine, VERSION } from 'cartlift'; import c from 'cartlift'; console.log(typeof Engine.trainSync, VERSION, c.Engine === Engine)"], { cwd: APP }).toString();
  assert.match(esm, /^function \d+\.\d+\.\d+ true/);
});

function copyWithout(binary) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cartlift-pkg-'));
  for (const f of ['index.js', 'index.mjs', 'package.json']) fs.copyFileSync(path.join(PKG, f), path.join(dir, f));
  if (binary !== undefined) {
    const built = fs.readdirSync(PKG).find((f) => /^cartlift\..*\.node$/.test(f));
    fs.writeFileSync(path.join(dir, built), binary);
  }
  return dir;
}

test('a missing native binary names the file and how to build it', () => {
  const dir = copyWithout();
  const r = spawnSync(process.execPath, ['-e', `try { require(${JSON.stringify(dir)}) } catch (e) { console.log(e.code + ' ' + e.message); process.exit(3) }`]);
  assert.strictEqual(r.status, 3, r.stderr.toString());
  const out = r.stdout.toString();
  assert.match(out, /^native_addon_missing /);
  assert.match(out, /cartlift native addon not found at .*cartlift\.[a-z0-9-]+\.node/);
  assert.match(out, /npm run build/);
});

test('a damaged native binary says to rebuild it', () => {
  const dir = copyWithout('this is not a shared library');
  const r = spawnSync(process.execPath, ['-e', `try { require(${JSON.stringify(dir)}) } catch (e) { console.log(e.code + ' ' + e.message); process.exit(3) }`]);
  assert.strictEqual(r.status, 3, r.stderr.toString());
  assert.match(r.stdout.toString(), /^native_addon_invalid .*npm run build/);
});
