//! Secure Firewall / FMC SecureX (SSE) cloud connectivity. (Placeholder: filled by the SecureX work.)

use crate::engine::{Line, ParsedInput};
use crate::model::*;

/// A parsed SecureX artefact.
#[derive(Debug, Clone, Default)]
pub struct Artefact {
    pub counts: LineCounts,
    pub not_understood: Vec<u32>,
}

/// Recognise SecureX artefacts (and console sessions) from their first lines.
pub fn sniff(_lines: &[Line]) -> Option<Kind> {
    None
}

pub fn parse(_kind: Kind, lines: &[Line]) -> Artefact {
    let mut a = Artefact::default();
    for l in lines {
        a.counts.lines += 1;
        if l.text.trim().is_empty() {
            a.counts.blank += 1;
        } else {
            a.counts.not_understood += 1;
            a.not_understood.push(l.number);
        }
    }
    a.not_understood.truncate(MAX_UNDERSTOOD_SAMPLES);
    a
}

/// Diagnose the SecureX artefacts among `inputs`, adding findings and the checklist.
pub fn analyze(_inputs: &[ParsedInput], _analysis: &mut Analysis) {}
