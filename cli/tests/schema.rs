//! include/cartlift.schema.json is what `cartlift schema` generates from the core's request and answer types, the
//! source of the Python and TypeScript types (scripts/gen-schema.sh). This test fails when it drifted, as
//! bindings-c/tests/headers.rs does for the C headers; tests/python/run.sh and tests/node/run.sh check the
//! Python and TypeScript files made from it.

use std::path::Path;

#[test]
fn committed_schema_matches_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/cartlift.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let generated = cartlift_core::schema_text();
    if committed != generated {
        let line = committed.lines().zip(generated.lines()).position(|(a, b)| a != b).map_or(0, |i| i + 1);
        panic!(
            "include/cartlift.schema.json drifted from the Rust types (first difference near line {line}): run \
             scripts/gen-schema.sh and commit the result"
        );
    }
}
