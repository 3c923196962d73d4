//! Writes `cartlift.pc` beside the library being built (`target/<profile>/`, or `target/<triple>/<profile>/`), so
//! `PKG_CONFIG_PATH=target/release` finds a pkg-config file naming that very library and this tree's headers.
//! Packagers fill `cartlift.pc.in` with their install paths instead.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=cartlift.pc.in");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    // OUT_DIR is <libdir>/build/cartlift-c-<hash>/out; cargo documents no variable for <libdir> itself.
    let Some(libdir) = out.ancestors().nth(3) else { return };
    let root = manifest.parent().expect("bindings-c sits in the workspace");
    let template = std::fs::read_to_string(manifest.join("cartlift.pc.in")).expect("bindings-c/cartlift.pc.in");
    let pc = fill(&template, root, libdir, &std::env::var("CARGO_PKG_VERSION").unwrap_or_default());
    // A read-only or unusual target layout must not fail the library's build: the .pc file is a convenience.
    if let Err(e) = std::fs::write(libdir.join("cartlift.pc"), pc) {
        println!("cargo:warning=cartlift.pc not written to {}: {e}", libdir.display());
    }
}

fn fill(template: &str, root: &Path, libdir: &Path, version: &str) -> String {
    template
        .replace("@PREFIX@", &root.display().to_string())
        .replace("@LIBDIR@", &libdir.display().to_string())
        .replace("@INCLUDEDIR@", &root.join("include").display().to_string())
        .replace("@VERSION@", version)
}
