//! `lsof -i | grep conn`: the connector's sockets. `COMMAND PID USER FD TYPE DEVICE SIZE/OFF
//! NODE NAME`, NAME being `local->remote:https (STATE)`. `(SYN_SENT)` towards :https means the
//! SYN to the event ingest host is unanswered; `(ESTABLISHED)` means connected. The remote
//! often resolves to an AWS name, so no `cisco.com` is required.

use super::{ArtefactParser, Builder, Class};
use crate::decode::Line;
use crate::securex_artefacts::signal::Signal;

pub struct Parser;

impl ArtefactParser for Parser {
    fn line(&mut self, line: &Line, out: &mut Builder) -> Class {
        let t = line.text.trim();
        if t.starts_with("COMMAND") {
            return Class::Recognised;
        }
        let fields: Vec<&str> = t.split_whitespace().collect();
        let Some(tcp) = fields.iter().position(|f| *f == "TCP" || *f == "UDP") else {
            return Class::NotUnderstood;
        };
        let name = fields.get(tcp + 1).copied().unwrap_or("");
        let state = fields
            .get(tcp + 2)
            .map(|s| s.trim_matches(['(', ')']))
            .unwrap_or("");
        if let Some((local, remote)) = name.split_once("->") {
            out.observe(
                line,
                Signal::EventSession {
                    local: local.to_string(),
                    remote: remote.to_string(),
                    state: state.to_string(),
                },
                None,
            );
        } else if state == "LISTEN" && name.ends_with(":8989") {
            out.observe(line, Signal::ConnectorApiListening, None);
        }
        Class::Recognised
    }
}
