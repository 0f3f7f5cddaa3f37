//! SSE regions from host names (securex.md §2): US `api-sse.cisco.com`, `*.sse.itd.cisco.com`,
//! `est.sco.cisco.com`; EU `*.eu.sse.itd.cisco.com`; APJC `*.apj.sse.itd.cisco.com`; India and
//! Australia follow the same pattern [R]; staging hosts must never appear on a production box.

/// The region a Cisco cloud host belongs to; `None` for hosts that are not SSE hosts.
pub fn of_host(host: &str) -> Option<&'static str> {
    let h = host.trim().trim_end_matches('.').to_ascii_lowercase();
    if h.contains("stage") || h.contains(".devcd.") {
        return Some("staging");
    }
    let sse =
        h == "api-sse.cisco.com" || h.ends_with(".sse.itd.cisco.com") || h == "est.sco.cisco.com";
    if !sse {
        return None;
    }
    if h.contains(".eu.") {
        Some("EU")
    } else if h.contains(".apj.") {
        Some("APJC")
    } else if h.contains(".in.") {
        Some("India")
    } else if h.contains(".aus.") || h.contains(".au.") {
        Some("Australia")
    } else {
        Some("US")
    }
}

/// Is this one of the Cisco cloud hosts SecureX uses?
pub fn is_cloud_host(host: &str) -> bool {
    of_host(host).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        assert_eq!(of_host("api-sse.cisco.com"), Some("US"));
        assert_eq!(of_host("eventing-ingest.sse.itd.cisco.com"), Some("US"));
        assert_eq!(of_host("api.eu.sse.itd.cisco.com"), Some("EU"));
        assert_eq!(of_host("api.apj.sse.itd.cisco.com"), Some("APJC"));
        assert_eq!(of_host("stage-api-sse.cisco.com"), Some("staging"));
        assert_eq!(of_host("www.example.com"), None);
    }
}
