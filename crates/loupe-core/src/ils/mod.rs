//! CUCM Intercluster Lookup Service: events, correlation of hub and spoke, rules.

pub mod events;
pub mod tables;

use crate::engine::ParsedInput;
use crate::model::Analysis;

/// Diagnose the ILS traces and tables among `inputs`.
pub fn analyze(_inputs: &[ParsedInput], _analysis: &mut Analysis) {}
