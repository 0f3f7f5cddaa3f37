//! CUCM Intercluster Lookup Service: events, correlation of hub and spoke, rules.

pub mod events;
pub mod tables;

use crate::engine::ParsedInput;
use crate::model::{Analysis, Role};

/// Diagnose the ILS traces and tables among `inputs`.
/// `roles` are the user's corrections (input name, role); they win over detection.
pub fn analyze(_inputs: &[ParsedInput], _roles: &[(String, Role)], _analysis: &mut Analysis) {}
