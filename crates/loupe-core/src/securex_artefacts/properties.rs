//! `/ngfw/etc/sf/connector.properties`: `key=value` lines (`registration_interval=180`,
//! `connector_port=8989`, `connector_fqdn=api-sse.cisco.com`).

use super::{ArtefactParser, Builder, Class};
use crate::decode::Line;
use crate::securex_artefacts::signal::Signal;

pub struct Parser;

impl ArtefactParser for Parser {
    fn line(&mut self, line: &Line, out: &mut Builder) -> Class {
        let t = line.text.trim();
        if t.starts_with('#') || t.starts_with('!') {
            return Class::Recognised;
        }
        match t.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() && !key.trim().contains(' ') => {
                if key.trim() == "connector_fqdn" {
                    out.observe(
                        line,
                        Signal::ConnectorFqdn {
                            host: value.trim().to_ascii_lowercase(),
                        },
                        None,
                    );
                }
                Class::Recognised
            }
            _ => Class::NotUnderstood,
        }
    }
}
