//! The "try a sample" menu: the seed scenarios of `tests/fixtures/`, embedded at build time by
//! `build.rs` (one sample per fixture folder, its files analysed together).

use loupe_core::Lang;

pub struct Sample {
    /// `ils`, `securex`, ...
    pub group: &'static str,
    /// The fixture folder, e.g. `m2-spoke-cert-not-trusted`.
    pub id: &'static str,
    pub files: &'static [(&'static str, &'static [u8])],
}

include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// Menu labels for known scenarios; others are shown by their folder name. Extend freely.
const LABELS: &[(&str, &str, &str)] = &[
    ("m1", "ILS method 1 (password)", "ILS 方法 1（パスワード）"),
    (
        "m2",
        "ILS method 2 (TLS, certificates exchanged)",
        "ILS 方法 2（TLS・証明書交換）",
    ),
    (
        "m3",
        "ILS method 3 (TLS + password)",
        "ILS 方法 3（TLS + パスワード）",
    ),
    (
        "m4",
        "ILS method 4 (CA-signed, peer info vector)",
        "ILS 方法 4（CA 署名・ピア情報ベクタ）",
    ),
];

impl Sample {
    /// `ILS method 2 (…): spoke cert not trusted`.
    pub fn label(&self, lang: Lang) -> String {
        let words = self.id.replace(['-', '_'], " ");
        let prefix = self.id.split(['-', '_']).next().unwrap_or("");
        match LABELS.iter().find(|(k, _, _)| *k == prefix) {
            Some((_, en, ja)) => {
                let rest = words.split_once(' ').map(|x| x.1).unwrap_or("");
                format!("{}: {rest}", if lang == Lang::Ja { ja } else { en })
            }
            None => words,
        }
    }

    pub fn group_label(&self) -> &'static str {
        match self.group {
            "ils" => "CUCM ILS",
            "securex" => "SecureX",
            other => other,
        }
    }
}
