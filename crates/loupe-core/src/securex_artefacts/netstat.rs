//! `netstat -anlp | grep EventHandler_SSEConnector.sock`: Unix-socket rows
//! (`unix 2 [ ACC ] STREAM LISTENING 382276 7741/EventHandler /ngfw/var/sf/run/...sock`).
//! Only LISTENING rows: EventHandler waits and the connector never attached; a CONNECTED row:
//! the connector is attached.

use super::{ArtefactParser, Builder, Class};
use crate::decode::Line;
use crate::securex_artefacts::signal::Signal;

pub struct Parser;

impl ArtefactParser for Parser {
    fn line(&mut self, line: &Line, out: &mut Builder) -> Class {
        let t = line.text.trim();
        if t.starts_with("Proto") || t.starts_with("Active ") {
            return Class::Recognised;
        }
        if !t.starts_with("unix") {
            return Class::NotUnderstood;
        }
        let fields: Vec<&str> = t.split_whitespace().collect();
        if fields.contains(&"CONNECTED") {
            out.observe(line, Signal::EventHandlerSocket { connected: true }, None);
        } else if fields.contains(&"LISTENING") {
            out.observe(line, Signal::EventHandlerSocket { connected: false }, None);
        }
        Class::Recognised
    }
}
