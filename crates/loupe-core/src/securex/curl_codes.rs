//! curl exit codes (the curl tool exits with libcurl's CURLcode): the complete table of
//! securex.md §5 (curl docs `_EXITCODES.md` and `libcurl-errors.md`), with the meaning in both
//! languages and what it says about the SSE connection where it says something.

use crate::model::{Bilingual, DecodedCode};

/// (code, CURLE_ name without prefix, meaning EN, meaning JA). Obsolete numbers have no name.
const TABLE: &[(i64, &str, &str, &str)] = &[
    (0, "OK", "success", "成功"),
    (1, "UNSUPPORTED_PROTOCOL", "the URL's protocol is not supported by this curl build", "この curl のビルドは URL のプロトコルに対応していません"),
    (2, "FAILED_INIT", "curl failed to initialise", "curl の初期化に失敗しました"),
    (3, "URL_MALFORMAT", "the URL is malformed", "URL の書式が正しくありません"),
    (4, "NOT_BUILT_IN", "a requested feature or option was disabled when curl was built", "要求された機能またはオプションが curl のビルド時に無効化されています"),
    (5, "COULDNT_RESOLVE_PROXY", "the proxy's host name could not be resolved (DNS)", "プロキシのホスト名を名前解決できませんでした（DNS）"),
    (6, "COULDNT_RESOLVE_HOST", "the remote host name could not be resolved (DNS)", "接続先のホスト名を名前解決できませんでした（DNS）"),
    (7, "COULDNT_CONNECT", "the TCP connection to the host or proxy failed (refused, unreachable, or a connect timeout in some versions)", "接続先またはプロキシへの TCP 接続に失敗しました（拒否、到達不能、またはバージョンによっては接続タイムアウト）"),
    (8, "WEIRD_SERVER_REPLY", "the server's reply could not be parsed", "サーバの応答を解釈できませんでした"),
    (9, "REMOTE_ACCESS_DENIED", "access to the remote resource was denied (FTP and similar)", "リモートのリソースへのアクセスが拒否されました（FTP など）"),
    (10, "FTP_ACCEPT_FAILED", "the FTP server's active-mode connection was not accepted", "FTP のアクティブモード接続を受け付けられませんでした"),
    (11, "FTP_WEIRD_PASS_REPLY", "unexpected FTP reply to PASS", "FTP の PASS に対する応答が想定外です"),
    (12, "FTP_ACCEPT_TIMEOUT", "timeout waiting for the FTP server's active-mode connection", "FTP のアクティブモード接続の待機がタイムアウトしました"),
    (13, "FTP_WEIRD_PASV_REPLY", "unexpected FTP reply to PASV/EPSV", "FTP の PASV/EPSV に対する応答が想定外です"),
    (14, "FTP_WEIRD_227_FORMAT", "malformed FTP 227 reply", "FTP の 227 応答の書式が不正です"),
    (15, "FTP_CANT_GET_HOST", "the host from the FTP 227 reply could not be resolved", "FTP の 227 応答にあるホストを名前解決できませんでした"),
    (16, "HTTP2", "HTTP/2 framing-layer error", "HTTP/2 のフレーミング層でエラーが発生しました"),
    (17, "FTP_COULDNT_SET_TYPE", "could not set the FTP transfer mode", "FTP の転送モードを設定できませんでした"),
    (18, "PARTIAL_FILE", "the transfer was shorter or longer than announced", "転送されたデータが通知されたサイズと一致しません"),
    (19, "FTP_COULDNT_RETR_FILE", "FTP RETR failed", "FTP の RETR に失敗しました"),
    (20, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (21, "QUOTE_ERROR", "a QUOTE command failed", "QUOTE コマンドが失敗しました"),
    (22, "HTTP_RETURNED_ERROR", "the server answered with HTTP 400 or more and --fail was used", "--fail 指定時にサーバが HTTP 400 以上を返しました"),
    (23, "WRITE_ERROR", "writing the received data locally failed", "受信データのローカルへの書き込みに失敗しました"),
    (24, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (25, "UPLOAD_FAILED", "the upload could not start", "アップロードを開始できませんでした"),
    (26, "READ_ERROR", "reading a local file failed", "ローカルファイルの読み込みに失敗しました"),
    (27, "OUT_OF_MEMORY", "curl ran out of memory", "curl がメモリ不足になりました"),
    (28, "OPERATION_TIMEDOUT", "a timeout was reached (--connect-timeout for DNS + TCP + TLS, or -m for the whole transfer)", "タイムアウトに達しました（--connect-timeout は DNS・TCP・TLS まで、-m は転送全体）"),
    (29, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (30, "FTP_PORT_FAILED", "FTP PORT failed", "FTP の PORT に失敗しました"),
    (31, "FTP_COULDNT_USE_REST", "FTP REST failed", "FTP の REST に失敗しました"),
    (32, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (33, "RANGE_ERROR", "the server does not support range requests", "サーバが範囲指定リクエストに対応していません"),
    (34, "", "obsolete since 7.56 (was an HTTP POST error)", "7.56 で廃止されたコードです（以前は HTTP POST のエラー）"),
    (35, "SSL_CONNECT_ERROR", "the TLS handshake failed", "TLS ハンドシェイクに失敗しました"),
    (36, "BAD_DOWNLOAD_RESUME", "the resume offset is invalid", "ダウンロード再開位置が不正です"),
    (37, "FILE_COULDNT_READ_FILE", "a FILE:// URL could not be read", "FILE:// の URL を読み込めませんでした"),
    (38, "LDAP_CANNOT_BIND", "LDAP bind failed", "LDAP のバインドに失敗しました"),
    (39, "LDAP_SEARCH_FAILED", "LDAP search failed", "LDAP の検索に失敗しました"),
    (40, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (41, "", "obsolete since 7.53 (was \"function not found\")", "7.53 で廃止されたコードです（以前は「関数が見つからない」）"),
    (42, "ABORTED_BY_CALLBACK", "the transfer was aborted by a callback", "コールバックにより転送が中断されました"),
    (43, "BAD_FUNCTION_ARGUMENT", "internal error: a function was called with a bad argument", "内部エラー: 関数が不正な引数で呼び出されました"),
    (44, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (45, "INTERFACE_FAILED", "the outgoing interface could not be used", "送信元インターフェイスを使用できませんでした"),
    (46, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (47, "TOO_MANY_REDIRECTS", "too many redirects (the canConnect check allows --max-redirs 5)", "リダイレクト回数が上限を超えました（canConnect の確認は --max-redirs 5）"),
    (48, "UNKNOWN_OPTION", "an unknown option was passed to libcurl", "libcurl に未知のオプションが渡されました"),
    (49, "SETOPT_OPTION_SYNTAX", "a malformed option was given (telnet option syntax)", "オプションの書式が不正です（telnet オプション）"),
    (50, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (51, "PEER_FAILED_VERIFICATION", "before curl 7.62: the server certificate (or its host name) failed verification", "curl 7.62 より前: サーバ証明書（またはホスト名）の検証に失敗しました"),
    (52, "GOT_NOTHING", "the server closed the connection without sending anything (\"Empty reply from server\")", "サーバが何も返さずに接続を閉じました（Empty reply from server）"),
    (53, "SSL_ENGINE_NOTFOUND", "the requested crypto engine was not found", "指定した暗号エンジンが見つかりません"),
    (54, "SSL_ENGINE_SETFAILED", "the crypto engine could not be set as default", "暗号エンジンを既定に設定できませんでした"),
    (55, "SEND_ERROR", "sending network data failed", "ネットワークへのデータ送信に失敗しました"),
    (56, "RECV_ERROR", "receiving network data failed (also a proxy answering CONNECT with something other than 200, e.g. 407)", "ネットワークからのデータ受信に失敗しました（プロキシが CONNECT に 200 以外、例えば 407 を返した場合も）"),
    (57, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (58, "SSL_CERTPROBLEM", "problem with the local client certificate", "ローカルのクライアント証明書に問題があります"),
    (59, "SSL_CIPHER", "the requested cipher could not be used", "指定した暗号方式を使用できませんでした"),
    (60, "PEER_FAILED_VERIFICATION", "the server certificate could not be verified with the CA certificates in use (before 7.62: CURLE_SSL_CACERT)", "使用中の CA 証明書でサーバ証明書を検証できませんでした（7.62 より前は CURLE_SSL_CACERT）"),
    (61, "BAD_CONTENT_ENCODING", "unknown transfer encoding", "未知の転送エンコーディングです"),
    (62, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (63, "FILESIZE_EXCEEDED", "the file is larger than --max-filesize (the canConnect check sets 1000000000)", "ファイルサイズが --max-filesize を超えました（canConnect の確認は 1000000000）"),
    (64, "USE_SSL_FAILED", "the required FTP TLS level could not be reached", "FTP で要求された TLS レベルを満たせませんでした"),
    (65, "SEND_FAIL_REWIND", "rewinding the data to resend it failed", "再送のためのデータの巻き戻しに失敗しました"),
    (66, "SSL_ENGINE_INITFAILED", "the crypto engine failed to initialise", "暗号エンジンの初期化に失敗しました"),
    (67, "LOGIN_DENIED", "the login was denied", "ログインが拒否されました"),
    (68, "TFTP_NOTFOUND", "TFTP file not found", "TFTP のファイルが見つかりません"),
    (69, "TFTP_PERM", "TFTP permission problem", "TFTP の権限の問題です"),
    (70, "REMOTE_DISK_FULL", "the server's disk is full", "サーバのディスクが一杯です"),
    (71, "TFTP_ILLEGAL", "illegal TFTP operation", "不正な TFTP 操作です"),
    (72, "TFTP_UNKNOWNID", "unknown TFTP transfer id", "未知の TFTP 転送 ID です"),
    (73, "REMOTE_FILE_EXISTS", "the remote file already exists", "リモートのファイルが既に存在します"),
    (74, "TFTP_NOSUCHUSER", "TFTP: no such user", "TFTP: ユーザが存在しません"),
    (75, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (76, "", "obsolete code, not used by current curl", "廃止されたコードで、現在の curl では使われません"),
    (77, "SSL_CACERT_BADFILE", "the CA certificate file could not be read (path? access rights?), e.g. a bad --cacert connectorCA.pem", "CA 証明書ファイルを読み込めませんでした（パスやアクセス権を確認）。例: --cacert の connectorCA.pem が不正"),
    (78, "REMOTE_FILE_NOT_FOUND", "the remote resource was not found", "リモートのリソースが見つかりません"),
    (79, "SSH", "SSH error", "SSH のエラーです"),
    (80, "SSL_SHUTDOWN_FAILED", "the TLS shutdown failed", "TLS の終了処理に失敗しました"),
    (81, "AGAIN", "the socket is not ready (API only)", "ソケットの準備ができていません（API 専用）"),
    (82, "SSL_CRL_BADFILE", "the CRL file could not be read", "CRL ファイルを読み込めませんでした"),
    (83, "SSL_ISSUER_ERROR", "the issuer check failed", "発行者の確認に失敗しました"),
    (84, "FTP_PRET_FAILED", "FTP PRET failed", "FTP の PRET に失敗しました"),
    (85, "RTSP_CSEQ_ERROR", "RTSP CSeq mismatch", "RTSP の CSeq が一致しません"),
    (86, "RTSP_SESSION_ERROR", "RTSP session mismatch", "RTSP のセッションが一致しません"),
    (87, "FTP_BAD_FILE_LIST", "the FTP file list could not be parsed", "FTP のファイル一覧を解析できませんでした"),
    (88, "CHUNK_FAILED", "chunk callback error", "チャンクコールバックのエラーです"),
    (89, "NO_CONNECTION_AVAILABLE", "no connection available (internal)", "利用可能な接続がありません（内部用）"),
    (90, "SSL_PINNEDPUBKEYNOTMATCH", "the server's public key does not match the pinned key", "サーバの公開鍵が固定（ピン留め）した鍵と一致しません"),
    (91, "SSL_INVALIDCERTSTATUS", "the OCSP certificate status is invalid", "OCSP による証明書の状態が無効です"),
    (92, "HTTP2_STREAM", "HTTP/2 stream error", "HTTP/2 のストリームエラーです"),
    (93, "RECURSIVE_API_CALL", "a libcurl function was called from inside a callback", "コールバック内から libcurl の関数が呼び出されました"),
    (94, "AUTH_ERROR", "an authentication function returned an error", "認証関数がエラーを返しました"),
    (95, "HTTP3", "HTTP/3 layer error", "HTTP/3 層のエラーです"),
    (96, "QUIC_CONNECT_ERROR", "QUIC connection error", "QUIC の接続エラーです"),
    (97, "PROXY", "proxy handshake error (SOCKS or HTTPS proxy)", "プロキシとのハンドシェイクのエラーです（SOCKS または HTTPS プロキシ）"),
    (98, "SSL_CLIENTCERT", "the server requires a TLS client certificate", "サーバが TLS クライアント証明書を要求しています"),
    (99, "UNRECOVERABLE_POLL", "poll/select returned a fatal error", "poll/select が致命的なエラーを返しました"),
    (100, "TOO_LARGE", "a value or data field grew larger than allowed", "値またはデータが許容サイズを超えました"),
    (101, "ECH_REQUIRED", "Encrypted Client Hello was required but failed", "ECH（Encrypted Client Hello）が必須でしたが失敗しました"),
    (102, "FOREIGN_THREAD", "the handle was used from another thread", "ハンドルが別のスレッドから使用されました"),
];

/// Decode a curl exit code.
pub fn curl_exit(code: i64) -> DecodedCode {
    match TABLE.iter().find(|e| e.0 == code) {
        Some(&(c, name, en, ja)) => DecodedCode {
            kind: "curl-exit".into(),
            code: c,
            name: if name.is_empty() { format!("curl exit {c} (obsolete)") } else { format!("CURLE_{name}") },
            meaning: Bilingual::new(en, ja),
        },
        None => DecodedCode {
            kind: "curl-exit".into(),
            code,
            name: format!("curl exit {code}"),
            meaning: Bilingual::new(
                "a curl exit code not in Loupe's table (newer than curl 8.x?); see curl's man page, section EXIT CODES",
                "Loupe の表にない curl の終了コードです（curl 8.x より新しい可能性）。curl の man ページの EXIT CODES を参照してください",
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_and_ordered() {
        for (i, e) in TABLE.iter().enumerate() {
            assert_eq!(e.0, i as i64);
            assert!(!e.2.is_empty() && !e.3.is_empty());
        }
        assert_eq!(curl_exit(6).name, "CURLE_COULDNT_RESOLVE_HOST");
        assert_eq!(curl_exit(28).name, "CURLE_OPERATION_TIMEDOUT");
        assert!(curl_exit(500).meaning.en.contains("not in Loupe's table"));
    }
}
