//! `loupe`: analyse Cisco CUCM ILS traces and Secure Firewall SecureX artefacts offline.
//! A thin front over `loupe-core`: read files, folders, archives or standard input; print a report.
//!
//! Arguments and help are clap's (derive), the folder walk is walkdir's (it detects symbolic
//! link loops), the progress bar indicatif's (drawn only on a terminal).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod read;
use loupe_core::decode::container::is_rtmt_metadata;
use loupe_core::{report, Analysis, Bilingual, Diagnostic, Engine, Lang, Limits, Role, Severity};
use read::{Outcome, Progress, Source};

const PATHS: &str = "\
PATH is a file, a folder (read recursively, in name order), a .zip (RTMT collection), a .gz,
or - for standard input. Give the hub's and the spoke's ILS traces together to see both sides
of each connection attempt paired.

In folders, symbolic links are followed, except one that loops back to a folder above it;
dotfiles and dot-folders and RTMT metadata (.index, TraceCollection*.xml) are skipped, as they
are in zips. A file given by name is always read. Standard input is streamed (plain text or
gzip); a zip on standard input is read whole first, since its directory is at its end.";

const READS: &str = "\
What Loupe reads:
    CUCM ILS SDL traces (activelog /cm/trace/ils/sdl/), the ILS Clusters table, the output of
    `run sql select * from remotecluster`; Secure Firewall / FMC action_queue.log, curl -v,
    nslookup, show network, connector.properties, netstat, lsof, connector.log, pmtool status,
    and pasted console sessions holding several of these.
    Text may be UTF-8 (with or without BOM) or UTF-16 with BOM, CRLF or LF, gzip-compressed.";

const EXIT: &str = "\
EXIT STATUS:
    0  the analysis ran (whatever it found)
    1  an input could not be read (the message names the path; the report covers the rest),
       there was nothing to read, or the report could not be written
    2  bad usage, including a --role NAME that matches no input (the message lists the inputs)
    3  with --fail-on: a finding of that severity or worse was reported (1 and 2 come first)

Nothing is sent anywhere: Loupe reads local files and writes a report.";

const TOP_AFTER: &str = "\
`loupe analyze --help` describes analyze's options: --format (text, json, markdown), --lang
(en, ja), --role NAME=ROLE, --output FILE, --fail-on error|warning.";

/// Offline analyzer for Cisco troubleshooting logs.
#[derive(Parser)]
#[command(
    name = "loupe",
    version,
    about = "loupe: offline analyzer for Cisco troubleshooting logs",
    long_about = format!("loupe: offline analyzer for Cisco troubleshooting logs\n\n{PATHS}\n\n{READS}"),
    after_help = format!("{TOP_AFTER}\n\n{EXIT}"),
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse logs (files, folders, .zip, .gz, - for standard input) and print a report
    #[command(long_about = format!("Analyse logs and print a report.\n\n{PATHS}\n\n{READS}"), after_help = EXIT)]
    Analyze(AnalyzeArgs),
}

#[derive(Args)]
struct AnalyzeArgs {
    /// Report format
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Language of the explanations
    #[arg(short, long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
    /// Override the detected role of input NAME (ROLE: hub, spoke or device); NAME is the
    /// input's name as the report shows it (a path, `archive.zip/entry`, or `(stdin)`)
    #[arg(short, long = "role", value_name = "NAME=ROLE", value_parser = parse_role)]
    roles: Vec<(String, Role)>,
    /// Write the report to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// For scripts: exit with status 3 when a finding of this severity or worse is reported
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
    /// List every attempt of a finding that stands for repeated attempts, each with its
    /// evidence (text and Markdown; JSON always lists them)
    #[arg(long)]
    attempts: bool,
    /// JSON: add the ILS timeline (every event of every connection attempt)
    #[arg(long)]
    events: bool,
    /// Read inputs on NUM threads (default: one per CPU); an input is read by one thread, and
    /// the entries of a zip archive are shared out between the threads
    #[arg(short = 'j', long, value_name = "NUM", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Files, folders, .zip, .gz, or - for standard input
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Ja,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
}

fn parse_role(v: &str) -> Result<(String, Role), String> {
    let (name, role) = v
        .rsplit_once('=')
        .ok_or_else(|| format!("expects NAME=ROLE, got `{v}`"))?;
    let role = match role {
        "hub" => Role::Hub,
        "spoke" => Role::Spoke,
        "device" => Role::Device,
        other => return Err(format!("unknown role `{other}` (hub, spoke or device)")),
    };
    Ok((name.to_string(), role))
}

/// What the CLI itself found while listing and reading inputs. Problems go to standard error
/// at once and into the report's reading problems.
struct Notes {
    diagnostics: Vec<Diagnostic>,
    /// An input (file, link, folder) could not be read.
    unreadable: bool,
}

impl Notes {
    fn problem(&mut self, path: &str, en: String, ja: String) {
        eprintln!("loupe: `{path}`: {en}");
        self.diagnostics.push(Diagnostic {
            input: path.to_string(),
            line: 0,
            message: Bilingual::new(en, ja),
        });
    }

    fn unreadable(&mut self, path: &Path, e: &std::io::Error) {
        self.unreadable = true;
        let shown = path.to_string_lossy();
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && e.kind() == std::io::ErrorKind::NotFound {
            let target = std::fs::read_link(path)
                .map(|t| t.to_string_lossy().into_owned())
                .unwrap_or_default();
            self.problem(
                &shown,
                format!("dangling symbolic link: its target `{target}` does not exist; not read"),
                format!(
                    "リンク先 `{target}` が存在しないシンボリックリンクです。読み取っていません"
                ),
            );
        } else {
            self.problem(
                &shown,
                format!("cannot be read: {e}"),
                format!("読み取れません: {e}"),
            );
        }
    }
}

/// List a path's inputs: standard input, a file, or every file below a folder in name order
/// (walkdir: links followed, loops skipped; dotfiles and RTMT metadata skipped).
fn list_path(path: &str, out: &mut Vec<Source>, notes: &mut Notes) {
    if path == "-" {
        out.push(Source::Stdin);
        return;
    }
    let p = Path::new(path);
    match std::fs::metadata(p) {
        Err(e) => return notes.unreadable(p, &e),
        Ok(m) if !m.is_dir() => return out.push(Source::File(p.to_path_buf())),
        Ok(_) => {}
    }
    let before = out.len();
    let mut skipped = 0usize;
    // Folders already walked, by their real path: a link to a folder outside the walk's
    // ancestors (walkdir only catches links back to an ancestor) is not read twice.
    let mut seen = std::collections::HashSet::new();
    let mut repeats = Vec::new();
    let walk = walkdir::WalkDir::new(p)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            // The folder given is read whatever its name (`.`, `./logs`, `.hidden`).
            if e.depth() > 0 && skipped_in_walks(e) {
                skipped += 1;
                return false;
            }
            if e.file_type().is_dir() {
                if let Ok(real) = std::fs::canonicalize(e.path()) {
                    if !seen.insert(real.clone()) {
                        skipped += 1;
                        repeats.push((e.path().to_path_buf(), real));
                        return false;
                    }
                }
            }
            true
        });
    let mut walk_notes = Vec::new();
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => out.push(Source::File(e.into_path())),
            Err(e) => walk_notes.push(e),
        }
    }
    for (at, real) in repeats {
        eprintln!(
            "loupe: skipped `{}`: a link to `{}`, a folder already read",
            at.to_string_lossy(),
            real.to_string_lossy()
        );
    }
    for e in walk_notes {
        let at = e.path().unwrap_or(p).to_path_buf();
        if let Some(ancestor) = e.loop_ancestor() {
            skipped += 1;
            eprintln!(
                "loupe: skipped `{}`: a symbolic link back to `{}` (a loop)",
                at.to_string_lossy(),
                ancestor.to_string_lossy()
            );
        } else if let Some(io) = e.io_error() {
            notes.unreadable(&at, io);
        } else {
            notes.unreadable(&at, &std::io::Error::other(e.to_string()));
        }
    }
    if out.len() == before {
        let why = if skipped > 0 {
            format!(" ({skipped} skipped: dotfiles, RTMT metadata or symbolic link loops)")
        } else {
            String::new()
        };
        let why_ja = if skipped > 0 {
            format!("（{skipped} 件をスキップ: ドットファイル、RTMT のメタデータ、シンボリックリンクのループ）")
        } else {
            String::new()
        };
        notes.problem(
            path,
            format!("empty folder: it holds no file to read{why}"),
            format!("空のフォルダーです。読み取るファイルがありません{why_ja}"),
        );
    }
}

/// Entries a folder walk skips: dotfiles and dot-folders, and the RTMT metadata files that
/// zips skip too (the same predicate as `loupe_core::decode::container`).
fn skipped_in_walks(e: &walkdir::DirEntry) -> bool {
    let name = e.file_name().to_string_lossy();
    name.starts_with('.') || (!e.file_type().is_dir() && is_rtmt_metadata(&name))
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("loupe: {msg}\nTry `loupe --help`.");
    ExitCode::from(2)
}

/// Role names given with --role that name no input: a usage error listing the inputs.
fn unmatched_roles(args: &AnalyzeArgs, analysis: &Analysis) -> Option<String> {
    let names: Vec<&str> = analysis.inputs.iter().map(|i| i.name.as_str()).collect();
    let unmatched: Vec<&str> = args
        .roles
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| !names.contains(n))
        .collect();
    if unmatched.is_empty() {
        return None;
    }
    const SHOWN: usize = 50;
    let mut msg = format!(
        "--role: no input is named {}; the inputs are:",
        unmatched
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for n in names.iter().take(SHOWN) {
        msg.push_str("\n    ");
        msg.push_str(n);
    }
    if names.len() > SHOWN {
        msg.push_str(&format!("\n    … and {} more", names.len() - SHOWN));
    }
    Some(msg)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.exit_code() == 0 => {
            // --help, --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return usage_error("missing command (analyze)");
        }
        Err(e) => {
            let text = e.render().to_string();
            eprint!("loupe: {}", text.strip_prefix("error: ").unwrap_or(&text));
            return ExitCode::from(2);
        }
    };
    let Command::Analyze(args) = cli.command;
    analyze(&args)
}

fn analyze(args: &AnalyzeArgs) -> ExitCode {
    let mut notes = Notes {
        diagnostics: Vec::new(),
        unreadable: false,
    };
    let mut sources = Vec::new();
    for p in &args.paths {
        list_path(p, &mut sources, &mut notes);
    }
    let mut engine = Engine::new(Limits::default());
    for (name, role) in &args.roles {
        engine.set_role(name, *role);
    }
    let progress = Progress::new(sources.len(), Progress::total_of(&sources));
    let threads = read::threads(args.threads.map(usize::from));
    let outcomes = read::read_all(&mut engine, sources, threads, Limits::default(), &progress);
    progress.finish();
    let mut read_any = false;
    for outcome in outcomes {
        match outcome {
            Outcome::Read => read_any = true,
            Outcome::NotOpened(path, e) => notes.unreadable(&path, &e),
            Outcome::Failed(name, f) => {
                notes.unreadable = true;
                read_any |= f.analysed;
                let (en, ja) = if f.analysed {
                    (
                        format!("reading stopped after {} bytes: {}; the bytes before were analysed", f.after, f.error),
                        format!("{} バイトを読んだところで読み取りが止まりました: {}。それまでのバイトは解析しました", f.after, f.error),
                    )
                } else {
                    (
                        format!("cannot be read: {}", f.error),
                        format!("読み取れません: {}", f.error),
                    )
                };
                notes.problem(&name, en, ja);
            }
        }
    }
    if !read_any {
        eprintln!("loupe: nothing to analyse: no input could be read");
        return ExitCode::from(1);
    }
    let mut analysis = engine.finish();
    if let Some(msg) = unmatched_roles(args, &analysis) {
        return usage_error(&msg);
    }
    analysis.diagnostics.splice(0..0, notes.diagnostics);
    let lang = match args.lang {
        LangArg::En => Lang::En,
        LangArg::Ja => Lang::Ja,
    };
    let detail = report::Detail {
        attempts: args.attempts,
        events: args.events,
    };
    // Every format is written as it is rendered: where attempts are dense, a report is hundreds
    // of MB.
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        match args.format {
            Format::Json => report::json::write_with(&analysis, lang, detail, &mut *out)?,
            Format::Markdown => report::markdown::write_with(&analysis, lang, detail, &mut *out)?,
            Format::Text => report::text::write_with(&analysis, lang, detail, &mut *out)?,
        }
        out.flush()
    };
    let written = match &args.output {
        Some(file) => std::fs::File::create(file)
            .and_then(|f| write(&mut std::io::BufWriter::with_capacity(1 << 16, f)))
            .map_err(|e| format!("cannot write `{}`: {e}", file.to_string_lossy())),
        None => write(&mut std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout().lock(),
        ))
        .map_err(|e| format!("cannot write the report: {e}")),
    };
    if let Err(e) = written {
        eprintln!("loupe: {e}");
        return ExitCode::from(1);
    }
    if notes.unreadable {
        return ExitCode::from(1);
    }
    let worst = match args.fail_on {
        Some(FailOn::Error) => Some(Severity::Error),
        Some(FailOn::Warning) => Some(Severity::Warning),
        None => None,
    };
    if let Some(worst) = worst {
        if analysis.findings.iter().any(|f| f.severity <= worst) {
            return ExitCode::from(3);
        }
    }
    ExitCode::SUCCESS
}
