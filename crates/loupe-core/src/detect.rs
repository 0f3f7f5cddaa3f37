//! Stage 2, detect: decide what each input is from its first lines. Unknown input is reported as
//! such; nothing is guessed silently.

use crate::decode::Line;
use crate::model::Kind;
use crate::{ils_alarms, sdl, securex_artefacts};

/// Decide the kind of an input (or of one block of a console session) from its first lines.
/// `complete` says whether `lines` is the whole input.
pub fn detect(lines: &[Line], complete: bool) -> Kind {
    let _ = complete;
    let non_blank: Vec<&Line> = lines.iter().filter(|l| !l.text.trim().is_empty()).collect();
    if non_blank.is_empty() {
        return Kind::Empty;
    }
    // A pasted console session first: its blocks are detected one by one, so a `file view
    // activelog` of a trace after a `show network` is read as a trace, and the `show network`
    // as itself.
    if securex_artefacts::is_console_session(lines) {
        return Kind::ConsoleSession;
    }
    // SDL records next: a trace with a block of NUL bytes (left by a crash or a preallocated
    // file) is still a trace, not binary data.
    let records = non_blank
        .iter()
        .filter(|l| sdl::record_head(&l.text).is_some())
        .count();
    if records >= 3 || (records >= 1 && records * 3 >= non_blank.len()) {
        return Kind::SdlTrace;
    }
    if looks_binary(&non_blank) {
        return Kind::Binary;
    }
    if let Some(kind) = securex_artefacts::sniff(lines) {
        return kind;
    }
    if let Some(kind) = sniff_cluster_tables(&non_blank) {
        return kind;
    }
    // Syslog, RTMT alert and Syslog Viewer text naming an ILS alarm. (An unknown input is still
    // scanned for them to its end: `parse::stream`.)
    if non_blank
        .iter()
        .any(|l| ils_alarms::alarm_name(&l.text).is_some())
    {
        return Kind::IlsAlarms;
    }
    Kind::Unknown
}

/// More than a tenth of the characters are control characters or replacement characters.
fn looks_binary(lines: &[&Line]) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    for l in lines.iter().take(64) {
        for c in l.text.chars().take(4096) {
            total += 1;
            if c == '\u{fffd}' || (c.is_control() && c != '\t') {
                bad += 1;
            }
        }
    }
    total > 0 && bad * 10 > total
}

/// The ILS Clusters table (copied from the ILS Configuration page) or `run sql select * from remotecluster`.
pub fn sniff_cluster_tables(lines: &[&Line]) -> Option<Kind> {
    for l in lines.iter().take(40) {
        let t = l.text.to_ascii_lowercase();
        if t.contains("from remotecluster")
            || (t.contains("fullyqualifiedname") && t.contains("clusterid"))
        {
            return Some(Kind::RemoteClusterSql);
        }
        if t.contains("cluster id/name")
            || (t.contains("usn data") && t.contains("role"))
            || t.contains("(local cluster)")
        {
            return Some(Kind::IlsClusterTable);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, t)| Line {
                number: i as u32 + 1,
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn kinds_from_first_lines() {
        assert_eq!(detect(&lines("00000901.001 |15:46:27.238 |AppInfo |IlsD Ils::VerifyCertificateInfo(): peer certificates are in certificate store"), true), Kind::SdlTrace);
        assert_eq!(
            detect(
                &lines(
                    "admin:run sql select * from remotecluster\npkid fullyqualifiedname clusterid"
                ),
                true
            ),
            Kind::RemoteClusterSql
        );
        assert_eq!(
            detect(&lines("Cluster ID/Name\tLast Contact Time\tRole"), true),
            Kind::IlsClusterTable
        );
        assert_eq!(
            detect(&lines("hello world\nnothing here"), true),
            Kind::Unknown
        );
        assert_eq!(detect(&lines("\n  \n"), true), Kind::Empty);
        assert_eq!(
            detect(&lines("Aug 26 cucm-pub: %UC_CALLMANAGER-3-ILSPwdAuthenticationFailed: %[IPAddress=10.1.1.1]"), true),
            Kind::IlsAlarms
        );
        assert_eq!(
            detect(&lines("\u{1}\u{2}\u{3}PNG\u{0}\u{0}"), true),
            Kind::Binary
        );
    }
}
