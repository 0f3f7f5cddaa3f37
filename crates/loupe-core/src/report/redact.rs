//! Redaction for sharing a report outside the company: IP addresses, host names, FQDNs and
//! PeerIds are replaced by consistent placeholders (`ip-1`, `host-1`, `fqdn-1`, `peer-1`).
//!
//! The same value always gets the same placeholder within one report, so that "the spoke's
//! ip-2 connects to ip-1:7502" still reads correctly. Identifiers that are part of Loupe's own
//! vocabulary (rule ids, event kinds, severities, outcomes) are left alone; every free-text field
//! (evidence lines, explanations, labels, input names, addresses) is redacted.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::net::Ipv6Addr;
use std::sync::OnceLock;

use regex::Regex;

use crate::model::*;

/// Replace every IPv4/IPv6 address, host name, FQDN and PeerId in `analysis`.
pub fn redact(analysis: &Analysis) -> Analysis {
    let mut out = analysis.clone();
    let mut r = Redactor::default();
    // Host names first: FileHead host names and cluster names, then the first label of every FQDN.
    for i in &analysis.inputs {
        if let Some(h) = &i.host {
            r.learn_host(h);
        }
    }
    for c in &analysis.clusters {
        if let Some(n) = &c.name {
            r.learn_host(n);
        }
    }
    visit(&mut out, &mut |s: &str| {
        r.learn_fqdn_hosts(s);
        None
    });
    visit(&mut out, &mut |s: &str| {
        let new = r.text(s);
        (new != s).then_some(new)
    });
    out
}

/// Consistent placeholders for the values met so far.
#[derive(Debug, Default)]
pub struct Redactor {
    ips: BTreeMap<String, usize>,
    fqdns: BTreeMap<String, usize>,
    peers: BTreeMap<String, usize>,
    hosts: BTreeMap<String, usize>,
    /// `hosts`, longest first (then by name): the order [`Redactor::host_words`] replaces them
    /// in, kept while `hosts` does not grow.
    by_length: Vec<(String, usize)>,
}

fn placeholder(map: &mut BTreeMap<String, usize>, prefix: &str, value: &str) -> String {
    let next = map.len() + 1;
    let n = *map.entry(value.to_string()).or_insert(next);
    format!("{prefix}-{n}")
}

/// File extensions and code words that look like the last label of a domain name.
const NOT_TLD: &[&str] = &[
    "txt",
    "log",
    "gz",
    "zip",
    "xml",
    "json",
    "properties",
    "html",
    "htm",
    "md",
    "csv",
    "java",
    "pem",
    "crt",
    "cer",
    "key",
    "der",
    "p12",
    "pfx",
    "conf",
    "cfg",
    "ini",
    "sh",
    "py",
    "rs",
    "js",
    "css",
    "out",
    "err",
    "tar",
    "tgz",
    "bz2",
    "xz",
    "bak",
    "old",
    "tmp",
    "dat",
    "bin",
    "jar",
    "so",
    "dll",
    "exe",
    "png",
    "jpg",
    "gif",
    "svg",
    "pdf",
];
/// Two-label names are FQDNs only with one of these last labels (three labels or more always are).
const TLDS: &[&str] = &[
    "com",
    "net",
    "org",
    "local",
    "lan",
    "corp",
    "internal",
    "intra",
    "intranet",
    "home",
    "localdomain",
    "io",
    "jp",
    "co",
    "edu",
    "gov",
    "mil",
    "int",
    "biz",
    "info",
    "us",
    "uk",
    "de",
    "fr",
    "cn",
    "kr",
    "in",
    "au",
    "ca",
    "eu",
    "example",
    "test",
    "invalid",
    "cloud",
    "ai",
    "dev",
    "app",
    "site",
    "online",
    "tech",
];

/// The four kinds of value, in this order (leftmost-first: at one position the first kind that
/// matches wins). Word boundaries are ASCII (`(?-u:\b)`): an address written against a Japanese
/// word (`ハブ10.0.0.1に`) is a value of its own, where a Unicode boundary (kana are word
/// characters) left it in the report.
fn patterns() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9A-Fa-f]{1,4})?(?:%[0-9A-Za-z]+)?",
            r"|(?-u:\b)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?-u:\b)",
            r"|(?-u:\b)[0-9A-Fa-f]{32}(?-u:\b)",
            r"|(?-u:\b)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
        ))
        .expect("redaction patterns")
    })
}

/// Which of [`patterns`]' kinds a match of it is, from its text alone (no capture groups: the
/// regex finds matches without them, several times faster). The kinds' texts do not overlap: an
/// IPv6 candidate holds two colons or more and the others none; without a colon, a peer id holds
/// no dot, an IPv4 address ends with a digit and a domain name with a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    V6,
    V4,
    Peer,
    Fqdn,
}

fn kind_of(text: &str) -> ValueKind {
    if text.contains(':') {
        ValueKind::V6
    } else if !text.contains('.') {
        ValueKind::Peer
    } else if text.ends_with(|c: char| c.is_ascii_digit()) {
        ValueKind::V4
    } else {
        ValueKind::Fqdn
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn valid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u16>().is_ok_and(|n| n <= 255))
}

fn valid_v6(s: &str) -> bool {
    let addr = s.split('%').next().unwrap_or(s);
    // Real addresses carry a digit; `CDB::Add` (a C++ scope) does not.
    addr.matches(':').count() >= 2
        && addr.chars().any(|c| c.is_ascii_digit())
        && addr.parse::<Ipv6Addr>().is_ok()
}

fn valid_fqdn(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    let Some(last) = labels.last() else {
        return false;
    };
    let last = last.to_ascii_lowercase();
    if NOT_TLD.contains(&last.as_str()) || !last.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    labels.len() >= 3 || TLDS.contains(&last.as_str())
}

/// `s` with each match of `re` replaced by what `with` makes of it (its text and where it
/// starts); `None` keeps it. Matches are found without capture groups, the regex's fastest way.
fn replace_matches(
    re: &Regex,
    s: &str,
    mut with: impl FnMut(&str, usize) -> Option<String>,
) -> String {
    let mut out = String::new();
    let mut last = 0;
    for m in re.find_iter(s) {
        if let Some(new) = with(m.as_str(), m.start()) {
            out.push_str(&s[last..m.start()]);
            out.push_str(&new);
            last = m.end();
        }
    }
    if last == 0 {
        return s.to_string();
    }
    out.push_str(&s[last..]);
    out
}

/// Is the match at `start..end` of `hay` a whole token (not part of a longer name or number)?
fn standalone(hay: &str, start: usize, end: usize) -> bool {
    let before = hay[..start].chars().next_back();
    let mut after = hay[end..].chars();
    let a1 = after.next();
    let a2 = after.next();
    let before_ok = !before.is_some_and(|c| is_name_char(c) || c == '.' || c == ':');
    let after_ok = match a1 {
        None => true,
        Some('.') => !a2.is_some_and(|c| c.is_ascii_alphanumeric()),
        // `host.example.com_SDL001.txt`: a file name built on an FQDN.
        Some('_') => true,
        Some(c) => !is_name_char(c),
    };
    before_ok && after_ok
}

impl Redactor {
    fn learn_host(&mut self, name: &str) {
        let name = name.trim();
        if name.len() < 3 || valid_v4(name) || valid_v6(name) {
            return;
        }
        let first = name.split('.').next().unwrap_or(name);
        if first.len() >= 3 && first.chars().all(is_name_char) {
            let next = self.hosts.len() + 1;
            self.hosts.entry(first.to_ascii_lowercase()).or_insert(next);
        }
    }

    fn learn_fqdn_hosts(&mut self, s: &str) {
        for m in patterns().find_iter(s) {
            if kind_of(m.as_str()) == ValueKind::Fqdn
                && valid_fqdn(m.as_str())
                && standalone(s, m.start(), m.end())
            {
                self.learn_host(m.as_str());
            }
        }
    }

    /// Redact one piece of text.
    pub fn text(&mut self, s: &str) -> String {
        let once = self.addresses(s);
        self.host_words(&once)
    }

    fn addresses(&mut self, s: &str) -> String {
        replace_matches(patterns(), s, |text, at| {
            let standalone = || standalone(s, at, at + text.len());
            Some(match kind_of(text) {
                ValueKind::V6 if valid_v6(text) && standalone() => {
                    placeholder(&mut self.ips, "ip", &text.to_ascii_lowercase())
                }
                // Not an address (a time such as 16:58:42): look inside it for the other kinds.
                ValueKind::V6 => self.inner(text),
                ValueKind::V4 if valid_v4(text) => placeholder(&mut self.ips, "ip", text),
                ValueKind::Peer => placeholder(&mut self.peers, "peer", &text.to_ascii_lowercase()),
                ValueKind::Fqdn if valid_fqdn(text) && standalone() => {
                    placeholder(&mut self.fqdns, "fqdn", &text.to_ascii_lowercase())
                }
                ValueKind::V4 | ValueKind::Fqdn => return None,
            })
        })
    }

    /// The v4 / peer / fqdn kinds inside a run that looked like an IPv6 address but was not one.
    fn inner(&mut self, text: &str) -> String {
        static RE: OnceLock<Regex> = OnceLock::new();
        let re = RE.get_or_init(|| {
            Regex::new(concat!(
                r"(?-u:\b)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?-u:\b)",
                r"|(?-u:\b)[0-9A-Fa-f]{32}(?-u:\b)"
            ))
            .expect("re")
        });
        replace_matches(re, text, |t, _| {
            if valid_v4(t) {
                Some(placeholder(&mut self.ips, "ip", t))
            } else if t.len() == 32 {
                Some(placeholder(
                    &mut self.peers,
                    "peer",
                    &t.to_ascii_lowercase(),
                ))
            } else {
                None
            }
        })
    }

    /// Replace known host names used as whole words (case-insensitive).
    fn host_words(&mut self, s: &str) -> String {
        if self.hosts.is_empty() {
            return s.to_string();
        }
        if self.by_length.len() != self.hosts.len() {
            self.by_length = self.hosts.iter().map(|(h, n)| (h.clone(), *n)).collect();
            self.by_length
                .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        }
        let mut out = s.to_string();
        let mut lower = out.to_ascii_lowercase();
        for (host, n) in &self.by_length {
            if !lower.contains(host.as_str()) {
                continue;
            }
            let mut result = String::with_capacity(out.len());
            let mut last = 0;
            let mut from = 0;
            while let Some(pos) = lower[from..].find(host.as_str()) {
                let start = from + pos;
                let end = start + host.len();
                let before = out[..start].chars().next_back();
                let after = out[end..].chars().next();
                if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    result.push_str(&out[last..start]);
                    result.push_str(&format!("host-{n}"));
                    last = end;
                }
                from = end;
            }
            if last > 0 {
                result.push_str(&out[last..]);
                out = result;
                lower = out.to_ascii_lowercase();
            }
        }
        out
    }
}

/// Applies a rewrite to every free-text field (`f` returns the new text, or `None` to keep it). A
/// [`Text`] shared by many fields (a trace line cited by several findings, a sentence common to
/// many) is rewritten once and stays shared.
struct Visitor<'f> {
    f: &'f mut dyn FnMut(&str) -> Option<String>,
    /// Rewritten texts by the address of the original, which is kept alive so that no new text
    /// can take its address.
    done: HashMap<*const u8, (Text, Text), BuildHasherDefault<AddressHasher>>,
}

/// A text's address, mixed by one multiplication: SipHash took a tenth of a redaction's time
/// over the millions of texts of 100,000 attempts.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

impl Visitor<'_> {
    fn string(&mut self, s: &mut String) {
        if let Some(new) = (self.f)(s) {
            *s = new;
        }
    }

    /// The analysis being redacted is a clone of one that stays alive: a text held by these two
    /// alone (two references) is met once, and is not remembered (most evidence lines, most
    /// titles; the map of every text cost a sixth of a redaction).
    fn text(&mut self, t: &mut Text) {
        if std::sync::Arc::strong_count(t) <= 2 {
            if let Some(new) = (self.f)(t) {
                *t = new.into();
            }
            return;
        }
        let key = t.as_ptr();
        if let Some((_, new)) = self.done.get(&key) {
            *t = new.clone();
            return;
        }
        let old = t.clone();
        if let Some(new) = (self.f)(t) {
            *t = new.into();
        }
        self.done.insert(key, (old, t.clone()));
    }

    fn bi(&mut self, b: &mut Bilingual) {
        self.text(&mut b.en);
        self.text(&mut b.ja);
    }

    fn opt(&mut self, o: &mut Option<String>) {
        if let Some(s) = o {
            self.string(s);
        }
    }

    fn evidence(&mut self, e: &mut Evidence) {
        self.text(&mut e.input);
        self.text(&mut e.text);
    }
}

/// Every free-text field of an analysis.
fn visit(a: &mut Analysis, f: &mut dyn FnMut(&str) -> Option<String>) {
    let mut v = Visitor {
        f,
        done: HashMap::default(),
    };
    for i in &mut a.inputs {
        v.string(&mut i.name);
        v.opt(&mut i.host);
        v.opt(&mut i.host_ip);
        v.opt(&mut i.app);
    }
    for x in &mut a.findings {
        v.bi(&mut x.title);
        let e = &mut x.explanation;
        v.bi(&mut e.what);
        v.bi(&mut e.why);
        for b in e
            .fix
            .iter_mut()
            .chain(e.verify.iter_mut())
            .chain(e.collect.iter_mut())
        {
            v.bi(b);
        }
        for ev in x
            .evidence
            .iter_mut()
            .chain(x.attempts.iter_mut().flat_map(|t| t.evidence.iter_mut()))
        {
            v.evidence(ev);
        }
        for c in &mut x.codes {
            v.bi(&mut c.meaning);
        }
    }
    for c in &mut a.connections {
        v.opt(&mut c.client);
        v.opt(&mut c.server);
    }
    for ev in &mut a.events {
        v.bi(&mut ev.label);
        v.text(&mut ev.text);
    }
    for c in &mut a.clusters {
        v.string(&mut c.text);
        v.string(&mut c.cluster_id);
        v.opt(&mut c.name);
        v.opt(&mut c.last_contact);
        v.opt(&mut c.sync_status);
    }
    for c in &mut a.checklist {
        v.bi(&mut c.title);
        v.string(&mut c.command);
        for ev in &mut c.evidence {
            v.evidence(ev);
        }
    }
    for d in &mut a.diagnostics {
        v.string(&mut d.input);
        v.bi(&mut d.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEER: &str = "7d3f5a2b9c1e4f60a8b7c6d5e4f3a2b1";
    const PEER2: &str = "0123456789ABCDEF0123456789ABCDEF";

    fn ev(input: &str, text: &str) -> Evidence {
        Evidence {
            input: input.into(),
            line: 3,
            text: text.into(),
            role: Role::Hub,
        }
    }

    fn sample() -> Analysis {
        let line = format!(
            "00154617.001 |16:58:42.888 |AppInfo |IlsD connection from 10.10.1.21:49152 to cucm-hub.corp.example.com:7502 PeerId {PEER} [2001:db8::21]:7502 ::ffff:192.168.7.9"
        );
        Analysis {
            inputs: vec![InputSummary {
                name: "cucm-hub/ils/SDL001_100_000001.txt".into(),
                kind: Kind::SdlTrace,
                role: Role::Hub,
                host: Some("cucm-hub".into()),
                host_ip: Some("10.10.1.11".into()),
                app: Some("Cisco Intercluster Lookup Service".into()),
                date: Some("2024/03/01".into()),
                utc_offset_minutes: Some(540),
                lines: 10,
                counts: LineCounts::default(),
                not_understood_lines: vec![],
                bytes: 100,
            }],
            findings: vec![Finding {
                rule: "ils.tls.hub-cert-rejected".into(),
                severity: Severity::Error,
                title: Bilingual::new(
                    "spoke 10.10.1.21 rejected CUCM-HUB's certificate",
                    "スポーク 10.10.1.21 が cucm-hub の証明書を拒否",
                ),
                explanation: Explanation {
                    what: Bilingual::new(
                        format!("PeerId {PEER2} at fe80::1%eth0"),
                        "cucm-sub.example.jp",
                    ),
                    why: Bilingual::new("because cucm-spoke.example.local said so", "x"),
                    fix: vec![Bilingual::new(
                        "upload the cert of cucm-hub.corp.example.com to cucm-spoke",
                        "y",
                    )],
                    verify: vec![],
                    collect: vec![],
                },
                evidence: vec![ev("cucm-hub/ils/SDL001_100_000001.txt", &line)],
                codes: vec![],
                connection: Some(0),
                step: None,
                attempts: Vec::new(),
            }],
            connections: vec![Connection {
                id: 0,
                client: Some("10.10.1.21:49152".into()),
                server: Some("10.10.1.11:7502".into()),
                tls: Some(true),
                hub_input: Some(0),
                spoke_input: None,
                paired_by: "ephemeral-port".into(),
                outcome: "failed".into(),
                method: None,
                start_ms: 0,
                events: vec![0],
            }],
            clock_offset_ms: Some(120),
            events: vec![TimelineEvent {
                input: 0,
                line: 3,
                time_ms: 1,
                aligned_ms: 1,
                kind: "connect-request".into(),
                label: Bilingual::new(
                    "connect request to 10.10.1.11:7502 (TLS)",
                    "10.10.1.11:7502 への接続要求",
                ),
                text: line.as_str().into(),
                connection: Some(0),
            }],
            clusters: vec![ClusterRow {
                input: 0,
                line: 1,
                cluster_id: "hub-cluster".into(),
                name: Some("cucm-spoke.example.local".into()),
                role: Some("Spoke".into()),
                last_contact: None,
                sync_status: None,
                version: None,
                text: "hub-cluster  cucm-spoke.example.local  Spoke".into(),
            }],
            checklist: vec![],
            diagnostics: vec![Diagnostic {
                input: "cucm-spoke.example.local_notes.txt".into(),
                line: 0,
                message: Bilingual::new("odd", "奇妙"),
            }],
        }
    }

    #[test]
    fn nothing_identifying_survives() {
        let a = redact(&sample());
        let json = serde_json::to_string(&a).unwrap();
        for original in [
            "10.10.1.21",
            "10.10.1.11",
            "192.168.7.9",
            "2001:db8::21",
            "fe80::1",
            "cucm-hub",
            "CUCM-HUB",
            "cucm-spoke",
            "example.com",
            "example.local",
            "example.jp",
            PEER,
            PEER2,
        ] {
            assert!(
                !json.to_lowercase().contains(&original.to_lowercase()),
                "{original} survived in {json}"
            );
        }
        // Loupe's own vocabulary and the time stay.
        assert_eq!(a.findings[0].rule, "ils.tls.hub-cert-rejected");
        assert!(a.findings[0].evidence[0].text.contains("16:58:42.888"));
        assert!(a.findings[0].evidence[0].text.contains("00154617.001"));
        assert_eq!(
            a.inputs[0].app.as_deref(),
            Some("Cisco Intercluster Lookup Service")
        );
    }

    #[test]
    fn placeholders_are_consistent() {
        let a = redact(&sample());
        let client = a.connections[0].client.clone().unwrap();
        assert!(
            client.starts_with("ip-") && client.ends_with(":49152"),
            "{client}"
        );
        let ip = client.trim_end_matches(":49152");
        assert_eq!(
            &*a.findings[0].title.en,
            format!("spoke {ip} rejected host-1's certificate")
        );
        assert!(a.findings[0].evidence[0].text.contains(&client));
        assert_eq!(
            a.inputs[0].host_ip.as_deref(),
            Some(
                a.connections[0]
                    .server
                    .as_deref()
                    .unwrap()
                    .trim_end_matches(":7502")
            )
        );
        // Two PeerIds, two placeholders.
        assert!(a.findings[0].explanation.what.en.contains("peer-1"));
        assert!(a.findings[0].evidence[0].text.contains("peer-2"));
        let fqdn = &a.findings[0].explanation.fix[0].en;
        assert!(fqdn.contains("fqdn-"), "{fqdn}");
        assert!(
            a.findings[0].evidence[0]
                .text
                .contains(fqdn.split(' ').nth(4).unwrap()),
            "same FQDN, same placeholder"
        );
        assert_eq!(a, redact(&sample()), "deterministic");
    }

    /// Japanese is written without spaces around an address or a name: each is still a value of
    /// its own (a Unicode word boundary, kana being word characters, left them in the report).
    #[test]
    fn values_against_japanese_words_are_replaced() {
        let mut r = Redactor::default();
        assert_eq!(r.text("ハブ10.0.0.1に接続"), "ハブip-1に接続");
        assert_eq!(r.text("ハブcucm1.example.comに"), "ハブfqdn-1に");
        assert_eq!(
            r.text("ピア7d3f5a2b9c1e4f60a8b7c6d5e4f3a2b1です"),
            "ピアpeer-1です"
        );
        assert_eq!(r.text("été10.0.0.2 et 10.0.0.1"), "étéip-2 et ip-1");
        // A longer run of digits and dots is still not an address.
        assert_eq!(r.text("版11.5.1.10000"), "版11.5.1.10000");
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        let mut r = Redactor::default();
        for s in [
            "16:58:42.888",
            "Ils::VerifyCertificateInfo(): ok",
            "action_queue.log and hub.txt",
            "ils.tls.hub-cert-rejected",
            "version 14.0.1.12900-1",
            "CDB::Add and Ils::Run",
        ] {
            assert_eq!(r.text(s), s);
        }
        assert_eq!(r.text("at ::1 and 255.255.255.255"), "at ip-1 and ip-2");
        assert_eq!(r.text("999.1.1.1"), "999.1.1.1");
    }
}
