//! Recognise a SecureX artefact from its first lines, or a console session holding several.

use super::prompt;
use crate::decode::Line;
use crate::model::Kind;

/// The kind a typed command produces (`curl ...` gives a curl transcript).
pub fn kind_of_command(command: &str) -> Option<Kind> {
    let c = command.trim();
    let has = |w: &str| {
        c.split(|ch: char| ch.is_whitespace() || ch == '|')
            .any(|t| t == w)
    };
    if has("curl") {
        Some(Kind::CurlVerbose)
    } else if has("nslookup") {
        Some(Kind::Nslookup)
    } else if c.starts_with("show network") {
        Some(Kind::ShowNetwork)
    } else if c.contains("connector.properties") {
        Some(Kind::ConnectorProperties)
    } else if c.contains("EventHandler_SSEConnector") {
        Some(Kind::NetstatSocket)
    } else if has("lsof") {
        Some(Kind::LsofConnector)
    } else if has("pmtool") {
        Some(Kind::PmtoolStatus)
    } else if c.contains("connector.log") {
        Some(Kind::ConnectorLog)
    } else if c.contains("action_queue.log") {
        Some(Kind::ActionQueueLog)
    } else {
        None
    }
}

/// A `curl` command line copied without its prompt (`curl -v https://... --cacert ...`), as
/// opposed to prose that starts with the word curl.
pub fn is_curl_command(text: &str) -> bool {
    let mut tokens = text.split_whitespace();
    tokens.next() == Some("curl")
        && tokens
            .next()
            .is_some_and(|t| t.starts_with('-') || t.starts_with("http"))
}

/// The kind a single line gives away, if any.
pub fn kind_of_line(text: &str) -> Option<Kind> {
    let t = text.trim();
    if t.contains("ActionQueueScrape")
        || t.contains("[SF::SSE::")
        || (t.contains("canConnect") && t.contains("curl"))
    {
        return Some(Kind::ActionQueueLog);
    }
    if t.starts_with("time=\"") && t.contains(" level=") {
        return Some(Kind::ConnectorLog);
    }
    if is_curl_command(t)
        || t.starts_with("curl: (")
        || t.starts_with("* Rebuilt URL")
        || t.starts_with("* getaddrinfo(3) failed")
        || t.contains("resolve host")
        || (t.starts_with('*')
            && (t.contains("Trying ")
                || t.contains("Connected to ")
                || t.contains("SSL certificate")))
    {
        return Some(Kind::CurlVerbose);
    }
    if t.contains("no servers could be reached")
        || t.starts_with("** server can't find")
        || t.starts_with("Non-authoritative answer")
        || t.contains(";; communications error to")
    {
        return Some(Kind::Nslookup);
    }
    if t.contains("System Information ]")
        || t.contains("[ System Information")
        || t.starts_with("DNS Servers")
        || t.contains("Proxy Information]")
    {
        return Some(Kind::ShowNetwork);
    }
    if t.starts_with("connector_fqdn=")
        || t.starts_with("connector_port=")
        || t.starts_with("registration_interval=")
    {
        return Some(Kind::ConnectorProperties);
    }
    if t.starts_with("unix") && t.contains("EventHandler_SSEConnector.sock") {
        return Some(Kind::NetstatSocket);
    }
    if t.starts_with("connector ") && t.contains(" TCP ") {
        return Some(Kind::LsofConnector);
    }
    if (t.starts_with("SSEConnector ") || t.starts_with("EventHandler ")) && t.contains(") - ") {
        return Some(Kind::PmtoolStatus);
    }
    None
}

/// Prompts at which a command was typed.
fn typed_prompts(lines: &[Line]) -> Vec<prompt::Prompt> {
    lines
        .iter()
        .filter_map(|l| prompt::parse(&l.text))
        .filter(|p| !p.command.is_empty())
        .collect()
}

/// Two or more prompts with a command: a pasted console session, whatever its blocks hold.
pub fn is_console_session(lines: &[Line]) -> bool {
    typed_prompts(lines).len() >= 2
}

pub fn sniff(lines: &[Line]) -> Option<Kind> {
    let prompts = typed_prompts(lines);
    if prompts.len() >= 2 {
        return Some(Kind::ConsoleSession);
    }
    if let Some(kind) = prompts.first().and_then(|p| kind_of_command(&p.command)) {
        return Some(kind);
    }
    // The first line that gives its kind away decides; a paste without prompts that mixes two
    // artefacts is still one input of the first kind (its other lines are counted as not
    // understood, never dropped).
    lines.iter().find_map(|l| kind_of_line(&l.text))
}
