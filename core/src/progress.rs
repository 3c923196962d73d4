//! Progress reporting for long work. The core only announces phases; the CLI draws a bar on a terminal.

pub trait Progress: Sync {
    /// A new phase starts; `total` is its unit count when known (0 = unknown).
    fn phase(&self, name: &str, total: u64);
    fn advance(&self, n: u64);
    fn finish(&self);
}

/// No output (libraries, pipes, bindings).
pub struct Silent;

impl Progress for Silent {
    fn phase(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}
