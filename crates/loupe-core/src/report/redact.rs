//! Redaction for sharing a report outside the company: IP addresses, host names, FQDNs and
//! PeerIds are replaced by consistent placeholders. (Filled by the web-app work.)
