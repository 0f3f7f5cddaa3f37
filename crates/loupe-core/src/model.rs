//! The result of an analysis: the public contract shared by the CLI, the reports and the web app.
//!
//! Everything here is plain data (serde-serialisable); no behaviour beyond small helpers.

use serde::Serialize;

// With the `deserialize` feature the model also reads back what it writes: the web app parses the
// worker's result on the page into these same types instead of keeping copies of them.

/// Text the model holds: shared, not copied. Where attempts are dense, findings outnumber
/// everything else; a trace line cited by a finding, its attempt and the timeline, the input's
/// name on each evidence line and the prose that many findings have in common are each held once
/// (see [`crate::intern`]). Serialised as a plain string.
pub type Text = std::sync::Arc<str>;

/// Text in both languages Loupe speaks. Reports pick one with [`Lang`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct Bilingual {
    pub en: Text,
    pub ja: Text,
}

impl Bilingual {
    pub fn new(en: impl Into<Text>, ja: impl Into<Text>) -> Self {
        Self {
            en: en.into(),
            ja: ja.into(),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }
}

/// How bad a finding is. Ordered from worst to best so that sorting puts errors first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Ok,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Ok => "ok",
        }
    }
}

/// What an input is. Unknown input is reported as such, never guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// CUCM SDL trace (ILS or any other CUCM service).
    SdlTrace,
    /// The "ILS Clusters" table copied from Advanced Features > ILS Configuration.
    IlsClusterTable,
    /// Output of `run sql select * from remotecluster`.
    RemoteClusterSql,
    ActionQueueLog,
    CurlVerbose,
    Nslookup,
    ShowNetwork,
    ConnectorProperties,
    NetstatSocket,
    LsofConnector,
    ConnectorLog,
    PmtoolStatus,
    /// A pasted terminal session holding several artefacts, split at the prompts.
    ConsoleSession,
    /// ILS alarms outside a trace: CUCM syslog (CiscoLog) lines, RTMT alert text, Syslog
    /// Viewer copies.
    IlsAlarms,
    /// Empty input (no line at all, or only blank lines).
    Empty,
    /// Looks like binary data (NUL bytes, control characters).
    Binary,
    Unknown,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::SdlTrace => "sdl-trace",
            Kind::IlsClusterTable => "ils-cluster-table",
            Kind::RemoteClusterSql => "remote-cluster-sql",
            Kind::ActionQueueLog => "action-queue-log",
            Kind::CurlVerbose => "curl-verbose",
            Kind::Nslookup => "nslookup",
            Kind::ShowNetwork => "show-network",
            Kind::ConnectorProperties => "connector-properties",
            Kind::NetstatSocket => "netstat-socket",
            Kind::LsofConnector => "lsof-connector",
            Kind::ConnectorLog => "connector-log",
            Kind::PmtoolStatus => "pmtool-status",
            Kind::ConsoleSession => "console-session",
            Kind::IlsAlarms => "ils-alarms",
            Kind::Empty => "empty",
            Kind::Binary => "binary",
            Kind::Unknown => "unknown",
        }
    }
    pub fn label(self) -> Bilingual {
        let (en, ja) = match self {
            Kind::SdlTrace => ("CUCM SDL trace", "CUCM SDL トレース"),
            Kind::IlsClusterTable => ("ILS Clusters table", "ILS クラスタ一覧"),
            Kind::RemoteClusterSql => ("remotecluster SQL output", "remotecluster の SQL 出力"),
            Kind::ActionQueueLog => ("action_queue.log", "action_queue.log"),
            Kind::CurlVerbose => ("curl -v transcript", "curl -v の出力"),
            Kind::Nslookup => ("nslookup output", "nslookup の出力"),
            Kind::ShowNetwork => ("show network output", "show network の出力"),
            Kind::ConnectorProperties => ("connector.properties", "connector.properties"),
            Kind::NetstatSocket => (
                "netstat (EventHandler socket)",
                "netstat（EventHandler ソケット）",
            ),
            Kind::LsofConnector => ("lsof (connector)", "lsof（connector）"),
            Kind::ConnectorLog => ("connector.log", "connector.log"),
            Kind::PmtoolStatus => ("pmtool status", "pmtool status"),
            Kind::ConsoleSession => ("console session", "コンソールセッション"),
            Kind::IlsAlarms => (
                "ILS alarms (syslog, RTMT alerts)",
                "ILS アラーム（syslog、RTMT アラート）",
            ),
            Kind::Empty => ("empty input", "空の入力"),
            Kind::Binary => ("binary data", "バイナリデータ"),
            Kind::Unknown => ("unrecognised text", "認識できないテキスト"),
        };
        Bilingual::new(en, ja)
    }
}

/// The part an input plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// ILS TCP server (listens on 7501/7502).
    Hub,
    /// ILS TCP client (connects to the hub's 7501/7502).
    Spoke,
    /// A Secure Firewall / FMC device artefact.
    Device,
    Unknown,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Hub => "hub",
            Role::Spoke => "spoke",
            Role::Device => "device",
            Role::Unknown => "unknown",
        }
    }
}

/// A line of evidence: which input, which 1-based line, its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct Evidence {
    pub input: Text,
    pub line: u32,
    pub text: Text,
    /// The role of the input the line comes from, when known.
    pub role: Role,
}

/// A decoded code (X509 verify result, OpenSSL reason, curl exit code, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct DecodedCode {
    /// `x509-verify`, `openssl-reason`, `openssl-function`, `curl-exit`, `ils-error`.
    pub kind: String,
    pub code: i64,
    /// Symbolic name (`X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT`, `CURLE_COULDNT_RESOLVE_HOST`).
    pub name: String,
    pub meaning: Bilingual,
}

/// The step of the SecureX connectivity chain a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
#[serde(rename_all = "lowercase")]
pub enum ChainStep {
    Dns,
    Tcp,
    Proxy,
    Tls,
    Http,
    Connector,
}

impl ChainStep {
    pub fn as_str(self) -> &'static str {
        match self {
            ChainStep::Dns => "dns",
            ChainStep::Tcp => "tcp",
            ChainStep::Proxy => "proxy",
            ChainStep::Tls => "tls",
            ChainStep::Http => "http",
            ChainStep::Connector => "connector",
        }
    }
}

/// The explanation every finding carries, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct Explanation {
    /// What happened, in the words of the evidence.
    pub what: Bilingual,
    /// Why it happens.
    pub why: Bilingual,
    /// Numbered fix steps (menu paths, commands).
    pub fix: Vec<Bilingual>,
    /// How to verify that the fix worked.
    pub verify: Vec<Bilingual>,
    /// How to collect better evidence when the evidence is thin.
    pub collect: Vec<Bilingual>,
}

/// One conclusion of the analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct Finding {
    /// Stable rule id, e.g. `ils.tls.hub-cert-rejected`. Part of the public contract.
    pub rule: String,
    pub severity: Severity,
    pub title: Bilingual,
    pub explanation: Explanation,
    pub evidence: Vec<Evidence>,
    pub codes: Vec<DecodedCode>,
    /// Index into [`Analysis::connections`] when the finding is about one connection attempt.
    pub connection: Option<usize>,
    /// For SecureX findings: the step of the chain that failed or passed.
    pub step: Option<ChainStep>,
    /// When the finding stands for several attempts (the same cause from the same peer, one
    /// after the other): each of them in time order, the first being the one `evidence` and
    /// `connection` show. Empty for a finding about one attempt or none (and when absent from a
    /// result read back).
    #[cfg_attr(feature = "deserialize", serde(default))]
    pub attempts: Vec<FindingAttempt>,
}

/// One of the attempts a finding stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct FindingAttempt {
    /// Index into [`Analysis::connections`].
    pub connection: usize,
    /// When the attempt started, as [`Connection::start_ms`].
    pub start_ms: i64,
    pub evidence: Vec<Evidence>,
}

/// A problem reading an input: never fatal, always named with input and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct Diagnostic {
    pub input: String,
    /// 1-based line, 0 when the diagnostic is about the whole input.
    pub line: u32,
    pub message: Bilingual,
}

/// Line accounting for one input: `lines == recognised + continuation + blank + not_understood`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct LineCounts {
    pub lines: u64,
    pub recognised: u64,
    pub continuation: u64,
    pub blank: u64,
    pub not_understood: u64,
}

impl LineCounts {
    pub fn adds_up(&self) -> bool {
        self.lines == self.recognised + self.continuation + self.blank + self.not_understood
    }
}

/// What Loupe learned about one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct InputSummary {
    pub name: String,
    pub kind: Kind,
    pub role: Role,
    /// Host the input comes from (FileHead HostName, prompt host, or inferred IP).
    pub host: Option<String>,
    /// Host IP address (FileHead HostIPAddress or inferred from the ILS endpoints).
    pub host_ip: Option<String>,
    /// Application (FileHead AppName).
    pub app: Option<String>,
    /// `YYYY/MM/DD` from the first FileHead, if any.
    pub date: Option<String>,
    /// UTC offset in minutes from FileHead, if any.
    pub utc_offset_minutes: Option<i32>,
    /// Total number of lines (same as `counts.lines`).
    pub lines: u64,
    pub counts: LineCounts,
    /// Up to [`MAX_UNDERSTOOD_SAMPLES`] 1-based line numbers of lines not understood.
    pub not_understood_lines: Vec<u32>,
    pub bytes: u64,
}

pub const MAX_UNDERSTOOD_SAMPLES: usize = 200;

/// An ILS event shown in the side-by-side view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct TimelineEvent {
    /// Index into [`Analysis::inputs`].
    pub input: usize,
    pub line: u32,
    /// Milliseconds: since the Unix epoch in UTC when the input has a FileHead date,
    /// otherwise since midnight of the first day of the input.
    pub time_ms: i64,
    /// `time_ms` shifted onto the reference side's clock (the hub's) using the estimated offset,
    /// and shown as the hub's trace shows time: UTC plus the hub's FileHead UTC offset (so its
    /// time of day can be found in the hub's log).
    pub aligned_ms: i64,
    /// The event's kind, e.g. `connect-request`, `tls-verify-failed`.
    pub kind: Text,
    pub label: Bilingual,
    pub text: Text,
    /// Index into [`Analysis::connections`].
    pub connection: Option<usize>,
}

/// One ILS connection attempt, paired across the two clusters where both traces show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct Connection {
    pub id: usize,
    /// The client's address `ip:port` (the spoke's ephemeral port) when known.
    pub client: Option<String>,
    /// The server's address `ip:port` (hub:7501 or hub:7502) when known.
    pub server: Option<String>,
    pub tls: Option<bool>,
    /// Input index of the hub side and of the spoke side, when present.
    pub hub_input: Option<usize>,
    pub spoke_input: Option<usize>,
    /// How the two sides were joined: `ephemeral-port`, `peer-id`, `time`, or `one-side`.
    pub paired_by: String,
    /// `joined`, `failed`, `unanswered`, `in-progress`.
    pub outcome: String,
    /// Authentication method actually in use, when the attempt succeeded:
    /// `password`, `tls`, `tls-password`, `peer-info-vector`.
    pub method: Option<String>,
    pub start_ms: i64,
    /// Indices into [`Analysis::events`].
    pub events: Vec<usize>,
}

/// One row of an ILS Clusters table or of the remotecluster SQL output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct ClusterRow {
    pub input: usize,
    pub line: u32,
    /// The row as it appears in the input.
    pub text: String,
    pub cluster_id: String,
    pub name: Option<String>,
    pub role: Option<String>,
    pub last_contact: Option<String>,
    pub sync_status: Option<String>,
    pub version: Option<String>,
}

/// `passed`, `failed`, `missing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
#[serde(rename_all = "lowercase")]
pub enum CheckState {
    Passed,
    Failed,
    Inconclusive,
    Missing,
}

/// One item of the SecureX connectivity checklist from the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct CheckItem {
    pub id: String,
    pub title: Bilingual,
    pub step: ChainStep,
    pub state: CheckState,
    /// The command to run to collect this test when it is missing.
    pub command: String,
    pub evidence: Vec<Evidence>,
}

/// Everything one analysis produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct Analysis {
    pub inputs: Vec<InputSummary>,
    pub findings: Vec<Finding>,
    pub connections: Vec<Connection>,
    /// Estimated `spoke clock - hub clock` in milliseconds, from paired events.
    pub clock_offset_ms: Option<i64>,
    pub events: Vec<TimelineEvent>,
    pub clusters: Vec<ClusterRow>,
    pub checklist: Vec<CheckItem>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Rule ids in report order.
    pub fn rule_ids(&self) -> Vec<&str> {
        self.findings.iter().map(|f| f.rule.as_str()).collect()
    }
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// A time of the analysis for people: `2016/08/26 17:25:26` for a time from dated traces (UTC
/// milliseconds with the trace's offset applied, as [`Connection::start_ms`]), `17:25:26.197`
/// for a time of day (traces without FileHead).
pub fn clock_text(ms: i64) -> String {
    const DAY: i64 = 86_400_000;
    let of_day = ms.rem_euclid(DAY);
    let (h, m, s, milli) = (
        of_day / 3_600_000,
        of_day / 60_000 % 60,
        of_day / 1000 % 60,
        of_day % 1000,
    );
    if (0..DAY).contains(&ms) {
        return format!("{h:02}:{m:02}:{s:02}.{milli:03}");
    }
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = ms.div_euclid(DAY) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}/{month:02}/{d:02} {h:02}:{m:02}:{s:02}")
}

#[cfg(test)]
mod tests {
    use super::clock_text;

    #[test]
    fn clock_text_of_dated_and_undated_times() {
        let day = 17_039; // 2016-08-26, days since 1970-01-01
        let ms = day * 86_400_000 + ((17 * 60 + 25) * 60 + 26) * 1000 + 197;
        assert_eq!(clock_text(ms), "2016/08/26 17:25:26");
        assert_eq!(clock_text(ms % 86_400_000), "17:25:26.197");
        assert_eq!(clock_text(951_782_400_000), "2000/02/29 00:00:00");
    }
}
