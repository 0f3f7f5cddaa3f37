//! What a line of a SecureX artefact says, independent of the artefact it came from.
//!
//! Parsers turn lines into [`Observation`]s; rules only look at observations, so a DNS failure
//! reads the same whether curl, nslookup, `action_queue.log` or the Go connector reported it.

/// One fact read from one line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct Observation {
    /// 1-based line number in the input (original numbering inside console sessions).
    pub line: u32,
    /// The line as written (trailing whitespace removed).
    pub text: String,
    pub signal: Signal,
    /// Index into [`super::Artefact::runs`] when the line belongs to a curl invocation.
    pub run: Option<usize>,
    /// Read by the error scan ([`super::error_lines`]) rather than by an artefact's own grammar.
    pub scanned: bool,
}

/// The typed meaning of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub enum Signal {
    /// A command typed at a prompt that no specific signal covers (`configure network dns ...`).
    Command { command: String },
    /// `configure network dns <ip>` (or `dns servers <ip>`): the DNS servers were changed.
    DnsReconfigured { servers: String },
    /// A curl invocation (typed command, or the `canConnect` line of `action_queue.log`).
    CurlCommand,
    /// A name resolved to an address (nslookup answer, curl `Trying`/`Connected to`).
    Resolved { host: String, ip: String },
    /// The resolver returned no address (curl `getaddrinfo(3) failed`, `Could(n't) resolve host`,
    /// Go `Temporary failure in name resolution`, `server misbehaving`).
    ResolveFailed { host: String },
    /// No DNS server answered (nslookup `no servers could be reached`, `communications error`,
    /// Go `read udp ...:53: i/o timeout`). `server` when the line names it.
    DnsServerUnreachable { server: Option<String> },
    /// The name does not exist on the resolver (NXDOMAIN, Go `no such host`).
    DnsNxdomain { host: String },
    /// nslookup `Server:` line: which resolver answered or was asked.
    DnsServerUsed { server: String },
    /// `show network` `DNS Servers` (one observation per server line).
    DnsServer { server: String },
    /// `show network` has a System Information block but no DNS server.
    DnsServersMissing,
    /// `show network` Proxy Information `State`.
    ProxyState { enabled: bool },
    /// curl `Trying <ip>...`.
    Trying { ip: String },
    /// curl `Connected to <host> (<ip>) port <p>`.
    Connected {
        host: String,
        ip: String,
        port: String,
    },
    /// TCP connect timed out (curl `Connection timed out`, Go `dial tcp ...: i/o timeout`).
    TcpTimeout { target: String },
    /// TCP connection refused or reset.
    TcpRefused { target: String, detail: String },
    /// No route / network unreachable.
    TcpNoRoute { target: String, detail: String },
    /// curl `Establish HTTP proxy tunnel to <target>`.
    ProxyTunnel { target: String },
    /// The proxy answered CONNECT with this status (200 means the tunnel is up).
    ProxyStatus { code: u16 },
    /// curl `Server certificate:` subject line.
    TlsSubject { subject: String },
    /// curl `issuer:` line.
    TlsIssuer { issuer: String },
    /// `SSL certificate verify ok.`
    TlsVerifyOk,
    /// A certificate verification failure: curl `SSL certificate problem` (`ignored == false`),
    /// `SSL certificate verify result: ... (N), continuing anyway.` (`ignored == true`, `-k`),
    /// Go `x509: ...`. `code` is the OpenSSL X509 verify code when known.
    TlsVerifyFailed {
        code: Option<i64>,
        text: String,
        ignored: bool,
    },
    /// The certificate names another host.
    TlsHostnameMismatch { detail: String },
    /// The TLS handshake was torn down or stalled.
    TlsHandshakeFailed { detail: String },
    /// curl `SSL connection using ...`: the handshake completed.
    TlsEstablished,
    /// `< HTTP/1.1 403 Forbidden` from the server (not from a proxy).
    HttpStatus { code: u16, reason: String },
    /// `curl: (N) message`, or the exit code of a `canConnect` check.
    CurlExit { code: i64, message: String },
    /// `connector_fqdn=` in connector.properties.
    ConnectorFqdn { host: String },
    /// netstat row for `EventHandler_SSEConnector.sock`: `connected` is true for CONNECTED rows.
    EventHandlerSocket { connected: bool },
    /// lsof row of the connector's session to the cloud, with its TCP state.
    EventSession {
        local: String,
        remote: String,
        state: String,
    },
    /// lsof row of the connector's local API (`localhost:8989 (LISTEN)`).
    ConnectorApiListening,
    /// An error line of connector.log (`level=error`), with the Go function and error text.
    ConnectorError {
        func: String,
        error: String,
        truncated: bool,
    },
    /// `pmtool status` row for a process.
    Process { name: String, state: String },
}

/// One curl invocation: its target and outcome, filled by the parser as lines arrive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct CurlRun {
    /// Line of the command (prompt or `canConnect` line), or of the first transcript line.
    pub first_line: u32,
    pub url: Option<String>,
    /// Host of the URL (`api-sse.cisco.com`).
    pub host: Option<String>,
    /// `-k` / `--insecure`.
    pub insecure: bool,
    /// `--cacert <path>`.
    pub cacert: Option<String>,
    /// The run comes from `action_queue.log` (curl `-s`: no transcript, only the exit code).
    pub from_action_queue: bool,
    pub connected: bool,
    pub tls_established: bool,
    pub http_status: Option<u16>,
    pub exit: Option<i64>,
}

impl CurlRun {
    /// The cloud answered: an HTTP status came back from the server.
    pub fn reached(&self) -> bool {
        self.http_status.is_some() && self.exit.is_none_or(|c| c == 0)
    }
    /// The run failed: a non-zero exit code.
    pub fn failed(&self) -> bool {
        self.exit.is_some_and(|c| c != 0)
    }
}
