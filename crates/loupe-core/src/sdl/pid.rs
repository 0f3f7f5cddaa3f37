//! Process ids and addresses in ILS traces: the three PID spellings, `ip:port` endpoints,
//! IPv4-mapped IPv6 addresses.

/// An SDL process id `(node, app, type, instance)`.
pub type Pid = [u32; 4];

/// Parse `1.600.13.5`, `1, 600, 13, 5` or `1,600,20,1` (brackets and parentheses already removed).
pub fn parse_pid(s: &str) -> Option<Pid> {
    let mut out = [0u32; 4];
    let mut n = 0;
    for part in s.split([',', '.']) {
        let part = part.trim();
        if n == 4 || part.is_empty() {
            return None;
        }
        out[n] = part.parse().ok()?;
        n += 1;
    }
    (n == 4).then_some(out)
}

/// `::ffff:10.0.0.1` → `10.0.0.1`; everything else unchanged (trimmed).
pub fn normalise_ip(ip: &str) -> String {
    let ip = ip.trim();
    let lower = ip.to_ascii_lowercase();
    match lower.strip_prefix("::ffff:") {
        Some(v4) if v4.contains('.') => v4.to_string(),
        _ => ip.to_string(),
    }
}

/// An address, with a port when the log gives one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
pub struct Endpoint {
    pub ip: String,
    pub port: Option<u16>,
}

impl Endpoint {
    pub fn new(ip: &str, port: Option<u16>) -> Self {
        Endpoint {
            ip: normalise_ip(ip),
            port,
        }
    }
    /// Parse `10.0.0.1:7501`, `[::1]:7501`, `::ffff:10.0.0.1:7501` or `:7502` (empty IP).
    pub fn parse(s: &str) -> Option<Endpoint> {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix('[') {
            let (ip, port) = rest.split_once("]:")?;
            return Some(Endpoint::new(ip, port.parse().ok()));
        }
        let (ip, port) = s.rsplit_once(':')?;
        Some(Endpoint::new(ip, Some(port.parse().ok()?)))
    }
    pub fn is_ils_port(&self) -> bool {
        matches!(self.port, Some(7501 | 7502))
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.port {
            Some(p) if self.ip.contains(':') => write!(f, "[{}]:{p}", self.ip),
            Some(p) => write!(f, "{}:{p}", self.ip),
            None => write!(f, "{}", self.ip),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_pid_spellings_are_one_pid() {
        assert_eq!(parse_pid("1.600.13.5"), Some([1, 600, 13, 5]));
        assert_eq!(parse_pid("1, 600, 13, 5"), Some([1, 600, 13, 5]));
        assert_eq!(parse_pid("1,600,20,1"), Some([1, 600, 20, 1]));
        assert_eq!(parse_pid("1,600,20"), None);
    }

    #[test]
    fn endpoints() {
        assert_eq!(
            Endpoint::parse("10.106.104.201:37816"),
            Some(Endpoint::new("10.106.104.201", Some(37816)))
        );
        assert_eq!(
            Endpoint::parse("::ffff:10.1.1.1:7501").unwrap().to_string(),
            "10.1.1.1:7501"
        );
        assert_eq!(Endpoint::parse(":7502").unwrap().ip, "");
        assert_eq!(
            Endpoint::parse("[2001:db8::1]:7501").unwrap().to_string(),
            "[2001:db8::1]:7501"
        );
    }
}
