//! What the DNS rules share: every DNS fact of the analysis gathered once, and the common
//! wording of a DNS finding. The four DNS rules pick the most specific cause; one finding then
//! carries all the DNS evidence (curl, nslookup, `show network`, action_queue.log, connector.log).

use crate::model::*;
use crate::securex::corpus::{Corpus, Seen};
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::{b, finding, join};
use crate::securex_artefacts::signal::Signal;

#[derive(Debug, Default)]
pub struct DnsFacts<'a> {
    pub unreachable: Vec<Seen<'a>>,
    pub nxdomain: Vec<Seen<'a>>,
    /// curl / Go resolve failures and curl exit 6 (with or without transcript).
    pub resolve_failed: Vec<Seen<'a>>,
    pub exit6: Vec<Seen<'a>>,
    /// `show network` DNS server lines.
    pub servers: Vec<Seen<'a>>,
    /// nslookup `Server:` lines.
    pub servers_used: Vec<Seen<'a>>,
    pub missing: Vec<Seen<'a>>,
    pub reconfigured: Vec<Seen<'a>>,
    pub successes: Vec<Seen<'a>>,
}

impl<'a> DnsFacts<'a> {
    pub fn gather(c: &Corpus<'a>) -> Self {
        let mut f = DnsFacts::default();
        for s in c.all() {
            match s.signal() {
                Signal::DnsServerUnreachable { .. } => f.unreachable.push(s),
                Signal::DnsNxdomain { .. } => f.nxdomain.push(s),
                Signal::ResolveFailed { .. } => f.resolve_failed.push(s),
                Signal::CurlExit { code: 6, .. } => f.exit6.push(s),
                Signal::DnsServer { .. } => f.servers.push(s),
                Signal::DnsServerUsed { .. } => f.servers_used.push(s),
                Signal::DnsServersMissing => f.missing.push(s),
                Signal::DnsReconfigured { .. } => f.reconfigured.push(s),
                Signal::Resolved { .. } => f.successes.push(s),
                _ => {}
            }
        }
        f
    }

    pub fn failures(&self) -> Vec<Seen<'a>> {
        let mut all: Vec<Seen<'a>> = [
            &self.unreachable,
            &self.nxdomain,
            &self.resolve_failed,
            &self.exit6,
        ]
        .into_iter()
        .flatten()
        .copied()
        .collect();
        all.sort_by_key(|s| s.key());
        all
    }

    pub fn has_failure(&self) -> bool {
        !self.failures().is_empty()
    }

    /// The name a failure is about: the host of a resolve failure or NXDOMAIN, the target of
    /// the curl run of an exit 6; `None` for a failure of the resolver itself (no server
    /// answered), which is about no name.
    fn name_of(c: &Corpus, s: &Seen) -> Option<String> {
        let name = match s.signal() {
            Signal::ResolveFailed { host } | Signal::DnsNxdomain { host } => Some(host.clone()),
            Signal::CurlExit { .. } => c.run(s).and_then(|r| r.host.clone()),
            _ => None,
        };
        name.map(|n| n.trim_end_matches('.').to_ascii_lowercase())
            .filter(|n| !n.is_empty())
    }

    /// Does `success` resolve what `failure` failed on? The same name; any name for a failure
    /// about no name (the resolver answered again).
    fn fixes(c: &Corpus, failure: &Seen, success: &Seen) -> bool {
        match (Self::name_of(c, failure), success.signal()) {
            (None, _) => true,
            (Some(n), Signal::Resolved { host, .. }) => {
                host.trim_end_matches('.').eq_ignore_ascii_case(&n)
            }
            _ => false,
        }
    }

    /// Every failure was fixed later: each failed name resolved after it, in the logs' time
    /// ([`Corpus::before`]: later in the same input; the order of the inputs is not time). The
    /// last such success, for the evidence. A name that resolves in another input does not fix
    /// a failure (see [`DnsFacts::resolved_elsewhere`]).
    pub fn fixed_later(&self, c: &Corpus) -> Option<Seen<'a>> {
        let failures = self.failures();
        let mut fixes: Vec<Seen<'a>> = Vec::new();
        for f in &failures {
            let fix = self
                .successes
                .iter()
                .copied()
                .filter(|s| c.before(f, s) && Self::fixes(c, f, s))
                .max_by_key(|s| s.obs.line)?;
            fixes.push(fix);
        }
        fixes.into_iter().max_by_key(|s| (s.source, s.obs.line))
    }

    /// Successes in other inputs for a failed name, when no fix was seen later in the same
    /// input: their order in time is unknown, so they are told, not counted as a fix.
    pub fn resolved_elsewhere(&self, c: &Corpus) -> Vec<Seen<'a>> {
        if self.fixed_later(c).is_some() {
            return Vec::new();
        }
        let failures = self.failures();
        self.successes
            .iter()
            .copied()
            .filter(|s| {
                failures.iter().any(|f| {
                    c.unordered(f, s) && Self::name_of(c, f).is_some() && Self::fixes(c, f, s)
                })
            })
            .collect()
    }

    /// The names that failed to resolve.
    pub fn failed_names(&self, c: &Corpus) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for s in self.failures() {
            let name = match s.signal() {
                Signal::ResolveFailed { host } | Signal::DnsNxdomain { host } => Some(host.clone()),
                Signal::CurlExit { .. } => c.run(&s).and_then(|r| r.host.clone()),
                _ => None,
            };
            if let Some(n) = name.filter(|n| !n.is_empty()) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        names
    }

    pub fn configured_servers(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for s in &self.servers {
            if let Signal::DnsServer { server } = s.signal() {
                if !v.contains(server) {
                    v.push(server.clone());
                }
            }
        }
        v
    }
}

/// The facts the evidence shows, one sentence each, in both languages.
pub fn evidence_sentences(c: &Corpus, f: &DnsFacts) -> Vec<Bilingual> {
    let mut out = Vec::new();
    let names = f.failed_names(c);
    if !names.is_empty() {
        let n = names.join(", ");
        out.push(b(
            format!("The device could not resolve {n}."),
            format!("デバイスは {n} を名前解決できませんでした。"),
        ));
    }
    for s in &f.exit6 {
        let line = s.obs.line;
        if c.run(s).is_some_and(|r| r.from_action_queue) {
            out.push(b(
                format!("action_queue.log line {line}: the SSE enrollment check (canConnect) ended with curl exit code 6, CURLE_COULDNT_RESOLVE_HOST."),
                format!("action_queue.log の {line} 行目: SSE 登録の接続確認（canConnect）が curl の終了コード 6（CURLE_COULDNT_RESOLVE_HOST、名前解決失敗）で終わっています。"),
            ));
        } else {
            out.push(b(
                format!("curl ended with exit code 6 (line {line})."),
                format!("curl は終了コード 6 で終了しました（{line} 行目）。"),
            ));
        }
    }
    for s in &f.unreachable {
        let line = s.obs.line;
        let server = match s.signal() {
            Signal::DnsServerUnreachable { server: Some(ip) } => ip.clone(),
            _ => String::new(),
        };
        out.push(if server.is_empty() {
            b(
                format!(
                    "No DNS server answered (line {line}: `{}`).",
                    s.obs.text.trim()
                ),
                format!(
                    "どの DNS サーバからも応答がありませんでした（{line} 行目: `{}`）。",
                    s.obs.text.trim()
                ),
            )
        } else {
            b(
                format!("The DNS server {server} did not answer (line {line})."),
                format!("DNS サーバ {server} から応答がありませんでした（{line} 行目）。"),
            )
        });
    }
    for s in &f.nxdomain {
        let line = s.obs.line;
        out.push(b(
            format!("The resolver answered that the name does not exist (NXDOMAIN / no such host, line {line})."),
            format!("リゾルバはその名前が存在しないと応答しました（NXDOMAIN / no such host、{line} 行目）。"),
        ));
    }
    let servers = f.configured_servers();
    if !servers.is_empty() {
        let list = servers.join(", ");
        let lines: Vec<String> = f.servers.iter().map(|s| s.obs.line.to_string()).collect();
        let lines = lines.join(", ");
        out.push(b(
            format!("`show network` lists the DNS server(s) {list} (line {lines}): this is the resolver that failed; check that it is the right one and reachable."),
            format!("`show network` には DNS サーバ {list} が設定されています（{lines} 行目）。失敗したのはこのリゾルバです。正しいサーバか、到達可能かを確認してください。"),
        ));
    }
    if let Some(fixed) = f.fixed_later(c) {
        let line = fixed.obs.line;
        let after = f
            .reconfigured
            .iter()
            .filter(|r| c.before(r, &fixed))
            .max_by_key(|r| r.obs.line)
            .map(|r| r.obs.line);
        out.push(match after {
            Some(conf) => b(
                format!("After `configure network dns` (line {conf}), the name resolved (line {line}): the change fixed resolution."),
                format!("`configure network dns`（{conf} 行目）の後は名前解決に成功しています（{line} 行目）。設定変更で解決しています。"),
            ),
            None => b(
                format!("Later in the same input the name resolved (line {line}): the failure was transient or has been fixed."),
                format!("同じ入力の後半では名前解決に成功しています（{line} 行目）。一時的な失敗か、既に修正されています。"),
            ),
        });
    }
    for s in f.resolved_elsewhere(c) {
        if let Signal::Resolved { host, .. } = s.signal() {
            let input = c.sources.get(s.source).map_or("", |src| src.input);
            let line = s.obs.line;
            out.push(b(
                format!("{input} shows {host} resolving (line {line}), but neither line carries a time: whether that was before or after the failure is unknown, so it is not counted as a fix."),
                format!("{input} では {host} の名前解決に成功しています（{line} 行目）が、どちらの行にも時刻がないため、失敗の前か後かは分かりません。修正済みとは見なしていません。"),
            ));
        }
    }
    out
}

/// A DNS finding with all the DNS evidence. Severity drops to warning only when every failed
/// name resolved afterwards in the logs' time (later in the same input; a failure of the
/// resolver itself is fixed by any name resolving later): "later" is never the order of the
/// arguments. A name that resolves only in another input is told but does not downgrade, so the
/// severity is the same whatever the order of the inputs.
pub fn dns_finding(
    c: &Corpus,
    f: &DnsFacts,
    rule: &str,
    title: Bilingual,
    cause: Bilingual,
    why: Bilingual,
) -> Finding {
    let severity = if f.fixed_later(c).is_some() {
        Severity::Warning
    } else {
        Severity::Error
    };
    let mut finding = finding(rule, severity, Some(ChainStep::Dns), title);
    let mut what = vec![cause];
    what.extend(evidence_sentences(c, f));
    finding.explanation.what = join(&what);
    finding.explanation.why = why;
    let mut seen: Vec<Seen> = super::with_run_context(c, f.failures());
    seen.extend(f.servers.iter().copied());
    seen.extend(f.missing.iter().copied());
    if !f.failures().is_empty() {
        seen.extend(f.servers_used.iter().copied());
        seen.extend(f.reconfigured.iter().copied());
        seen.extend(f.fixed_later(c));
        seen.extend(f.resolved_elsewhere(c));
    }
    finding.evidence = c.evidence(&seen);
    if !f.exit6.is_empty() {
        finding.codes.push(curl_exit(6));
    }
    finding
}

pub fn fix_dns_server() -> Vec<Bilingual> {
    vec![
        b(
            "In the FTD CLISH run `show network` and note `DNS Servers` (FMC: System > Configuration > Management Interfaces, or `show network` on the FMC CLI).",
            "FTD の CLISH で `show network` を実行し、`DNS Servers` を確認します（FMC では System > Configuration > Management Interfaces、または FMC の CLI で `show network`）。",
        ),
        b(
            "Set a DNS server that the management interface can reach and that resolves public names: `configure network dns <ip>` (6.x; later releases: `configure network dns servers <ip>[,<ip>]`).",
            "管理インターフェイスから到達でき、インターネットの名前を解決できる DNS サーバを設定します: `configure network dns <ip>`（6.x。以降のリリースでは `configure network dns servers <ip>[,<ip>]`）。",
        ),
        b(
            "Make sure UDP and TCP 53 from the management IP to that server are allowed on the path (firewalls, ACLs, routing).",
            "管理 IP からその DNS サーバへの UDP/TCP 53 が経路上（ファイアウォール、ACL、ルーティング）で許可されていることを確認します。",
        ),
    ]
}

pub fn verify_dns() -> Vec<Bilingual> {
    vec![
        b(
            "From the expert shell, `nslookup api-sse.cisco.com` returns `Name:` and `Address:` lines.",
            "エキスパートシェルで `nslookup api-sse.cisco.com` を実行し、`Name:` と `Address:` の行が返ることを確認します。",
        ),
        b(
            "`curl -v -k https://api-sse.cisco.com` shows `Trying <ip>` and `Connected to api-sse.cisco.com`, and an HTTP status line (403 Forbidden is expected).",
            "`curl -v -k https://api-sse.cisco.com` で `Trying <ip>` と `Connected to api-sse.cisco.com`、さらに HTTP ステータス行（403 Forbidden で正常）が表示されることを確認します。",
        ),
    ]
}

pub fn collect_dns(f: &DnsFacts) -> Vec<Bilingual> {
    let mut v = Vec::new();
    if f.servers.is_empty() && f.missing.is_empty() {
        v.push(b("Collect `show network` from the FTD CLISH to see which DNS servers are configured.", "設定されている DNS サーバを確認するため、FTD の CLISH で `show network` の出力を採取してください。"));
    }
    if f.unreachable.is_empty() && f.nxdomain.is_empty() && f.servers_used.is_empty() {
        v.push(b(
            "Collect `nslookup api-sse.cisco.com` from the expert shell.",
            "エキスパートシェルで `nslookup api-sse.cisco.com` の出力を採取してください。",
        ));
    }
    v
}
