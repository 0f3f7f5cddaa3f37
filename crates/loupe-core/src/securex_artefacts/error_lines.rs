//! A line-level error scan: one line of any input (an unknown file, a console block, a line an
//! artefact's parser did not understand) read for the error strings that name a step of the
//! connectivity chain, whatever the layout around them.
//!
//! Read: curl's one-line errors `curl: (N) message` (the exit code, and the cause its message
//! names: `Could not resolve host`, `Failed to connect ... Connection refused`, `Received HTTP
//! code 407 from proxy after CONNECT`, `CONNECT tunnel failed, response 403`, `SSL certificate
//! problem: ...`, ...), the same messages on `curl -v` `*` lines; Go `net`/`crypto/tls`/
//! `crypto/x509` errors (`dial tcp`, `lookup H on S:53: no such host | server misbehaving |
//! i/o timeout`, `getsockopt:`/`connect:` `connection refused | connection timed out`,
//! `x509: ...`, `tls: ...`, `context deadline exceeded`); OpenSSL error strings
//! (`error:0A000086:SSL routines::certificate verify failed`); `lsof`/`netstat` rows in
//! `SYN_SENT` (the TCP handshake does not complete); structured lines (logfmt `msg=`/`err=`/
//! `error=`, JSON `"msg"`/`"error"`), whose fields are read first.
//!
//! A multi-literal search ([`NEEDLES`], case-insensitive) runs first: a line holding none of the
//! needles costs one search and is never read further.

use super::curl::patterns as curl_patterns;
use super::go_errors;
use super::signal::Signal;
use super::socket_error;
use super::x509_text;
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// Literals one of which every line the scan can read contains.
pub const NEEDLES: &[&str] = &[
    "curl: (",
    "dial tcp",
    "lookup ",
    "getsockopt",
    "connect: ",
    "x509: ",
    "tls: ",
    "deadline exceeded",
    "syn_sent",
    "ssl routines",
    "resolve host",
    "resolve proxy",
    "failed to connect",
    "connection timed out",
    "connection refused",
    "no route to host",
    "network is unreachable",
    "http code",
    "connect tunnel failed",
    "ssl certificate problem",
    "ssl_connect",
    "getaddrinfo",
    "no such host",
    "i/o timeout",
];

fn prefilter() -> &'static AhoCorasick {
    static P: OnceLock<AhoCorasick> = OnceLock::new();
    P.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(NEEDLES)
            .expect("valid needles")
    })
}

/// Could `text` hold an error the scan reads? (One multi-literal search.)
pub fn candidate(text: &str) -> bool {
    prefilter().is_match(text)
}

/// What one line says: nothing for a clean line, else the signals it names (a `curl: (N)`
/// line gives the exit code and the cause its message names).
pub fn scan(text: &str) -> Vec<Signal> {
    if !candidate(text) {
        return Vec::new();
    }
    let t = text.trim();
    if let Some(s) = socket_row(t) {
        return vec![s];
    }
    if let Some(v) = curl_exit_line(t) {
        return v;
    }
    for field in structured_fields(t) {
        if let Some(s) = classify(&field) {
            return vec![s];
        }
    }
    classify(t).into_iter().collect()
}

/// `curl: (N) message` anywhere on the line: the exit code and the cause of the message.
fn curl_exit_line(t: &str) -> Option<Vec<Signal>> {
    let at = t.find("curl: (")?;
    let c = curl_patterns().exit.captures(&t[at..])?;
    let code: i64 = c[1].parse().ok()?;
    let message = c[2].trim().to_string();
    let mut out = vec![Signal::CurlExit {
        code,
        message: message.clone(),
    }];
    out.extend(curl_message(&message, code));
    Some(out)
}

/// The cause a curl message names (the text of a `curl: (N)` line or of a `-v` `*` line).
/// `code` is the exit code when known (28 says a timeout whatever the wording).
pub fn curl_message(message: &str, code: i64) -> Option<Signal> {
    let p = curl_patterns();
    let body = message.trim().trim_start_matches('*').trim();
    let lower = body.to_ascii_lowercase();
    if let Some(c) = p.getaddrinfo.captures(body) {
        return Some(Signal::ResolveFailed {
            host: c[1].to_ascii_lowercase(),
        });
    }
    if let Some(c) = p.resolve.captures(body) {
        // `Could not resolve proxy: p` names the proxy: still the resolver failing.
        return Some(Signal::ResolveFailed {
            host: c[2].to_ascii_lowercase(),
        });
    }
    if let Some(c) = p.proxy_code.captures(body) {
        let code = c
            .get(1)
            .or(c.get(2))
            .and_then(|m| m.as_str().parse().ok())?;
        return Some(Signal::ProxyStatus { code });
    }
    if let Some(problem) = body.strip_prefix("SSL certificate problem:") {
        let text = problem.trim().to_string();
        return Some(Signal::TlsVerifyFailed {
            code: x509_text::code_of(&text),
            text,
            ignored: false,
        });
    }
    if body.starts_with("SSL: no alternative certificate subject name")
        || (body.starts_with("SSL: certificate subject name") && body.contains("does not match"))
    {
        return Some(Signal::TlsHostnameMismatch {
            detail: body.to_string(),
        });
    }
    if let Some(s) = openssl(body, &lower) {
        return Some(s);
    }
    if body.starts_with("OpenSSL SSL_connect")
        || body.starts_with("Unknown SSL protocol error")
        || body.starts_with("TLS connect error")
        || body.starts_with("gnutls_handshake() failed")
    {
        return Some(Signal::TlsHandshakeFailed {
            detail: body.to_string(),
        });
    }
    let target = p
        .failed_connect
        .captures(body)
        .map(|c| match c.get(2) {
            Some(port) => format!("{}:{}", &c[1], port.as_str()),
            None => c[1].to_string(),
        })
        .unwrap_or_default();
    let timed_out = lower.contains("timed out") || lower.contains("timeout was reached");
    if timed_out && (code == 28 || lower.contains("connect")) {
        return Some(Signal::TcpTimeout { target });
    }
    socket_error(&lower, target)
}

/// OpenSSL error strings: `error:14090086:SSL routines:ssl3_get_server_certificate:certificate
/// verify failed` (1.x), `error:0A000086:SSL routines::certificate verify failed` (3.x).
fn openssl(body: &str, lower: &str) -> Option<Signal> {
    if !lower.contains("ssl routines") {
        return None;
    }
    let from = lower.find("error:").unwrap_or(0);
    let detail = body[from..].trim().to_string();
    if lower.contains("certificate verify failed") {
        return Some(Signal::TlsVerifyFailed {
            code: None,
            text: detail,
            ignored: false,
        });
    }
    Some(Signal::TlsHandshakeFailed { detail })
}

/// Go errors and the other one-line wordings: Go's decoder first, then OpenSSL, `tls: `,
/// `context deadline exceeded` and curl's wording without its `curl: (N)` prefix.
fn classify(text: &str) -> Option<Signal> {
    let lower = text.to_ascii_lowercase();
    if let Some(s) = openssl(text, &lower) {
        return Some(s);
    }
    if let Some(s) = go_errors::classify(text) {
        return Some(match s {
            Signal::TcpTimeout { target } if target.is_empty() => Signal::TcpTimeout {
                target: url_host_in(text).unwrap_or_default(),
            },
            other => other,
        });
    }
    if let Some(at) = lower.find("tls: ") {
        return Some(Signal::TlsHandshakeFailed {
            detail: text[at..].trim_end_matches('"').trim().to_string(),
        });
    }
    if lower.contains("context deadline exceeded") || lower.contains("client.timeout exceeded") {
        return Some(Signal::TcpTimeout {
            target: url_host_in(text).unwrap_or_default(),
        });
    }
    curl_message(text, 0)
}

/// The host of the first `http(s)://` URL in `text` (Go prints `Get "https://h/p": ...`).
pub fn url_host_in(text: &str) -> Option<String> {
    let at = text.find("https://").or_else(|| text.find("http://"))?;
    let url: String = text[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '\\' && *c != '\'')
        .collect();
    super::url_host(&url)
}

/// The host a scanned signal names (the target of a connection, the name looked up), without
/// its port; else the host of a URL on the line.
pub fn host_named(signal: &Signal, text: &str) -> Option<String> {
    let named = match signal {
        Signal::ResolveFailed { host } | Signal::DnsNxdomain { host } => host.clone(),
        Signal::TcpTimeout { target }
        | Signal::TcpRefused { target, .. }
        | Signal::TcpNoRoute { target, .. } => target.clone(),
        Signal::EventSession { remote, .. } => remote.clone(),
        _ => String::new(),
    };
    let named = strip_port(&named);
    if named.is_empty() {
        url_host_in(text)
    } else {
        Some(named.to_ascii_lowercase())
    }
}

/// `h:443`, `h:https`, `[v6]:443` give `h`, `v6`; a bare IPv6 address is kept.
fn strip_port(target: &str) -> String {
    if let Some(rest) = target.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest).to_string();
    }
    match target.matches(':').count() {
        1 => target.split(':').next().unwrap_or(target).to_string(),
        _ => target.to_string(),
    }
}

/// The values of `msg`, `err`, `error` fields: logfmt (`err="..."`, `err=word`) and JSON
/// (`"error":"..."`), escaped quotes unescaped. Empty for other lines.
fn structured_fields(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["err", "error", "msg", "message"] {
        for pat in [
            format!("\"{key}\":"),
            format!("\"{key}\": "),
            format!("{key}="),
        ] {
            let mut from = 0;
            while let Some(i) = t[from..].find(&pat) {
                let start = from + i;
                from = start + pat.len();
                // `key=` must start a field (not `myerr=`).
                if pat.ends_with('=') && start > 0 && !t[..start].ends_with([' ', '\t', '{', ',']) {
                    continue;
                }
                if let Some(v) = field_value(&t[from..]) {
                    out.push(v);
                }
            }
        }
    }
    out
}

/// A quoted value (backslash escapes) or a bare word.
fn field_value(rest: &str) -> Option<String> {
    let rest = rest.trim_start();
    if let Some(q) = rest.strip_prefix('"') {
        let mut v = String::new();
        let mut chars = q.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => v.extend(chars.next()),
                '"' => return Some(v),
                c => v.push(c),
            }
        }
        return Some(v); // cut short: keep what there is
    }
    let v: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ',' && *c != '}')
        .collect();
    (!v.is_empty()).then_some(v)
}

/// An `lsof -i` or `netstat -an` row in `SYN_SENT`: the SYN was sent and not answered. The
/// connector's own row (`connector ... TCP a->b:https (SYN_SENT)`) is its event session, as
/// the `lsof` parser reads it; any other row is a TCP connect that does not complete.
fn socket_row(t: &str) -> Option<Signal> {
    if !t.contains("SYN_SENT") {
        return None;
    }
    let fields: Vec<&str> = t.split_whitespace().collect();
    // lsof: `COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME (STATE)`, NAME `local->remote`.
    if let Some(name) = fields.iter().find(|f| f.contains("->")) {
        let (local, remote) = name.split_once("->")?;
        if fields.first() == Some(&"connector") {
            return Some(Signal::EventSession {
                local: local.to_string(),
                remote: remote.to_string(),
                state: "SYN_SENT".to_string(),
            });
        }
        return Some(Signal::TcpTimeout {
            target: remote.to_string(),
        });
    }
    // netstat: `tcp 0 1 10.0.0.5:53426 52.1.2.3:443 SYN_SENT 4242/connector`.
    let state = fields.iter().position(|f| *f == "SYN_SENT")?;
    if !fields.first()?.starts_with("tcp") || state < 2 {
        return None;
    }
    let remote = fields[state - 1];
    let program = fields.get(state + 1).copied().unwrap_or("");
    if program.ends_with("/connector") && (remote.ends_with(":443") || remote.ends_with(":https")) {
        return Some(Signal::EventSession {
            local: fields[state - 2].to_string(),
            remote: remote.to_string(),
            state: "SYN_SENT".to_string(),
        });
    }
    Some(Signal::TcpTimeout {
        target: remote.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_lines_give_nothing() {
        assert!(scan("2024-01-01 12:00:00 INFO started worker 3").is_empty());
        assert!(scan("").is_empty());
        assert!(!candidate("everything is fine"));
    }

    #[test]
    fn curl_one_line_errors_name_their_cause() {
        assert_eq!(
            scan("curl: (56) Received HTTP code 407 from proxy after CONNECT"),
            vec![
                Signal::CurlExit {
                    code: 56,
                    message: "Received HTTP code 407 from proxy after CONNECT".into()
                },
                Signal::ProxyStatus { code: 407 }
            ]
        );
        assert_eq!(
            scan("curl: (56) CONNECT tunnel failed, response 407")[1],
            Signal::ProxyStatus { code: 407 }
        );
        assert_eq!(
            scan("curl: (6) Could not resolve host: api-sse.cisco.com")[1],
            Signal::ResolveFailed {
                host: "api-sse.cisco.com".into()
            }
        );
        assert_eq!(
            scan("curl: (28) Failed to connect to api-sse.cisco.com port 443 after 10001 ms: Timeout was reached")[1],
            Signal::TcpTimeout { target: "api-sse.cisco.com:443".into() }
        );
        assert!(matches!(
            scan("curl: (60) SSL certificate problem: unable to get local issuer certificate")[1],
            Signal::TlsVerifyFailed { code: Some(20), .. }
        ));
        assert_eq!(
            scan("curl: (52) Empty reply from server").len(),
            1,
            "the exit code only"
        );
    }

    #[test]
    fn go_errors_in_other_layouts() {
        assert_eq!(
            scan(
                r#"ts=2024-05-02T10:00:01Z level=error msg="register failed" err="dial tcp: lookup api-sse.cisco.com on 10.0.0.2:53: no such host""#
            ),
            vec![Signal::DnsNxdomain {
                host: "api-sse.cisco.com".into()
            }]
        );
        assert_eq!(
            scan(
                r#"{"level":"error","error":"Get \"https://api-sse.cisco.com/x\": dial tcp 52.1.2.3:443: i/o timeout"}"#
            ),
            vec![Signal::TcpTimeout {
                target: "52.1.2.3:443".into()
            }]
        );
        assert!(matches!(
            scan("dial tcp 52.1.2.3:443: getsockopt: connection timed out")[..],
            [Signal::TcpTimeout { .. }]
        ));
        assert!(matches!(
            scan("dial tcp 52.1.2.3:443: connect: connection refused")[..],
            [Signal::TcpRefused { .. }]
        ));
        assert_eq!(
            scan(
                r#"Post "https://eventing-ingest.sse.itd.cisco.com/v1": context deadline exceeded"#
            ),
            vec![Signal::TcpTimeout {
                target: "eventing-ingest.sse.itd.cisco.com".into()
            }]
        );
        assert!(matches!(
            scan(
                "tls: failed to verify certificate: x509: certificate signed by unknown authority"
            )[..],
            [Signal::TlsVerifyFailed { code: Some(20), .. }]
        ));
        assert!(matches!(
            scan("remote error: tls: handshake failure")[..],
            [Signal::TlsHandshakeFailed { .. }]
        ));
    }

    #[test]
    fn openssl_and_socket_rows() {
        assert!(matches!(
            scan("140735:error:14090086:SSL routines:ssl3_get_server_certificate:certificate verify failed:s3_clnt.c:1264:")[..],
            [Signal::TlsVerifyFailed { .. }]
        ));
        assert!(matches!(
            scan("error:0A00010B:SSL routines::wrong version number")[..],
            [Signal::TlsHandshakeFailed { .. }]
        ));
        assert_eq!(
            scan("tcp        0      1 10.0.0.5:53426          52.1.2.3:443            SYN_SENT    4242/python3"),
            vec![Signal::TcpTimeout { target: "52.1.2.3:443".into() }]
        );
        assert!(matches!(
            scan("connector 60815 www 12u IPv4 110237499 0t0 TCP fmc:53426->ec2-1-2-3-4.compute-1.amazonaws.com:https (SYN_SENT)")[..],
            [Signal::EventSession { .. }]
        ));
        assert!(scan("tcp 0 0 10.0.0.5:22 10.0.0.9:5000 ESTABLISHED 1/sshd").is_empty());
    }
}
