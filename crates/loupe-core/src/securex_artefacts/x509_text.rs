//! OpenSSL `X509_verify_cert_error_string` texts (as curl prints them after
//! `SSL certificate problem:`) mapped back to their codes, and the issuers Loupe expects on
//! the Cisco cloud's certificates.

/// The code Loupe uses for Go's `x509: certificate signed by unknown authority`: OpenSSL's
/// closest equivalent, "unable to get local issuer certificate".
pub const UNKNOWN_AUTHORITY: i64 = 20;

/// (code, OpenSSL text; 1.x spelling, 3.x spells "self-signed" with a hyphen)
const TEXTS: &[(i64, &str)] = &[
    (2, "unable to get issuer certificate"),
    (9, "certificate is not yet valid"),
    (10, "certificate has expired"),
    (18, "self signed certificate"),
    (19, "self signed certificate in certificate chain"),
    (20, "unable to get local issuer certificate"),
    (21, "unable to verify the first certificate"),
    (23, "certificate revoked"),
    (27, "certificate not trusted"),
    (62, "hostname mismatch"),
];

/// The verify code of an OpenSSL text, longest match first (so 19 wins over 18).
pub fn code_of(text: &str) -> Option<i64> {
    let t = text
        .to_ascii_lowercase()
        .replace("self-signed", "self signed");
    TEXTS
        .iter()
        .filter(|(_, s)| t.contains(s))
        .max_by_key(|(_, s)| s.len())
        .map(|(c, _)| *c)
}

/// Codes that say the chain is not trusted (as opposed to time or name problems).
pub fn is_trust(code: i64) -> bool {
    matches!(code, 2 | 18 | 19 | 20 | 21 | 27)
}

/// Codes that say the certificate is outside its validity period.
pub fn is_time(code: i64) -> bool {
    matches!(code, 9 | 10)
}

/// Public CAs that issue (or have issued) the certificates of the Cisco cloud hosts, and Cisco's
/// own. An issuer outside this list on a Cisco cloud host is most likely a TLS-inspecting
/// proxy or firewall re-signing the connection.
const PUBLIC_ISSUERS: &[&str] = &[
    "hydrantid",
    "identrust",
    "digicert",
    "quovadis",
    "cisco",
    "amazon",
    "let's encrypt",
    "globalsign",
    "sectigo",
    "comodo",
    "usertrust",
    "entrust",
    "godaddy",
    "go daddy",
    "starfield",
    "geotrust",
    "thawte",
    "verisign",
    "baltimore",
    "symantec",
    "isrg",
];

/// Does the `issuer:` line name a public CA Loupe expects on the Cisco cloud?
pub fn is_public_issuer(issuer: &str) -> bool {
    let i = issuer.to_ascii_lowercase();
    PUBLIC_ISSUERS.iter().any(|p| i.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_issuers() {
        assert_eq!(
            code_of("self signed certificate in certificate chain"),
            Some(19)
        );
        assert_eq!(code_of("self-signed certificate"), Some(18));
        assert_eq!(code_of("unable to get local issuer certificate"), Some(20));
        assert!(is_public_issuer(
            "C=US; O=HydrantID (Avalanche Cloud Corporation); CN=HydrantID S SL ICA G2"
        ));
        assert!(!is_public_issuer(
            "C=JP; O=Example Corp; CN=Example Corp SSL Inspection CA"
        ));
    }
}
