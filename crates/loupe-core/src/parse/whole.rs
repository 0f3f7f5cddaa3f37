//! Artefacts kept whole (tables, SecureX outputs, console sessions, and the blocks of a console
//! session) are parsed here once all their lines are in, each by the parser of its kind.

use super::{add_counts, console, Parsed, ParsedInput};
use crate::decode::Line;
use crate::model::*;
use crate::sdl::SdlParser;
use crate::{cluster_tables, securex_artefacts};

/// Parse the lines of an artefact of `kind` kept whole. Kinds with no parser of their own are
/// accounted line by line by [`securex_artefacts::parse`] (prompt lines recognised, the rest not
/// understood), never dropped.
pub fn parse_whole(kind: Kind, lines: &[Line]) -> ParsedInput {
    let input =
        |counts, not_understood, parsed| ParsedInput::new(kind, counts, not_understood, parsed);
    match kind {
        Kind::SdlTrace => {
            let mut parser = SdlParser::new();
            for l in lines {
                parser.line(l.number, &l.text);
            }
            let trace = parser.finish();
            input(
                trace.counts,
                trace.not_understood.clone(),
                Parsed::Sdl(trace),
            )
        }
        Kind::IlsClusterTable | Kind::RemoteClusterSql => {
            let table = cluster_tables::parse(kind, lines);
            input(
                table.counts,
                table.not_understood.clone(),
                Parsed::ClusterTable(table),
            )
        }
        Kind::IlsAlarms => {
            let mut scanner = crate::ils_alarms::AlarmScanner::default();
            for l in lines {
                scanner.line(l.number, &l.text);
            }
            let alarms = scanner.finish();
            input(
                alarms.counts,
                alarms.not_understood.clone(),
                Parsed::IlsAlarms(alarms),
            )
        }
        Kind::ConsoleSession => {
            let blocks = console::split(lines);
            let mut counts = LineCounts::default();
            let mut not_understood = Vec::new();
            for b in &blocks {
                add_counts(&mut counts, &b.counts);
                not_understood.extend(b.not_understood.iter().copied());
            }
            not_understood.truncate(MAX_UNDERSTOOD_SAMPLES);
            input(counts, not_understood, Parsed::Console(blocks))
        }
        _ => {
            let artefact = securex_artefacts::parse(kind, lines);
            input(
                artefact.counts,
                artefact.not_understood.clone(),
                Parsed::Securex(artefact),
            )
        }
    }
}
