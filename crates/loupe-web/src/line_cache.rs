//! The raw view's lines on the page: blocks of [`BLOCK`] lines asked of the worker, kept up to a
//! fixed number of blocks and evicted least recently used first, so that scrolling through a
//! 1 GB file keeps a few MB in the tab. A block asked of a worker that was replaced since (its
//! answer will never come) is asked again of the current one. Plain Rust, tested on the host.

use std::collections::HashMap;

/// Lines per block (and per request to the worker).
pub const BLOCK: u32 = 256;
/// Blocks kept: some 16,000 lines, many screens of the raw view.
pub const BUDGET: usize = 64;

#[derive(Debug)]
enum Block {
    /// Asked of worker `worker`, not answered yet.
    Asked {
        worker: u32,
    },
    Ready {
        lines: Vec<String>,
        used: u64,
    },
}

/// Blocks by `(input, first line of the block)` (0-based lines, `first` a multiple of [`BLOCK`]).
#[derive(Debug)]
pub struct LineCache {
    blocks: HashMap<(usize, u32), Block>,
    /// Inputs of which the worker keeps only the first lines (a decoded input larger than its
    /// budget): how many.
    kept: HashMap<usize, u32>,
    budget: usize,
    clock: u64,
}

impl Default for LineCache {
    fn default() -> Self {
        LineCache::new(BUDGET)
    }
}

impl LineCache {
    pub fn new(budget: usize) -> Self {
        LineCache {
            blocks: HashMap::new(),
            kept: HashMap::new(),
            budget: budget.max(1),
            clock: 0,
        }
    }

    /// The blocks holding lines `first..last` of `input`: marks those held as just used, and
    /// returns the first line of each block to ask of worker `worker` (not held, and not already
    /// asked of that worker), marked as asked.
    pub fn want(&mut self, input: usize, first: u32, last: u32, worker: u32) -> Vec<u32> {
        self.clock += 1;
        let mut ask = Vec::new();
        for start in (first / BLOCK..last.div_ceil(BLOCK)).map(|b| b * BLOCK) {
            match self.blocks.get_mut(&(input, start)) {
                Some(Block::Ready { used, .. }) => *used = self.clock,
                Some(Block::Asked { worker: w }) if *w == worker => {}
                _ => {
                    self.blocks.insert((input, start), Block::Asked { worker });
                    ask.push(start);
                }
            }
        }
        ask
    }

    /// Lines arrived: keep them, and evict the least recently used blocks beyond the budget.
    pub fn insert(&mut self, input: usize, start: u32, lines: Vec<String>) {
        self.clock += 1;
        let used = self.clock;
        self.blocks
            .insert((input, start), Block::Ready { lines, used });
        let ready = self.ready();
        if ready > self.budget {
            let mut by_age: Vec<((usize, u32), u64)> = self
                .blocks
                .iter()
                .filter_map(|(k, b)| match b {
                    Block::Ready { used, .. } => Some((*k, *used)),
                    Block::Asked { .. } => None,
                })
                .collect();
            by_age.sort_by_key(|(_, used)| *used);
            for (k, _) in by_age.into_iter().take(ready - self.budget) {
                self.blocks.remove(&k);
            }
        }
    }

    /// Line `n` (0-based) of `input`, when its block is held.
    pub fn line(&self, input: usize, n: u32) -> Option<&str> {
        let start = n / BLOCK * BLOCK;
        match self.blocks.get(&(input, start))? {
            Block::Ready { lines, .. } => lines.get((n - start) as usize).map(String::as_str),
            Block::Asked { .. } => None,
        }
    }

    /// Blocks held (asked ones not counted).
    pub fn ready(&self) -> usize {
        self.blocks
            .values()
            .filter(|b| matches!(b, Block::Ready { .. }))
            .count()
    }

    /// The worker keeps only the first `lines` lines of `input` (it said so with an answer).
    pub fn set_kept(&mut self, input: usize, lines: u32) {
        self.kept.insert(input, lines);
    }

    /// How many of the `stored` lines of `input` the analysis announced can be shown.
    pub fn shown(&self, input: usize, stored: u32) -> u32 {
        self.kept.get(&input).map_or(stored, |&k| k.min(stored))
    }

    /// Forget everything (a new analysis).
    pub fn clear(&mut self) {
        self.blocks.clear();
        self.kept.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(start: u32) -> Vec<String> {
        (start..start + BLOCK)
            .map(|n| format!("line {n}"))
            .collect()
    }

    #[test]
    fn blocks_are_asked_once_and_read_back() {
        let mut c = LineCache::new(4);
        assert_eq!(c.want(0, 10, 300, 1), vec![0, 256]);
        assert_eq!(c.want(0, 10, 300, 1), Vec::<u32>::new(), "asked already");
        assert_eq!(c.line(0, 10), None);
        c.insert(0, 0, block(0));
        assert_eq!(c.line(0, 10), Some("line 10"));
        assert_eq!(c.line(1, 10), None, "another input");
        assert_eq!(c.want(0, 0, 0, 1), Vec::<u32>::new(), "an empty range");
    }

    #[test]
    fn a_replaced_workers_blocks_are_asked_again() {
        let mut c = LineCache::new(4);
        assert_eq!(c.want(0, 0, 10, 1), vec![0]);
        // Worker 1 was replaced before it answered: worker 2 is asked.
        assert_eq!(c.want(0, 0, 10, 2), vec![0]);
        assert_eq!(c.want(0, 0, 10, 2), Vec::<u32>::new());
        c.insert(0, 0, block(0));
        assert_eq!(
            c.want(0, 0, 10, 3),
            Vec::<u32>::new(),
            "held lines stay held"
        );
    }

    #[test]
    fn the_least_recently_used_blocks_go_beyond_the_budget() {
        let mut c = LineCache::new(3);
        for b in 0..3 {
            c.want(0, b * BLOCK, b * BLOCK + 1, 1);
            c.insert(0, b * BLOCK, block(b * BLOCK));
        }
        // Block 0 is in view again: block 1 is now the oldest.
        c.want(0, 0, 1, 1);
        c.want(0, 3 * BLOCK, 3 * BLOCK + 1, 1);
        c.insert(0, 3 * BLOCK, block(3 * BLOCK));
        assert_eq!(c.ready(), 3);
        assert!(c.line(0, 0).is_some() && c.line(0, 3 * BLOCK).is_some());
        assert_eq!(c.line(0, BLOCK), None, "evicted");
        assert_eq!(c.want(0, BLOCK, BLOCK + 1, 1), vec![BLOCK], "asked again");
        // Scrolling through a long input never holds more than the budget.
        for b in 0..1000 {
            for s in c.want(0, b * BLOCK, (b + 2) * BLOCK, 1) {
                c.insert(0, s, block(s));
            }
            assert!(c.ready() <= 3);
        }
        c.clear();
        assert_eq!(c.ready(), 0);
    }

    #[test]
    fn an_input_cut_by_the_worker_shows_only_its_kept_lines_until_cleared() {
        let mut c = LineCache::new(4);
        assert_eq!(c.shown(1, 900), 900);
        c.set_kept(1, 300);
        assert_eq!(c.shown(1, 900), 300);
        assert_eq!(c.shown(1, 200), 200, "never more than announced");
        assert_eq!(c.shown(0, 900), 900, "another input");
        c.clear();
        assert_eq!(c.shown(1, 900), 900, "a new analysis");
    }
}
