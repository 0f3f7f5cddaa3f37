//! FTD CLISH `show network`: banner-delimited blocks (`[ System Information ]`, one per
//! interface, `[ IPv4 ]`, `[ IPv6 ]`, `[ Proxy Information ]`) of `key : value` lines. Device
//! output pads keys to a column; web copies (the seed) collapse the padding and insert blank
//! lines, so neither column widths nor banner shapes are relied on. Extra DNS servers come on
//! their own indented lines without a key. No `DNS Servers` line means no DNS is configured.

use super::{key_value, ArtefactParser, Builder, Class};
use crate::decode::Line;
use crate::securex_artefacts::signal::Signal;

#[derive(Default)]
pub struct Parser {
    section: String,
    /// The System Information banner (where a missing DNS server is reported).
    system_banner: Option<Line>,
    dns_servers: usize,
    /// The previous line was `DNS Servers` or one of its continuation lines.
    in_dns: bool,
}

/// `===== [ System Information ] =====`, `=====[eth0]=====`, `-----[IPv4]-----`.
fn banner(text: &str) -> Option<String> {
    let t = text.trim();
    if !(t.starts_with('=') || t.starts_with('-')) {
        return None;
    }
    let open = t.find('[')?;
    let close = t[open..].find(']')? + open;
    Some(t[open + 1..close].trim().to_string())
}

fn looks_like_address(s: &str) -> bool {
    !s.is_empty()
        && !s.contains(' ')
        && (s.contains('.') || s.contains(':'))
        && s.chars()
            .all(|c| c.is_ascii_hexdigit() || matches!(c, '.' | ':' | 'x' | 'X'))
}

impl ArtefactParser for Parser {
    fn line(&mut self, line: &Line, out: &mut Builder) -> Class {
        let t = line.text.trim();
        if let Some(name) = banner(t) {
            if name.eq_ignore_ascii_case("System Information") {
                self.system_banner = Some(line.clone());
            }
            self.section = name;
            self.in_dns = false;
            return Class::Recognised;
        }
        if t.chars().all(|c| c == '=' || c == '-') {
            return Class::Recognised;
        }
        if self.in_dns && looks_like_address(t) {
            self.dns_servers += 1;
            out.observe(
                line,
                Signal::DnsServer {
                    server: t.to_string(),
                },
                None,
            );
            return Class::Continuation;
        }
        self.in_dns = false;
        if t == "IPv4 Default route" || t == "IPv6 Default route" {
            return Class::Recognised;
        }
        let Some((key, value)) = key_value(t) else {
            return Class::NotUnderstood;
        };
        if key.contains("  ") || key.is_empty() {
            return Class::NotUnderstood;
        }
        if key == "DNS Servers" {
            self.in_dns = true;
            for server in value.split([',', ' ']).filter(|s| !s.is_empty()) {
                self.dns_servers += 1;
                out.observe(
                    line,
                    Signal::DnsServer {
                        server: server.to_string(),
                    },
                    None,
                );
            }
        } else if key == "State" && self.section.eq_ignore_ascii_case("Proxy Information") {
            out.observe(
                line,
                Signal::ProxyState {
                    enabled: value.eq_ignore_ascii_case("enabled"),
                },
                None,
            );
        }
        Class::Recognised
    }

    fn finish(&mut self, out: &mut Builder) {
        if self.dns_servers == 0 {
            if let Some(banner) = self.system_banner.take() {
                out.observe(&banner, Signal::DnsServersMissing, None);
            }
        }
    }
}
