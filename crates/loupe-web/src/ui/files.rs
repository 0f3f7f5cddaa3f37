//! Getting inputs in: dropped files and folders (walked with `webkitGetAsEntry`), the file
//! pickers, pasted text and embedded samples. Every input becomes `(name, Blob)`; the bytes stay in
//! the browser's blob store until the worker reads them chunk by chunk.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, DataTransfer, FileList, FileSystemDirectoryEntry, FileSystemEntry,
    FileSystemFileEntry,
};

pub type Inputs = Vec<(String, Blob)>;

/// Entries of a drop, taken synchronously (the items are gone once the event handler returns).
pub fn drop_entries(dt: &DataTransfer) -> (Vec<FileSystemEntry>, Inputs) {
    let mut entries = Vec::new();
    let items = dt.items();
    for i in 0..items.length() {
        if let Some(item) = items.get(i) {
            if item.kind() != "file" {
                continue;
            }
            if let Ok(Some(entry)) = item.webkit_get_as_entry() {
                entries.push(entry);
            }
        }
    }
    // Browsers without entries: plain files.
    let plain = if entries.is_empty() {
        dt.files().map(|f| file_list(&f, false)).unwrap_or_default()
    } else {
        Vec::new()
    };
    (entries, plain)
}

fn entry_file(entry: &FileSystemFileEntry) -> Promise {
    Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |f: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &f);
        });
        let err = Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        entry.file_with_callback_and_callback(ok.unchecked_ref(), err.unchecked_ref());
    })
}

fn read_entries(reader: &web_sys::FileSystemDirectoryReader) -> Promise {
    Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |list: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &list);
        });
        let err = Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        let _ =
            reader.read_entries_with_callback_and_callback(ok.unchecked_ref(), err.unchecked_ref());
    })
}

/// Walk dropped entries, folders included, into `(path, blob)` inputs. Errors on single entries
/// are collected as messages rather than stopping the walk.
pub async fn walk(entries: Vec<FileSystemEntry>) -> (Inputs, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut stack: Vec<FileSystemEntry> = entries.into_iter().rev().collect();
    while let Some(entry) = stack.pop() {
        let path = entry.full_path().trim_start_matches('/').to_string();
        if entry.is_file() {
            let fe: FileSystemFileEntry = entry.unchecked_into();
            match JsFuture::from(entry_file(&fe)).await {
                Ok(f) => out.push((path, f.unchecked_into::<Blob>())),
                Err(e) => errors.push(format!("{path}: {}", js_error(&e))),
            }
        } else if entry.is_directory() {
            let de: FileSystemDirectoryEntry = entry.unchecked_into();
            let reader = de.create_reader();
            let mut children = Vec::new();
            // readEntries returns at most ~100 entries a call: call until it returns none.
            loop {
                match JsFuture::from(read_entries(&reader)).await {
                    Ok(list) => {
                        let list = Array::from(&list);
                        if list.length() == 0 {
                            break;
                        }
                        children.extend(list.iter().map(|e| e.unchecked_into::<FileSystemEntry>()));
                    }
                    Err(e) => {
                        errors.push(format!("{path}: {}", js_error(&e)));
                        break;
                    }
                }
            }
            children.sort_by_key(|e| e.name());
            stack.extend(children.into_iter().rev());
        }
    }
    (out, errors)
}

fn js_error(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Files of an `<input type=file>`; with `relative`, their folder-relative paths.
pub fn file_list(files: &FileList, relative: bool) -> Inputs {
    let mut out = Vec::new();
    for i in 0..files.length() {
        if let Some(f) = files.get(i) {
            let rel = if relative {
                js_sys::Reflect::get(&f, &"webkitRelativePath".into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default()
            } else {
                String::new()
            };
            let name = if rel.is_empty() { f.name() } else { rel };
            out.push((name, f.unchecked_into::<Blob>()));
        }
    }
    out
}

/// A blob of bytes held by the page (pasted text, an embedded sample).
pub fn blob_of(bytes: &[u8]) -> Blob {
    let arr = Uint8Array::from(bytes);
    let parts = Array::of1(&arr);
    let opts = BlobPropertyBag::new();
    opts.set_type("application/octet-stream");
    Blob::new_with_u8_array_sequence_and_options(&parts, &opts).expect("blob")
}
