//! The worker's state, independent of the browser: feeds inputs to the engine, keeps the decoded
//! lines of every input for the raw view, and renders exports. The worker (or, when no worker can
//! be started, the page itself) drives it with bytes read from the dropped files.

use loupe_core::decode::container::{self, RawInput};
use loupe_core::decode::lines::LineSink;
use loupe_core::decode::stream::ByteDecoder;
use loupe_core::engine::InputId;
use loupe_core::{Analysis, Engine, Lang, Limits};

use crate::export;
use crate::transfer::{parse_role, AnalysisView};

/// Most decoded text kept for the raw view, all inputs together. Past it, later inputs are analysed
/// but their lines are not kept (the page says so).
pub const MAX_STORED_TEXT: usize = 768 << 20;

/// The decoded lines of one input: one string and the offsets where lines end.
#[derive(Debug, Default)]
pub struct LineStore {
    text: String,
    ends: Vec<usize>,
    /// Lines were not kept because of [`MAX_STORED_TEXT`].
    pub overflow: bool,
}

impl LineStore {
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// 0-based line `i`.
    pub fn line(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.text[start..end])
    }
    pub fn slice(&self, start: usize, count: usize) -> Vec<String> {
        (start..start.saturating_add(count).min(self.len()))
            .filter_map(|i| self.line(i).map(str::to_string))
            .collect()
    }
}

struct StoreSink<'a> {
    store: &'a mut LineStore,
    budget: &'a mut usize,
}

impl LineSink for StoreSink<'_> {
    fn line(&mut self, _number: u32, text: &str) {
        if self.store.overflow || text.len() > *self.budget {
            self.store.overflow = true;
            return;
        }
        *self.budget -= text.len();
        self.store.text.push_str(text);
        self.store.ends.push(self.store.text.len());
    }
    fn line_truncated(&mut self, _number: u32, _dropped: u64) {}
}

struct Open {
    id: InputId,
    decoder: ByteDecoder,
    store: LineStore,
}

/// One analysis at a time: `start`, then inputs (streamed or whole), then `finish`.
pub struct Session {
    engine: Option<Engine>,
    open: Option<Open>,
    stores: Vec<LineStore>,
    budget: usize,
    analysis: Option<Analysis>,
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
            stores: Vec::new(),
            budget: MAX_STORED_TEXT,
            analysis: None,
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
        self.stores = Vec::new();
        self.budget = MAX_STORED_TEXT;
        self.analysis = None;
    }

    /// Does `name`/`head` need [`Session::add_whole`] (a zip archive) rather than streaming?
    pub fn needs_whole(name: &str, head: &[u8]) -> bool {
        container::is_zip(head) || name.to_ascii_lowercase().ends_with(".zip")
    }

    /// Begin a streamed input (plain text or gzip).
    pub fn begin(&mut self, name: &str) {
        self.end();
        let engine = self
            .engine
            .get_or_insert_with(|| Engine::new(Limits::default()));
        let id = engine.begin(name);
        self.open = Some(Open {
            id,
            decoder: ByteDecoder::new(Limits::default()),
            store: LineStore::default(),
        });
    }

    pub fn push(&mut self, chunk: &[u8]) {
        let (Some(engine), Some(open)) = (self.engine.as_mut(), self.open.as_mut()) else {
            return;
        };
        engine.push(open.id, chunk);
        let mut sink = StoreSink {
            store: &mut open.store,
            budget: &mut self.budget,
        };
        open.decoder.push(chunk, &mut sink);
    }

    pub fn end(&mut self) {
        let Some(mut open) = self.open.take() else {
            return;
        };
        if let Some(engine) = self.engine.as_mut() {
            engine.end(open.id);
        }
        let mut sink = StoreSink {
            store: &mut open.store,
            budget: &mut self.budget,
        };
        open.decoder.finish(&mut sink);
        self.stores.push(open.store);
    }

    /// Add a whole input: zip archives are expanded into their entries by the engine (which also
    /// reports archive problems); the entries are decoded here once more for the raw view.
    pub fn add_whole(&mut self, name: &str, bytes: Vec<u8>) {
        self.end();
        let (leaves, _notes) =
            container::expand(RawInput::new(name, bytes.clone()), &Limits::default());
        self.engine
            .get_or_insert_with(|| Engine::new(Limits::default()))
            .add_whole(RawInput::new(name, bytes));
        for leaf in leaves {
            let mut store = LineStore::default();
            let mut decoder = ByteDecoder::new(Limits::default());
            let mut sink = StoreSink {
                store: &mut store,
                budget: &mut self.budget,
            };
            for chunk in leaf.bytes.chunks(1 << 20) {
                decoder.push(chunk, &mut sink);
            }
            decoder.finish(&mut sink);
            self.stores.push(store);
        }
    }

    /// Diagnose what was added; the result stays here for exports and line requests.
    pub fn finish(&mut self) -> AnalysisView {
        self.end();
        let engine = self
            .engine
            .take()
            .unwrap_or_else(|| Engine::new(Limits::default()));
        let analysis = engine.finish();
        // The engine reports inputs in the order they ended, as the stores were kept; match by
        // position, which is also the order of names.
        self.stores
            .resize_with(analysis.inputs.len(), LineStore::default);
        let stored: Vec<u32> = self
            .stores
            .iter()
            .map(|s| {
                if s.overflow {
                    0
                } else {
                    s.len().min(u32::MAX as usize) as u32
                }
            })
            .collect();
        let view = AnalysisView::from_core(&analysis, &stored);
        self.analysis = Some(analysis);
        view
    }

    pub fn lines(&self, input: usize, start: u32, count: u32) -> Vec<String> {
        self.stores
            .get(input)
            .map(|s| s.slice(start as usize, count.min(5000) as usize))
            .unwrap_or_default()
    }

    pub fn analysis(&self) -> Option<&Analysis> {
        self.analysis.as_ref()
    }

    /// Render the last analysis: `(file name, MIME type, text)`.
    pub fn export(
        &self,
        format: &str,
        redact: bool,
        lang: &str,
    ) -> Result<(String, String, String), String> {
        let analysis = self.analysis.as_ref().ok_or("nothing analysed yet")?;
        let lang = Lang::parse(lang).unwrap_or_default();
        export::render(analysis, format, redact, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = "00154617.001 |16:58:42.888 |AppInfo |IlsD IlsHandler: connection to 10.0.0.1\n\
                       00154618.001 |16:58:42.889 |AppInfo |IlsD IlsHandler: <img src=x onerror=alert(1)>\n";

    #[test]
    fn streamed_and_whole_inputs_keep_their_lines() {
        let mut s = Session::new();
        s.start(&[("b.txt".into(), "spoke".into())]);
        s.begin("a.txt");
        s.push(&SDL.as_bytes()[..20]);
        s.push(&SDL.as_bytes()[20..]);
        s.add_whole("b.txt", SDL.as_bytes().to_vec());
        let view = s.finish();
        assert_eq!(view.inputs.len(), 2);
        assert_eq!(view.inputs[0].name, "a.txt");
        assert_eq!(view.inputs[0].stored_lines, 2);
        assert_eq!(s.lines(1, 1, 10), vec!["00154618.001 |16:58:42.889 |AppInfo |IlsD IlsHandler: <img src=x onerror=alert(1)>"]);
        assert!(s.lines(7, 0, 10).is_empty());
        let (name, mime, text) = s.export("json", true, "en").unwrap();
        assert_eq!(
            (name.as_str(), mime.as_str()),
            ("loupe-report-redacted.json", "application/json")
        );
        assert!(!text.contains("10.0.0.1"));
    }

    #[test]
    fn a_new_analysis_forgets_the_old_one() {
        let mut s = Session::new();
        s.start(&[]);
        s.add_whole("a.txt", SDL.as_bytes().to_vec());
        s.finish();
        s.start(&[]);
        assert!(s.analysis().is_none());
        assert!(s.lines(0, 0, 1).is_empty());
    }
}
