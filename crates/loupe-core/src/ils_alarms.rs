//! Stage 3, parse: the three ILS alarms where they appear outside an SDL trace (issue 12): CUCM
//! syslog lines (CiscoLog), RTMT Alert Central and alert e-mail text, Syslog Viewer copies.
//!
//! Formats (shared/domain/ils.md §5; the names and threshold texts are documented [D], the line
//! layouts are recalled or hypotheses [H], no public ILS alarm line is known):
//!
//! * CiscoLog [R]: `<seq>: <host>: <time>: %UC_CALLMANAGER-3-ILSPwdAuthenticationFailed:
//!   %[IPAddress=10.1.1.1][AppID=...][ClusterID=...][NodeID=...]: <text>`, the tags in square
//!   brackets (syslog, and the Syslog Viewer's message column).
//! * RTMT alert e-mail and Alert Central [H]: the alert name on a line, the parameters as
//!   `IPAddress : 10.1.1.1` or `IPAddress=10.1.1.1`, often on the same line.
//!
//! A line is an alarm when it names one of the three alarms; its peer is the first `IPAddress`,
//! `Cluster1` or `RemoteClusterIP`-like tag, its node the `NodeID` tag. Alarm lines written by
//! the ILS process inside an SDL trace are read by [`crate::sdl::events`], not here.

use std::sync::OnceLock;

use regex::Regex;

use crate::model::{LineCounts, MAX_UNDERSTOOD_SAMPLES};

/// The ILS alarms Cisco documents (shared/domain/ils.md §0.3, §5).
pub const ALARMS: [&str; 3] = [
    "ILSPwdAuthenticationFailed",
    "ILSTLSAuthenticationFailed",
    "ILSHubClusterUnreachable",
];

/// One alarm line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct AlarmLine {
    pub line: u32,
    /// One of [`ALARMS`].
    #[cfg_attr(feature = "transfer", serde(deserialize_with = "alarm_named"))]
    pub name: AlarmName,
    /// The remote cluster the alarm names (`IPAddress=`, `Cluster1=`), when it names one.
    pub peer: Option<String>,
    /// The node that raised it (`NodeID=`), when given.
    pub node: Option<String>,
    /// The line as in the file (trimmed).
    pub text: String,
}

/// One of [`ALARMS`] (an alias, so that serde does not take the field for text it borrows).
pub type AlarmName = &'static str;

/// An alarm name read back: the entry of [`ALARMS`] it spells.
#[cfg(feature = "transfer")]
fn alarm_named<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let name = <String as serde::Deserialize>::deserialize(d)?;
    ALARMS
        .into_iter()
        .find(|a| *a == name)
        .ok_or_else(|| serde::de::Error::custom(format!("not an ILS alarm: {name}")))
}

/// The ILS alarms of one input.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct AlarmsInput {
    pub alarms: Vec<AlarmLine>,
    pub counts: LineCounts,
    pub not_understood: Vec<u32>,
}

/// Which alarm a line names, if any (cheap: most lines hold no `ILS`).
pub fn alarm_name(text: &str) -> Option<&'static str> {
    memchr::memmem::find(text.as_bytes(), b"ILS")?;
    ALARMS.into_iter().find(|a| text.contains(a))
}

fn tag() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)\b(IPAddress|IPAddr|Cluster1|RemoteCluster\w*|NodeID)\s*[=:]\s*([A-Za-z0-9_.:\-]+)")
            .expect("valid pattern")
    })
}

/// The peer and node tags of a line.
fn tags(text: &str) -> (Option<String>, Option<String>) {
    let (mut peer, mut node) = (None, None);
    for c in tag().captures_iter(text) {
        let value = c[2].trim_end_matches([':', '.']).to_string();
        if value.is_empty() {
            continue;
        }
        if c[1].eq_ignore_ascii_case("NodeID") {
            node.get_or_insert(value);
        } else {
            peer.get_or_insert(crate::sdl::pid::normalise_ip(&value));
        }
    }
    (peer, node)
}

/// Read one line: an alarm, or `None`.
pub fn scan(number: u32, text: &str) -> Option<AlarmLine> {
    let name = alarm_name(text)?;
    let (peer, node) = tags(text);
    Some(AlarmLine {
        line: number,
        name,
        peer,
        node,
        text: text.trim().to_string(),
    })
}

/// How many lines after an alarm line its parameters may come (an alert e-mail puts the alert
/// name in the subject and on a line of its own, the parameters below it) [H].
const FOLLOW_LINES: u32 = 5;

/// Reads an input line by line, keeping its ILS alarm lines. An alert written over several lines
/// (the name, then `Cluster1 : ...` below) is one alarm: a line that names the same alarm, or
/// only gives its missing parameters, within [`FOLLOW_LINES`] of it is added to it.
#[derive(Debug, Default)]
pub struct AlarmScanner {
    out: AlarmsInput,
}

impl AlarmScanner {
    pub fn line(&mut self, number: u32, text: &str) {
        let counts = &mut self.out.counts;
        counts.lines += 1;
        if text.trim().is_empty() {
            counts.blank += 1;
            return;
        }
        let open = self
            .out
            .alarms
            .last_mut()
            .filter(|a| number.saturating_sub(a.line) <= FOLLOW_LINES);
        match (scan(number, text), open) {
            (Some(new), Some(last))
                if new.name == last.name && (new.peer.is_none() || last.peer.is_none()) =>
            {
                counts.recognised += 1;
                last.peer = last.peer.take().or(new.peer);
                last.node = last.node.take().or(new.node);
                last.text.push('\n');
                last.text.push_str(&new.text);
            }
            (Some(new), _) => {
                counts.recognised += 1;
                self.out.alarms.push(new);
            }
            (None, Some(last)) if last.peer.is_none() => {
                let (peer, node) = tags(text);
                if peer.is_some() {
                    counts.recognised += 1;
                    last.peer = peer;
                    last.node = last.node.take().or(node);
                    last.text.push('\n');
                    last.text.push_str(text.trim());
                } else {
                    self.not_understood(number);
                }
            }
            (None, _) => self.not_understood(number),
        }
    }

    /// A line another scanner read (an error line of a SecureX component in the same text).
    pub fn read_elsewhere(&mut self) {
        self.out.counts.lines += 1;
        self.out.counts.recognised += 1;
    }

    fn not_understood(&mut self, number: u32) {
        self.out.counts.not_understood += 1;
        if self.out.not_understood.len() < MAX_UNDERSTOOD_SAMPLES {
            self.out.not_understood.push(number);
        }
    }

    pub fn finish(self) -> AlarmsInput {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ciscolog_and_alert_lines() {
        let a = scan(3, "<187>15: cucm-pub: Aug 26 2016 17:25:26.197 UTC :  %UC_CALLMANAGER-3-ILSPwdAuthenticationFailed: %[IPAddress=10.106.104.201][AppID=Cisco Intercluster Lookup Service][ClusterID=StandAloneCluster][NodeID=com1150]: Password Authentication Failure with ILS at remote cluster.").unwrap();
        assert_eq!(a.name, "ILSPwdAuthenticationFailed");
        assert_eq!(a.peer.as_deref(), Some("10.106.104.201"));
        assert_eq!(a.node.as_deref(), Some("com1150"));
        let b = scan(
            1,
            "ILSHubClusterUnreachable  IPAddress : ::ffff:10.106.104.220",
        )
        .unwrap();
        assert_eq!(b.peer.as_deref(), Some("10.106.104.220"));
        assert!(scan(1, "ILS sync done").is_none());
    }
}
