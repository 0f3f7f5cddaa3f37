//! `nslookup <name>` (bind9) from the expert shell: success (`Name:` / `Address:`), the seed's
//! `;; connection timed out; no servers could be reached`, newer bind's
//! `;; communications error to <ip>#53: timed out`, and `** server can't find <name>: NXDOMAIN`.

use super::{key_value, ArtefactParser, Builder, Class};
use crate::decode::Line;
use crate::securex_artefacts::signal::Signal;

#[derive(Default)]
pub struct Parser {
    /// The `Name:` of the answer being read.
    name: Option<String>,
}

fn server_of(printed: &str) -> String {
    printed
        .split('#')
        .next()
        .unwrap_or(printed)
        .trim()
        .to_string()
}

impl ArtefactParser for Parser {
    fn line(&mut self, line: &Line, out: &mut Builder) -> Class {
        let t = line.text.trim();
        let lower = t.to_ascii_lowercase();
        if lower.contains("no servers could be reached") {
            out.observe(line, Signal::DnsServerUnreachable { server: None }, None);
            return Class::Recognised;
        }
        if let Some(rest) = t.strip_prefix(";; communications error to ") {
            let server = server_of(rest.split(':').next().unwrap_or(rest));
            out.observe(
                line,
                Signal::DnsServerUnreachable {
                    server: Some(server),
                },
                None,
            );
            return Class::Recognised;
        }
        if let Some(rest) = t.strip_prefix("** server can't find ") {
            let (name, reason) = rest.rsplit_once(':').unwrap_or((rest, ""));
            let host = name.trim().trim_end_matches('.').to_ascii_lowercase();
            let signal = if reason.trim() == "NXDOMAIN" {
                Signal::DnsNxdomain { host }
            } else {
                Signal::ResolveFailed { host }
            };
            out.observe(line, signal, None);
            return Class::Recognised;
        }
        if t.starts_with(";; Got SERVFAIL reply") || t.starts_with(";; Got recursion not available")
        {
            return Class::Recognised;
        }
        if t.starts_with("Non-authoritative answer")
            || t.starts_with("Authoritative answers")
            || t.contains("canonical name =")
        {
            return Class::Recognised;
        }
        if let Some((key, value)) = key_value(t) {
            match key {
                "Server" => {
                    self.name = None;
                    out.observe(
                        line,
                        Signal::DnsServerUsed {
                            server: server_of(value),
                        },
                        None,
                    );
                    return Class::Recognised;
                }
                "Name" => {
                    self.name = Some(value.trim_end_matches('.').to_ascii_lowercase());
                    return Class::Recognised;
                }
                "Address" | "Addresses" => {
                    if let Some(host) = &self.name {
                        out.observe(
                            line,
                            Signal::Resolved {
                                host: host.clone(),
                                ip: value.to_string(),
                            },
                            None,
                        );
                    }
                    return Class::Recognised;
                }
                _ => {}
            }
        }
        if self.name.is_some() && !t.contains(' ') && (t.contains('.') || t.contains(':')) {
            // Windows-style extra addresses on their own lines.
            return Class::Continuation;
        }
        Class::NotUnderstood
    }
}
