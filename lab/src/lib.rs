//! The engine's laboratory: generated stores (the demo shop, `cartlift gen` stores, simulated A/B shoppers) and
//! offline evaluation (`cartlift eval`). Kept out of `cartlift-core` so that the engine the bindings ship carries
//! no random-number generator and no evaluation harness; the CLI, the core's tests and benches, and the fuzz
//! targets use it.

pub mod eval;
pub mod gen;
