//! "What to collect": the landing page's guide, one section per product, in English and
//! Japanese. The ILS wording is the engine's own (`ils::rules::common::collect_steps` and
//! `verify_join_steps`); the SecureX commands are the seed's (the checklist's commands). Each
//! command is shown as text with a copy button.

pub struct Step {
    pub en: &'static str,
    pub ja: &'static str,
    /// Commands to copy, exactly as typed.
    pub commands: &'static [&'static str],
}

pub struct Product {
    pub id: &'static str,
    pub en: &'static str,
    pub ja: &'static str,
    pub steps: &'static [Step],
}

pub static GUIDE: &[Product] = &[
    Product {
        id: "ils",
        en: "CUCM ILS (intercluster lookup)",
        ja: "CUCM ILS（クラスタ間検索）",
        steps: &[
            Step {
                en: "Set the trace level of Cisco Intercluster Lookup Service to Detailed (Cisco Unified Serviceability > Trace > Configuration), then reproduce the join.",
                ja: "Cisco Intercluster Lookup Service のトレースレベルを Detailed に設定し（Cisco Unified Serviceability > Trace > Configuration）、クラスタ参加を再現します。",
                commands: &[],
            },
            Step {
                en: "Collect the ILS traces from both publishers, hub and spoke, on each one's CLI (or RTMT > Trace & Log Central > Collect Files), and load both here.",
                ja: "ハブとスポークの両方のパブリッシャから ILS トレースを各 CLI で収集し（または RTMT > Trace & Log Central > Collect Files）、両方をここに読み込みます。",
                commands: &["file get activelog /cm/trace/ils/sdl/*"],
            },
            Step {
                en: "On the hub, copy the ILS Clusters table (Advanced Features > ILS Configuration): it shows each cluster's last contact and USN data synchronization status.",
                ja: "ハブの Advanced Features > ILS Configuration から ILS Clusters 表をコピーします。各クラスタの最終接続時刻と USN データ同期状態がわかります。",
                commands: &[],
            },
            Step {
                en: "On each publisher, list the clusters it knows (the other cluster's FQDN, cluster ID and version):",
                ja: "各パブリッシャで、認識しているクラスタ（相手クラスタの FQDN、クラスタ ID、バージョン）を一覧表示します。",
                commands: &["run sql select * from remotecluster"],
            },
        ],
    },
    Product {
        id: "securex",
        en: "SecureX on Secure Firewall (7.1 and earlier)",
        ja: "Secure Firewall の SecureX（7.1 以前）",
        steps: &[
            Step {
                en: "On the device's CLI (>), show the network settings and the DNS servers:",
                ja: "デバイスの CLI（>）で、ネットワーク設定と DNS サーバを表示します。",
                commands: &["show network"],
            },
            Step {
                en: "In expert mode (root), check that the cloud's name resolves:",
                ja: "エキスパートモード（root）で、クラウドの名前を解決できることを確認します。",
                commands: &["nslookup api-sse.cisco.com"],
            },
            Step {
                en: "Test HTTPS to each SecureX host with the connector's CA bundle (a 403 Forbidden answer means the connection works):",
                ja: "コネクタの CA バンドルを使って各 SecureX ホストへの HTTPS を確認します（403 Forbidden が返れば接続は正常です）。",
                commands: &[
                    "curl -v https://api-sse.cisco.com/providers/sse/services/registration/api/v2/clients --cacert /ngfw/etc/ssl/connectorCA.pem",
                    "curl -v https://est.sco.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem",
                    "curl -v https://eventing-ingest.sse.itd.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem",
                    "curl -v https://mx01.sse.itd.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem",
                ],
            },
            Step {
                en: "Check the connector: its settings, its socket to EventHandler and its connection to the cloud:",
                ja: "コネクタの設定、EventHandler とのソケット、クラウドへの接続を確認します。",
                commands: &[
                    "more /ngfw/etc/sf/connector.properties",
                    "netstat -anlp | grep EventHandler_SSEConnector.sock",
                    "lsof -i | grep conn",
                ],
            },
            Step {
                en: "Copy the connector log and action_queue.log (registration attempts), and load everything here:",
                ja: "コネクタのログと action_queue.log（登録の試行）をコピーし、すべてここに読み込みます。",
                commands: &[
                    "tail -n 500 /ngfw/var/log/connector/connector.log",
                    "grep canConnect /ngfw/var/log/action_queue.log",
                ],
            },
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use loupe_core::ils::rules::common::{collect_steps, verify_join_steps};
    use loupe_core::Lang;

    fn all_commands() -> Vec<&'static str> {
        GUIDE
            .iter()
            .flat_map(|p| p.steps.iter().flat_map(|s| s.commands.iter().copied()))
            .collect()
    }

    #[test]
    fn ils_guide_reuses_the_engine_wording() {
        let engine: Vec<String> = collect_steps(None)
            .iter()
            .chain(verify_join_steps().iter())
            .flat_map(|b| [b.get(Lang::En).to_string(), b.get(Lang::Ja).to_string()])
            .collect();
        let ils = &GUIDE[0];
        assert_eq!(ils.steps[0].en, engine[0]);
        assert_eq!(ils.steps[0].ja, engine[1]);
        // The commands of the engine's advice are the guide's.
        for c in [
            "file get activelog /cm/trace/ils/sdl/*",
            "run sql select * from remotecluster",
        ] {
            assert!(engine.iter().any(|e| e.contains(c)), "{c}");
            assert!(all_commands().contains(&c), "{c}");
        }
    }

    #[test]
    fn securex_guide_has_the_seed_commands_and_both_languages() {
        let cmds = all_commands();
        for c in ["show network", "nslookup api-sse.cisco.com"] {
            assert!(cmds.contains(&c));
        }
        assert!(
            cmds.iter()
                .filter(|c| c.contains("--cacert /ngfw/etc/ssl/connectorCA.pem"))
                .count()
                >= 4
        );
        assert!(cmds.iter().any(|c| c.contains("connector.log")));
        for p in GUIDE {
            for s in p.steps {
                assert!(!s.en.is_empty() && !s.ja.is_empty() && s.en != s.ja);
            }
        }
    }
}
