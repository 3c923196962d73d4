//! The committed headers, include/cartlift.h (C and C++) and include/cartlift_php.h (PHP's FFI), are what
//! cbindgen (the library, pinned in Cargo.toml: its output changes between versions) generates from src/ with
//! cbindgen.toml and cbindgen-php.toml. This test fails when they drifted; bindings-c/gen-headers.sh runs it with
//! CARTLIFT_HEADERS_OUT=DIR to write the headers into DIR instead of comparing them.

use std::fs;
use std::path::{Path, PathBuf};

const HEADERS: [(&str, &str); 2] = [("cbindgen.toml", "cartlift.h"), ("cbindgen-php.toml", "cartlift_php.h")];

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn generate(config: &str) -> Vec<u8> {
    let config =
        cbindgen::Config::from_file(crate_dir().join(config)).unwrap_or_else(|e| panic!("bindings-c/{config}: {e}"));
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_crate_and_name(crate_dir(), "cartlift-c")
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen failed on bindings-c/src: {e}"));
    let mut out = Vec::new();
    bindings.write(&mut out);
    out
}

/// The first lines where `committed` and `generated` differ, for the failure message.
fn first_differences(committed: &str, generated: &str) -> String {
    let (old, new): (Vec<_>, Vec<_>) = (committed.lines().collect(), generated.lines().collect());
    let mut report = String::new();
    let mut shown = 0;
    for i in 0..old.len().max(new.len()) {
        let (o, n) = (old.get(i), new.get(i));
        if o != n {
            report += &format!(
                "line {}:\n  committed: {}\n  generated: {}\n",
                i + 1,
                o.unwrap_or(&"<end>"),
                n.unwrap_or(&"<end>")
            );
            shown += 1;
            if shown == 5 {
                report += "  ...\n";
                break;
            }
        }
    }
    report
}

#[test]
fn committed_headers_match_src() {
    if let Some(out) = std::env::var_os("CARTLIFT_HEADERS_OUT") {
        let out = PathBuf::from(out);
        fs::create_dir_all(&out).unwrap();
        for (config, header) in HEADERS {
            fs::write(out.join(header), generate(config)).unwrap();
        }
        return;
    }
    let include = crate_dir().join("../include");
    let mut drifted = Vec::new();
    for (config, header) in HEADERS {
        let generated = String::from_utf8(generate(config)).unwrap();
        let path = include.join(header);
        let committed = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if committed != generated {
            drifted.push(format!("include/{header} is out of date:\n{}", first_differences(&committed, &generated)));
        }
    }
    assert!(drifted.is_empty(), "{}run bindings-c/gen-headers.sh and commit the headers", drifted.concat());
}
