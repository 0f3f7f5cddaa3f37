//! Loupe's engine: an offline analyzer for Cisco troubleshooting logs.
//!
//! The pipeline, one module per stage, each importing only the ones listed before it (see
//! ARCHITECTURE.md; `tests/layers.rs` checks the order):
//! [`model`] and [`codes`] (the vocabulary) → [`decode`] (bytes to [`Line`]s) → the parsers
//! ([`sdl`] with its ILS [`sdl::events`], [`cluster_tables`], [`securex_artefacts`]) → [`detect`]
//! → [`parse`] (routing each input to its parser, console sessions split) → the diagnosers
//! ([`ils`], [`securex`]) → [`engine`] (drives them) → [`report`].
//!
//! The crate is pure: no I/O, no clock, no timezone, no browser. Inputs arrive as bytes, whole
//! ([`analyze`]) or in chunks ([`Engine`]), and the result is an [`Analysis`] value.

pub mod cluster_tables;
pub mod codes;
pub mod decode;
pub mod detect;
pub mod engine;
pub mod ils;
pub mod ils_alarms;
pub mod intern;
pub mod model;
pub mod parse;
pub mod report;
pub mod sdl;
pub mod securex;
pub mod securex_artefacts;
pub mod steps;

pub use decode::container::RawInput;
pub use decode::Limits;
pub use decode::Line;
pub use engine::Engine;
pub use model::*;

/// Analyse whole inputs (files, archives, pasted text) in one call.
pub fn analyze(inputs: Vec<RawInput>) -> Analysis {
    let mut engine = Engine::new(Limits::default());
    for input in inputs {
        engine.add_whole(input);
    }
    engine.finish()
}
