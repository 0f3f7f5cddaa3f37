//! Secure Firewall / FMC SecureX (Security Services Exchange, SSE) cloud connectivity.
//!
//! The diagnoser: the artefacts are recognised and parsed below it, in
//! [`crate::securex_artefacts`] (typed observations and curl runs, every line accounted for).
//! Here [`analyze`] takes the parsed inputs: the observations of all inputs (console blocks
//! included) are pooled in a [`corpus::Corpus`] and the [`rules`] turn them into findings, one
//! per cause, each naming the step of the chain DNS → TCP → proxy → TLS → HTTP → connector; then
//! the seed's connectivity [`checklist`] is built.
//!
//! Reference: `shared/domain/securex.md`; the seed is the TAC article "Troubleshoot SecureX on
//! Secure Firewall 7.1 and earlier".

pub mod checklist;
pub mod corpus;
pub mod curl_codes;
mod explain;
pub mod region;
pub mod rules;

use crate::model::*;
use crate::parse::ParsedInput;

/// Diagnose the SecureX artefacts among `inputs`, adding findings and the checklist.
pub fn analyze(inputs: &[ParsedInput], analysis: &mut Analysis) {
    let corpus = corpus::Corpus::new(inputs);
    if corpus.is_empty() {
        return;
    }
    analysis.findings.extend(rules::run(&corpus));
    // The checklist is the seed's list of tests on the device: only with a SecureX artefact,
    // not for error lines found in other inputs alone.
    if corpus.has_artefact() {
        analysis.checklist = checklist::build(&corpus);
    }
}
