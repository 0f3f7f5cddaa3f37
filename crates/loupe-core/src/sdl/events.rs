//! Stage 4, events: typed ILS events from SDL records, for every marker the seed shows on either
//! side (shared/domain/ils.md §3.1, §4.A). A multi-literal search picks the few candidate patterns
//! for a record before any regex runs.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::Serialize;

use crate::model::Bilingual;
use crate::sdl::pid::{parse_pid, Endpoint, Pid};

/// One ILS event: where it is and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct IlsEvent {
    pub line: u32,
    pub seq: u64,
    pub sub: u32,
    /// See [`crate::sdl::SdlInput::dated`].
    pub time_ms: i64,
    pub time_of_day_ms: u32,
    /// The record's text as in the file; shared by the copies of the event made while the
    /// inputs are correlated.
    pub text: std::sync::Arc<str>,
    pub kind: EventKind,
}

/// What `VerifyCertificateInfo` / `isCertInLocalStore` concluded about the peer's certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub enum CertVerdict {
    /// `peer certificates are in certificate store` (method 2).
    InStore,
    /// `X509_STORE_get_by_subject failed.`: benign on its own (methods 3 and 4).
    NotInLocalStore,
    /// `... not in certificate store but Root CA signed certs are uploaded locally` (method 3).
    CaSigned,
    /// `FQDN is in PeerInfoVector` (method 4).
    InPeerInfoVector,
    /// `certificate is not in the local store and the FQDN (x) is not in the peer info vector, closing the connection`.
    PeerUnknown { fqdn: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub enum EventKind {
    /// Spoke: `Ils::ConnectReq(): Requesting Connection to IpAddr(H), IpPort(P), TLSReq(f)`.
    ConnectRequest {
        target: Endpoint,
        tls: bool,
    },
    /// Spoke: `Ils::ConnectReq() Pub IP/Port(H:P) Pri IP/Port(:P) TLSReq(false)`.
    ConnectRequestDetail {
        publisher: Option<Endpoint>,
        tls: bool,
    },
    /// Spoke: `processConnectReq Initiating non-TLS Connection`.
    Initiating {
        tls: bool,
    },
    /// Spoke: `Ils::ConnectRes() appCorr(n) TCPPid(...), PeerIP/Port(H), LocalIP/Port(S) ... found`.
    ConnectResponse {
        pid: Option<Pid>,
        peer: Endpoint,
        local: Endpoint,
        tls: bool,
    },
    /// Spoke: `DEBUG(0000FA0E): Client Connection to peerId(0..0) ipAddr(H) ipPort(P) TLSReq(f) succeeded`.
    ClientSucceeded {
        code: String,
        target: Endpoint,
        tls: bool,
    },
    /// Spoke: `ERROR(000005C9): Connection to peerId(0..0) ipAddr(H) ipPort(P) TLSReq(t) failed, ConnReason(1)`.
    ClientFailed {
        code: String,
        target: Endpoint,
        tls: bool,
        reason: Option<u32>,
    },
    /// Hub: `IlsHandler: Ils::wait_SdlConnectionInd(): New connection accepted. ... IPAddr=S, Port=E`.
    Accepted {
        pid: Option<Pid>,
        peer: Endpoint,
    },
    /// Hub: `Ils::ConnectInd TCPPid(...), PeerIP/Port(S:E), LocalIP/Port(H:P)`.
    ConnectIndication {
        pid: Option<Pid>,
        peer: Endpoint,
        local: Endpoint,
    },
    /// Either side: `::ConnectIndInner Server Connection to|starting  to PeerId(X) ... established`.
    Established {
        server: bool,
        peer_id: String,
        pid: Option<Pid>,
        peer: Endpoint,
        local: Endpoint,
        tls: bool,
    },
    /// Hub: `wait_SdlDataInd EncrUtil::decryptData failed. ... IPAddr=S, Port=E`.
    DecryptFailed {
        pid: Option<Pid>,
        peer: Option<Endpoint>,
    },
    /// `EncrUtil ... decryptData ... succeed(ed)`.
    DecryptSucceeded,
    /// `sending ILS...Failed alarm with IPAddress= x` / `with Cluster1 = x` / `for Cluster1= fqdn`.
    Alarm {
        name: String,
        target: String,
        from: String,
    },
    Certificate(CertVerdict),
    /// `[1, 600, 17, 5]: HandleSSLError - Certificate verification failed:(Verification error:18)- self signed certificate for H:7501`
    /// (or the short form without the code).
    TlsVerifyFailed {
        pid: Option<Pid>,
        code: Option<i64>,
        reason: Option<String>,
        remote: Endpoint,
    },
    /// `HandleSSLError - TLS protocol error(ssl reason code=T [R]),lib=T [L],fun=T [F], errno=E for ip:port`.
    /// Boxed: the largest kind and a rare one, it would set the size of every event (208 bytes
    /// an event with it inline, 160 without).
    TlsProtocolError(Box<TlsProtocolError>),
    /// Hub: `IlsHandler: Close Req. ... IPAddr=S, Port=E`.
    CloseRequest {
        pid: Option<Pid>,
        peer: Endpoint,
    },
    /// An SdlSig record between the ILS process and one connection's process, about the
    /// connection itself (`SdlConnectRsp` from `SdlSSLTCPConnection(1,600,17,1)`): it names the
    /// connection by its process. Timers, data signals and signals of no connection are only
    /// counted ([`Extracted::Counted`]).
    Signal {
        name: String,
        connection: Pid,
    },
    /// Any other `ERROR(...)` / `DEBUG(...)` code in an IlsD line.
    Code {
        error: bool,
        code: String,
    },
}

/// `HandleSSLError - TLS protocol error(ssl reason code=T [R]),lib=T [L],fun=T [F], errno=E for ip:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct TlsProtocolError {
    pub pid: Option<Pid>,
    pub reason: String,
    pub reason_code: i64,
    pub lib: String,
    pub lib_code: i64,
    pub function: String,
    pub function_code: i64,
    pub errno: i64,
    pub remote: Endpoint,
}

impl EventKind {
    /// A short stable name, used in the timeline.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::ConnectRequest { .. } => "connect-request",
            EventKind::ConnectRequestDetail { .. } => "connect-request-detail",
            EventKind::Initiating { .. } => "initiating",
            EventKind::ConnectResponse { .. } => "connect-response",
            EventKind::ClientSucceeded { .. } => "client-connection-succeeded",
            EventKind::ClientFailed { .. } => "client-connection-failed",
            EventKind::Accepted { .. } => "connection-accepted",
            EventKind::ConnectIndication { .. } => "connect-indication",
            EventKind::Established { server: true, .. } => "server-connection-established",
            EventKind::Established { server: false, .. } => "client-connection-established",
            EventKind::DecryptFailed { .. } => "decrypt-failed",
            EventKind::DecryptSucceeded => "decrypt-succeeded",
            EventKind::Alarm { .. } => "alarm",
            EventKind::Certificate(CertVerdict::InStore) => "cert-in-store",
            EventKind::Certificate(CertVerdict::NotInLocalStore) => "cert-not-in-local-store",
            EventKind::Certificate(CertVerdict::CaSigned) => "cert-ca-signed",
            EventKind::Certificate(CertVerdict::InPeerInfoVector) => "fqdn-in-peer-info-vector",
            EventKind::Certificate(CertVerdict::PeerUnknown { .. }) => "peer-unknown",
            EventKind::TlsVerifyFailed { .. } => "tls-verify-failed",
            EventKind::TlsProtocolError(_) => "tls-protocol-error",
            EventKind::CloseRequest { .. } => "close-request",
            EventKind::Signal { .. } => "sdl-signal",
            EventKind::Code { .. } => "code",
        }
    }

    /// A short label for the side-by-side view.
    pub fn label(&self) -> Bilingual {
        match self {
            EventKind::ConnectRequest { target, tls } => Bilingual::new(
                format!("connect request to {target} ({})", if *tls { "TLS" } else { "non-TLS" }),
                format!("{target} への接続要求（{}）", if *tls { "TLS" } else { "非 TLS" }),
            ),
            EventKind::ConnectRequestDetail { .. } => Bilingual::new("connect request: publisher address", "接続要求: パブリッシャのアドレス"),
            EventKind::Initiating { tls } => Bilingual::new(
                format!("initiating {} connection", if *tls { "TLS" } else { "non-TLS" }),
                format!("{} 接続を開始", if *tls { "TLS" } else { "非 TLS" }),
            ),
            EventKind::ConnectResponse { local, .. } => Bilingual::new(format!("TCP connected from {local}"), format!("{local} から TCP 接続")),
            EventKind::ClientSucceeded { .. } => Bilingual::new("client connection succeeded", "クライアント接続に成功"),
            EventKind::ClientFailed { reason, .. } => Bilingual::new(
                format!("client connection failed{}", reason.map(|r| format!(", ConnReason({r})")).unwrap_or_default()),
                format!("クライアント接続に失敗{}", reason.map(|r| format!("、ConnReason({r})")).unwrap_or_default()),
            ),
            EventKind::Accepted { peer, .. } => Bilingual::new(format!("new connection accepted from {peer}"), format!("{peer} からの新しい接続を受け付け")),
            EventKind::ConnectIndication { peer, .. } => Bilingual::new(format!("connection indication from {peer}"), format!("{peer} からの接続通知")),
            EventKind::Established { server, peer_id, .. } => Bilingual::new(
                format!("{} connection established with PeerId {peer_id}", if *server { "server" } else { "client" }),
                format!("PeerId {peer_id} との{}接続が確立", if *server { "サーバ" } else { "クライアント" }),
            ),
            EventKind::DecryptFailed { .. } => Bilingual::new("password decryption failed", "パスワードの復号に失敗"),
            EventKind::DecryptSucceeded => Bilingual::new("password decryption succeeded", "パスワードの復号に成功"),
            EventKind::Alarm { name, target, .. } => Bilingual::new(format!("alarm {name} ({target})"), format!("アラーム {name}（{target}）")),
            EventKind::Certificate(v) => match v {
                CertVerdict::InStore => Bilingual::new("peer certificate is in the trust store", "相手の証明書が信頼ストアにある"),
                CertVerdict::NotInLocalStore => Bilingual::new("peer certificate not in the local store (normal in methods 3 and 4)", "相手の証明書がローカルストアにない（方法 3・4 では正常）"),
                CertVerdict::CaSigned => Bilingual::new("peer certificate is CA-signed (root CA uploaded)", "相手の証明書は CA 署名（ルート CA がアップロード済み）"),
                CertVerdict::InPeerInfoVector => Bilingual::new("peer FQDN is in the peer info vector", "相手の FQDN がピア情報ベクタにある"),
                CertVerdict::PeerUnknown { fqdn } => Bilingual::new(
                    format!("certificate of {fqdn} unknown and FQDN not in the peer info vector: closing"),
                    format!("{fqdn} の証明書が不明で FQDN もピア情報ベクタにないため切断"),
                ),
            },
            EventKind::TlsVerifyFailed { code, remote, .. } => Bilingual::new(
                format!("certificate verification failed for {remote}{}", code.map(|c| format!(" (X509 error {c})")).unwrap_or_default()),
                format!("{remote} の証明書検証に失敗{}", code.map(|c| format!("（X509 エラー {c}）")).unwrap_or_default()),
            ),
            EventKind::TlsProtocolError(e) => Bilingual::new(
                format!("TLS protocol error: {} [{}]", e.reason, e.reason_code),
                format!("TLS プロトコルエラー: {} [{}]", e.reason, e.reason_code),
            ),
            EventKind::CloseRequest { peer, .. } => Bilingual::new(format!("close request for {peer}"), format!("{peer} の切断要求")),
            EventKind::Signal { name, .. } => Bilingual::new(format!("SDL signal {name}"), format!("SDL シグナル {name}")),
            EventKind::Code { error, code } => Bilingual::new(
                format!("{}({code})", if *error { "ERROR" } else { "DEBUG" }),
                format!("{}({code})", if *error { "ERROR" } else { "DEBUG" }),
            ),
        }
    }
}

fn tls_flag(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_lowercase().as_str(),
        "t" | "true" | "1" | "y" | "yes"
    )
}

/// Literals that must occur in a record for it to be an ILS event; their index is the bit tested below.
const LITERALS: &[&str] = &[
    "Requesting Connection",           // 0
    "Pub IP/Port",                     // 1
    "processConnectReq",               // 2
    "ConnectRes()",                    // 3
    "Connection to peerId",            // 4
    "New connection accepted",         // 5
    "ConnectInd",                      // 6
    "ConnectIndInner",                 // 7
    "decryptData",                     // 8
    "alarm",                           // 9
    "X509_STORE_get_by_subject",       // 10
    "VerifyCertificateInfo",           // 11
    "Certificate verification failed", // 12
    "TLS protocol error",              // 13
    "Close Req",                       // 14
    "ERROR(",                          // 15
    "DEBUG(",                          // 16
];

/// The prefilter for whole blocks of text: needles, one of which occurs on some line of every
/// record [`Matcher::extract`] turns into an event. Each needle is a literal that a branch of
/// `extract` needs before it can return anything (the branch's regex requires it, or the branch
/// tests it literally):
///
/// | needle | branches |
/// |---|---|
/// | `Ils(` | SdlSig signals |
/// | `HandleSSL` | TLS verification failure, TLS protocol error (`TLS_WORD` is required) |
/// | `alarm` | alarms |
/// | `Addr(` | connect request (`IpAddr(`), client connection (`ipAddr(`) |
/// | `IPAddr=` | accepted, close request |
/// | `IP/Port(` | connect request detail, connect response, connect indication, established |
/// | `Initiating` | initiating |
/// | `ERROR(`, `DEBUG(` | client connection, codes |
/// | `decryptData` | decrypt failed / succeeded |
/// | `X509_STORE_get_by_subject`, `VerifyCertificateInfo` | certificate verdicts |
///
/// No needle holds whitespace, so none can appear across the space that joins a continuation
/// line to its record: each lies within one line. Fewer, rarer needles than [`LITERALS`] (the
/// frequent `ConnectInd` of every `SdlConnectInd` signal is gone) make the search faster; any hit
/// still goes through the full parse, and `extract` decides.
pub const CANDIDATE_LITERALS: &[&str] = &[
    "Ils(",
    "HandleSSL",
    "alarm",
    "Addr(",
    "IPAddr=",
    "IP/Port(",
    "Initiating",
    "ERROR(",
    "DEBUG(",
    "decryptData",
    "X509_STORE_get_by_subject",
    "VerifyCertificateInfo",
];

/// An SdlSig record is an event only through this literal (see [`Matcher::extract`]).
pub const SIGNAL_LITERAL: &[u8] = b"Ils(";

/// [`CANDIDATE_LITERALS`] but the first, [`SIGNAL_LITERAL`], which is on nearly every line of a
/// dense trace and is searched on its own (see `sdl::candidates`).
pub const OTHER_CANDIDATE_LITERALS: &[&str] = match CANDIDATE_LITERALS.split_first() {
    Some((_, rest)) => rest,
    None => &[],
};

const TLS_WORD: &str = r"HandleSSL(?:S?Error| error|SError)";

/// Each pattern is compiled the first time a record needs it: most never run on noise, and
/// compiling all of them up front cost more than scanning a 10 MB trace.
///
/// Without the lazy DFA (`dfa_size_limit(0)`): a pattern runs on a few thousand short records
/// per 100 MB, too few for the DFA's states, built as a search meets them and again in each
/// thread's cache, to pay back (callgrind, 100 MB ILS-dense: `Regex::captures` 13.8 M → 8.8 M
/// instructions; the backtracker and the PikeVM read these bodies directly).
macro_rules! lazy_regex {
    ($($name:ident = $src:expr;)*) => {
        $(
            fn $name() -> &'static Regex {
                static R: OnceLock<Regex> = OnceLock::new();
                R.get_or_init(|| {
                    regex::RegexBuilder::new(&ascii_classes($src))
                        .dfa_size_limit(0)
                        .build()
                        .expect("valid pattern")
                })
            }
        )*
    };
}

/// The patterns' Perl classes (`\s`, `\d`, `\w`, `\b`) made ASCII: the fields they match
/// (ports, counters, hex ids, `TLSReq(t)`, the spaces between them) are ASCII in every ILS
/// trace, a Unicode digit would not parse as a number anyway, and the Unicode classes made
/// compiling the patterns cost 53 ms against 4 ms (all of them, in release), a fifth of the
/// time of a 2 x 100 MB trace.
pub(super) fn ascii_classes(src: &str) -> String {
    src.replace(r"\s", r"[\t\n\x0B\x0C\r ]")
        .replace(r"\d", "[0-9]")
        .replace(r"\w", "[0-9A-Za-z_]")
        .replace(r"\b", r"(?-u:\b)")
}

lazy_regex! {
    connect_req = r"Requesting Connection to IpAddr\(([^)]*)\),\s*IpPort\((\d+)\),\s*TLSReq\((\w+)\)";
    connect_req_detail = r"Pub IP/Port\(([^)]*)\)\s*Pri IP/Port\(([^)]*)\)\s*TLSReq\((\w+)\)";
    initiating = r"processConnectReq\s+Initiating\s+(non-TLS|TLS)\s+Connection";
    connect_res = r"ConnectRes\(\)\s*appCorr\((\d+)\)\s*TCPPid\(\[([^\]]*)\]\),\s*PeerIP/Port\(([^)]*)\),\s*LocalIP/Port\(([^)]*)\)\s*TLSReq\((\w+)\)";
    client_conn = r"(DEBUG|ERROR)\(([0-9A-Fa-f]+)\):\s*(?:Client\s+)?Connection to peerId\((\w*)\)\s*ipAddr\(([^)]*)\)\s*ipPort\((\d+)\)\s*TLSReq\((\w+)\)\s*(succeeded|failed)(?:,\s*ConnReason\((\d+)\))?";
    accepted = r"New connection accepted\.?\s*DeviceName=[^,]*,\s*TCPPid\s*=\s*\[([^\]]*)\],\s*IPAddr=([^,\s]*),\s*Port=(\d+)";
    connect_ind = r"Ils::ConnectInd\s+TCPPid\(\[([^\]]*)\]\),\s*PeerIP/Port\(([^)]*)\),\s*LocalIP/Port\(([^)]*)\)";
    established = r"ConnectIndInner\s+(Server Connection|starting)\s+to\s+PeerId\((\w*)\),\s*TCPPid\(\[([^\]]*)\]\),\s*PeerIP/Port\(([^)]*)\),\s*LocalIP/Port\(([^)]*)\)\s*TLSReq\((\w+)\)\s*established";
    decrypt_failed = r"decryptData\s+failed\s*\.?(?:\s*DeviceName=[^,]*,\s*TCPPid\s*=\s*\[([^\]]*)\],\s*IPAddr=([^,\s]*),\s*Port=(\d+))?";
    alarm = r"sending\s+(ILS\w+)\s+alarm\s+(?:with|for)\s+(?:IPAddress|Cluster1)\s*=\s*([^;\s]+)";
    verdict = r"VerifyCertificateInfo\(\):\s*(peer certificates are in certificate store|peer certificates are not in certificate store but Root CA signed certs are uploaded locally|FQDN is in PeerInfoVector|certificate is not in the local store and the FQDN \(([^)]*)\) is not in the peer info vector)";
    tls_verify = &format!(r"(?:\[([\d.,\s]+)\]:\s*)?{TLS_WORD}\s*-\s*Certificate verification failed(?::\s*\(Verification error:\s*(\d+)\)\s*-\s*(.*?))?\s+for\s+(\S+)\s*$");
    tls_protocol = &format!(r"(?:\[([\d.,\s]+)\]:\s*)?{TLS_WORD}\s*-\s*TLS protocol error\(ssl reason code=(.*?)\s*\[(\d+)\]\),\s*lib=(.*?)\s*\[(\d+)\],\s*fun=(.*?)\s*\[(\d+)\],\s*errno=(-?\d+)\s+for\s+(\S+)");
    close_req = r"Close Req\.?\s*DeviceName=[^,]*,\s*TCPPid\s*=\s*\[([^\]]*)\],\s*IPAddr=([^,\s]*),\s*Port=(\d+)";
    code = r"\b(ERROR|DEBUG)\(([0-9A-Fa-f]{4,16})\)";
}

fn literals() -> &'static AhoCorasick {
    static L: OnceLock<AhoCorasick> = OnceLock::new();
    // Searched only in the few records that hold a candidate literal: a contiguous NFA, whose
    // build is a fraction of the DFA's that `AhoCorasick::new` picks for so few patterns (34 ms
    // of a browser worker's start).
    L.get_or_init(|| {
        AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(LITERALS)
            .expect("literals")
    })
}

/// What a record is to the ILS analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extracted<'a> {
    /// An event, kept for correlation.
    Event(EventKind),
    /// A signal of the ILS process that names no connection, or that carries data or a timer
    /// rather than a step of the connection (`SdlTimerExpired`, `SdlDataInd`): only counted, by
    /// name. A trace at level Detailed is mostly these (shared/domain/ils.md §2.2a); kept, they
    /// would grow with the lines and crowd the evidence of every attempt.
    Counted(&'a str),
}

/// The process of a connection (`SdlTCPConnection(1,600,13,5)`, `SdlSSLTCPConnection(...)`)
/// named in a signal's destination or source column.
fn connection_process(column: &str) -> Option<Pid> {
    let c = column.trim();
    let inner = c
        .strip_prefix("SdlTCPConnection(")
        .or_else(|| c.strip_prefix("SdlSSLTCPConnection("))?;
    parse_pid(inner.strip_suffix(')')?)
}

/// A signal about a connection's life (connect, close, disconnect, error), as opposed to the
/// data it carries. A timer is none, whatever its name says (`IlsRetryConnectTimer`): it goes
/// from `SdlTimerService` to the ILS process and names no connection, so it is counted. Read as
/// a step, each of its lines went through the full reading of a signal's columns only to be
/// counted there: 6 % of the instructions of `loupe analyze` on the ILS-dense corpus.
pub(super) fn is_connection_step(name: &str) -> bool {
    if name.ends_with("Timer") {
        return false;
    }
    // Once per signal of a trace: a byte scan, cheaper on names this short than four searches.
    let b = name.as_bytes();
    (0..b.len()).any(|i| {
        let rest = &b[i..];
        match b[i] {
            b'C' => rest.starts_with(b"Connect") || rest.starts_with(b"Close"),
            b'D' => rest.starts_with(b"Disconnect"),
            b'E' => rest.starts_with(b"Err"),
            _ => false,
        }
    })
}

/// An SdlSig record of the ILS process: `name |state |destination |source |...`.
///
/// Most signals of a dense trace are timers and data signals: the destination and source
/// columns are read only for a signal whose name is a step of a connection, and nothing is
/// allocated for a signal that is only counted.
pub fn signal(body: &str) -> Option<Extracted<'_>> {
    let mut columns = body.split('|');
    let name = columns.next()?.trim();
    if name.is_empty() {
        return None;
    }
    if !is_connection_step(name) {
        return Some(Extracted::Counted(name));
    }
    let mut ends = columns.skip(1).take(2);
    Some(match ends.find_map(connection_process) {
        Some(connection) => Extracted::Event(EventKind::Signal {
            name: name.to_string(),
            connection,
        }),
        None => Extracted::Counted(name),
    })
}

/// Extracts events from record bodies.
#[derive(Debug, Default)]
pub struct Matcher;

impl Matcher {
    /// The ILS event in a record, if it is one.
    pub fn extract<'a>(&self, record_type: &str, body: &'a str) -> Option<Extracted<'a>> {
        // A signal is one only through `Ils(`: no need for the other literals (most records of
        // a dense trace are signals).
        if record_type == "SdlSig" {
            return if body.contains("Ils(") {
                signal(body)
            } else {
                None
            };
        }
        let mut present = 0u32;
        for m in literals().find_overlapping_iter(body) {
            present |= 1 << m.pattern().as_u32();
        }
        if present == 0 {
            return None;
        }
        let has = |i: u32| present & (1 << i) != 0;
        self.extract_app(body, has).map(Extracted::Event)
    }

    /// The event of a record that is not a signal (AppInfo lines).
    fn extract_app(&self, body: &str, has: impl Fn(u32) -> bool) -> Option<EventKind> {
        let ep = |s: &str| Endpoint::parse(s).unwrap_or_else(|| Endpoint::new(s, None));
        let pid = |s: &str| parse_pid(s);
        if has(12) {
            if let Some(c) = tls_verify().captures(body) {
                return Some(EventKind::TlsVerifyFailed {
                    pid: c.get(1).and_then(|m| pid(m.as_str())),
                    code: c.get(2).and_then(|m| m.as_str().parse().ok()),
                    reason: c.get(3).map(|m| m.as_str().trim().to_string()),
                    remote: ep(&c[4]),
                });
            }
        }
        if has(13) {
            if let Some(c) = tls_protocol().captures(body) {
                return Some(EventKind::TlsProtocolError(Box::new(TlsProtocolError {
                    pid: c.get(1).and_then(|m| pid(m.as_str())),
                    reason: c[2].trim().to_string(),
                    reason_code: c[3].parse().unwrap_or(0),
                    lib: c[4].trim().to_string(),
                    lib_code: c[5].parse().unwrap_or(0),
                    function: c[6].trim().to_string(),
                    function_code: c[7].parse().unwrap_or(0),
                    errno: c[8].parse().unwrap_or(0),
                    remote: ep(&c[9]),
                })));
            }
        }
        if has(9) {
            if let Some(c) = alarm().captures(body) {
                let from = if body.contains("wait_SdlConnectErrRsp") {
                    "wait_SdlConnectErrRsp"
                } else if body.contains("VerifyCertificateInfo") {
                    "VerifyCertificateInfo"
                } else if body.contains("wait_SdlDataInd") {
                    "wait_SdlDataInd"
                } else {
                    ""
                };
                return Some(EventKind::Alarm {
                    name: c[1].to_string(),
                    target: c[2].trim().to_string(),
                    from: from.to_string(),
                });
            }
        }
        if has(0) {
            if let Some(c) = connect_req().captures(body) {
                return Some(EventKind::ConnectRequest {
                    target: Endpoint::new(&c[1], c[2].parse().ok()),
                    tls: tls_flag(&c[3]),
                });
            }
        }
        if has(1) {
            if let Some(c) = connect_req_detail().captures(body) {
                let publisher = Endpoint::parse(&c[1]).filter(|e| !e.ip.is_empty());
                return Some(EventKind::ConnectRequestDetail {
                    publisher,
                    tls: tls_flag(&c[3]),
                });
            }
        }
        if has(2) {
            if let Some(c) = initiating().captures(body) {
                return Some(EventKind::Initiating {
                    tls: &c[1] == "TLS",
                });
            }
        }
        if has(3) {
            if let Some(c) = connect_res().captures(body) {
                return Some(EventKind::ConnectResponse {
                    pid: pid(&c[2]),
                    peer: ep(&c[3]),
                    local: ep(&c[4]),
                    tls: tls_flag(&c[5]),
                });
            }
        }
        if has(4) {
            if let Some(c) = client_conn().captures(body) {
                let target = Endpoint::new(&c[4], c[5].parse().ok());
                let tls = tls_flag(&c[6]);
                let code = c[2].to_string();
                return Some(if &c[7] == "succeeded" {
                    EventKind::ClientSucceeded { code, target, tls }
                } else {
                    EventKind::ClientFailed {
                        code,
                        target,
                        tls,
                        reason: c.get(8).and_then(|m| m.as_str().parse().ok()),
                    }
                });
            }
        }
        if has(5) {
            if let Some(c) = accepted().captures(body) {
                return Some(EventKind::Accepted {
                    pid: pid(&c[1]),
                    peer: Endpoint::new(&c[2], c[3].parse().ok()),
                });
            }
        }
        if has(7) {
            if let Some(c) = established().captures(body) {
                return Some(EventKind::Established {
                    server: &c[1] == "Server Connection",
                    peer_id: c[2].to_string(),
                    pid: pid(&c[3]),
                    peer: ep(&c[4]),
                    local: ep(&c[5]),
                    tls: tls_flag(&c[6]),
                });
            }
        }
        if has(6) {
            if let Some(c) = connect_ind().captures(body) {
                return Some(EventKind::ConnectIndication {
                    pid: pid(&c[1]),
                    peer: ep(&c[2]),
                    local: ep(&c[3]),
                });
            }
        }
        if has(8) {
            if let Some(c) = decrypt_failed().captures(body) {
                let peer = c.get(2).map(|ip| {
                    Endpoint::new(ip.as_str(), c.get(3).and_then(|p| p.as_str().parse().ok()))
                });
                return Some(EventKind::DecryptFailed {
                    pid: c.get(1).and_then(|m| pid(m.as_str())),
                    peer,
                });
            }
            if body.contains("succeed") {
                return Some(EventKind::DecryptSucceeded);
            }
        }
        if has(10) {
            return Some(EventKind::Certificate(CertVerdict::NotInLocalStore));
        }
        if has(11) {
            if let Some(c) = verdict().captures(body) {
                let v = match &c[1] {
                    "peer certificates are in certificate store" => CertVerdict::InStore,
                    "FQDN is in PeerInfoVector" => CertVerdict::InPeerInfoVector,
                    s if s.starts_with("peer certificates are not") => CertVerdict::CaSigned,
                    _ => CertVerdict::PeerUnknown {
                        fqdn: c.get(2).map_or(String::new(), |m| m.as_str().to_string()),
                    },
                };
                return Some(EventKind::Certificate(v));
            }
        }
        if has(14) {
            if let Some(c) = close_req().captures(body) {
                return Some(EventKind::CloseRequest {
                    pid: pid(&c[1]),
                    peer: Endpoint::new(&c[2], c[3].parse().ok()),
                });
            }
        }
        if has(15) || has(16) {
            if let Some(c) = code().captures(body) {
                return Some(EventKind::Code {
                    error: &c[1] == "ERROR",
                    code: c[2].to_string(),
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_other_candidates_are_all_but_the_signal_literal() {
        assert_eq!(CANDIDATE_LITERALS[0].as_bytes(), SIGNAL_LITERAL);
        assert_eq!(OTHER_CANDIDATE_LITERALS, &CANDIDATE_LITERALS[1..]);
    }

    #[test]
    fn needles_hold_no_whitespace_and_are_in_the_patterns() {
        for n in CANDIDATE_LITERALS {
            assert!(!n.bytes().any(|b| b.is_ascii_whitespace()), "{n}");
        }
        // Each record of the ILS fixtures that is an event holds a needle.
        let m = Matcher;
        let samples = [
            ("AppInfo", "IlsD Ils::ConnectReq(): Requesting Connection to IpAddr(10.1.1.1), IpPort(7501), TLSReq(t)"),
            ("AppInfo", "IlsD IlsHandler: Close Req. DeviceName=x, TCPPid = [1.600.17.5], IPAddr=10.1.1.1, Port=4455"),
            ("AppInfo", "IlsD Ils::ConnectInd TCPPid([1.600.17.5]), PeerIP/Port(10.1.1.1:4455), LocalIP/Port(10.1.1.2:7501)"),
            ("AppInfo", "IlsD processConnectReq Initiating non-TLS Connection"),
            ("AppInfo", "IlsD ERROR(000005C9): something"),
        ];
        for (t, body) in samples {
            assert!(
                matches!(m.extract(t, body), Some(Extracted::Event(_))),
                "{body}"
            );
            assert!(
                crate::sdl::candidates::find(body.as_bytes(), 0).is_some(),
                "{body}"
            );
        }
    }

    #[test]
    fn signals_are_events_only_when_they_are_a_step_of_a_connection() {
        let m = Matcher;
        // The seed's method 3 spoke: the connect response from the TLS connection's process.
        let rsp = "SdlConnectRsp                          |wait                           |Ils(1,600,20,1)                 |SdlSSLTCPConnection(1,600,17,1)  |1,600,16,1.1^*^*   |*TraceFlagOverrode";
        assert_eq!(
            m.extract("SdlSig", rsp),
            Some(Extracted::Event(EventKind::Signal {
                name: "SdlConnectRsp".into(),
                connection: [1, 600, 17, 1]
            }))
        );
        let timer = "SdlTimerExpired                        |wait                           |Ils(1,600,20,1)                 |SdlTimerService(1,600,3,1)       |1,600,20,1.2^*^*   |*TraceFlagOverrode";
        assert_eq!(
            m.extract("SdlSig", timer),
            Some(Extracted::Counted("SdlTimerExpired"))
        );
        let data = "SdlDataInd                             |connected                      |Ils(1,600,20,1)                 |SdlTCPConnection(1,600,13,9)     |1,600,13,9.77^*^*  |*TraceFlagOverrode";
        assert_eq!(
            m.extract("SdlSig", data),
            Some(Extracted::Counted("SdlDataInd"))
        );
        assert_eq!(
            m.extract("SdlSig", "SdlDataInd |wait |DbMon(1,600,30,1)"),
            None
        );
        // A timer is never a step, even one named after connecting and read beside a connection.
        let retry =
            "IlsRetryConnectTimer |wait |Ils(1,600,20,1) |SdlTCPConnection(1,600,13,9) |1^*^*";
        assert_eq!(
            m.extract("SdlSig", retry),
            Some(Extracted::Counted("IlsRetryConnectTimer"))
        );
    }
}
