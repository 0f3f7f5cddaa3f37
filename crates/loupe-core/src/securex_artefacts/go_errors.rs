//! Go `net`, `crypto/tls` and `crypto/x509` error strings as the SSE connector (a Go program)
//! logs them in connector.log (securex.md §7), read into [`Signal`]s.

use super::signal::Signal;
use super::x509_text;
use regex::Regex;
use std::sync::OnceLock;

struct Patterns {
    lookup: Regex,
    read_udp_53: Regex,
    dial_tcp: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        // `lookup api-sse.cisco.com on 10.0.0.10:53: ...` or `lookup api-sse.cisco.com: ...`
        lookup: Regex::new(r"lookup ([^\s:]+)(?: on ([^\s]+?)(?::53)?)?: ").expect("valid regex"),
        read_udp_53: Regex::new(r"read udp [^\s]*->([^\s]+?):53: i/o timeout")
            .expect("valid regex"),
        dial_tcp: Regex::new(r"dial tcp ([^\s:]+(?::\d+)?|\[[^\]]+\](?::\d+)?): ")
            .expect("valid regex"),
    })
}

/// Read a Go error string. `None` when the string names no known cause (or was cut short
/// before it did, as in the seed's `dial tcp x.x.x.246:443: g`).
pub fn classify(error: &str) -> Option<Signal> {
    let p = patterns();
    let lower = error.to_ascii_lowercase();
    if let Some(c) = p.lookup.captures(error) {
        let host = c[1].to_string();
        let server = c.get(2).map(|m| m.as_str().to_string());
        if lower.contains("no such host") {
            return Some(Signal::DnsNxdomain { host });
        }
        if let Some(u) = p.read_udp_53.captures(error) {
            return Some(Signal::DnsServerUnreachable {
                server: Some(u[1].to_string()),
            });
        }
        if lower.contains("i/o timeout") || lower.contains("connection refused") {
            return Some(Signal::DnsServerUnreachable { server });
        }
        if lower.contains("temporary failure in name resolution")
            || lower.contains("server misbehaving")
            || lower.contains("no answer from dns server")
            || lower.contains("invalid dns response")
            || lower.contains("cannot unmarshal dns message")
            || lower.contains("lame referral")
        {
            return Some(Signal::ResolveFailed { host });
        }
    }
    if lower.contains("x509: ") {
        return Some(classify_x509(error, &lower));
    }
    if lower.contains("proxy authentication required") {
        return Some(Signal::ProxyStatus { code: 407 });
    }
    if lower.contains("remote error: tls:")
        || lower.contains("tls handshake timeout")
        || lower.contains("first record does not look like a tls handshake")
    {
        return Some(Signal::TlsHandshakeFailed {
            detail: tail_from(
                error,
                &lower,
                &["remote error", "net/http: tls", "tls: first"],
            ),
        });
    }
    let target = p
        .dial_tcp
        .captures(error)
        .map(|c| c[1].to_string())
        .unwrap_or_default();
    if lower.contains("i/o timeout") || lower.contains("connection timed out") {
        return Some(Signal::TcpTimeout { target });
    }
    if lower.contains("connection refused") || lower.contains("connection reset by peer") {
        let detail = if lower.contains("refused") {
            "connection refused"
        } else {
            "connection reset by peer"
        };
        return Some(Signal::TcpRefused {
            target,
            detail: detail.to_string(),
        });
    }
    if lower.contains("no route to host") || lower.contains("network is unreachable") {
        let detail = if lower.contains("no route") {
            "no route to host"
        } else {
            "network is unreachable"
        };
        return Some(Signal::TcpNoRoute {
            target,
            detail: detail.to_string(),
        });
    }
    None
}

fn classify_x509(error: &str, lower: &str) -> Signal {
    let text = tail_from(error, lower, &["x509: "]);
    if lower.contains("is valid for")
        || lower.contains("not valid for any names")
        || lower.contains("ip sans")
    {
        return Signal::TlsHostnameMismatch { detail: text };
    }
    let code = if lower.contains("expired or is not yet valid") {
        Some(if lower.contains("is before") { 9 } else { 10 })
    } else if lower.contains("signed by unknown authority") {
        Some(x509_text::UNKNOWN_AUTHORITY)
    } else {
        x509_text::code_of(&text)
    };
    Signal::TlsVerifyFailed {
        code,
        text,
        ignored: false,
    }
}

/// The error text from the first of `markers`, trailing quote removed.
fn tail_from(error: &str, lower: &str, markers: &[&str]) -> String {
    let start = markers
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .unwrap_or(0);
    error[start..].trim_end_matches('"').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_strings_of_the_reference() {
        assert_eq!(
            classify("dial tcp: lookup api-sse.cisco.com on 10.1.1.10:53: no such host"),
            Some(Signal::DnsNxdomain {
                host: "api-sse.cisco.com".into()
            })
        );
        assert_eq!(
            classify("dial tcp: lookup api-sse.cisco.com on 10.1.1.10:53: read udp 10.1.1.27:41234->10.1.1.10:53: i/o timeout"),
            Some(Signal::DnsServerUnreachable { server: Some("10.1.1.10".into()) })
        );
        assert_eq!(
            classify("dial tcp 52.1.2.3:443: i/o timeout"),
            Some(Signal::TcpTimeout {
                target: "52.1.2.3:443".into()
            })
        );
        assert!(matches!(
            classify("dial tcp 52.1.2.3:443: getsockopt: connection refused"),
            Some(Signal::TcpRefused { .. })
        ));
        assert!(matches!(
            classify("x509: certificate signed by unknown authority"),
            Some(Signal::TlsVerifyFailed { code: Some(20), .. })
        ));
        assert!(matches!(
            classify("x509: certificate has expired or is not yet valid"),
            Some(Signal::TlsVerifyFailed { code: Some(10), .. })
        ));
        assert_eq!(classify("dial tcp x.x.x.246:443: g"), None);
    }
}
