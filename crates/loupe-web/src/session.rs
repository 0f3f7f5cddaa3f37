//! The worker's state, independent of the browser: feeds inputs to the engine, remembers where
//! the lines of every input are for the raw view, and renders exports. The worker (or, when no
//! worker can be started, the page itself) drives it with bytes read from the dropped files.
//!
//! The raw view of a plain-text input (UTF-8, with or without BOM) keeps no text: only the byte
//! offset of every [`MARK_EVERY`]th line, a few bytes per 256 lines. The lines asked for are read
//! again from the file ([`LineAnswer::Read`]) and split by [`RangeLines`]. A gzip or UTF-16 input
//! cannot be addressed in its file: nothing of it is kept while it is analysed, and its file is
//! decoded again, read a slice at a time, when its lines are first asked for
//! ([`LineAnswer::Decode`], [`Redecode`]). Keeping the text of a gzip input as it was analysed
//! took a third of its time in the page and all of the worker's memory (210 MB gzipped: 1.3-1.5 s
//! and 231 MB of wasm memory, against 0.9-1.2 s and 14 MB). A zip archive is opened before it is
//! read ([`Session::expand_archive_each`]) and its entries read as files; only a zip given whole
//! ([`Session::begin_whole`]: one named as a trace, found by its first bytes) has its entries'
//! lines kept as the engine decodes them ([`Engine::push_with`]). Kept text is at most
//! [`MAX_STORED_TEXT`] in all.

use loupe_core::decode::container::{self, RawInput};
use loupe_core::decode::lines::{LineSink, LineSplitter};
use loupe_core::decode::stream::{sniff_encoding, ByteDecoder, TextEncoding};
use loupe_core::engine::{InputId, ParsedInputs, WHOLE_CHUNK};
use loupe_core::steps::Step;
use loupe_core::{Analysis, Engine, Lang, Limits};
use serde::{Deserialize, Serialize};

use crate::export;
use crate::line_store::{LineStore, StoreSink};
use crate::transfer::{parse_role, AnalysisView};

/// Most decoded text kept for the raw view of gzip / UTF-16 / zipped inputs, all together. Past it,
/// the gzip or UTF-16 input decoded earliest is let go; a zip entry's lines are not kept (the
/// page says so).
pub const MAX_STORED_TEXT: usize = 768 << 20;

/// A plain-text input remembers the byte offset of every this-many lines (the raw view's block).
pub const MARK_EVERY: u32 = 256;

/// Most lines answered per request.
pub const MAX_LINES_PER_REQUEST: u32 = 5000;

/// Longest line text sent to the raw view; the rest is replaced by a count of the bytes not shown.
pub const MAX_SHOWN_LINE: usize = 16 << 10;

/// Cut `text` for display at a character boundary, saying how much was left out.
pub fn shown_line(text: &str) -> String {
    if text.len() <= MAX_SHOWN_LINE {
        return text.to_string();
    }
    let mut cut = MAX_SHOWN_LINE;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{} … [+{} bytes]", &text[..cut], text.len() - cut)
}

/// Lines `start..start + count` of a kept input, as the raw view shows them.
fn slice(store: &LineStore, start: usize, count: usize) -> Vec<String> {
    (start..start.saturating_add(count).min(store.len()))
        .filter_map(|i| store.line(i).map(shown_line))
        .collect()
}

/// Where the lines of a plain-text input start in its file: the offsets of lines 0, 256, 512, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineIndex {
    /// Which of the caller's sources (files) holds the bytes.
    pub source: usize,
    /// `marks[k]` is the byte offset of 0-based line `k * MARK_EVERY`.
    marks: Vec<u64>,
    newlines: u64,
    /// Where the line after the last newline starts.
    last_line_start: u64,
    bytes: u64,
}

impl LineIndex {
    fn new(source: usize, first_line_at: u64) -> Self {
        LineIndex {
            source,
            marks: vec![first_line_at],
            newlines: 0,
            last_line_start: first_line_at,
            bytes: 0,
        }
    }

    /// The newlines are counted 64 bytes at a time (`newlines::masks`) and walked one by one only
    /// in the stretch that holds a mark: a search per newline took 36–54 ms per 100 MB in each
    /// worker (Chromium trace, 210 MB ILS-dense).
    fn push(&mut self, chunk: &[u8]) {
        let every = u64::from(MARK_EVERY);
        for (base, mask) in loupe_core::decode::newlines::masks(chunk) {
            if mask == 0 {
                continue;
            }
            let at = self.bytes + base as u64;
            let n = u64::from(mask.count_ones());
            if n >= every - self.newlines % every {
                let mut bits = mask;
                while bits != 0 {
                    let bit = u64::from(bits.trailing_zeros());
                    bits &= bits - 1;
                    self.newlines += 1;
                    if self.newlines.is_multiple_of(every) {
                        self.marks.push(at + bit + 1);
                    }
                }
            } else {
                self.newlines += n;
            }
            self.last_line_start = at + u64::from(63 - mask.leading_zeros()) + 1;
        }
        self.bytes += chunk.len() as u64;
    }

    /// Lines in the input, counted as the engine counts them (a last line without a newline too).
    pub fn lines(&self) -> u64 {
        self.newlines + u64::from(self.bytes > self.last_line_start)
    }

    /// The bytes that hold lines `start..start + count` (0-based), and how many lines of that range
    /// come before `start`.
    fn range(&self, start: u32, count: u32) -> Option<(u64, u64, u32)> {
        let total = self.lines();
        if u64::from(start) >= total || count == 0 {
            return None;
        }
        let block = (start / MARK_EVERY) as usize;
        let from = self.marks[block];
        let last = (u64::from(start) + u64::from(count)).min(total) - 1;
        let end_block = (last / u64::from(MARK_EVERY)) as usize + 1;
        let to = self.marks.get(end_block).copied().unwrap_or(self.bytes);
        Some((from, to, start - block as u32 * MARK_EVERY))
    }
}

/// What a request for lines needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineAnswer {
    /// The lines, from memory.
    Ready(Vec<String>),
    /// Read bytes `from..to` of source `source` and give them to a [`RangeLines`] made with
    /// `skip` and `count`.
    Read {
        source: usize,
        from: u64,
        to: u64,
        skip: u32,
        count: u32,
    },
    /// Decode the file of source `source` again ([`Session::start_decode`]), and ask again.
    Decode { source: usize },
}

/// Splits bytes read back from a file into lines exactly as the engine did (CRLF, invalid UTF-8,
/// overlong lines), keeping `count` lines after the first `skip`.
pub struct RangeLines {
    splitter: LineSplitter,
    sink: RangeSink,
}

struct RangeSink {
    skip: u32,
    count: u32,
    lines: Vec<String>,
}

impl LineSink for RangeSink {
    fn line(&mut self, number: u32, text: &str) {
        // `number` is 1-based within the range.
        if number > self.skip && self.lines.len() < self.count as usize {
            self.lines.push(shown_line(text));
        }
    }
    fn line_truncated(&mut self, _number: u32, _dropped: u64) {}
}

impl RangeLines {
    pub fn new(skip: u32, count: u32) -> Self {
        RangeLines {
            splitter: LineSplitter::new(Limits::default().max_line_bytes),
            sink: RangeSink {
                skip,
                count,
                lines: Vec::new(),
            },
        }
    }
    /// Feed the next bytes of the range; true once every line asked for is complete.
    pub fn push(&mut self, bytes: &[u8]) -> bool {
        self.splitter.push(bytes, &mut self.sink);
        self.sink.lines.len() >= self.sink.count as usize
    }
    pub fn finish(mut self) -> Vec<String> {
        if self.sink.lines.len() < self.sink.count as usize {
            self.splitter.finish(&mut self.sink);
        }
        self.sink.lines
    }
}

/// How the raw view gets the lines of one input. Once the input has ended it is `Indexed`,
/// `Decode` or `Done`, the states a helper worker sends back ([`ParsedPart`]).
#[derive(Debug, Serialize, Deserialize)]
enum RawLines {
    /// Sniffing the first bytes (held back from the engine until then): plain text is indexed,
    /// the rest is decoded again when its lines are asked for.
    #[serde(skip)]
    Undecided {
        source: usize,
        head: Vec<u8>,
    },
    Indexed(LineIndex),
    /// A gzip or UTF-16 input: nothing is kept while it is analysed (keeping its text was a third
    /// of a gzip input's time in the page, and all of its memory); its file is decoded again
    /// when the raw view first asks for its lines ([`Session::keep_decoded`]).
    Decode {
        source: usize,
    },
    /// A `Decode` input's lines, decoded again; let go first when the budget runs out (its first
    /// lines only when they alone outgrow it: `store.overflow`).
    #[serde(skip)]
    Decoded {
        source: usize,
        store: LineStore,
    },
    /// The lines of a zip entry, kept as the engine decoded them.
    Done(LineStore),
}

impl RawLines {
    fn decide(source: usize, head: &[u8]) -> Self {
        let gzip = head.starts_with(&[0x1f, 0x8b]);
        match sniff_encoding(head) {
            (TextEncoding::Utf8, _) if !gzip => RawLines::Indexed(LineIndex::new(source, 0)),
            (TextEncoding::Utf8Bom, bom) if !gzip => {
                RawLines::Indexed(LineIndex::new(source, bom as u64))
            }
            _ => RawLines::Decode { source },
        }
    }

    /// Give `chunk` to the engine, keeping what the raw view needs of it (a plain-text input's
    /// line offsets).
    fn push(&mut self, engine: &mut Engine, id: InputId, chunk: &[u8]) {
        if let RawLines::Indexed(index) = self {
            index.push(chunk);
        }
        engine.push(id, chunk);
    }

    /// End the input in the engine; the raw lines in their final state.
    fn end(self, engine: &mut Engine, id: InputId) -> Self {
        match self {
            RawLines::Undecided { source, head } => {
                let mut raw = Self::decide(source, &head);
                raw.push(engine, id, &head);
                raw.end(engine, id)
            }
            other => {
                engine.end(id);
                other
            }
        }
    }

    /// Lines the raw view can show (0 when they were not kept); `lines` is the engine's count.
    fn available(&self, lines: u64) -> u32 {
        let n = match self {
            RawLines::Indexed(index) => index.lines(),
            RawLines::Decode { .. } => lines,
            RawLines::Decoded { store, .. } | RawLines::Done(store) if !store.overflow => {
                store.len() as u64
            }
            _ => 0,
        };
        n.min(u64::from(u32::MAX)) as u32
    }
}

/// The lines of a whole file, decoded as the engine decodes a streamed input, kept while
/// `budget` lasts; the budget left.
fn decode_whole(file: &[u8], mut budget: usize) -> (LineStore, usize) {
    let mut store = LineStore::default();
    let mut sink = StoreSink {
        store: &mut store,
        budget: &mut budget,
    };
    let mut decoder = ByteDecoder::new(Limits::default());
    decoder.push(file, &mut sink);
    decoder.finish(&mut sink);
    (store, budget)
}

/// A gzip or UTF-16 input's file decoded again for the raw view, a slice at a time, so that the
/// file is never held whole ([`Session::start_decode`], [`Session::decode_slice`],
/// [`Session::keep_decoded`]). Its text takes the session's budget only when it is kept; while
/// it grows, inputs decoded earlier are let go to make room.
pub struct Redecode {
    /// The analysis it belongs to: a new analysis makes it stale.
    analysis: u64,
    input: usize,
    source: usize,
    decoder: ByteDecoder,
    store: LineStore,
    /// What is left of [`MAX_STORED_TEXT`] for this input alone.
    room: usize,
}

/// Inputs `(name, size)` in two groups of about the same size, for the analysing worker (the
/// first group) and a helper worker (the second): the largest first, each to the group with fewer
/// bytes so far (inputs are independent until diagnosis; the hub's files and the spoke's are
/// usually the two halves). Zip archives stay with the first group (they are expanded whole and
/// their text is kept for the raw view). Fewer than two inputs: all in the first group.
pub fn split_inputs(inputs: &[(&str, f64)]) -> (Vec<usize>, Vec<usize>) {
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    if inputs.len() < 2 {
        return ((0..inputs.len()).collect(), theirs);
    }
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by(|&a, &b| inputs[b].1.total_cmp(&inputs[a].1).then(a.cmp(&b)));
    let (mut mine_bytes, mut their_bytes) = (0.0, 0.0);
    for i in order {
        let (name, size) = inputs[i];
        if name.to_ascii_lowercase().ends_with(".zip") || mine_bytes <= their_bytes {
            mine.push(i);
            mine_bytes += size;
        } else {
            theirs.push(i);
            their_bytes += size;
        }
    }
    mine.sort_unstable();
    theirs.sort_unstable();
    (mine, theirs)
}

/// What a helper worker parsed for the worker that diagnoses ([`Session::into_parsed`],
/// [`Session::absorb`]): the engine's parsed inputs and, for each input, how to read its lines
/// again (the byte offsets of its lines in its file, or the file to decode again: the diagnosing
/// worker holds the files too; or a zip entry's decoded text).
#[derive(Debug, Serialize, Deserialize)]
pub struct ParsedPart {
    engine: ParsedInputs,
    names: Vec<String>,
    raws: Vec<RawLines>,
}

/// A [`ParsedPart`] as bytes, for the hand-over between workers (each an `ArrayBuffer`,
/// transferred): JSON for the engine's part and the line indexes, then the text and the line ends
/// of each kept input as bytes of their own. Only a zip entry's text is kept while analysed, and
/// zip archives go to the diagnosing worker ([`split_inputs`]), so a helper's sections are empty
/// today; they stay bytes because escaped into JSON, 100 MB of kept text took 600 ms to write and
/// 230 ms to read in Chromium (`serialize_str`, `parse_str`).
pub struct HandOver {
    pub head: Vec<u8>,
    /// The sections of each kept input in order ([`LineStore::take_sections`]).
    pub kept: Vec<Vec<u8>>,
}

impl ParsedPart {
    pub fn into_hand_over(mut self) -> Result<HandOver, String> {
        let mut kept = Vec::new();
        for raw in &mut self.raws {
            if let RawLines::Done(store) = raw {
                kept.extend(store.take_sections());
            }
        }
        let head = serde_json::to_vec(&self).map_err(|e| e.to_string())?;
        Ok(HandOver { head, kept })
    }

    pub fn from_hand_over(hand_over: HandOver) -> Result<Self, String> {
        let unreadable = |e: &str| format!("unreadable parsed inputs: {e}");
        let mut part: Self =
            serde_json::from_slice(&hand_over.head).map_err(|e| unreadable(&e.to_string()))?;
        let mut kept = hand_over.kept.into_iter();
        for raw in &mut part.raws {
            if let RawLines::Done(store) = raw {
                store.put_sections(&mut kept).map_err(|e| unreadable(&e))?;
            }
        }
        if kept.next().is_some() {
            return Err(unreadable("more kept text than inputs"));
        }
        Ok(part)
    }
}

struct Open {
    id: InputId,
    name: String,
    raw: RawLines,
}

/// One analysis at a time: `start`, then inputs (streamed or whole), then `finish`.
pub struct Session {
    engine: Option<Engine>,
    open: Option<Open>,
    raws: Vec<RawLines>,
    /// Name of each input in `raws` (the order they ended in).
    names: Vec<String>,
    budget: usize,
    /// The `Decoded` inputs, the earliest decoded first.
    decoded: Vec<usize>,
    analysis: Option<Analysis>,
    /// Counts the analyses started, so that a [`Redecode`] of an earlier one is not kept.
    generation: u64,
    /// The entries of an archive not yet given to the engine ([`Session::begin_whole`]).
    entries: std::collections::VecDeque<RawInput>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    pub fn new() -> Self {
        Session {
            engine: None,
            open: None,
            raws: Vec::new(),
            names: Vec::new(),
            budget: MAX_STORED_TEXT,
            decoded: Vec::new(),
            analysis: None,
            generation: 0,
            entries: std::collections::VecDeque::new(),
        }
    }

    /// Forget the previous analysis (its memory goes back) and start a new one.
    pub fn start(&mut self, roles: &[(String, String)]) {
        let mut engine = Engine::new(Limits::default());
        for (name, role) in roles {
            if let Some(r) = parse_role(role) {
                engine.set_role(name, r);
            }
        }
        self.engine = Some(engine);
        self.open = None;
        self.raws = Vec::new();
        self.names = Vec::new();
        self.budget = MAX_STORED_TEXT;
        self.decoded = Vec::new();
        self.analysis = None;
        self.generation += 1;
        self.entries.clear();
    }

    /// Everything parsed so far, for the worker that diagnoses ([`Session::absorb`]); this
    /// session is left empty.
    pub fn into_parsed(&mut self) -> ParsedPart {
        self.end();
        let part = self.take_parsed();
        self.engine = None;
        part
    }

    /// The inputs ended so far, for the worker that diagnoses ([`Session::absorb`]); an input
    /// still open stays, to be handed over once it ends.
    pub fn take_parsed(&mut self) -> ParsedPart {
        ParsedPart {
            engine: self
                .engine
                .get_or_insert_with(|| Engine::new(Limits::default()))
                .take_parsed(),
            names: std::mem::take(&mut self.names),
            raws: std::mem::take(&mut self.raws),
        }
    }

    /// Take over what a helper parsed ([`Session::take_parsed`]), at any time, even while an
    /// input of this session's is open: the result is the same as if this session had read those
    /// inputs itself (the diagnosis orders inputs by name).
    pub fn absorb(&mut self, part: ParsedPart) {
        self.engine
            .get_or_insert_with(|| Engine::new(Limits::default()))
            .absorb_parsed(part.engine);
        self.names.extend(part.names);
        self.raws.extend(part.raws);
    }

    /// Does `name`/`head` need [`Session::add_whole`] (a zip archive) rather than streaming?
    pub fn needs_whole(name: &str, head: &[u8]) -> bool {
        container::is_zip(head) || name.to_ascii_lowercase().ends_with(".zip")
    }

    /// Begin a streamed input (plain text or gzip) whose bytes are the caller's source `source`
    /// (read again from there for the raw view when it is plain text).
    pub fn begin(&mut self, name: &str, source: usize) {
        self.end();
        let engine = self
            .engine
            .get_or_insert_with(|| Engine::new(Limits::default()));
        let id = engine.begin(name);
        self.open = Some(Open {
            id,
            name: name.to_string(),
            raw: RawLines::Undecided {
                source,
                head: Vec::new(),
            },
        });
    }

    pub fn push(&mut self, chunk: &[u8]) {
        let (Some(engine), Some(open)) = (self.engine.as_mut(), self.open.as_mut()) else {
            return;
        };
        if let RawLines::Undecided { source, head } = &mut open.raw {
            // Too few bytes to tell the encoding; none of them can make a line yet.
            if head.len() + chunk.len() < 4 {
                head.extend_from_slice(chunk);
                return;
            }
            let held = std::mem::take(head);
            let mut probe = held.clone();
            probe.extend_from_slice(&chunk[..chunk.len().min(4)]);
            open.raw = RawLines::decide(*source, &probe);
            open.raw.push(engine, open.id, &held);
        }
        open.raw.push(engine, open.id, chunk);
    }

    /// End the open input; an archive's entries not given to the engine yet go to it now (none
    /// is left out).
    pub fn end(&mut self) {
        if let Some(open) = self.open.take() {
            let engine = self
                .engine
                .get_or_insert_with(|| Engine::new(Limits::default()));
            self.raws.push(open.raw.end(engine, open.id));
            self.names.push(open.name);
        }
        while self.next_whole_entry().is_some() {}
    }

    /// Add a whole input: zip archives are expanded into their entries by the engine (which also
    /// reports archive problems); each entry's lines are kept for the raw view as the engine
    /// decodes them.
    pub fn add_whole(&mut self, name: &str, bytes: Vec<u8>) {
        self.begin_whole(name, bytes);
        while self.next_whole_entry().is_some() {}
    }

    /// The entries of a zip archive as inputs of their own (nested archives opened; the
    /// archive's problems are kept for the report), for a caller that reads them as files:
    /// nothing of their text is kept here.
    pub fn expand_archive(&mut self, name: &str, bytes: Vec<u8>) -> Vec<RawInput> {
        let mut entries = Vec::new();
        self.expand_archive_each(name, bytes, |e| entries.push(e));
        entries
    }

    /// [`Session::expand_archive`], each entry given to `each` as soon as it is opened, in
    /// the same order: a caller that makes a `Blob` of each holds one entry at a time.
    pub fn expand_archive_each(&mut self, name: &str, bytes: Vec<u8>, each: impl FnMut(RawInput)) {
        self.engine
            .get_or_insert_with(|| Engine::new(Limits::default()))
            .expand_each(RawInput::new(name, bytes), each)
    }

    /// [`Session::add_whole`] an entry at a time, so that the caller can say how far it is: the
    /// archive is expanded, and its entries wait for [`Session::next_whole_entry`]. Returns how
    /// many there are.
    pub fn begin_whole(&mut self, name: &str, bytes: Vec<u8>) -> usize {
        self.end();
        self.entries = self.expand_archive(name, bytes).into();
        self.entries.len()
    }

    /// Give the next entry of the archive [`Session::begin_whole`] expanded to the engine; its
    /// name, or `None` when none is left.
    pub fn next_whole_entry(&mut self) -> Option<String> {
        let leaf = self.entries.pop_front()?;
        let engine = self
            .engine
            .get_or_insert_with(|| Engine::new(Limits::default()));
        let id = engine.begin(&leaf.name);
        let mut store = LineStore::default();
        let mut sink = StoreSink {
            store: &mut store,
            budget: &mut self.budget,
        };
        for chunk in leaf.bytes.chunks(WHOLE_CHUNK) {
            engine.push_with(id, chunk, &mut sink);
        }
        engine.end_with(id, &mut sink);
        self.raws.push(RawLines::Done(store));
        self.names.push(leaf.name.clone());
        Some(leaf.name)
    }

    /// Diagnose what was added; the result stays here for exports and line requests.
    pub fn finish(&mut self) -> AnalysisView {
        self.finish_with(&mut |_| {})
    }

    /// [`Session::finish`], telling `report` as each step of the diagnosis begins.
    pub fn finish_with(&mut self, report: &mut dyn FnMut(Step)) -> AnalysisView {
        self.end();
        let engine = self
            .engine
            .take()
            .unwrap_or_else(|| Engine::new(Limits::default()));
        let analysis = engine.finish_with(report);
        // The engine reports inputs in its canonical order (by name); the raw lines were kept in
        // the order the inputs ended: match them by name (the page makes names distinct), each
        // kept input used once.
        let mut kept: Vec<Option<(String, RawLines)>> = std::mem::take(&mut self.names)
            .into_iter()
            .zip(std::mem::take(&mut self.raws))
            .map(Some)
            .collect();
        self.raws = analysis
            .inputs
            .iter()
            .map(|input| {
                kept.iter_mut()
                    .find(|k| k.as_ref().is_some_and(|(n, _)| *n == input.name))
                    .and_then(Option::take)
                    .map_or(RawLines::Done(LineStore::default()), |(_, raw)| raw)
            })
            .collect();
        let available: Vec<u32> = (self.raws.iter().zip(&analysis.inputs))
            .map(|(raw, input)| raw.available(input.counts.lines))
            .collect();
        let view = AnalysisView::from_core(analysis.clone(), &available);
        self.analysis = Some(analysis);
        view
    }

    /// Lines `start..start + count` (0-based) of input `input`, or where to read them.
    pub fn lines(&self, input: usize, start: u32, count: u32) -> LineAnswer {
        let count = count.min(MAX_LINES_PER_REQUEST);
        match self.raws.get(input) {
            Some(RawLines::Done(store) | RawLines::Decoded { store, .. }) => {
                LineAnswer::Ready(slice(store, start as usize, count as usize))
            }
            Some(&RawLines::Decode { source }) => LineAnswer::Decode { source },
            Some(RawLines::Indexed(index)) => match index.range(start, count) {
                Some((from, to, skip)) => LineAnswer::Read {
                    source: index.source,
                    from,
                    to,
                    skip,
                    count,
                },
                None => LineAnswer::Ready(Vec::new()),
            },
            _ => LineAnswer::Ready(Vec::new()),
        }
    }

    /// Begin decoding the file of input `input` again, when it is a [`LineAnswer::Decode`]
    /// input: give it the file's bytes in order ([`Session::decode_slice`]), then
    /// [`Session::keep_decoded`].
    pub fn start_decode(&self, input: usize) -> Option<Redecode> {
        let &RawLines::Decode { source } = self.raws.get(input)? else {
            return None;
        };
        Some(Redecode {
            analysis: self.generation,
            input,
            source,
            decoder: ByteDecoder::new(Limits::default()),
            store: LineStore::default(),
            room: MAX_STORED_TEXT,
        })
    }

    /// The next bytes of a [`Redecode`]'s file. When its text outgrows the budget left, the
    /// inputs decoded earliest are let go (and decoded again if asked for) until it fits, or
    /// none is left to let go.
    pub fn decode_slice(&mut self, r: &mut Redecode, bytes: &[u8]) {
        let mut sink = StoreSink {
            store: &mut r.store,
            budget: &mut r.room,
        };
        r.decoder.push(bytes, &mut sink);
        if r.analysis == self.generation {
            self.make_room(r.store.bytes());
        }
    }

    /// Let go of the inputs decoded earliest until `bytes` of text fit in the budget, or none is
    /// left to let go.
    fn make_room(&mut self, bytes: usize) {
        while self.budget < bytes && !self.decoded.is_empty() {
            let earliest = self.decoded.remove(0);
            let raw = std::mem::replace(&mut self.raws[earliest], RawLines::Decode { source: 0 });
            if let RawLines::Decoded { source, store } = raw {
                self.budget += store.bytes();
                self.raws[earliest] = RawLines::Decode { source };
            }
        }
    }

    /// Keep a [`Redecode`]'s lines, as many as the budget holds (an input larger than it keeps
    /// its first lines, and [`Session::lines_kept`] says how many). Nothing is kept for an input
    /// decoded meanwhile by another request, or of an earlier analysis.
    pub fn keep_decoded(&mut self, mut r: Redecode) {
        if r.analysis != self.generation
            || !matches!(self.raws.get(r.input), Some(RawLines::Decode { .. }))
        {
            return;
        }
        let mut sink = StoreSink {
            store: &mut r.store,
            budget: &mut r.room,
        };
        r.decoder.finish(&mut sink);
        self.make_room(r.store.bytes());
        r.store.truncate_to(self.budget);
        self.budget -= r.store.bytes();
        self.raws[r.input] = RawLines::Decoded {
            source: r.source,
            store: r.store,
        };
        self.decoded.push(r.input);
    }

    /// How many lines of a decoded input the raw view can show, when its text did not all fit
    /// in the budget (`None` when it did, or the input is not a decoded one): the page shows
    /// that many, and says the rest were not kept.
    pub fn lines_kept(&self, input: usize) -> Option<u32> {
        match self.raws.get(input)? {
            RawLines::Decoded { store, .. } if store.overflow => {
                Some(store.len().min(u32::MAX as usize) as u32)
            }
            _ => None,
        }
    }

    /// [`Session::start_decode`] to [`Session::keep_decoded`] over the whole file at once.
    #[cfg(test)]
    fn decode_file(&mut self, input: usize, file: &[u8], slice: usize) {
        let Some(mut r) = self.start_decode(input) else {
            return;
        };
        for bytes in file.chunks(slice.max(1)) {
            self.decode_slice(&mut r, bytes);
        }
        self.keep_decoded(r);
    }

    /// Lines read back from a file, for tests and callers that hold the whole source in memory
    /// (a `Decode` input is decoded for the request, not kept).
    pub fn lines_from(&self, input: usize, start: u32, count: u32, source: &[u8]) -> Vec<String> {
        match self.lines(input, start, count) {
            LineAnswer::Ready(lines) => lines,
            LineAnswer::Decode { .. } => {
                let (store, _) = decode_whole(source, MAX_STORED_TEXT);
                slice(
                    &store,
                    start as usize,
                    count.min(MAX_LINES_PER_REQUEST) as usize,
                )
            }
            LineAnswer::Read {
                from,
                to,
                skip,
                count,
                ..
            } => {
                let to = (to as usize).min(source.len());
                let from = (from as usize).min(to);
                let mut range = RangeLines::new(skip, count);
                range.push(&source[from..to]);
                range.finish()
            }
        }
    }

    pub fn analysis(&self) -> Option<&Analysis> {
        self.analysis.as_ref()
    }

    /// Render the last analysis, handed to `to` in parts (see [`export::render_into`]): its file
    /// name and MIME type.
    pub fn export(
        &self,
        format: &str,
        redact: bool,
        lang: &str,
        to: &mut dyn FnMut(&[u8]),
    ) -> Result<(String, String), String> {
        let analysis = self.analysis.as_ref().ok_or("nothing analysed yet")?;
        let lang = Lang::parse(lang).unwrap_or_default();
        export::render_into(analysis, format, redact, lang, to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loupe_core::decode::stream::ByteDecoder;

    const SDL: &str = "00154617.001 |16:58:42.888 |AppInfo |IlsD IlsHandler: connection to 10.0.0.1\n\
                       00154618.001 |16:58:42.889 |AppInfo |IlsD IlsHandler: <img src=x onerror=alert(1)>\n";

    /// The lines the engine sees in `bytes`, decoded whole.
    fn engine_lines(bytes: &[u8]) -> Vec<String> {
        struct Collect(Vec<String>);
        impl LineSink for Collect {
            fn line(&mut self, _: u32, t: &str) {
                self.0.push(shown_line(t));
            }
            fn line_truncated(&mut self, _: u32, _: u64) {}
        }
        let mut d = ByteDecoder::new(Limits::default());
        let mut c = Collect(Vec::new());
        d.push(bytes, &mut c);
        d.finish(&mut c);
        c.0
    }

    /// Every line of input 0 through the raw view's requests, in blocks of `block`.
    fn raw_lines(s: &Session, block: u32, source: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        let mut start = 0;
        loop {
            let got = s.lines_from(0, start, block, source);
            if got.is_empty() {
                return out;
            }
            start += got.len() as u32;
            out.extend(got);
        }
    }

    fn streamed(bytes: &[u8], chunk: usize) -> Session {
        streamed_view(bytes, chunk).0
    }

    /// `bytes` as one input, pushed `chunk` bytes at a time: the session and its result.
    fn streamed_view(bytes: &[u8], chunk: usize) -> (Session, AnalysisView) {
        let mut s = Session::new();
        s.start(&[]);
        s.begin("a.txt", 0);
        for c in bytes.chunks(chunk.max(1)) {
            s.push(c);
        }
        let view = s.finish();
        (s, view)
    }

    /// A plain-text input of 700 lines: CRLF, invalid UTF-8, an empty line, a BOM, no final newline.
    fn plain_text(bom: bool) -> Vec<u8> {
        let mut t = Vec::new();
        if bom {
            t.extend_from_slice(b"\xEF\xBB\xBF");
        }
        for i in 0..700u32 {
            match i % 7 {
                0 => t.extend_from_slice(format!("line {i} crlf\r\n").as_bytes()),
                1 => t.extend_from_slice(b"bad \xFF byte\n"),
                2 => t.extend_from_slice(b"\n"),
                3 => t.extend_from_slice("日本語 {i}\n".as_bytes()),
                _ => t.extend_from_slice(
                    format!("{i:08}.001 |16:58:42.888 |AppInfo |x\n").as_bytes(),
                ),
            }
        }
        t.extend_from_slice(b"last line without newline");
        t
    }

    #[test]
    fn plain_text_is_read_back_as_the_engine_split_it_whatever_the_chunks() {
        for bom in [false, true] {
            let text = plain_text(bom);
            let want = engine_lines(&text);
            assert_eq!(want.len(), 701);
            for chunk in [1, 2, 3, 4, 5, 7, 64, 255, 256, 1000, text.len()] {
                let s = streamed(&text, chunk);
                let view_lines = s.lines(0, 0, 1);
                assert!(
                    matches!(view_lines, LineAnswer::Read { .. }),
                    "plain text is indexed, not kept"
                );
                for block in [1, 100, 256, 5000] {
                    assert_eq!(
                        raw_lines(&s, block, &text),
                        want,
                        "bom {bom}, chunk {chunk}, block {block}"
                    );
                }
                // A request that starts inside a block.
                assert_eq!(s.lines_from(0, 300, 3, &text), want[300..303].to_vec());
            }
        }
    }

    #[test]
    fn the_index_counts_lines_as_the_engine_does() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\n\r\n",
            "\u{feff}",
            "\u{feff}x\n",
        ] {
            let mut s = Session::new();
            s.start(&[]);
            s.begin("a.txt", 0);
            s.push(text.as_bytes());
            let view = s.finish();
            let want = engine_lines(text.as_bytes());
            assert_eq!(view.inputs[0].counts.lines, want.len() as u64, "{text:?}");
            assert_eq!(view.stored_lines(0) as usize, want.len(), "{text:?}");
            assert_eq!(raw_lines(&s, 256, text.as_bytes()), want, "{text:?}");
        }
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    fn zipped(entries: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            let opts = zip::write::SimpleFileOptions::default();
            zip.start_file(*name, opts).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn gzip_and_utf16_inputs_are_decoded_again_for_the_raw_view() {
        let mut utf16 = vec![0xFF, 0xFE];
        for u in SDL.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let plain = streamed_view(SDL.as_bytes(), SDL.len()).1;
        let want = engine_lines(SDL.as_bytes());
        for bytes in [gzip(SDL.as_bytes()), utf16] {
            for chunk in [1, 2, 3, 4, 5, 7, 64, bytes.len()] {
                let (mut s, view) = streamed_view(&bytes, chunk);
                // The engine got every byte; the raw view kept none, but knows the line count.
                assert_eq!(
                    view.inputs[0].counts, plain.inputs[0].counts,
                    "chunk {chunk}"
                );
                assert_eq!(view.findings.len(), plain.findings.len(), "chunk {chunk}");
                assert_eq!(view.stored_lines(0) as usize, want.len());
                assert_eq!(s.lines(0, 0, 10), LineAnswer::Decode { source: 0 });
                assert_eq!(s.lines_from(0, 1, 10, &bytes), want[1..].to_vec());
                // The file read again in slices of any size gives the same lines.
                s.decode_file(0, &bytes, chunk);
                assert_eq!(s.lines(0, 0, 10), LineAnswer::Ready(want.clone()));
                assert_eq!(s.lines_kept(0), None, "all of it kept");
            }
        }
    }

    #[test]
    fn past_the_budget_the_input_decoded_earliest_is_let_go() {
        let files: Vec<(String, Vec<u8>)> = ["a.txt", "b.txt", "c.txt"]
            .iter()
            .map(|n| (n.to_string(), gzip(SDL.as_bytes())))
            .collect();
        let mut s = Session::new();
        s.start(&[]);
        read_into(&mut s, &files, &[0, 1, 2]);
        s.finish();
        // Room for the text of two inputs.
        s.budget = 2 * (SDL.len() + 4);
        let want = LineAnswer::Ready(engine_lines(SDL.as_bytes()));
        for (i, (_, file)) in files.iter().enumerate() {
            s.decode_file(i, file, 7);
            assert_eq!(s.lines(i, 0, 10), want, "input {i}");
        }
        assert_eq!(s.lines(0, 0, 10), LineAnswer::Decode { source: 0 });
        assert_eq!(s.lines(1, 0, 10), want);
        s.decode_file(0, &files[0].1, 64);
        assert_eq!(s.lines(0, 0, 10), want);
        assert_eq!(s.lines(1, 0, 10), LineAnswer::Decode { source: 1 });
        // An input larger than the whole budget keeps the first lines that fit, and says how
        // many.
        let lines = engine_lines(SDL.as_bytes());
        assert!(lines.len() > 1);
        s.budget = lines[0].len() + 1 + 3;
        s.decoded.clear();
        s.raws[2] = RawLines::Decode { source: 2 };
        s.decode_file(2, &files[2].1, 5);
        assert_eq!(s.lines(2, 0, 10), LineAnswer::Ready(lines[..1].to_vec()));
        assert_eq!(s.lines_kept(2), Some(1));
        assert_eq!(s.budget, 3);
    }

    #[test]
    fn a_decode_of_an_earlier_analysis_or_of_an_input_decoded_meanwhile_is_not_kept() {
        let files = vec![("a.txt".to_string(), gzip(SDL.as_bytes()))];
        let mut s = Session::new();
        s.start(&[]);
        read_into(&mut s, &files, &[0]);
        s.finish();
        let want = LineAnswer::Ready(engine_lines(SDL.as_bytes()));
        // Two requests for the same input decode it at once: the first to end is kept.
        let mut first = s.start_decode(0).unwrap();
        let mut second = s.start_decode(0).unwrap();
        s.decode_slice(&mut first, &files[0].1);
        s.decode_slice(&mut second, &files[0].1);
        s.keep_decoded(second);
        let budget = s.budget;
        s.keep_decoded(first);
        assert_eq!(s.lines(0, 0, 10), want);
        assert_eq!(s.budget, budget, "kept once");
        assert!(s.start_decode(0).is_none(), "decoded already");
        // A new analysis starts while the file is read: its input 0 is another file.
        s.raws[0] = RawLines::Decode { source: 0 };
        let mut stale = s.start_decode(0).unwrap();
        s.start(&[]);
        read_into(&mut s, &files, &[0]);
        s.finish();
        s.decode_slice(&mut stale, &files[0].1);
        s.keep_decoded(stale);
        assert_eq!(s.lines(0, 0, 10), LineAnswer::Decode { source: 0 });
    }

    #[test]
    fn a_zip_archive_keeps_the_lines_of_each_entry() {
        let gz = gzip(SDL.as_bytes());
        let bytes = zipped(&[
            ("hub/SDL001_600_000001.txt.gz", &gz),
            ("spoke/SDL001_600_000001.txt", SDL.as_bytes()),
        ]);
        let mut s = Session::new();
        s.start(&[]);
        s.add_whole("logs.zip", bytes);
        let view = s.finish();
        assert_eq!(view.inputs.len(), 2);
        let want = engine_lines(SDL.as_bytes());
        for (i, input) in view.inputs.iter().enumerate() {
            assert!(input.name.starts_with("logs.zip"), "{}", input.name);
            assert_eq!(view.stored_lines(i) as usize, want.len());
            assert_eq!(s.lines(i, 0, 10), LineAnswer::Ready(want.clone()));
        }
    }

    #[test]
    fn an_archive_given_an_entry_at_a_time_is_the_archive_given_whole() {
        let gz = gzip(SDL.as_bytes());
        let bytes = zipped(&[
            ("hub/SDL001_600_000001.txt.gz", &gz),
            ("spoke/SDL001_600_000001.txt", SDL.as_bytes()),
            ("spoke/SDL001_600_000002.txt", SDL.as_bytes()),
        ]);
        let mut whole = Session::new();
        whole.start(&[]);
        whole.add_whole("logs.zip", bytes.clone());
        let want = whole.finish();
        // Entry by entry, each named as it goes; then an archive left half given: the entries
        // not given yet still reach the engine when the analysis ends.
        for given in [3, 1, 0] {
            let mut s = Session::new();
            s.start(&[]);
            assert_eq!(s.begin_whole("logs.zip", bytes.clone()), 3);
            let names: Vec<String> = (0..given).filter_map(|_| s.next_whole_entry()).collect();
            assert_eq!(names.len(), given);
            assert!(
                names.iter().all(|n| n.starts_with("logs.zip/")),
                "{names:?}"
            );
            if given == 3 {
                assert_eq!(s.next_whole_entry(), None);
            }
            let got = s.finish();
            assert_eq!(got.inputs.len(), 3, "given {given}");
            assert_eq!(
                serde_json::to_string(&got).unwrap(),
                serde_json::to_string(&want).unwrap(),
                "given {given}"
            );
            for i in 0..3 {
                assert_eq!(s.lines(i, 0, 10), whole.lines(i, 0, 10), "input {i}");
            }
        }
    }

    #[test]
    fn overlong_lines_are_cut_for_display_and_say_so() {
        let long = format!("{}\nshort\n", "é".repeat(MAX_SHOWN_LINE));
        let s = streamed(long.as_bytes(), 4096);
        let lines = s.lines_from(0, 0, 2, long.as_bytes());
        assert_eq!(lines.len(), 2);
        assert!(lines[0].len() < MAX_SHOWN_LINE + 32);
        assert!(lines[0].ends_with(&format!("[+{} bytes]", MAX_SHOWN_LINE)));
        assert_eq!(lines[1], "short");
    }

    #[test]
    fn streamed_and_whole_inputs_keep_their_lines() {
        let mut s = Session::new();
        s.start(&[("b.txt".into(), "spoke".into())]);
        s.begin("a.txt", 0);
        s.push(&SDL.as_bytes()[..20]);
        s.push(&SDL.as_bytes()[20..]);
        s.add_whole("b.txt", SDL.as_bytes().to_vec());
        let view = s.finish();
        assert_eq!(view.inputs.len(), 2);
        assert_eq!(view.inputs[0].name, "a.txt");
        assert_eq!(view.stored_lines(0), 2);
        assert_eq!(view.stored_lines(1), 2);
        assert_eq!(
            s.lines(1, 1, 10),
            LineAnswer::Ready(vec!["00154618.001 |16:58:42.889 |AppInfo |IlsD IlsHandler: <img src=x onerror=alert(1)>".to_string()])
        );
        assert_eq!(
            s.lines_from(0, 0, 10, SDL.as_bytes()),
            engine_lines(SDL.as_bytes())
        );
        assert_eq!(s.lines(7, 0, 10), LineAnswer::Ready(Vec::new()));
        let (name, mime, text) = exported(&s, "json", true);
        assert_eq!(
            (name.as_str(), mime.as_str()),
            ("loupe-report-redacted.json", "application/json")
        );
        assert!(!text.contains("10.0.0.1"));
    }

    /// `(file name, MIME type, text)` of an export of the session's analysis, in English.
    fn exported(s: &Session, format: &str, redact: bool) -> (String, String, String) {
        let mut bytes = Vec::new();
        let (name, mime) = s
            .export(format, redact, "en", &mut |b| bytes.extend_from_slice(b))
            .unwrap();
        (name, mime, String::from_utf8(bytes).unwrap())
    }

    /// Every fixture folder of more than one file.
    fn multi_file_fixtures() -> Vec<Vec<(String, Vec<u8>)>> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let mut sets = Vec::new();
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            let mut files = Vec::new();
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if !p.extension().is_some_and(|x| x == "json" || x == "md") {
                    let name = p.file_name().unwrap().to_string_lossy().to_string();
                    files.push((name, std::fs::read(&p).unwrap()));
                }
            }
            files.sort();
            if files.len() > 1 {
                sets.push(files);
            }
        }
        sets
    }

    fn read_into(s: &mut Session, files: &[(String, Vec<u8>)], sources: &[usize]) {
        for (&source, (name, bytes)) in sources.iter().zip(files) {
            if Session::needs_whole(name, bytes) {
                s.add_whole(name, bytes.clone());
            } else {
                s.begin(name, source);
                for c in bytes.chunks(4096) {
                    s.push(c);
                }
            }
        }
        s.end();
    }

    #[test]
    fn inputs_are_split_in_two_by_size_largest_first() {
        assert_eq!(split_inputs(&[]), (vec![], vec![]));
        assert_eq!(split_inputs(&[("a", 5.0)]), (vec![0], vec![]));
        // 10 files of a hub and 10 of a spoke, all of one size: half each.
        let same: Vec<(&str, f64)> = (0..20).map(|_| ("f", 10.0)).collect();
        let (a, b) = split_inputs(&same);
        assert_eq!((a.len(), b.len()), (10, 10));
        // One large file and small ones: the large alone.
        let (a, b) = split_inputs(&[("s1", 1.0), ("big", 100.0), ("s2", 2.0), ("s3", 3.0)]);
        assert_eq!((a, b), (vec![1], vec![0, 2, 3]));
        // Zip archives are read by the first group.
        let (a, b) = split_inputs(&[("x.zip", 10.0), ("y.ZIP", 10.0)]);
        assert_eq!((a, b), (vec![0, 1], vec![]));
    }

    fn gzipped(files: &[(String, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .map(|(name, bytes)| (name.clone(), gzip(bytes)))
            .collect()
    }

    #[test]
    fn inputs_parsed_by_a_helper_give_the_same_result_and_lines() {
        let sets = multi_file_fixtures();
        assert!(sets.len() >= 5, "multi-file fixtures: {}", sets.len());
        // Plain text (the lines read back from the files) and gzip (decoded again from them).
        let gzip_sets: Vec<_> = sets.iter().map(|files| gzipped(files)).collect();
        for files in sets.into_iter().chain(gzip_sets) {
            let all: Vec<usize> = (0..files.len()).collect();
            let mut one = Session::new();
            one.start(&[]);
            read_into(&mut one, &files, &all);
            let want = one.finish();
            // The largest half to a helper, as the worker splits them; its part crosses as bytes.
            let (mine, theirs) = split_inputs(
                &files
                    .iter()
                    .map(|(n, b)| (n.as_str(), b.len() as f64))
                    .collect::<Vec<_>>(),
            );
            assert!(!mine.is_empty() && !theirs.is_empty());
            // The helper hands each input over as it ends, and what is left (nothing) at its end.
            let mut helper = Session::new();
            helper.start(&[]);
            let pick = |idx: &[usize]| idx.iter().map(|&i| files[i].clone()).collect::<Vec<_>>();
            let mut parts = Vec::new();
            for (&source, file) in theirs.iter().zip(pick(&theirs)) {
                read_into(&mut helper, std::slice::from_ref(&file), &[source]);
                parts.push(helper.take_parsed().into_hand_over().unwrap());
            }
            parts.push(helper.into_parsed().into_hand_over().unwrap());
            // The diagnosing session takes them in as they come, between the chunks of its own
            // open inputs.
            let mut parts = parts.into_iter();
            let mut main = Session::new();
            main.start(&[]);
            for (&source, (name, bytes)) in mine.iter().zip(pick(&mine)) {
                if Session::needs_whole(&name, &bytes) {
                    main.add_whole(&name, bytes.clone());
                    continue;
                }
                main.begin(&name, source);
                for (k, c) in bytes.chunks(4096).enumerate() {
                    main.push(c);
                    if k % 2 == 0 {
                        if let Some(part) = parts.next() {
                            main.absorb(ParsedPart::from_hand_over(part).unwrap());
                        }
                    }
                }
            }
            main.end();
            for part in parts {
                main.absorb(ParsedPart::from_hand_over(part).unwrap());
            }
            let got = main.finish();
            let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(got, want, "{names:?}");
            for format in ["json", "md"] {
                assert_eq!(
                    exported(&main, format, false),
                    exported(&one, format, false),
                    "{names:?} {format}"
                );
            }
            // Each input's lines are read back from its own file.
            for (i, input) in got.inputs.iter().enumerate() {
                let (k, (_, bytes)) = files
                    .iter()
                    .enumerate()
                    .find(|(_, (n, _))| *n == input.name)
                    .unwrap();
                let (a, b) = (one.lines(i, 0, 5000), main.lines(i, 0, 5000));
                assert_eq!(a, b, "{}", input.name);
                if let LineAnswer::Read { source, .. } | LineAnswer::Decode { source } = b {
                    assert_eq!(source, k, "{}: the right file", input.name);
                }
                assert_eq!(
                    main.lines_from(i, 0, 50, bytes),
                    one.lines_from(i, 0, 50, bytes)
                );
            }
        }
    }

    #[test]
    fn a_damaged_hand_over_is_an_error_not_a_panic() {
        // The kept sections' own damage is tested in `line_store`; here, the hand-over's.
        // A zip entry's lines are kept, so they are handed over.
        let files = [("a.zip".to_string(), zipped(&[("a.txt", SDL.as_bytes())]))];
        let hand_over = || {
            let mut helper = Session::new();
            helper.start(&[]);
            read_into(&mut helper, &files, &[0]);
            helper.into_parsed().into_hand_over().unwrap()
        };
        let good = hand_over();
        assert_eq!(
            good.kept.len(),
            3,
            "first lines, line ends, one piece of text"
        );
        assert!(ParsedPart::from_hand_over(good).is_ok());
        let damaged = |damage: &dyn Fn(&mut HandOver)| {
            let mut h = hand_over();
            damage(&mut h);
            ParsedPart::from_hand_over(h).unwrap_err()
        };
        type Damage<'a> = &'a dyn Fn(&mut HandOver);
        let cases: [(Damage, &str); 4] = [
            (
                &|h| h.head.truncate(h.head.len() / 2),
                "unreadable parsed inputs",
            ),
            (&|h| h.kept.truncate(2), "kept text missing"),
            (&|h| h.kept.push(Vec::new()), "more kept text than inputs"),
            (&|h| h.kept[2][0] = 0xFF, "kept text: invalid utf-8"),
        ];
        for (damage, says) in cases {
            let err = damaged(damage);
            assert!(err.contains(says), "{err}");
        }
    }

    #[test]
    fn a_new_analysis_forgets_the_old_one() {
        let mut s = Session::new();
        s.start(&[]);
        s.add_whole("a.txt", SDL.as_bytes().to_vec());
        s.finish();
        s.start(&[]);
        assert!(s.analysis().is_none());
        assert_eq!(s.lines(0, 0, 1), LineAnswer::Ready(Vec::new()));
    }
}
