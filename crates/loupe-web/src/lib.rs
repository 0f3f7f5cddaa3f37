//! Loupe's web app: a Yew page and a Web Worker around [`loupe_core`], in one wasm module.
//!
//! * [`transfer`]: the serde types that cross the page ⇄ worker boundary.
//! * [`session`]: the worker's state (engine, decoded lines for the raw view, exports), plain Rust.
//! * [`state`]: the page's state and reducer, plain Rust.
//! * [`export`], [`i18n`], [`samples`]: report renderings, the page's words, the embedded samples.
//! * [`guide`]: the landing page's "What to collect" per product, both languages.
//! * [`input_names`]: no two inputs of one analysis share a name.
//! * [`ladder`], [`network_map`]: the geometry of a connection attempt's ladder diagram and of
//!   the map of the ILS network, plain Rust.
//! * [`line_cache`]: the raw view's lines on the page, a bounded LRU of blocks.
//! * `ui` and `worker` (wasm32 only): the Yew components and the worker's message loop.
//!
//! The same module serves page and worker: [`start`] mounts Yew when there is a `window`, and
//! installs the worker's message handler otherwise.

pub mod export;
pub mod guide;
pub mod i18n;
pub mod input_names;
pub mod ladder;
pub mod line_cache;
pub mod line_store;
pub mod network_map;
pub mod samples;
pub mod session;
pub mod state;
pub mod transfer;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    if web_sys::window().is_some() {
        ui::mount();
    } else {
        worker::install();
    }
}
