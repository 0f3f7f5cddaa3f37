//! Redaction for sharing a report outside the company: IP addresses, host names, FQDNs and
//! PeerIds are replaced by consistent placeholders (`ip-1`, `host-1`, `fqdn-1`, `peer-1`).
//!
//! The same value always gets the same placeholder within one report, so that "the spoke's
//! ip-2 connects to ip-1:7502" still reads correctly. Identifiers that are part of Loupe's own
//! vocabulary (rule ids, event kinds, severities, outcomes) are left alone; every free-text field
//! (evidence lines, explanations, labels, input names, addresses) is redacted.

use std::collections::{BTreeMap, HashMap};
use std::net::Ipv6Addr;
use std::sync::OnceLock;

use regex::{Captures, Regex};

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
    visit(&mut out.clone(), &mut |s: &mut String| {
        r.learn_fqdn_hosts(s)
    });
    visit(&mut out, &mut |s: &mut String| *s = r.text(s));
    out
}

/// Consistent placeholders for the values met so far.
#[derive(Debug, Default)]
pub struct Redactor {
    ips: BTreeMap<String, usize>,
    fqdns: BTreeMap<String, usize>,
    peers: BTreeMap<String, usize>,
    hosts: BTreeMap<String, usize>,
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

fn patterns() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?P<v6>(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9A-Fa-f]{1,4})?(?:%[0-9A-Za-z]+)?)",
            r"|(?P<v4>\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b)",
            r"|(?P<peer>\b[0-9A-Fa-f]{32}\b)",
            r"|(?P<fqdn>\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})",
        ))
        .expect("redaction patterns")
    })
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
        for caps in patterns().captures_iter(s) {
            if let Some(m) = caps.name("fqdn") {
                if valid_fqdn(m.as_str()) && standalone(s, m.start(), m.end()) {
                    self.learn_host(m.as_str());
                }
            }
        }
    }

    /// Redact one piece of text.
    pub fn text(&mut self, s: &str) -> String {
        let once = self.addresses(s);
        self.host_words(&once)
    }

    fn addresses(&mut self, s: &str) -> String {
        patterns()
            .replace_all(s, |caps: &Captures| {
                let m = caps.get(0).expect("match");
                let text = m.as_str();
                if caps.name("v6").is_some() {
                    if valid_v6(text) && standalone(s, m.start(), m.end()) {
                        return placeholder(&mut self.ips, "ip", &text.to_ascii_lowercase());
                    }
                    // Not an address (a time such as 16:58:42): look inside it for the other kinds.
                    return self.inner(text);
                }
                if caps.name("v4").is_some() {
                    return if valid_v4(text) {
                        placeholder(&mut self.ips, "ip", text)
                    } else {
                        text.to_string()
                    };
                }
                if caps.name("peer").is_some() {
                    return placeholder(&mut self.peers, "peer", &text.to_ascii_lowercase());
                }
                if valid_fqdn(text) && standalone(s, m.start(), m.end()) {
                    return placeholder(&mut self.fqdns, "fqdn", &text.to_ascii_lowercase());
                }
                text.to_string()
            })
            .into_owned()
    }

    /// The v4 / peer / fqdn kinds inside a run that looked like an IPv6 address but was not one.
    fn inner(&mut self, text: &str) -> String {
        static RE: OnceLock<Regex> = OnceLock::new();
        let re = RE.get_or_init(|| {
            Regex::new(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|\b[0-9A-Fa-f]{32}\b").expect("re")
        });
        re.replace_all(text, |caps: &Captures| {
            let t = &caps[0];
            if valid_v4(t) {
                placeholder(&mut self.ips, "ip", t)
            } else if t.len() == 32 {
                placeholder(&mut self.peers, "peer", &t.to_ascii_lowercase())
            } else {
                t.to_string()
            }
        })
        .into_owned()
    }

    /// Replace known host names used as whole words (case-insensitive).
    fn host_words(&mut self, s: &str) -> String {
        if self.hosts.is_empty() {
            return s.to_string();
        }
        let mut hosts: Vec<(String, usize)> =
            self.hosts.iter().map(|(h, n)| (h.clone(), *n)).collect();
        hosts.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let mut out = s.to_string();
        for (host, n) in hosts {
            let lower = out.to_ascii_lowercase();
            if !lower.contains(&host) {
                continue;
            }
            let mut result = String::with_capacity(out.len());
            let mut last = 0;
            let mut from = 0;
            while let Some(pos) = lower[from..].find(&host) {
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
            result.push_str(&out[last..]);
            out = result;
        }
        out
    }
}

/// Applies a rewrite to every free-text field. A [`Text`] shared by many fields (a trace line cited
/// by several findings, a sentence common to many) is rewritten once and stays shared.
struct Visitor<'f> {
    f: &'f mut dyn FnMut(&mut String),
    /// Rewritten texts by the address of the original, which is kept alive so that no new text
    /// can take its address.
    done: HashMap<*const u8, (Text, Text)>,
}

impl Visitor<'_> {
    fn string(&mut self, s: &mut String) {
        (self.f)(s);
    }

    fn text(&mut self, t: &mut Text) {
        let key = t.as_ptr();
        if let Some((_, new)) = self.done.get(&key) {
            *t = new.clone();
            return;
        }
        let old = t.clone();
        let mut s = t.to_string();
        (self.f)(&mut s);
        if *s != **t {
            *t = s.into();
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
fn visit(a: &mut Analysis, f: &mut dyn FnMut(&mut String)) {
    let mut v = Visitor {
        f,
        done: HashMap::new(),
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
