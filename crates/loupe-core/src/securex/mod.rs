//! Secure Firewall / FMC SecureX (Security Services Exchange, SSE) cloud connectivity.
//!
//! Three stages, one module each:
//! - [`sniff`]: recognise an artefact (or a pasted console session) from its first lines;
//! - [`parse`]: one parser per artefact turns lines into [`Observation`]s (a typed
//!   [`Signal`] with its line) and, for curl, [`CurlRun`]s; every line is accounted for;
//! - [`analyze`]: the observations of all inputs (console blocks included) are pooled in a
//!   [`corpus::Corpus`] and the [`rules`] turn them into findings, one per cause, each naming
//!   the step of the chain DNS → TCP → proxy → TLS → HTTP → connector; then the seed's
//!   connectivity [`checklist`] is built.
//!
//! Reference: `shared/domain/securex.md`; the seed is the TAC article "Troubleshoot SecureX on
//! Secure Firewall 7.1 and earlier".

pub mod checklist;
pub mod corpus;
pub mod curl_codes;
mod explain;
pub mod go_errors;
pub mod parse;
pub mod prompt;
pub mod region;
pub mod rules;
pub mod signal;
pub(crate) mod sniff;
pub mod x509_text;

use crate::engine::{Line, ParsedInput};
use crate::model::*;

pub use signal::{CurlRun, Observation, Signal};

/// A parsed SecureX artefact.
#[derive(Debug, Clone, Default)]
pub struct Artefact {
    pub counts: LineCounts,
    /// 1-based numbers of the lines not understood (at most [`MAX_UNDERSTOOD_SAMPLES`]).
    pub not_understood: Vec<u32>,
    /// What the lines say, in line order.
    pub observations: Vec<Observation>,
    /// curl invocations (verbose transcripts and `canConnect` checks), referenced by
    /// [`Observation::run`].
    pub runs: Vec<CurlRun>,
}

/// Recognise SecureX artefacts (and console sessions) from their first lines.
pub fn sniff(lines: &[Line]) -> Option<Kind> {
    sniff::sniff(lines)
}

/// The kind of artefact a typed command produces (`curl -v ...` gives a curl transcript).
pub fn sniff_command(command: &str) -> Option<Kind> {
    sniff::kind_of_command(command)
}

/// Parse one artefact of `kind`. Kinds this module does not know are accounted line by line
/// (prompt lines recognised, the rest not understood), never dropped.
pub fn parse(kind: Kind, lines: &[Line]) -> Artefact {
    parse::parse(kind, lines)
}

/// Diagnose the SecureX artefacts among `inputs`, adding findings and the checklist.
pub fn analyze(inputs: &[ParsedInput], analysis: &mut Analysis) {
    let corpus = corpus::Corpus::new(inputs);
    if corpus.is_empty() {
        return;
    }
    analysis.findings.extend(rules::run(&corpus));
    analysis.checklist = checklist::build(&corpus);
}
