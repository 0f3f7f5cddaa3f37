//! The page's state and its reducer, plain Rust so that it is tested on the host and in the
//! browser alike. The Yew `Reducible` glue lives in `ui::app`.

use std::ops::Range;
use std::rc::Rc;

use loupe_core::{Lang, Role, Severity, TimelineEvent};

use crate::transfer::{AnalysisView, Progress};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    SideBySide,
    Raw,
    Checklist,
    Inputs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Events that explain something (no plain SDL signals or debug codes).
    Diagnostic,
    /// Every event of the connection attempts.
    All,
    /// Every line of the traces around one attempt (or of whole inputs), read back from the
    /// files on demand: [`line_windows`].
    Lines,
}

/// Finding cards listed at once: more would make every render slow on large inputs.
pub const FINDINGS_PER_PAGE: usize = 50;
/// Side-by-side rows on one page; the pager reaches the others. At 500 rows (some 25,000
/// elements) drawing a page took main-thread tasks of 150–250 ms even 50 rows at a time.
pub const ROWS_PER_PAGE: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Idle,
    Running(Progress),
    Done,
    Failed(String),
    Cancelled,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub lang: Lang,
    pub theme: Theme,
    pub phase: Phase,
    pub analysis: Option<Rc<AnalysisView>>,
    pub tab: Tab,
    pub filter: Filter,
    pub search: String,
    pub selected_finding: Option<usize>,
    /// `(input index, 1-based line)` clicked in the side-by-side or raw view.
    pub selected_line: Option<(usize, u32)>,
    pub raw_input: usize,
    /// Line the raw view should scroll to (1-based), with a counter so that the same line again scrolls again.
    pub raw_goto: Option<(u32, u32)>,
    pub redact: bool,
    /// The analysis runs on the page because no worker could be started.
    pub on_main_thread: bool,
    /// The user's role corrections, by input name.
    pub roles: Vec<(String, String)>,
    /// Incremented on every new analysis and every scroll request, so views can react once.
    pub generation: u32,
    /// Incremented on every new result only, so views compute what they derive from it once.
    pub analysis_id: u32,
    /// Only the findings of this rule are listed (chosen in the per-rule summary).
    pub rule_filter: Option<String>,
    /// Page of the findings list, 0-based.
    pub findings_page: usize,
    /// Page of the side-by-side view chosen with its pager, 0-based (clamped when shown).
    pub rows_page: usize,
    /// The side-by-side view shows the page holding the selected line: set by a selection,
    /// cleared by the pager, the filter and the search.
    pub rows_follow_selection: bool,
    /// Only the findings and side-by-side rows of the attempts between two clusters (a link of
    /// the network map).
    pub pair_filter: Option<PairFilter>,
    /// What the "every line" view shows (set when it is chosen, so that clicking one of its lines
    /// does not move it).
    pub lines_scope: Option<LinesScope>,
    /// Page of the "every line" view, 0-based (clamped when shown).
    pub lines_page: usize,
}

/// A link of the network map chosen as a filter: its name and its connection attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairFilter {
    /// `hub—spoke`, as `network_map::Link::key` names it.
    pub key: String,
    /// Indices into `Analysis::connections`, ascending ([`PairFilter::new`]): looked up by a
    /// binary search, since a pair may hold 100,000 attempts and the filter runs over every
    /// finding and every row.
    connections: Vec<usize>,
}

impl PairFilter {
    pub fn new(key: String, mut connections: Vec<usize>) -> Self {
        connections.sort_unstable();
        connections.dedup();
        PairFilter { key, connections }
    }

    /// Is connection `c` one of the pair's attempts?
    pub fn has(&self, c: usize) -> bool {
        self.connections.binary_search(&c).is_ok()
    }

    /// Is finding `f` about one of the pair's attempts?
    pub fn has_finding(&self, f: &loupe_core::Finding) -> bool {
        f.connection.is_some_and(|c| self.has(c))
            || f.attempts.iter().any(|t| self.has(t.connection))
    }
}

/// The rows of the pair's attempts only (all of them without a pair).
pub fn rows_of_pair(rows: Vec<Row>, pair: Option<&PairFilter>) -> Vec<Row> {
    match pair {
        None => rows,
        Some(p) => rows
            .into_iter()
            .filter(|r| r.connection.is_some_and(|c| p.has(c)))
            .collect(),
    }
}

impl State {
    pub fn new(lang: Lang) -> Self {
        State {
            lang,
            theme: Theme::System,
            phase: Phase::Idle,
            analysis: None,
            tab: Tab::SideBySide,
            filter: Filter::Diagnostic,
            search: String::new(),
            selected_finding: None,
            selected_line: None,
            raw_input: 0,
            raw_goto: None,
            redact: true,
            on_main_thread: false,
            roles: Vec::new(),
            generation: 0,
            analysis_id: 0,
            rule_filter: None,
            findings_page: 0,
            rows_page: 0,
            rows_follow_selection: false,
            pair_filter: None,
            lines_scope: None,
            lines_page: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetLang(Lang),
    SetTheme(Theme),
    /// A new set of inputs: forget role corrections and the previous result.
    NewInputs,
    Started(Progress),
    Progress(Progress),
    Done(Rc<AnalysisView>),
    Failed(String),
    Cancelled,
    SetTab(Tab),
    SetFilter(Filter),
    SetSearch(String),
    /// List only the findings of one rule, or all of them (`None`).
    SetRuleFilter(Option<String>),
    SetFindingsPage(usize),
    SetRowsPage(usize),
    SelectFinding(usize),
    /// List only the findings and rows of the attempts between two clusters, or all (`None`).
    SetPairFilter(Option<PairFilter>),
    /// The "every line" view shows these lines, from their first page.
    SetLinesScope(LinesScope),
    SetLinesPage(usize),
    /// Show evidence `(input, line)`: in the side-by-side view when it is an event, else in the raw view.
    ShowEvidence(usize, u32),
    SelectLine(usize, u32),
    SetRawInput(usize),
    SetRedact(bool),
    SetRole(String, String),
    MainThread,
    Reset,
}

impl State {
    pub fn apply(&self, action: Action) -> State {
        let mut s = self.clone();
        match action {
            Action::SetLang(l) => s.lang = l,
            Action::SetTheme(t) => s.theme = t,
            Action::NewInputs => {
                s.roles.clear();
                s.analysis = None;
            }
            Action::Started(p) => {
                s.phase = Phase::Running(p);
                s.selected_finding = None;
                s.selected_line = None;
            }
            Action::Progress(p) => {
                if matches!(s.phase, Phase::Running(_)) {
                    s.phase = Phase::Running(p);
                }
            }
            Action::Done(a) => {
                if s.raw_input >= a.inputs.len() {
                    s.raw_input = 0;
                }
                s.analysis = Some(a);
                s.phase = Phase::Done;
                s.generation += 1;
                s.analysis_id += 1;
                s.rule_filter = None;
                s.findings_page = 0;
                s.rows_page = 0;
                s.rows_follow_selection = false;
                s.pair_filter = None;
                s.lines_page = 0;
                s.lines_scope = (s.filter == Filter::Lines).then(|| {
                    let a = s.analysis.as_deref().expect("just set");
                    default_lines_scope(a, None, None)
                });
            }
            Action::Failed(m) => s.phase = Phase::Failed(m),
            Action::Cancelled => {
                // The worker that held the inputs is gone: so is the result.
                s.phase = Phase::Cancelled;
                s.analysis = None;
            }
            Action::SetTab(t) => s.tab = t,
            Action::SetFilter(f) => {
                s.filter = f;
                s.rows_page = 0;
                s.rows_follow_selection = false;
                if f == Filter::Lines {
                    // The attempt in view (the selected finding's or line's), kept until changed.
                    s.lines_scope = s
                        .analysis
                        .as_deref()
                        .map(|a| default_lines_scope(a, s.selected_finding, s.selected_line));
                    s.lines_page = 0;
                }
            }
            Action::SetLinesScope(scope) => {
                s.lines_scope = Some(scope);
                s.lines_page = 0;
            }
            Action::SetLinesPage(p) => s.lines_page = p,
            Action::SetSearch(q) => {
                s.search = q;
                s.rows_page = 0;
                s.rows_follow_selection = false;
            }
            Action::SetRuleFilter(rule) => {
                s.rule_filter = rule;
                s.findings_page = 0;
            }
            Action::SetFindingsPage(p) => {
                let pages = page_count(s.listed_findings().len(), FINDINGS_PER_PAGE);
                s.findings_page = p.min(pages - 1);
            }
            Action::SetRowsPage(p) => {
                s.rows_page = p;
                s.rows_follow_selection = false;
            }
            Action::SetPairFilter(p) => {
                s.pair_filter = p;
                s.findings_page = 0;
                s.rows_page = 0;
                s.rows_follow_selection = false;
            }
            Action::SelectFinding(i) => {
                s.selected_finding = Some(i);
                s.generation += 1;
                if let Some(a) = &s.analysis {
                    if let Some(f) = a.findings.get(i) {
                        // Bring the finding's page into view, out of a rule filter that hides it.
                        if s.rule_filter.as_ref().is_some_and(|r| *r != f.rule) {
                            s.rule_filter = None;
                        }
                        if s.pair_filter.as_ref().is_some_and(|p| !p.has_finding(f)) {
                            s.pair_filter = None;
                        }
                        s.findings_page = s.finding_page(i).unwrap_or(0);
                        if let Some(c) = f.connection {
                            s.lines_scope = Some(LinesScope::Attempt(c));
                            s.lines_page = 0;
                        }
                        let first_event = f.evidence.iter().find_map(|e| {
                            let input = a.input_index(&e.input)?;
                            a.events
                                .iter()
                                .any(|ev| ev.input == input && ev.line == e.line)
                                .then_some((input, e.line))
                        });
                        if let Some((input, line)) = first_event {
                            s.selected_line = Some((input, line));
                            s.rows_follow_selection = true;
                            s.tab = Tab::SideBySide;
                            // Evidence hidden by the filter or the search would not be shown.
                            s.filter = Filter::All;
                            s.search.clear();
                        } else if let Some((input, line)) = f
                            .evidence
                            .iter()
                            .find_map(|e| a.input_index(&e.input).map(|i| (i, e.line)))
                        {
                            s.selected_line = Some((input, line));
                            s.tab = Tab::Raw;
                            s.raw_input = input;
                            s.raw_goto = Some((line, s.generation));
                        }
                    }
                }
            }
            Action::ShowEvidence(input, line) => {
                s.generation += 1;
                s.selected_line = Some((input, line));
                let is_event = s
                    .analysis
                    .as_ref()
                    .is_some_and(|a| a.events.iter().any(|e| e.input == input && e.line == line));
                if is_event {
                    s.tab = Tab::SideBySide;
                    s.rows_follow_selection = true;
                    s.filter = Filter::All;
                    s.search.clear();
                } else {
                    s.tab = Tab::Raw;
                    s.raw_input = input;
                    s.raw_goto = Some((line, s.generation));
                }
            }
            Action::SelectLine(input, line) => {
                s.selected_line = Some((input, line));
                s.rows_follow_selection = true;
            }
            Action::SetRawInput(i) => {
                s.raw_input = i;
                s.raw_goto = None;
            }
            Action::SetRedact(r) => s.redact = r,
            Action::SetRole(name, role) => {
                s.roles.retain(|(n, _)| *n != name);
                s.roles.push((name, role));
            }
            Action::MainThread => s.on_main_thread = true,
            Action::Reset => {
                let mut fresh = State::new(s.lang);
                fresh.theme = s.theme;
                fresh.on_main_thread = s.on_main_thread;
                fresh.redact = s.redact;
                fresh.generation = s.generation + 1;
                fresh.analysis_id = s.analysis_id;
                return fresh;
            }
        }
        s
    }

    /// Indices of the findings listed: all of them, or those of the rule filter.
    pub fn listed_findings(&self) -> Vec<usize> {
        match &self.analysis {
            Some(a) => {
                listed_findings_in(a, self.rule_filter.as_deref(), self.pair_filter.as_ref())
            }
            None => Vec::new(),
        }
    }

    /// The page of the findings list that holds finding `i`, when it is listed.
    pub fn finding_page(&self, i: usize) -> Option<usize> {
        let position = self.listed_findings().iter().position(|&f| f == i)?;
        Some(position / FINDINGS_PER_PAGE)
    }

    /// The findings page to show: the chosen one, clamped to the pages there are.
    pub fn findings_page_shown(&self, listed: usize) -> usize {
        self.findings_slice().page_shown(listed)
    }

    /// The side-by-side page to show among `rows` (see [`RowsSlice::page_shown`]).
    pub fn rows_page_shown(&self, a: &AnalysisView, rows: &[Row]) -> usize {
        self.rows_slice().page_shown(a, rows)
    }

    /// Findings whose evidence includes `(input, line)`.
    pub fn findings_at(&self, input: usize, line: u32) -> Vec<usize> {
        match &self.analysis {
            Some(a) => findings_at(a, input, line),
            None => Vec::new(),
        }
    }

    /// Is `(input, line)` evidence of the selected finding?
    pub fn is_highlighted(&self, input: usize, line: u32) -> bool {
        let (Some(a), Some(f)) = (&self.analysis, self.selected_finding) else {
            return false;
        };
        evidence_of(a, Some(f)).contains(&(input, line))
    }

    /// What the findings list draws.
    pub fn findings_slice(&self) -> FindingsSlice {
        FindingsSlice {
            rule_filter: self.rule_filter.clone(),
            page: self.findings_page,
            selected: self.selected_finding,
            generation: self.generation,
            pair: self.pair_filter.clone(),
        }
    }

    /// What the side-by-side view draws.
    pub fn rows_slice(&self) -> RowsSlice {
        RowsSlice {
            filter: self.filter,
            search: self.search.clone(),
            page: self.rows_page,
            follow_selection: self.rows_follow_selection,
            selected_line: self.selected_line,
            selected_finding: self.selected_finding,
            generation: self.generation,
            pair: self.pair_filter.clone(),
            lines_scope: self.lines_scope,
            lines_page: self.lines_page,
        }
    }

    /// What the raw view draws.
    pub fn raw_slice(&self) -> RawSlice {
        RawSlice {
            input: self.raw_input,
            goto: self.raw_goto,
            selected_line: self.selected_line,
            selected_finding: self.selected_finding,
        }
    }
}

/// The part of [`State`] the findings list draws: a dispatch that changes none of it does not
/// re-render the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingsSlice {
    pub rule_filter: Option<String>,
    /// The chosen page (clamped when shown).
    pub page: usize,
    pub selected: Option<usize>,
    /// Bumped by every selection, so that the same finding selected again is scrolled to again.
    pub generation: u32,
    pub pair: Option<PairFilter>,
}

impl FindingsSlice {
    /// The page to show among `listed` findings: the chosen one, clamped to the pages there are.
    pub fn page_shown(&self, listed: usize) -> usize {
        self.page.min(page_count(listed, FINDINGS_PER_PAGE) - 1)
    }
}

/// The part of [`State`] the side-by-side view draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowsSlice {
    pub filter: Filter,
    pub search: String,
    /// The page chosen with the pager (clamped when shown).
    pub page: usize,
    /// Show the page holding the selected line instead.
    pub follow_selection: bool,
    pub selected_line: Option<(usize, u32)>,
    pub selected_finding: Option<usize>,
    /// Bumped by every selection, so that the same line selected again is scrolled to again.
    pub generation: u32,
    pub pair: Option<PairFilter>,
    /// What the "every line" view shows and its page.
    pub lines_scope: Option<LinesScope>,
    pub lines_page: usize,
}

impl RowsSlice {
    /// The page to show among `rows`: the selected line's when the view follows the selection
    /// and the line is in a row, else the pager's, clamped to the pages there are.
    pub fn page_shown(&self, a: &AnalysisView, rows: &[Row]) -> usize {
        if self.follow_selection {
            if let Some(row) = self
                .selected_line
                .and_then(|(input, line)| row_of_line(a, rows, input, line))
            {
                return row / ROWS_PER_PAGE;
            }
        }
        self.page.min(page_count(rows.len(), ROWS_PER_PAGE) - 1)
    }
}

/// The part of [`State`] the raw view draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawSlice {
    pub input: usize,
    /// `(line, request)`: scroll to the line once per request.
    pub goto: Option<(u32, u32)>,
    pub selected_line: Option<(usize, u32)>,
    pub selected_finding: Option<usize>,
}

/// Indices of the findings listed: all of them, or those of `rule`.
pub fn listed_findings(a: &AnalysisView, rule: Option<&str>) -> Vec<usize> {
    a.findings
        .iter()
        .enumerate()
        .filter(|(_, f)| rule.is_none_or(|r| r == f.rule))
        .map(|(i, _)| i)
        .collect()
}

/// Indices of the findings listed: those of `rule` (all without one) about the attempts of `pair`
/// (all without one).
pub fn listed_findings_in(
    a: &AnalysisView,
    rule: Option<&str>,
    pair: Option<&PairFilter>,
) -> Vec<usize> {
    let mut out = listed_findings(a, rule);
    if let Some(p) = pair {
        out.retain(|&i| p.has_finding(&a.findings[i]));
    }
    out
}

/// Findings whose evidence includes `(input, line)`.
pub fn findings_at(a: &AnalysisView, input: usize, line: u32) -> Vec<usize> {
    a.findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.evidence.iter().any(|e| a.evidence_is(e, input, line)))
        .map(|(i, _)| i)
        .collect()
}

/// `(input, line)` of every evidence line of `finding` that names an input of the analysis.
pub fn evidence_of(a: &AnalysisView, finding: Option<usize>) -> Vec<(usize, u32)> {
    finding
        .and_then(|f| a.findings.get(f))
        .map(|f| {
            f.evidence
                .iter()
                .filter_map(|e| a.input_index(&e.input).map(|i| (i, e.line)))
                .collect()
        })
        .unwrap_or_default()
}

/// How many pages `total` items fill, `per_page` to a page: at least one, even empty.
pub fn page_count(total: usize, per_page: usize) -> usize {
    total.div_ceil(per_page).max(1)
}

/// The items on `page` (0-based, clamped to the last page).
pub fn page_range(page: usize, total: usize, per_page: usize) -> Range<usize> {
    let page = page.min(page_count(total, per_page) - 1);
    let start = page * per_page;
    start..(start + per_page).min(total)
}

/// `1,640`-style numbers, for the pagers.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One entry of the per-rule summary above the findings list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCount {
    pub rule: String,
    /// The most severe severity among the rule's findings.
    pub severity: Severity,
    pub count: usize,
}

/// Findings counted by rule, in the order the rules first appear in the list.
pub fn rule_counts(a: &AnalysisView) -> Vec<RuleCount> {
    let mut out: Vec<RuleCount> = Vec::new();
    // Each rule's place in `out` (a search of `out` per finding compared strings 250,000 times
    // for 83,334 findings).
    let mut place: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for f in &a.findings {
        match place.get(f.rule.as_str()) {
            Some(&i) => {
                let c = &mut out[i];
                c.count += 1;
                // Severities are ordered worst first.
                c.severity = c.severity.min(f.severity);
            }
            None => {
                place.insert(&f.rule, out.len());
                out.push(RuleCount {
                    rule: f.rule.clone(),
                    severity: f.severity,
                    count: 1,
                });
            }
        }
    }
    out
}

/// Event kinds hidden by the "diagnostic events" filter.
pub fn is_noise(e: &TimelineEvent) -> bool {
    matches!(&*e.kind, "sdl-signal" | "connect-request-detail")
        || (&*e.kind == "code" && !e.label.en.starts_with("ERROR"))
}

/// One row of the side-by-side view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The connection attempt the row is about, `None` for an event paired with nothing.
    pub connection: Option<usize>,
    /// Aligned time of the row's first event.
    pub time_ms: i64,
    /// Event indices, one list per column.
    pub cells: Vec<Vec<usize>>,
}

/// One column of the side-by-side view: the inputs of one host in one role (a host's rolled
/// trace files are one stream, as the engine reads them), or one input whose host is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Input indices, in input order (never empty).
    pub inputs: Vec<usize>,
}

/// The columns of the side-by-side view: inputs with events, a column per host and role, hubs
/// first, then spokes, then others. 20 rolled files of a hub and a spoke make two columns, not 20.
pub fn columns(a: &AnalysisView) -> Vec<Column> {
    let mut has_events = vec![false; a.inputs.len()];
    for e in &a.events {
        if let Some(h) = has_events.get_mut(e.input) {
            *h = true;
        }
    }
    let mut cols: Vec<Column> = Vec::new();
    for i in (0..a.inputs.len()).filter(|&i| has_events[i]) {
        let (role, host) = (a.inputs[i].role, a.inputs[i].host.as_deref());
        let same = host.and_then(|h| {
            cols.iter_mut().find(|c| {
                let first = &a.inputs[c.inputs[0]];
                first.role == role && first.host.as_deref() == Some(h)
            })
        });
        match same {
            Some(c) => c.inputs.push(i),
            None => cols.push(Column { inputs: vec![i] }),
        }
    }
    cols.sort_by_key(|c| (role_rank(a.inputs[c.inputs[0]].role), c.inputs[0]));
    cols
}

/// The column of each input (None for an input without events).
fn column_of_inputs(a: &AnalysisView, cols: &[Column]) -> Vec<Option<usize>> {
    let mut out = vec![None; a.inputs.len()];
    for (ci, c) in cols.iter().enumerate() {
        for &i in &c.inputs {
            out[i] = Some(ci);
        }
    }
    out
}

/// Rows of the side-by-side view: the events of one connection attempt share a row, events that
/// belong to no connection get a row each; rows in aligned time order. `search` (case-insensitive)
/// keeps the rows with a matching event.
pub fn rows(a: &AnalysisView, filter: Filter, search: &str) -> Vec<Row> {
    let cols = columns(a);
    let column_of = column_of_inputs(a, &cols);
    let col_of = |input: usize| column_of.get(input).copied().flatten();
    let needle = search.trim().to_lowercase();
    let keep = |e: &TimelineEvent| {
        (filter != Filter::Diagnostic || !is_noise(e))
            && (needle.is_empty()
                || e.text.to_lowercase().contains(&needle)
                || e.label.en.to_lowercase().contains(&needle)
                || e.label.ja.to_lowercase().contains(&needle))
    };
    let mut out = Vec::new();
    let mut in_connection = vec![false; a.events.len()];
    let mut row_of_connection: Vec<Option<usize>> = vec![None; a.connections.len()];
    for (ci, c) in a.connections.iter().enumerate() {
        let mut cells = vec![Vec::new(); cols.len()];
        let mut time = i64::MAX;
        for &ei in &c.events {
            let Some(e) = a.events.get(ei) else { continue };
            in_connection[ei] = true;
            if !keep(e) {
                continue;
            }
            if let Some(col) = col_of(e.input) {
                cells[col].push(ei);
                time = time.min(e.aligned_ms);
            }
        }
        if cells.iter().any(|c| !c.is_empty()) {
            for cell in &mut cells {
                cell.sort_by_key(|ei| (a.events[*ei].aligned_ms, a.events[*ei].line));
            }
            row_of_connection[ci] = Some(out.len());
            out.push(Row {
                connection: Some(ci),
                time_ms: time,
                cells,
            });
        }
    }
    for (ei, e) in a.events.iter().enumerate() {
        if in_connection[ei] || !keep(e) {
            continue;
        }
        // An event that names a connection but is not in its list still goes with it.
        if let Some(row) = e
            .connection
            .and_then(|c| row_of_connection.get(c).copied().flatten())
        {
            if let Some(col) = col_of(e.input) {
                out[row].cells[col].push(ei);
                continue;
            }
        }
        let mut cells = vec![Vec::new(); cols.len()];
        if let Some(col) = col_of(e.input) {
            cells[col].push(ei);
            out.push(Row {
                connection: None,
                time_ms: e.aligned_ms,
                cells,
            });
        }
    }
    out.sort_by_key(|r| (r.time_ms, r.connection.is_none(), r.connection));
    out
}

/// Lines of each side on one page of the "every line" view.
pub const LINES_PER_PAGE: usize = 200;

/// What the "every line" view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinesScope {
    /// The lines of one connection attempt (an index into `Analysis::connections`) on each side.
    Attempt(usize),
    /// Every line of every input.
    Inputs,
}

/// One side of the "every line" view: lines `first..=last` (1-based) of input `input`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineWindow {
    pub input: usize,
    pub first: u32,
    pub last: u32,
    /// The worker can read these lines back (false when the input's lines were not kept).
    pub kept: bool,
}

impl LineWindow {
    pub fn len(&self) -> u32 {
        self.last + 1 - self.first
    }
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// Hubs first, then spokes, then the rest (the side-by-side view's column order).
fn role_rank(r: Role) -> u8 {
    match r {
        Role::Hub => 0,
        Role::Spoke => 1,
        Role::Device => 2,
        Role::Unknown => 3,
    }
}

/// The sides of the "every line" view: for an attempt, each input with events of it, from the
/// first to the last of them (every line between, events or not); for whole inputs, each input
/// with lines. Hubs first, as the side-by-side columns.
pub fn line_windows(a: &AnalysisView, scope: LinesScope) -> Vec<LineWindow> {
    let mut out: Vec<LineWindow> = Vec::new();
    match scope {
        LinesScope::Attempt(c) => {
            let Some(c) = a.connections.get(c) else {
                return out;
            };
            for e in c.events.iter().filter_map(|&ei| a.events.get(ei)) {
                if e.line == 0 {
                    continue;
                }
                match out.iter_mut().find(|w| w.input == e.input) {
                    Some(w) => {
                        w.first = w.first.min(e.line);
                        w.last = w.last.max(e.line);
                    }
                    None => out.push(LineWindow {
                        input: e.input,
                        first: e.line,
                        last: e.line,
                        kept: false,
                    }),
                }
            }
        }
        LinesScope::Inputs => {
            for (input, i) in a.inputs.iter().enumerate() {
                let lines = u32::try_from(i.counts.lines)
                    .unwrap_or(u32::MAX)
                    .max(a.stored_lines(input));
                if lines > 0 {
                    out.push(LineWindow {
                        input,
                        first: 1,
                        last: lines,
                        kept: false,
                    });
                }
            }
        }
    }
    for w in &mut out {
        w.kept = a.stored_lines(w.input) >= w.last;
    }
    out.sort_by_key(|w| {
        (
            a.inputs.get(w.input).map_or(4, |i| role_rank(i.role)),
            w.input,
        )
    });
    out
}

/// Pages of the "every line" view: enough for its longest side, at least one.
pub fn lines_page_count(windows: &[LineWindow]) -> usize {
    let longest = windows.iter().map(|w| w.len() as usize).max().unwrap_or(0);
    page_count(longest, LINES_PER_PAGE)
}

/// The attempt the "every line" view starts with: the selected finding's, else the selected
/// line's, else the first in time; whole inputs when there is no attempt.
pub fn default_lines_scope(
    a: &AnalysisView,
    finding: Option<usize>,
    line: Option<(usize, u32)>,
) -> LinesScope {
    let of_finding = finding.and_then(|f| a.findings.get(f)).and_then(|f| {
        f.connection
            .or_else(|| f.attempts.first().map(|t| t.connection))
    });
    let of_line = line.and_then(|(input, line)| {
        a.events
            .iter()
            .find(|e| e.input == input && e.line == line)
            .and_then(|e| e.connection)
    });
    let first = (0..a.connections.len()).min_by_key(|&c| (a.connections[c].start_ms, c));
    of_finding
        .or(of_line)
        .or(first)
        .filter(|&c| c < a.connections.len())
        .map_or(LinesScope::Inputs, LinesScope::Attempt)
}

/// The index of the row that holds the event at `(input, line)`.
pub fn row_of_line(a: &AnalysisView, rows: &[Row], input: usize, line: u32) -> Option<usize> {
    rows.iter().position(|r| {
        r.cells.iter().flatten().any(|&ei| {
            a.events
                .get(ei)
                .is_some_and(|e| e.input == input && e.line == line)
        })
    })
}

/// `1.2 MB`-style sizes.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// `+1.250 s` / `−0.040 s`.
pub fn offset_text(ms: i64) -> String {
    let sign = if ms < 0 { "−" } else { "+" };
    let a = ms.unsigned_abs();
    format!("{sign}{}.{:03} s", a / 1000, a % 1000)
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use loupe_core::*;

    pub fn ev(
        input: usize,
        line: u32,
        ms: i64,
        kind: &str,
        connection: Option<usize>,
    ) -> TimelineEvent {
        TimelineEvent {
            input,
            line,
            time_ms: ms,
            aligned_ms: ms,
            kind: kind.into(),
            label: Bilingual::new(format!("{kind} label"), format!("{kind} ラベル")),
            text: format!("line {line} of input {input}").into(),
            connection,
        }
    }

    pub fn input(name: &str, role: Role) -> InputSummary {
        InputSummary {
            name: name.into(),
            kind: Kind::SdlTrace,
            role,
            host: None,
            host_ip: None,
            app: None,
            date: None,
            utc_offset_minutes: None,
            lines: 0,
            counts: LineCounts::default(),
            not_understood_lines: vec![],
            bytes: 0,
        }
    }

    fn evidence(input: &str, line: u32, role: Role) -> Evidence {
        Evidence {
            input: input.into(),
            line,
            text: "".into(),
            role,
        }
    }

    /// A spoke (input 0) and a hub (input 1): one paired connection, one unmatched event each side.
    pub fn view() -> AnalysisView {
        let analysis = Analysis {
            inputs: vec![input("spoke.txt", Role::Spoke), input("hub.txt", Role::Hub)],
            events: vec![
                ev(0, 10, 1000, "connect-request", Some(0)),
                ev(1, 20, 1010, "connection-accepted", Some(0)),
                ev(0, 11, 1020, "tls-verify-failed", Some(0)),
                ev(1, 21, 1030, "close-request", Some(0)),
                ev(1, 5, 500, "sdl-signal", None),
                ev(0, 30, 2000, "alarm", None),
            ],
            connections: vec![Connection {
                id: 0,
                client: Some("10.0.0.2:40000".into()),
                server: Some("10.0.0.1:7502".into()),
                tls: Some(true),
                hub_input: Some(1),
                spoke_input: Some(0),
                paired_by: "ephemeral-port".into(),
                outcome: "failed".into(),
                method: None,
                start_ms: 1000,
                events: vec![0, 1, 2, 3],
            }],
            findings: vec![Finding {
                rule: "ils.tls.hub-cert-rejected".into(),
                severity: Severity::Error,
                title: Bilingual::new("rejected", "拒否"),
                explanation: Explanation::default(),
                evidence: vec![
                    evidence("spoke.txt", 11, Role::Spoke),
                    evidence("hub.txt", 21, Role::Hub),
                ],
                codes: vec![],
                connection: Some(0),
                step: None,
                attempts: Vec::new(),
            }],
            ..Analysis::default()
        };
        AnalysisView::from_core(analysis, &[100, 100])
    }

    #[test]
    fn hub_column_first_and_connection_on_one_row() {
        let a = view();
        let cols: Vec<Vec<usize>> = columns(&a).into_iter().map(|c| c.inputs).collect();
        assert_eq!(cols, vec![vec![1], vec![0]]);
        let r = rows(&a, Filter::All, "");
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].connection, None, "the early hub signal comes first");
        assert_eq!(r[1].connection, Some(0));
        assert_eq!(r[1].cells, vec![vec![1, 3], vec![0, 2]]);
        assert_eq!(r[2].cells, vec![vec![], vec![5]]);
        let d = rows(&a, Filter::Diagnostic, "");
        assert_eq!(d.len(), 2, "the SDL signal is noise");
        let s = rows(&a, Filter::All, "ALARM");
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn a_hosts_rolled_files_share_one_column() {
        let mut a = view();
        let with_host = |name: &str, role, host: &str| InputSummary {
            host: Some(host.into()),
            ..input(name, role)
        };
        // Two more files of the spoke's host, one of the hub's, and a host-less spoke file.
        a.analysis.inputs = vec![
            with_host("spoke-1.txt", Role::Spoke, "cucm11"),
            with_host("hub-1.txt", Role::Hub, "com1150"),
            with_host("spoke-2.txt", Role::Spoke, "cucm11"),
            with_host("hub-2.txt", Role::Hub, "com1150"),
            input("other.txt", Role::Spoke),
        ];
        a.analysis.events.push(ev(2, 7, 3000, "alarm", None));
        a.analysis.events.push(ev(3, 8, 3100, "alarm", None));
        a.analysis.events.push(ev(4, 9, 3200, "alarm", None));
        let cols: Vec<Vec<usize>> = columns(&a).into_iter().map(|c| c.inputs).collect();
        assert_eq!(cols, vec![vec![1, 3], vec![0, 2], vec![4]]);
        let r = rows(&a, Filter::All, "");
        assert_eq!(r[1].cells, vec![vec![1, 3], vec![0, 2], vec![]]);
        assert_eq!(
            r[r.len() - 3].cells[1],
            vec![6],
            "spoke-2's event in the spoke's column"
        );
        assert_eq!(
            r[r.len() - 2].cells[0],
            vec![7],
            "hub-2's event in the hub's column"
        );
        assert_eq!(
            r[r.len() - 1].cells[2],
            vec![8],
            "a file of no known host: its own column"
        );
    }

    #[test]
    fn every_line_shows_each_side_of_the_attempt_from_its_first_to_its_last_line() {
        let a = view();
        // Connection 0: spoke (input 0) lines 10 and 11, hub (input 1) lines 20 and 21.
        let w = line_windows(&a, LinesScope::Attempt(0));
        assert_eq!(
            w,
            vec![
                LineWindow {
                    input: 1,
                    first: 20,
                    last: 21,
                    kept: true
                },
                LineWindow {
                    input: 0,
                    first: 10,
                    last: 11,
                    kept: true
                },
            ],
            "hub first, every line between the attempt's first and last"
        );
        assert!(line_windows(&a, LinesScope::Attempt(9)).is_empty());
        let whole = line_windows(&a, LinesScope::Inputs);
        assert_eq!(
            whole
                .iter()
                .map(|w| (w.input, w.first, w.last))
                .collect::<Vec<_>>(),
            vec![(1, 1, 100), (0, 1, 100)]
        );
        assert_eq!(lines_page_count(&whole), 1);
        let long = [LineWindow {
            input: 0,
            first: 5,
            last: 5 + LINES_PER_PAGE as u32,
            kept: true,
        }];
        assert_eq!(lines_page_count(&long), 2);
        // Lines the worker did not keep cannot be read back.
        let not_kept = AnalysisView::from_core(a.analysis.clone(), &[100, 0]);
        assert!(!line_windows(&not_kept, LinesScope::Attempt(0))[0].kept);
    }

    #[test]
    fn every_line_keeps_its_attempt_until_another_is_chosen() {
        let a = Rc::new(view());
        let s = State::new(Lang::En).apply(Action::Done(a.clone()));
        let lines = s.apply(Action::SetFilter(Filter::Lines));
        assert_eq!(
            lines.lines_scope,
            Some(LinesScope::Attempt(0)),
            "the first attempt"
        );
        // Clicking one of its lines does not move it; a finding shows its attempt.
        let clicked = lines.apply(Action::SelectLine(1, 5));
        assert_eq!(
            clicked.rows_slice().lines_scope,
            Some(LinesScope::Attempt(0))
        );
        let whole = clicked.apply(Action::SetLinesScope(LinesScope::Inputs));
        assert_eq!(whole.lines_scope, Some(LinesScope::Inputs));
        assert_eq!(whole.apply(Action::SetLinesPage(3)).lines_page, 3);
        let f = whole.apply(Action::SelectFinding(0));
        assert_eq!(f.lines_scope, Some(LinesScope::Attempt(0)));
        // No attempt at all: whole inputs.
        let mut none = view();
        none.analysis.connections.clear();
        assert_eq!(default_lines_scope(&none, None, None), LinesScope::Inputs);
    }

    #[test]
    fn selecting_a_finding_highlights_both_sides() {
        let s = State::new(Lang::En)
            .apply(Action::Done(Rc::new(view())))
            .apply(Action::SelectFinding(0));
        assert_eq!(s.tab, Tab::SideBySide);
        assert_eq!(s.selected_line, Some((0, 11)));
        assert!(s.is_highlighted(0, 11) && s.is_highlighted(1, 21));
        assert!(!s.is_highlighted(1, 20));
        assert_eq!(s.findings_at(1, 21), vec![0]);
        let raw = s.apply(Action::ShowEvidence(1, 99));
        assert_eq!(
            (raw.tab, raw.raw_input, raw.raw_goto.map(|g| g.0)),
            (Tab::Raw, 1, Some(99))
        );
    }

    #[test]
    fn reset_keeps_preferences_and_roles_are_replaced() {
        let s = State::new(Lang::Ja)
            .apply(Action::SetTheme(Theme::Dark))
            .apply(Action::SetRole("a".into(), "hub".into()))
            .apply(Action::SetRole("a".into(), "spoke".into()));
        assert_eq!(s.roles, vec![("a".to_string(), "spoke".to_string())]);
        let r = s.apply(Action::Failed("boom".into())).apply(Action::Reset);
        assert_eq!(
            (r.lang, r.theme, r.phase.clone()),
            (Lang::Ja, Theme::Dark, Phase::Idle)
        );
        assert_eq!(human_bytes(1_500_000), "1.5 MB");
        assert_eq!(offset_text(-40), "−0.040 s");
    }

    /// `n` paired connections one second apart, each with a spoke and a hub event, and one
    /// finding per connection: rule `a` for even connections, `b` for odd ones.
    pub fn many(n: usize) -> AnalysisView {
        let mut a = AnalysisView::from_core(
            Analysis {
                inputs: vec![input("spoke.txt", Role::Spoke), input("hub.txt", Role::Hub)],
                ..Analysis::default()
            },
            &[100, 100],
        );
        let template = view().findings[0].clone();
        for c in 0..n {
            let ms = 1000 * c as i64;
            let line = 10 + c as u32;
            a.events.push(ev(0, line, ms, "connect-request", Some(c)));
            a.events
                .push(ev(1, line, ms + 5, "connection-accepted", Some(c)));
            a.connections.push(Connection {
                id: c,
                events: vec![2 * c, 2 * c + 1],
                ..view().connections[0].clone()
            });
            let mut f = template.clone();
            f.rule = if c % 2 == 0 { "a" } else { "b" }.into();
            f.severity = if c % 2 == 0 {
                Severity::Error
            } else {
                Severity::Warning
            };
            f.connection = Some(c);
            f.evidence[0].line = line;
            f.evidence[1].line = line;
            a.findings.push(f);
        }
        a
    }

    #[test]
    fn pages_are_counted_clamped_and_numbered() {
        assert_eq!(page_count(0, 50), 1, "an empty list still has one page");
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_range(0, 120, 50), 0..50);
        assert_eq!(page_range(2, 120, 50), 100..120);
        assert_eq!(
            page_range(9, 120, 50),
            100..120,
            "past the end: the last page"
        );
        assert_eq!(page_range(0, 0, 50), 0..0);
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1640), "1,640");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn findings_pages_rule_filter_and_selection() {
        let s = State::new(Lang::En).apply(Action::Done(Rc::new(many(120))));
        assert_eq!(s.listed_findings().len(), 120);
        assert_eq!(s.finding_page(0), Some(0));
        assert_eq!(s.finding_page(50), Some(1));
        assert_eq!(s.finding_page(119), Some(2));
        assert_eq!(s.apply(Action::SetFindingsPage(2)).findings_page, 2);
        assert_eq!(
            s.apply(Action::SetFindingsPage(99)).findings_page,
            2,
            "clamped to the last page"
        );
        assert_eq!(s.findings_page_shown(120), 0);
        assert_eq!(
            s.apply(Action::SetFindingsPage(2)).findings_page_shown(10),
            0
        );

        // Selecting a finding from elsewhere brings its page into view.
        let sel = s.apply(Action::SelectFinding(110));
        assert_eq!((sel.selected_finding, sel.findings_page), (Some(110), 2));

        // The rule filter lists one rule, from its first page; a selection it hides clears it.
        let only_b = s
            .apply(Action::SetFindingsPage(2))
            .apply(Action::SetRuleFilter(Some("b".into())));
        assert_eq!(only_b.findings_page, 0);
        assert_eq!(only_b.listed_findings().len(), 60);
        assert!(only_b.listed_findings().iter().all(|i| i % 2 == 1));
        assert_eq!(
            only_b.finding_page(111),
            Some(1),
            "the 56th finding of rule b"
        );
        assert_eq!(only_b.finding_page(110), None);
        let kept = only_b.apply(Action::SelectFinding(111));
        assert_eq!(
            (kept.rule_filter.as_deref(), kept.findings_page),
            (Some("b"), 1)
        );
        let cleared = only_b.apply(Action::SelectFinding(110));
        assert_eq!(
            (cleared.rule_filter.clone(), cleared.findings_page),
            (None, 2)
        );
        assert_eq!(
            only_b
                .apply(Action::SetRuleFilter(None))
                .listed_findings()
                .len(),
            120
        );

        // A new result starts again from the first page, with every rule.
        let again = only_b.apply(Action::Done(Rc::new(many(3))));
        assert_eq!((again.rule_filter.clone(), again.findings_page), (None, 0));
        assert!(again.analysis_id > only_b.analysis_id);
    }

    #[test]
    fn rule_counts_in_list_order_with_the_worst_severity() {
        let mut a = many(5);
        a.findings[3].severity = Severity::Error;
        let counts = rule_counts(&a);
        assert_eq!(
            counts,
            vec![
                RuleCount {
                    rule: "a".into(),
                    severity: Severity::Error,
                    count: 3
                },
                RuleCount {
                    rule: "b".into(),
                    severity: Severity::Error,
                    count: 2
                },
            ]
        );
    }

    #[test]
    fn rows_pages_follow_the_selection_and_reset_on_filter_and_search() {
        // Two and a half pages of rows; `line(r)` is the spoke line of row `r`.
        let n = 2 * ROWS_PER_PAGE + ROWS_PER_PAGE / 2;
        let line = |row: usize| 10 + row as u32;
        let a = Rc::new(many(n));
        let s = State::new(Lang::En).apply(Action::Done(a.clone()));
        let all = rows(&a, s.filter, &s.search);
        assert_eq!(all.len(), n, "one row per connection");
        let second_page_row = ROWS_PER_PAGE + 10;
        assert_eq!(
            row_of_line(&a, &all, 1, line(second_page_row)),
            Some(second_page_row)
        );
        assert_eq!(row_of_line(&a, &all, 1, 5), None);
        assert_eq!(s.rows_page_shown(&a, &all), 0);

        // The pager chooses a page, clamped to the pages there are.
        let p2 = s.apply(Action::SetRowsPage(2));
        assert_eq!(p2.rows_page_shown(&a, &all), 2);
        assert_eq!(
            s.apply(Action::SetRowsPage(99)).rows_page_shown(&a, &all),
            2
        );

        // Changing the filter or the search goes back to the first page.
        assert_eq!(p2.apply(Action::SetFilter(Filter::All)).rows_page, 0);
        let searched = p2.apply(Action::SetSearch("line 7".into()));
        assert_eq!(searched.rows_page, 0);
        assert!(!searched.rows_follow_selection);

        // Evidence, a finding or a line on another page: that page is shown.
        let ev = p2.apply(Action::ShowEvidence(0, line(second_page_row)));
        let ev_rows = rows(&a, ev.filter, &ev.search);
        assert_eq!(ev.rows_page_shown(&a, &ev_rows), 1);
        let f = p2.apply(Action::SelectFinding(30));
        assert_eq!(f.rows_page_shown(&a, &rows(&a, f.filter, &f.search)), 0);
        assert_eq!(f.findings_page, 0);
        let selected = s.apply(Action::SelectLine(1, line(n - 1)));
        assert_eq!(selected.rows_page_shown(&a, &all), 2);
        // ... until the pager is used again.
        assert_eq!(
            ev.apply(Action::SetRowsPage(0))
                .rows_page_shown(&a, &ev_rows),
            0
        );
    }
}

#[cfg(test)]
mod pair_tests {
    use super::*;
    use crate::network_map;

    #[test]
    fn a_link_filters_findings_and_rows() {
        let a = Rc::new(AnalysisView::from_core(
            crate::ladder::tests::fixture("three-clusters"),
            &[],
        ));
        let m = network_map::map(&a);
        let failed = &m.links[1];
        let s = State::new(Lang::En).apply(Action::Done(a.clone()));
        assert_eq!(s.listed_findings().len(), 2);
        let pair = PairFilter::new(failed.key(&m.nodes), failed.connections.clone());
        let f = s.apply(Action::SetPairFilter(Some(pair)));
        let listed = f.listed_findings();
        assert_eq!(listed.len(), 1);
        assert_eq!(a.findings[listed[0]].rule, "ils.password-mismatch");
        let r = rows_of_pair(rows(&a, Filter::All, ""), f.pair_filter.as_ref());
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].connection, Some(1));
        // Selecting a finding outside the pair shows every pair again.
        let other = (0..a.findings.len()).find(|i| !listed.contains(i)).unwrap();
        assert!(f.apply(Action::SelectFinding(other)).pair_filter.is_none());
        assert!(f.apply(Action::SetPairFilter(None)).listed_findings().len() == 2);
    }
}
