//! Loupe's engine: an offline analyzer for Cisco troubleshooting logs.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! [`decode`] → [`detect`] → parse ([`sdl`], [`ils::tables`], [`securex`], [`console`]) →
//! events ([`ils::events`]) → correlate ([`ils::correlate`]) → diagnose ([`ils::rules`],
//! [`securex`]) → [`report`].
//!
//! The crate is pure: no I/O, no clock, no timezone, no browser. Inputs arrive as bytes, whole
//! ([`analyze`]) or in chunks ([`Engine`]), and the result is an [`Analysis`] value.

pub mod codes;
pub mod console;
pub mod decode;
pub mod detect;
pub mod engine;
pub mod ils;
pub mod model;
pub mod report;
pub mod sdl;
pub mod securex;

pub use decode::container::RawInput;
pub use decode::Limits;
pub use engine::{Engine, Line};
pub use model::*;

/// Analyse whole inputs (files, archives, pasted text) in one call.
pub fn analyze(inputs: Vec<RawInput>) -> Analysis {
    let mut engine = Engine::new(Limits::default());
    for input in inputs {
        engine.add_whole(input);
    }
    engine.finish()
}
