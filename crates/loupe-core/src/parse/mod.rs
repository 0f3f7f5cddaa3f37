//! Stage 3, parse: each input's kind is detected from its first lines and its lines are routed
//! to the parser of that kind. The parsers themselves live below this module ([`crate::sdl`],
//! [`crate::cluster_tables`], [`crate::securex_artefacts`]); this module owns what they produce
//! for one input ([`ParsedInput`], [`Parsed`]) and the routing:
//!
//! * [`stream::InputParser`] takes an input's lines as they are decoded: SDL traces are parsed
//!   as they stream (only their ILS events are kept), small artefacts are kept whole and parsed
//!   at the end, binary inputs are counted, unknown inputs are counted and read by the error
//!   scan as they stream (only the observations of their error lines are kept).
//! * [`whole::parse_whole`] parses the lines of an artefact kept whole, by kind, SDL included.
//! * [`console::split`] cuts a pasted console session at its prompts; each block is detected and
//!   parsed with [`whole::parse_whole`], so a `file view activelog` of a trace inside a paste is
//!   read as a trace.

pub mod console;
pub mod stream;
pub mod whole;

use crate::cluster_tables::ClusterTable;
use crate::model::{Kind, LineCounts};
use crate::sdl::SdlInput;
use crate::securex_artefacts::Artefact;

pub use stream::InputParser;
pub use whole::parse_whole;

/// What one input became after parsing.
// One value per input (or console block): the size of the SDL variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub enum Parsed {
    Sdl(SdlInput),
    ClusterTable(ClusterTable),
    Securex(Artefact),
    Console(Vec<console::Block>),
    IlsAlarms(crate::ils_alarms::AlarmsInput),
    /// An input of unknown kind whose error lines the error scan read
    /// ([`crate::securex_artefacts::error_lines`]): only their observations are kept.
    ErrorLines(Artefact),
    Unparsed,
}

/// One input after decode, detect and parse.
#[derive(Debug)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct ParsedInput {
    pub name: String,
    pub kind: Kind,
    pub bytes: u64,
    pub counts: LineCounts,
    pub not_understood: Vec<u32>,
    pub parsed: Parsed,
}

impl ParsedInput {
    /// A parsed input whose name and byte count the engine fills in.
    pub fn new(kind: Kind, counts: LineCounts, not_understood: Vec<u32>, parsed: Parsed) -> Self {
        ParsedInput {
            name: String::new(),
            kind,
            bytes: 0,
            counts,
            not_understood,
            parsed,
        }
    }

    /// This input's parsed parts: the input itself, or each block of a console session.
    pub fn parts(&self) -> impl Iterator<Item = (Kind, &Parsed)> {
        let blocks: &[console::Block] = match &self.parsed {
            Parsed::Console(blocks) => blocks,
            _ => &[],
        };
        let whole =
            (!matches!(self.parsed, Parsed::Console(_))).then_some((self.kind, &self.parsed));
        whole
            .into_iter()
            .chain(blocks.iter().map(|b| (b.kind, &b.input.parsed)))
    }
}

/// Add the counts of `from` to `into`.
pub fn add_counts(into: &mut LineCounts, from: &LineCounts) {
    into.lines += from.lines;
    into.recognised += from.recognised;
    into.continuation += from.continuation;
    into.blank += from.blank;
    into.not_understood += from.not_understood;
}
