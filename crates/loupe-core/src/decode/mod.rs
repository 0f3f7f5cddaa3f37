//! Stage 1, decode: bytes to lines of text.
//!
//! * [`container`] expands `.zip` archives (RTMT collections) and whole `.gz` files into leaf inputs.
//! * [`stream`] turns a stream of byte chunks (plain, gzip, UTF-8, UTF-8 BOM, UTF-16LE/BE) into text.
//! * [`lines`] splits text into numbered lines, CRLF or LF, whatever the chunk boundaries.
//! * [`newlines`] finds a block's newlines 64 bytes at a time (bit masks), for the line loops.
//!
//! Decoding never fails: invalid bytes become U+FFFD, truncated gzip yields what was decoded plus a
//! diagnostic, and every limit that stops reading is reported.

pub mod container;
pub mod lines;
pub mod newlines;
pub mod stream;

pub use lines::Line;

/// Limits that protect the engine from hostile input. Documented in README "Limits and guarantees".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes one gzip member or zip entry may expand to.
    pub max_expanded_bytes: u64,
    /// Expansion ratio above which decompression stops once `ratio_floor_bytes` have been produced.
    pub max_ratio: u64,
    pub ratio_floor_bytes: u64,
    /// How deep zips may nest inside zips.
    pub max_zip_depth: u32,
    /// Most entries read from one archive (all levels together).
    pub max_zip_entries: usize,
    /// Longest line kept; the rest of a longer line is dropped with a diagnostic.
    pub max_line_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_expanded_bytes: 4 << 30,
            max_ratio: 250,
            ratio_floor_bytes: 64 << 20,
            max_zip_depth: 3,
            max_zip_entries: 20_000,
            max_line_bytes: 1 << 20,
        }
    }
}
