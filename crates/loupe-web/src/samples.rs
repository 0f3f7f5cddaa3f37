//! The "try a sample" menu: the seed scenarios of `tests/fixtures/`, embedded at build time by
//! `build.rs` (one sample per fixture folder, its files analysed together), each with a name
//! written for people in English and Japanese.

use loupe_core::Lang;

pub struct Sample {
    /// `ils`, `securex`, ...
    pub group: &'static str,
    /// The fixture folder, e.g. `m2-spoke-cert-not-trusted`.
    pub id: &'static str,
    pub files: &'static [(&'static str, &'static [u8])],
}

include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// `(group/id, English, Japanese)`: every embedded sample has a row (a unit test checks it).
const LABELS: &[(&str, &str, &str)] = &[
    (
        "ils/m1-password-joined",
        "ILS, method 1: password, the clusters join",
        "ILS 方法 1: パスワード認証でクラスタが参加",
    ),
    (
        "ils/m1-password-mismatch",
        "ILS, method 1: the passwords do not match",
        "ILS 方法 1: パスワードが一致しない",
    ),
    (
        "ils/m2-tls-joined",
        "ILS, method 2: TLS with exchanged certificates, the clusters join",
        "ILS 方法 2: 証明書を交換した TLS でクラスタが参加",
    ),
    (
        "ils/m2-hub-cert-not-trusted",
        "ILS, method 2: the hub's certificate is not trusted",
        "ILS 方法 2: ハブの証明書が信頼されていない",
    ),
    (
        "ils/m2-spoke-cert-not-trusted",
        "ILS, method 2: the spoke's certificate is not trusted",
        "ILS 方法 2: スポークの証明書が信頼されていない",
    ),
    (
        "ils/m3-tls-password-joined",
        "ILS, method 3: TLS and password, the clusters join",
        "ILS 方法 3: TLS とパスワードでクラスタが参加",
    ),
    (
        "ils/m3-hub-cert-self-signed",
        "ILS, method 3: the hub's self-signed certificate is rejected",
        "ILS 方法 3: ハブの自己署名証明書が拒否される",
    ),
    (
        "ils/m3-spoke-cert-self-signed",
        "ILS, method 3: the spoke's self-signed certificate is rejected",
        "ILS 方法 3: スポークの自己署名証明書が拒否される",
    ),
    (
        "ils/m4-peer-info-vector-joined",
        "ILS, method 4: CA-signed certificates, the clusters join",
        "ILS 方法 4: CA 署名の証明書でクラスタが参加",
    ),
    (
        "ils/m4-hub-cert-self-signed",
        "ILS, method 4: the hub's certificate is self-signed",
        "ILS 方法 4: ハブの証明書が自己署名",
    ),
    (
        "ils/m4-spoke-cert-self-signed",
        "ILS, method 4: the spoke's certificate is self-signed",
        "ILS 方法 4: スポークの証明書が自己署名",
    ),
    (
        "ils/h-clock-skew",
        "ILS: the two clusters' clocks differ by a few seconds",
        "ILS: 2 つのクラスタの時計が数秒ずれている",
    ),
    (
        "ils/h-port-blocked",
        "ILS: the spoke's connection gets no answer (port blocked)",
        "ILS: スポークの接続に応答がない（ポートがブロックされている）",
    ),
    (
        "ils/h-tls-version",
        "ILS: the two sides share no TLS version",
        "ILS: 双方で共通の TLS バージョンがない",
    ),
    (
        "ils/dense",
        "ILS: a busy day of traces, many connections",
        "ILS: 接続が多い 1 日分のトレース",
    ),
    (
        "ils/retries",
        "ILS: the spoke retries the same connection",
        "ILS: スポークが同じ接続を再試行する",
    ),
    (
        "ils/three-clusters",
        "ILS: one hub and two spokes, one of them with the wrong password",
        "ILS: ハブ 1 台とスポーク 2 台、うち 1 台はパスワード違い",
    ),
    (
        "ils/record-forms/spoke",
        "ILS: every record form of a real trace",
        "ILS: 実際のトレースに現れる各種レコード形式",
    ),
    (
        "ils/rolled/sdl001_600_000001",
        "ILS: a rolled trace, first file",
        "ILS: ローテーションされたトレース（1 つ目のファイル）",
    ),
    (
        "ils/rolled/sdl001_600_000002",
        "ILS: a rolled trace, second file",
        "ILS: ローテーションされたトレース（2 つ目のファイル）",
    ),
    (
        "ils/pasted/m3-spoke-snippet",
        "ILS: a few lines pasted from the spoke's trace",
        "ILS: スポークのトレースから貼り付けた数行",
    ),
    (
        "ils/pasted/admin-file-view-spoke",
        "ILS: the spoke's trace shown by `file view` on the CLI",
        "ILS: CLI の `file view` で表示したスポークのトレース",
    ),
    (
        "ils/pasted/console-show-network-then-trace",
        "ILS: a console session, `show network` then the trace",
        "ILS: コンソール操作（`show network` の後にトレース）",
    ),
    (
        "ils/alarms/syslog",
        "ILS alarms in the system log",
        "システムログに出た ILS のアラーム",
    ),
    (
        "ils/alarms/syslog-viewer",
        "ILS alarms copied from the Syslog Viewer",
        "Syslog Viewer からコピーした ILS のアラーム",
    ),
    (
        "ils/alarms/rtmt-alert-email",
        "ILS alarm in an RTMT alert e-mail",
        "RTMT のアラートメールに含まれる ILS のアラーム",
    ),
    (
        "ils/tables/ils-clusters",
        "ILS Clusters table from the hub's administration page",
        "ハブの管理画面の ILS Clusters 表",
    ),
    (
        "ils/tables/ils-clusters-duplicate-id",
        "ILS Clusters table: two clusters share one cluster ID",
        "ILS Clusters 表: 2 つのクラスタが同じクラスタ ID",
    ),
    (
        "ils/tables/remotecluster",
        "Output of `run sql select * from remotecluster`",
        "`run sql select * from remotecluster` の出力",
    ),
    (
        "securex/seed_console_dns_session",
        "SecureX: a DNS problem found and fixed in one console session",
        "SecureX: 1 回のコンソール操作で DNS の問題を見つけて直す",
    ),
    (
        "securex/seed_curl_dns_failure",
        "SecureX: curl cannot resolve api-sse.cisco.com",
        "SecureX: curl が api-sse.cisco.com を名前解決できない",
    ),
    (
        "securex/seed_nslookup_timeout",
        "SecureX: nslookup reaches no DNS server",
        "SecureX: nslookup がどの DNS サーバにも届かない",
    ),
    (
        "securex/seed_show_network",
        "SecureX: `show network` with its DNS server",
        "SecureX: DNS サーバを含む `show network` の出力",
    ),
    (
        "securex/seed_curl_success_403",
        "SecureX: curl connects, the cloud answers 403 (connectivity is fine)",
        "SecureX: curl が接続し、クラウドが 403 を返す（接続は正常）",
    ),
    (
        "securex/seed_curl_bypass_403",
        "SecureX: curl with the certificate check bypassed (-k)",
        "SecureX: 証明書の確認を省略した curl（-k）",
    ),
    (
        "securex/seed_registration_tests",
        "SecureX: the four registration test commands",
        "SecureX: 4 つの登録テストコマンド",
    ),
    (
        "securex/seed_action_queue_canconnect",
        "SecureX: the canConnect check in action_queue.log",
        "SecureX: action_queue.log の canConnect 確認",
    ),
    (
        "securex/seed_connector_properties",
        "SecureX: the connector's settings (connector.properties)",
        "SecureX: コネクタの設定（connector.properties）",
    ),
    (
        "securex/seed_netstat_listening",
        "SecureX: the event socket listens, nothing connected",
        "SecureX: イベント用ソケットが待ち受けのみで未接続",
    ),
    (
        "securex/seed_netstat_connected",
        "SecureX: the event socket is connected",
        "SecureX: イベント用ソケットが接続済み",
    ),
    (
        "securex/seed_lsof_syn_sent",
        "SecureX: the connector's cloud connection hangs (SYN_SENT)",
        "SecureX: コネクタのクラウド接続が止まっている（SYN_SENT）",
    ),
    (
        "securex/seed_lsof_established",
        "SecureX: the connector is connected to the cloud",
        "SecureX: コネクタがクラウドに接続済み",
    ),
    (
        "securex/seed_connector_log_cut",
        "SecureX: connector.log cannot reach the event service",
        "SecureX: connector.log でイベントサービスに接続できない",
    ),
    (
        "securex/action_queue_exit6",
        "SecureX: action_queue.log, curl exit 6 (name not resolved)",
        "SecureX: action_queue.log の curl 終了コード 6（名前解決できない）",
    ),
    (
        "securex/action_queue_exit28",
        "SecureX: action_queue.log, curl exit 28 (timed out)",
        "SecureX: action_queue.log の curl 終了コード 28（タイムアウト）",
    ),
    (
        "securex/action_queue_exit52",
        "SecureX: action_queue.log, curl exit 52 (empty reply)",
        "SecureX: action_queue.log の curl 終了コード 52（応答が空）",
    ),
    (
        "securex/connector_log_dial_timeout",
        "SecureX: connector.log, the connection times out",
        "SecureX: connector.log で接続がタイムアウト",
    ),
    (
        "securex/connector_log_dns_timeout",
        "SecureX: connector.log, the DNS query times out",
        "SecureX: connector.log で DNS の問い合わせがタイムアウト",
    ),
    (
        "securex/connector_log_no_such_host",
        "SecureX: connector.log, the host name does not exist",
        "SecureX: connector.log でホスト名が存在しない",
    ),
    (
        "securex/connector_log_x509_unknown",
        "SecureX: connector.log, the certificate's issuer is unknown",
        "SecureX: connector.log で証明書の発行元が不明",
    ),
    (
        "securex/console_dns_other_name_resolves",
        "SecureX: DNS answers for another name but not for the cloud",
        "SecureX: 他の名前は解決できるがクラウドの名前は解決できない",
    ),
    (
        "securex/curl_cert_expired_clock",
        "SecureX: the certificate looks expired (the device's clock is wrong)",
        "SecureX: 証明書が期限切れに見える（機器の時計がずれている）",
    ),
    (
        "securex/curl_connect_timeout_28",
        "SecureX: curl times out connecting",
        "SecureX: curl の接続がタイムアウト",
    ),
    (
        "securex/curl_new_wording_resolve",
        "SecureX: curl cannot resolve the name (newer curl)",
        "SecureX: curl が名前解決できない（新しい curl）",
    ),
    (
        "securex/curl_new_wording_success",
        "SecureX: curl connects and verifies (newer curl)",
        "SecureX: curl が接続し証明書も確認できる（新しい curl）",
    ),
    (
        "securex/curl_old_wording_refused",
        "SecureX: the connection is refused",
        "SecureX: 接続が拒否される",
    ),
    (
        "securex/curl_proxy_403",
        "SecureX: the proxy refuses the connection (403)",
        "SecureX: プロキシが接続を拒否する（403）",
    ),
    (
        "securex/curl_proxy_407",
        "SecureX: the proxy asks for authentication (407)",
        "SecureX: プロキシが認証を求める（407）",
    ),
    (
        "securex/curl_tls_intercepted_60",
        "SecureX: TLS is intercepted by a corporate certificate",
        "SecureX: TLS が社内の証明書で中継されている",
    ),
    (
        "securex/mixed_console_paste",
        "SecureX: a console paste mixing several commands",
        "SecureX: 複数のコマンドが混在したコンソールの貼り付け",
    ),
    (
        "securex/nslookup_comm_error",
        "SecureX: nslookup, communication error with the DNS server",
        "SecureX: nslookup で DNS サーバとの通信エラー",
    ),
    (
        "securex/nslookup_nxdomain",
        "SecureX: nslookup, the name does not exist",
        "SecureX: nslookup で名前が存在しない",
    ),
    (
        "securex/nslookup_other_name_success",
        "SecureX: nslookup resolves another name",
        "SecureX: nslookup で別の名前は解決できる",
    ),
    (
        "securex/nslookup_success",
        "SecureX: nslookup resolves the cloud's name",
        "SecureX: nslookup でクラウドの名前を解決できる",
    ),
    (
        "securex/pmtool_status",
        "SecureX: process status (pmtool)",
        "SecureX: プロセスの状態（pmtool）",
    ),
    (
        "securex/pmtool_sse_disabled",
        "SecureX: the connector process is disabled (pmtool)",
        "SecureX: コネクタのプロセスが無効（pmtool）",
    ),
    (
        "securex/scan_curl_one_line_407",
        "SecureX: a proxy 407 reported on one line",
        "SecureX: 1 行で出力されたプロキシの 407",
    ),
    (
        "securex/scan_json_tls_errors",
        "SecureX: TLS errors in a JSON log",
        "SecureX: JSON 形式のログの TLS エラー",
    ),
    (
        "securex/scan_logfmt_go_errors",
        "SecureX: connection errors in the connector's log",
        "SecureX: コネクタのログの接続エラー",
    ),
    (
        "securex/scan_netstat_syn_sent",
        "SecureX: netstat shows a connection that hangs (SYN_SENT)",
        "SecureX: netstat で止まっている接続（SYN_SENT）",
    ),
    (
        "securex/show_network_no_dns",
        "SecureX: `show network` without a DNS server",
        "SecureX: DNS サーバのない `show network`",
    ),
    (
        "securex/show_network_two_dns",
        "SecureX: `show network` with two DNS servers",
        "SecureX: DNS サーバが 2 つある `show network`",
    ),
];

impl Sample {
    /// `group/id`, the key of [`LABELS`].
    pub fn key(&self) -> String {
        format!("{}/{}", self.group, self.id)
    }

    /// The sample's name for people; the folder name only for a fixture added without one.
    pub fn label(&self, lang: Lang) -> String {
        let key = self.key();
        match LABELS.iter().find(|(k, _, _)| *k == key) {
            Some((_, en, ja)) => if lang == Lang::Ja { ja } else { en }.to_string(),
            None => self.id.replace(['-', '_', '/'], " "),
        }
    }

    /// The menu group: one product each.
    pub fn group_label(&self) -> &'static str {
        match self.group {
            "ils" => "CUCM ILS",
            "securex" => "SecureX",
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_has_a_name_for_people_in_both_languages() {
        assert!(!SAMPLES.is_empty());
        for s in SAMPLES {
            let key = s.key();
            assert!(
                LABELS.iter().any(|(k, _, _)| *k == key),
                "no label for sample {key}"
            );
            let (en, ja) = (s.label(Lang::En), s.label(Lang::Ja));
            assert_ne!(en, ja, "{key}");
            // Written for people: no fixture-folder words left in either name.
            for l in [&en, &ja] {
                assert!(
                    !s.id.contains(['-', '_']) || !l.contains(s.id),
                    "{key}: {l}"
                );
                assert!(!l.contains("cert not") && !l.contains(" h "), "{key}: {l}");
            }
            // The Japanese name is Japanese (not the English one with a Japanese prefix).
            assert!(
                ja.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)
                    || ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{key}: {ja}"
            );
        }
        let m2 = SAMPLES
            .iter()
            .find(|s| s.id == "m2-hub-cert-not-trusted")
            .unwrap();
        assert_eq!(
            m2.label(Lang::Ja),
            "ILS 方法 2: ハブの証明書が信頼されていない"
        );
    }

    #[test]
    fn labels_name_only_existing_samples() {
        for (k, _, _) in LABELS {
            assert!(
                SAMPLES.iter().any(|s| s.key() == *k),
                "label for a missing sample {k}"
            );
        }
    }
}
