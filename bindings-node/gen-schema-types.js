#!/usr/bin/env node
// Write schema.d.ts (the request and answer types of index.d.ts) from include/cartlift.schema.json, which
// `cartlift schema` generates from the core's Rust types, with json-schema-to-typescript (a pinned dev dependency).
// Usage: node gen-schema-types.js [OUT]   (default: schema.d.ts beside this file; tests/node/run.sh writes a
// scratch copy and fails when the committed one differs)
'use strict';

const fs = require('fs');
const path = require('path');
const { compile } = require('json-schema-to-typescript');

const schemaPath = path.join(__dirname, '..', 'include', 'cartlift.schema.json');
const out = process.argv[2] || path.join(__dirname, 'schema.d.ts');

const banner = [
  '// Request and answer types of the JSON surface, generated from include/cartlift.schema.json by',
  '// gen-schema-types.js (json-schema-to-typescript): do not edit; run scripts/gen-schema.sh.',
].join('\n');

async function main() {
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  const ts = await compile(schema, schema.title, {
    bannerComment: banner,
    // Every definition, also those no operation names directly (e.g. `ProductUpdate`).
    unreachableDefinitions: true,
    // Answers carry exactly the fields the schema lists; requests with unknown fields are rejected by the core.
    additionalProperties: false,
    // Stable output whatever the installed prettier's defaults.
    style: { printWidth: 120, singleQuote: true },
    strictIndexSignatures: true,
  });
  fs.writeFileSync(out, ts);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
