//! Shell prompts in pasted console text: the FTD/FMC expert shell (`root@ftd01:~#`,
//! `admin@fmc:~$`, a bare `# ` as the seed prints it), FTD CLISH (`> show network`) and the
//! CUCM CLI (`admin:`).

use regex::Regex;
use std::sync::OnceLock;

/// Which shell printed the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// `user@host:path#` or `user@host:path$` (expert mode, Linux shell).
    Expert,
    /// A bare `# command` (the seed's `# more /ngfw/etc/sf/connector.properties`).
    BareHash,
    /// FTD CLISH `> command`.
    Clish,
    /// CUCM `admin:command`.
    CucmAdmin,
}

/// A prompt line split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub shell: Shell,
    /// Host named by the prompt, when it names one.
    pub host: Option<String>,
    /// The command typed after the prompt (may be empty).
    pub command: String,
}

/// `user@host:path#`. ASCII classes: user and host names in a prompt are ASCII, and the
/// Unicode `\w` made compiling this pattern the largest fixed cost of reading a trace in the
/// browser (35 ms of a worker's start, in the baseline-compiled wasm).
fn expert() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"^(?-u:\s)*[0-9A-Za-z_.-]+@([0-9A-Za-z_.-]+):[^\s#$]*(?-u:\s)*[#$](?:(?-u:\s)+(.*))?$",
        )
        .expect("valid regex")
    })
}

/// Words that start a command after `> ` (CLISH) or a bare `# `: keeps curl's request lines
/// (`> GET / HTTP/1.1`, `> Host: ...`) and comments apart from prompts.
const CLISH_VERBS: &[&str] = &[
    "show",
    "configure",
    "expert",
    "system",
    "ping",
    "traceroute",
    "capture",
    "clear",
    "debug",
    "exit",
    "packet-tracer",
    "file",
    "history",
    "sftunnel-status",
    "sftunnel-status-brief",
    "undebug",
];
const SHELL_VERBS: &[&str] = &[
    "curl",
    "nslookup",
    "dig",
    "host",
    "netstat",
    "ss",
    "lsof",
    "pmtool",
    "more",
    "cat",
    "less",
    "tail",
    "head",
    "grep",
    "ls",
    "cd",
    "ps",
    "ping",
    "traceroute",
    "openssl",
    "sudo",
    "date",
    "ntpq",
];

fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

/// Read a prompt line; `None` when the line is not a prompt.
pub fn parse(line: &str) -> Option<Prompt> {
    let text = line.trim_end();
    // Every expert prompt holds an `@`: most lines of a trace never run (or compile) the pattern.
    if let Some(c) = text
        .contains('@')
        .then(|| expert().captures(text))
        .flatten()
    {
        let host = c.get(1).map(|m| m.as_str().to_string());
        let command = c.get(2).map_or("", |m| m.as_str()).trim().to_string();
        return Some(Prompt {
            shell: Shell::Expert,
            host,
            command,
        });
    }
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix("admin:") {
        return Some(Prompt {
            shell: Shell::CucmAdmin,
            host: None,
            command: rest.trim().to_string(),
        });
    }
    if let Some(rest) = trimmed
        .strip_prefix("> ")
        .or_else(|| trimmed.strip_prefix('>').filter(|r| r.is_empty()))
    {
        let rest = rest.trim();
        if CLISH_VERBS.contains(&first_word(rest)) {
            return Some(Prompt {
                shell: Shell::Clish,
                host: None,
                command: rest.to_string(),
            });
        }
        return None;
    }
    if let Some(rest) = trimmed.strip_prefix("# ") {
        let rest = rest.trim();
        if SHELL_VERBS.contains(&first_word(rest)) {
            return Some(Prompt {
                shell: Shell::BareHash,
                host: None,
                command: rest.to_string(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_of_the_seed() {
        let p = parse("root@ftd01:~# curl -v -k https://api-sse.cisco.com").unwrap();
        assert_eq!(
            (p.shell, p.host.as_deref(), p.command.as_str()),
            (
                Shell::Expert,
                Some("ftd01"),
                "curl -v -k https://api-sse.cisco.com"
            )
        );
        let p = parse("root@firepower:/ngfw/var/log/connector# lsof -i | grep conn").unwrap();
        assert_eq!(p.host.as_deref(), Some("firepower"));
        assert_eq!(
            parse("root@firepower:# lsof -i | grep conn")
                .unwrap()
                .command,
            "lsof -i | grep conn"
        );
        assert_eq!(parse("admin@fmc:~$ sudo su").unwrap().command, "sudo su");
        assert_eq!(parse("> show network").unwrap().shell, Shell::Clish);
        assert_eq!(
            parse("# more /ngfw/etc/sf/connector.properties")
                .unwrap()
                .shell,
            Shell::BareHash
        );
        assert_eq!(
            parse("admin:utils network ping x").unwrap().shell,
            Shell::CucmAdmin
        );
        assert!(parse("> GET / HTTP/1.1").is_none());
        assert!(parse("> Host: api-sse.cisco.com").is_none());
        assert!(parse(">").is_none());
        assert!(parse("# a comment").is_none());
    }
}
