//! The `FileHead` record that starts every SDL file: date, UTC offset, application and host.

use super::days_from_civil;
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct FileHead {
    pub line: u32,
    /// `YYYY/MM/DD`.
    pub date: Option<String>,
    /// Days since 1970-01-01 for `date`.
    pub days: Option<i64>,
    pub utc_offset_minutes: Option<i32>,
    pub app: Option<String>,
    pub host: Option<String>,
    pub host_ip: Option<String>,
    /// `FileNumber: n`: the file's place among the host's rolled files.
    pub file_number: Option<u64>,
}

fn field(body: &str, name: &str) -> Option<String> {
    let start = body.find(name)? + name.len();
    let rest = body[start..].trim_start();
    let end = rest.find(',').unwrap_or(rest.len());
    let v = rest[..end].trim();
    (!v.is_empty()).then(|| v.to_string())
}

impl FileHead {
    /// Parse `UTC:-05:00,Date: 2016/08/26, AppName: Cisco Intercluster Lookup Service, ...`.
    pub fn parse(body: &str, line: u32) -> Option<FileHead> {
        static UTC: OnceLock<Regex> = OnceLock::new();
        static DATE: OnceLock<Regex> = OnceLock::new();
        // ASCII classes (`ascii_classes`): a Unicode digit would not parse as a number anyway.
        let compile = |src: &str| Regex::new(&super::events::ascii_classes(src)).expect("valid");
        let utc = UTC.get_or_init(|| compile(r"UTC:\s*([+-])(\d{1,2}):(\d{2})"));
        let date = DATE.get_or_init(|| compile(r"Date:\s*(\d{4})/(\d{1,2})/(\d{1,2})"));
        let mut fh = FileHead {
            line,
            ..Default::default()
        };
        if let Some(c) = utc.captures(body) {
            let sign = if &c[1] == "-" { -1 } else { 1 };
            let h: i32 = c[2].parse().ok()?;
            let m: i32 = c[3].parse().ok()?;
            fh.utc_offset_minutes = Some(sign * (h * 60 + m));
        }
        if let Some(c) = date.captures(body) {
            let (y, mo, d): (i64, u32, u32) =
                (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
            if (1..=12).contains(&mo) && (1..=31).contains(&d) {
                fh.days = Some(days_from_civil(y, mo, d));
                fh.date = Some(format!("{y:04}/{mo:02}/{d:02}"));
            }
        }
        fh.app = field(body, "AppName:");
        fh.host = field(body, "HostName:");
        fh.host_ip = field(body, "HostIPAddress:").map(|ip| crate::sdl::pid::normalise_ip(&ip));
        fh.file_number = field(body, "FileNumber:").and_then(|n| n.parse().ok());
        (fh.date.is_some() || fh.app.is_some() || fh.host.is_some()).then_some(fh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_fields() {
        let fh = FileHead::parse("UTC:+05:30,Date: 2016/08/26, AppName: Cisco Intercluster Lookup Service, AppId: 600, AppNodeId: 1, AppVersion: CUCM Install=11.5.1.10000-6 Build=11.5.1.10000-6 (0) memlog=20, HostName: com1150, HostIPAddress: ::ffff:10.106.104.220, AppStartTime: 2016/08/26 09:00:01, FileNumber: 1, TraceVer: 3.0", 1).unwrap();
        assert_eq!(fh.date.as_deref(), Some("2016/08/26"));
        assert_eq!(fh.utc_offset_minutes, Some(330));
        assert_eq!(fh.app.as_deref(), Some("Cisco Intercluster Lookup Service"));
        assert_eq!(fh.host.as_deref(), Some("com1150"));
        assert_eq!(fh.host_ip.as_deref(), Some("10.106.104.220"));
        assert_eq!(fh.file_number, Some(1));
    }
}
