//! `sse.reachable` (ok): the cloud answered with an HTTP status.
//!
//! - What: a curl run that got `< HTTP/1.1 <code> ...` from the server (not from a proxy).
//! - Why: an HTTP answer proves DNS, TCP, (proxy,) TLS and HTTP all work. The seed: "403
//!   Forbidden means the test's parameters are not what SSE expects, but it proves
//!   connectivity".
//! - Example (seed): `< HTTP/1.1 403 Forbidden` after `Connected to api-sse.cisco.com`.
//! - Fix: none. A run through a TLS-inspecting device (issuer not a public CA) does not count:
//!   it is reported by `sse.tls.untrusted`.

use super::{context_of_run, run_is_intercepted};
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::explain::*;

pub const RULE: &str = "sse.reachable";

pub fn check(c: &Corpus) -> Vec<Finding> {
    let mut hosts: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    for (source, index, run) in c.runs() {
        if !run.reached() || run_is_intercepted(c, source, index) {
            continue;
        }
        let host = run.host.clone().unwrap_or_default();
        match hosts.iter_mut().find(|(h, _)| *h == host) {
            Some((_, runs)) => runs.push((source, index)),
            None => hosts.push((host, vec![(source, index)])),
        }
    }
    hosts
        .into_iter()
        .map(|(host, runs)| {
            let mut seen = Vec::new();
            for (source, index) in &runs {
                seen.extend(context_of_run(c, *source, *index));
            }
            let status = runs.iter().filter_map(|(s, i)| c.sources[*s].artefact.runs[*i].http_status).next_back().unwrap_or(0);
            let name = if host.is_empty() { "the server".to_string() } else { host.clone() };
            let mut f = finding(RULE, Severity::Ok, Some(ChainStep::Http), b(format!("{name} answered: the path to the cloud works"), format!("{name} が応答しました: クラウドへの経路は正常です")));
            let forbidden = if status == 403 {
                b(
                    " A 403 Forbidden is expected for this bare request: the test does not send the parameters SSE expects, but the answer proves connectivity.",
                    "このような単純な要求に対する 403 Forbidden は想定どおりです。テストは SSE が想定するパラメータを送っていませんが、応答が返ったことで接続性が確認できます。",
                )
            } else {
                b("", "")
            };
            f.explanation.what = b(
                format!("curl reached {name} and got HTTP {status}.{}", forbidden.en),
                format!("curl は {name} に接続し、HTTP {status} を受け取りました。{}", forbidden.ja),
            );
            f.explanation.why = b(
                "An HTTP status line comes from the far end after DNS, TCP, TLS (and the proxy, if any) all succeeded.",
                "HTTP ステータス行は、DNS、TCP、TLS（およびプロキシがある場合はプロキシ）がすべて成功した後に相手側から返されます。",
            );
            f.evidence = c.evidence(&seen);
            f
        })
        .collect()
}
