//! `curl -v` transcripts, old and new wording (securex.md §6): the seed's curl 7.44.0
//! (`Couldn't resolve host 'x'`, `Trying ip...`, `Connected to h (ip) port 443 (#0)`) and
//! newer curls (`Could not resolve host: x`, `Trying ip:port...`, no `(#0)` from 8.5).
//! One transcript may hold several runs; each starts at a typed `curl` command, at
//! `Rebuilt URL to:`, or at the first curl line after the previous run ended.

use super::{error_lines, observe_command, socket_error, url_host, ArtefactParser, Builder, Class};
use crate::decode::Line;
use crate::securex_artefacts::prompt::Prompt;
use crate::securex_artefacts::signal::{CurlRun, Signal};
use crate::securex_artefacts::x509_text;
use regex::Regex;
use std::sync::OnceLock;

/// The run a `curl` command line starts: URL, host, `-k`, `--cacert`.
pub fn command_run(command: &str, line: u32) -> CurlRun {
    let mut run = CurlRun {
        first_line: line,
        ..Default::default()
    };
    let mut tokens = command.split_whitespace().peekable();
    while let Some(t) = tokens.next() {
        if t == "--insecure"
            || (t.starts_with('-')
                && !t.starts_with("--")
                && t.len() > 1
                && t[1..].chars().all(|c| c.is_ascii_alphabetic())
                && t.contains('k'))
        {
            run.insecure = true;
        } else if t == "--cacert" {
            run.cacert = tokens.next().map(str::to_string);
        } else if let Some(p) = t.strip_prefix("--cacert=") {
            run.cacert = Some(p.to_string());
        } else if run.url.is_none() && (t.starts_with("http://") || t.starts_with("https://")) {
            run.host = url_host(t);
            run.url = Some(t.to_string());
        }
    }
    run
}

/// The address of `Trying <addr>...`: `10.0.0.66`, `10.0.0.66:443` (≥7.69), `[2001:db8::1]:443`.
fn address_of(printed: &str) -> String {
    if let Some(rest) = printed.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest).to_string();
    }
    match printed.matches(':').count() {
        1 => printed.split(':').next().unwrap_or(printed).to_string(),
        _ => printed.to_string(),
    }
}

pub(super) struct Patterns {
    pub resolve: Regex,
    pub getaddrinfo: Regex,
    trying: Regex,
    connected: Regex,
    pub failed_connect: Regex,
    proxy_tunnel: Regex,
    pub proxy_code: Regex,
    verify_result: Regex,
    status: Regex,
    pub exit: Regex,
}

pub(super) fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        // ≤7.75 `Couldn't resolve host 'h'`; ≥7.76 `Could not resolve host: h`; HEAD `Could not resolve: h:443`;
        // 7.29 `Could not resolve host: h; Name or service not known`; proxies likewise.
        resolve: Regex::new(r"(?i)could(?:n't| not) resolve(?: (host|proxy))?:? '?([^\s';()]+?)(?::\d+)?'?(?:[;\s(]|$)").expect("valid regex"),
        getaddrinfo: Regex::new(r"getaddrinfo\(3\) failed for ([^\s:]+)").expect("valid regex"),
        trying: Regex::new(r"^Trying (\S+?)\.{3}").expect("valid regex"),
        connected: Regex::new(r"^Connected to (\S+) \(([^)]*)\) port (\d+)").expect("valid regex"),
        failed_connect: Regex::new(r"(?i)(?:Failed to connect to|connect to) (\S+?)(?: port (\d+))?(?: after \d+ ms)?(?: failed)?: (.+)$").expect("valid regex"),
        proxy_tunnel: Regex::new(r"Establish HTTP proxy tunnel to (\S+)").expect("valid regex"),
        proxy_code: Regex::new(r"(?:Received HTTP code (\d{3}) from proxy after CONNECT|CONNECT tunnel failed, response (\d{3}))").expect("valid regex"),
        verify_result: Regex::new(r"SSL certificate verify result: (.*?) \((\d+)\)").expect("valid regex"),
        status: Regex::new(r"^< (HTTP/[\d.]+) (\d{3})\s*(.*)$").expect("valid regex"),
        exit: Regex::new(r"^curl: \((\d+)\)\s*(.*)$").expect("valid regex"),
    })
}

/// Informational `* ` lines: recognised, nothing to conclude from them.
const INFO_PREFIXES: &[&str] = &[
    "Hostname",
    "timeout on name lookup is not supported",
    "About to connect",
    "TCP_NODELAY",
    "ALPN",
    "Cipher selection",
    "successfully set certificate verify locations",
    "CAfile:",
    "CApath:",
    "Server certificate:",
    "start date:",
    "expire date:",
    "subjectAltName:",
    "Closing connection",
    "Connection #",
    "Mark bundle",
    "Using HTTP2",
    "Connection state changed",
    "old SSL session ID",
    "SSL re-using session",
    "NPN",
    "Expire in",
    "Found bundle",
    "Re-using",
    "Curl_http_done",
    "STATE:",
    "Using Stream ID",
    "TLS session ticket",
    "Copying HTTP/2",
    "h2h3",
    "h2 [",
    "[HTTP/2]",
    "Proxy auth using",
    "Proxy replied",
    "CONNECT phase completed",
    "Proxy CONNECT aborted",
    "Uses proxy env variable",
    "Server auth using",
    "Empty reply from server",
    "Operation timed out",
    "Send failure",
    "Recv failure",
    "HTTP 1.0",
    "HTTP/1.0 connection set",
    "Ignoring the response-body",
    "Issue another request",
    "Maximum (",
    "Connection died",
    "Rebuilt URL",
    "Host ",
    "IPv6:",
    "IPv4:",
    "processing:",
    "Added ",
    "Request completely sent off",
    "schannel:",
    "SSL connection using",
    "SSL certificate verify",
    "SSL certificate problem",
    "Trying",
    "Connected to",
    "subject:",
    "issuer:",
    "Closing",
    "Connection time",
    "Failed to connect",
    "connect to",
    "Establish HTTP proxy tunnel",
    "getaddrinfo",
    "Could",
    "Resolving timed out",
    "name lookup timed out",
    "OpenSSL",
    "SSL:",
    "Unknown SSL protocol error",
    "TLS connect error",
    "SSL_ERROR",
    "gnutls_handshake",
    "NSS error",
    "Received HTTP code",
    "CONNECT tunnel failed",
    "CONNECT tunnel:",
    "allocate connect buffer",
    "SSLv3",
    "TLSv1",
    "TLS ",
    "Connection refused",
    "No route to host",
    "Network is unreachable",
];

#[derive(Default)]
pub struct Parser {
    run: Option<usize>,
    run_done: bool,
    in_tunnel: bool,
    tunnel_ok: bool,
    in_body: bool,
    /// After `curl: (N) ...`: curl's explanatory paragraph (exit 60) follows.
    after_exit: bool,
}

impl Parser {
    fn start(&mut self, run: CurlRun, out: &mut Builder) -> usize {
        let index = out.start_run(run);
        self.run = Some(index);
        self.run_done = false;
        self.in_tunnel = false;
        self.tunnel_ok = false;
        self.in_body = false;
        self.after_exit = false;
        index
    }

    /// The current run, started at this line when there is none (or the last one ended).
    fn current(&mut self, line: &Line, out: &mut Builder) -> usize {
        match self.run {
            Some(i) if !self.run_done => i,
            _ => self.start(
                CurlRun {
                    first_line: line.number,
                    ..Default::default()
                },
                out,
            ),
        }
    }

    fn host(&self, out: &mut Builder) -> String {
        self.run
            .and_then(|i| out.run_mut(i))
            .and_then(|r| r.host.clone())
            .unwrap_or_default()
    }

    fn info_line(&mut self, line: &Line, body: &str, out: &mut Builder) -> Class {
        let p = patterns();
        let run = self.current(line, out);
        let see = |out: &mut Builder, s: Signal| out.observe(line, s, Some(run));
        if let Some(url) = body.strip_prefix("Rebuilt URL to:") {
            let url = url.trim();
            if let Some(r) = out.run_mut(run) {
                if r.url.is_none() {
                    r.host = url_host(url);
                    r.url = Some(url.to_string());
                }
            }
            return Class::Recognised;
        }
        if let Some(c) = p.getaddrinfo.captures(body) {
            see(
                out,
                Signal::ResolveFailed {
                    host: c[1].to_string(),
                },
            );
        } else if let Some(c) = p.resolve.captures(body) {
            see(
                out,
                Signal::ResolveFailed {
                    host: c[2].to_string(),
                },
            );
        } else if body.starts_with("name lookup timed out")
            || body.starts_with("Resolving timed out")
        {
            let host = self.host(out);
            see(out, Signal::ResolveFailed { host });
        } else if let Some(c) = p.trying.captures(body) {
            see(
                out,
                Signal::Trying {
                    ip: address_of(&c[1]),
                },
            );
        } else if let Some(c) = p.connected.captures(body) {
            let (host, ip, port) = (c[1].to_string(), c[2].to_string(), c[3].to_string());
            if let Some(r) = out.run_mut(run) {
                r.connected = true;
                if r.host.is_none() {
                    r.host = Some(host.to_ascii_lowercase());
                }
            }
            if host != ip && !self.in_tunnel {
                see(
                    out,
                    Signal::Resolved {
                        host: host.to_ascii_lowercase(),
                        ip: ip.clone(),
                    },
                );
            }
            see(out, Signal::Connected { host, ip, port });
        } else if let Some(c) = p.proxy_tunnel.captures(body) {
            self.in_tunnel = true;
            see(
                out,
                Signal::ProxyTunnel {
                    target: c[1].to_string(),
                },
            );
        } else if let Some(c) = p.proxy_code.captures(body) {
            let code = c
                .get(1)
                .or(c.get(2))
                .and_then(|m| m.as_str().parse().ok())
                .unwrap_or(0);
            see(out, Signal::ProxyStatus { code });
        } else if body.starts_with("Proxy replied OK")
            || body.starts_with("CONNECT phase completed")
        {
            self.tunnel_ok = true;
        } else if let Some(subject) = body.strip_prefix("subject:") {
            see(
                out,
                Signal::TlsSubject {
                    subject: subject.trim().to_string(),
                },
            );
        } else if let Some(issuer) = body.strip_prefix("issuer:") {
            see(
                out,
                Signal::TlsIssuer {
                    issuer: issuer.trim().to_string(),
                },
            );
        } else if body.starts_with("SSL certificate verify ok") {
            see(out, Signal::TlsVerifyOk);
        } else if let Some(c) = p.verify_result.captures(body) {
            let code = c[2].parse().ok();
            see(
                out,
                Signal::TlsVerifyFailed {
                    code,
                    text: c[1].to_string(),
                    ignored: body.contains("continuing anyway"),
                },
            );
        } else if let Some(problem) = body.strip_prefix("SSL certificate problem:") {
            let text = problem.trim().to_string();
            see(
                out,
                Signal::TlsVerifyFailed {
                    code: x509_text::code_of(&text),
                    text,
                    ignored: false,
                },
            );
        } else if body.starts_with("SSL: no alternative certificate subject name")
            || (body.starts_with("SSL: certificate subject name")
                && body.contains("does not match"))
        {
            see(
                out,
                Signal::TlsHostnameMismatch {
                    detail: body.to_string(),
                },
            );
        } else if body.starts_with("OpenSSL SSL_connect")
            || body.starts_with("Unknown SSL protocol error")
            || body.starts_with("TLS connect error")
            || body.starts_with("gnutls_handshake() failed")
            || body.starts_with("NSS error")
            || (body.contains("SSL routines") && body.contains("error:"))
        {
            see(
                out,
                Signal::TlsHandshakeFailed {
                    detail: body.to_string(),
                },
            );
        } else if body.starts_with("SSL connection using") {
            if let Some(r) = out.run_mut(run) {
                r.tls_established = true;
            }
            see(out, Signal::TlsEstablished);
        } else if let Some(signal) = self.connect_failure(body, out) {
            see(out, signal);
        } else if body.starts_with("Connection #") && body.contains("left intact") {
            self.run_done = true;
        } else if !INFO_PREFIXES.iter().any(|pre| body.starts_with(pre)) {
            return Class::NotUnderstood;
        }
        Class::Recognised
    }

    /// `Failed to connect to h port 443: Connection refused`, `Connection timed out after N ms`, ...
    fn connect_failure(&self, body: &str, out: &mut Builder) -> Option<Signal> {
        let lower = body.to_ascii_lowercase();
        let target = patterns()
            .failed_connect
            .captures(body)
            .map(|c| match c.get(2) {
                Some(port) => format!("{}:{}", &c[1], port.as_str()),
                None => c[1].to_string(),
            })
            .unwrap_or_else(|| self.host(out));
        if lower.starts_with("connection timed out")
            || lower.starts_with("connection time-out")
            || (lower.contains("connect to") && lower.contains("timed out"))
        {
            return Some(Signal::TcpTimeout { target });
        }
        socket_error(&lower, target)
    }
}

impl ArtefactParser for Parser {
    fn prompt(&mut self, line: &Line, prompt: &Prompt, out: &mut Builder) -> Class {
        if prompt.command.split_whitespace().any(|t| t == "curl") {
            let index = self.start(command_run(&prompt.command, line.number), out);
            out.observe(line, Signal::CurlCommand, Some(index));
        } else {
            observe_command(line, prompt, out);
        }
        Class::Recognised
    }

    fn line(&mut self, line: &Line, out: &mut Builder) -> Class {
        let p = patterns();
        let text = line.text.trim_end();
        let trimmed = text.trim_start();
        // A shell trace (`set -x`) prints the command after `+ `.
        let command = trimmed.strip_prefix("+ ").unwrap_or(trimmed);
        if crate::securex_artefacts::sniff::is_curl_command(command) {
            let index = self.start(command_run(command, line.number), out);
            out.observe(line, Signal::CurlCommand, Some(index));
            return Class::Recognised;
        }
        if let Some(c) = p.exit.captures(trimmed) {
            let run = self.current(line, out);
            let code: i64 = c[1].parse().unwrap_or(-1);
            if let Some(r) = out.run_mut(run) {
                r.exit = Some(code);
            }
            out.observe(
                line,
                Signal::CurlExit {
                    code,
                    message: c[2].to_string(),
                },
                Some(run),
            );
            // The cause the message names (`Received HTTP code 407 from proxy after CONNECT`),
            // unless the transcript already showed it: a one-line error is not only an exit code.
            if let Some(cause) = error_lines::curl_message(&c[2], code) {
                let kind = std::mem::discriminant(&cause);
                let shown = out
                    .artefact
                    .observations
                    .iter()
                    .any(|o| o.run == Some(run) && std::mem::discriminant(&o.signal) == kind);
                if !shown {
                    out.observe_scanned(line, cause, Some(run));
                }
            }
            self.run_done = true;
            self.after_exit = true;
            return Class::Recognised;
        }
        if self.after_exit
            && !trimmed.starts_with('*')
            && !trimmed.starts_with('<')
            && !trimmed.starts_with('>')
        {
            // `More details here: https://curl.se/docs/sslcerts.html` and the paragraph after it.
            return Class::Continuation;
        }
        if let Some(body) = trimmed.strip_prefix('*') {
            self.in_body = false;
            return self.info_line(line, body.trim(), out);
        }
        if let Some(c) = p.status.captures(trimmed) {
            let run = self.current(line, out);
            let code: u16 = c[2].parse().unwrap_or(0);
            if self.in_tunnel && !self.tunnel_ok {
                self.tunnel_ok = code == 200;
                out.observe(line, Signal::ProxyStatus { code }, Some(run));
            } else {
                if let Some(r) = out.run_mut(run) {
                    r.http_status = Some(code);
                }
                out.observe(
                    line,
                    Signal::HttpStatus {
                        code,
                        reason: c[3].trim().to_string(),
                    },
                    Some(run),
                );
            }
            return Class::Recognised;
        }
        if trimmed == "<" {
            self.in_body = true;
            return Class::Recognised;
        }
        if trimmed.starts_with("< ")
            || trimmed.starts_with("> ")
            || trimmed == ">"
            || trimmed.starts_with("{ [")
            || trimmed.starts_with("} [")
        {
            return Class::Recognised;
        }
        if trimmed.starts_with("CApath:") || trimmed.starts_with("CAfile:") {
            return Class::Continuation;
        }
        if trimmed.starts_with("% Total")
            || trimmed.starts_with("Dload")
            || (trimmed.starts_with(|c: char| c.is_ascii_digit()) && trimmed.contains("--:--:--"))
        {
            return Class::Recognised;
        }
        if self.in_body {
            return Class::Continuation;
        }
        Class::NotUnderstood
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_flags() {
        let r = command_run("curl -v -k https://api-sse.cisco.com", 1);
        assert!(r.insecure);
        assert_eq!(r.host.as_deref(), Some("api-sse.cisco.com"));
        let r = command_run(
            "curl -v https://est.sco.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem",
            1,
        );
        assert!(!r.insecure);
        assert_eq!(r.cacert.as_deref(), Some("/ngfw/etc/ssl/connectorCA.pem"));
        assert!(command_run("curl -vk https://x", 1).insecure);
    }

    #[test]
    fn wording_of_both_generations() {
        let p = patterns();
        assert_eq!(
            &p.resolve
                .captures("Couldn't resolve host 'api-sse.cisco.com'")
                .unwrap()[2],
            "api-sse.cisco.com"
        );
        assert_eq!(
            &p.resolve
                .captures("Could not resolve host: api-sse.cisco.com")
                .unwrap()[2],
            "api-sse.cisco.com"
        );
        assert_eq!(
            &p.resolve
                .captures("Could not resolve host: api-sse.cisco.com; Name or service not known")
                .unwrap()[2],
            "api-sse.cisco.com"
        );
        assert_eq!(
            address_of(&p.trying.captures("Trying 10.0.0.66...").unwrap()[1]),
            "10.0.0.66"
        );
        assert_eq!(
            address_of(&p.trying.captures("Trying 10.0.0.66:443...").unwrap()[1]),
            "10.0.0.66"
        );
        assert_eq!(
            address_of(&p.trying.captures("Trying x.x.x.66...").unwrap()[1]),
            "x.x.x.66"
        );
        assert_eq!(
            address_of(&p.trying.captures("Trying [2001:db8::1]:443...").unwrap()[1]),
            "2001:db8::1"
        );
        assert!(p
            .connected
            .is_match("Connected to api-sse.cisco.com (10.0.0.66) port 443 (#0)"));
        assert!(p
            .connected
            .is_match("Connected to api-sse.cisco.com (10.0.0.66) port 443"));
    }
}
