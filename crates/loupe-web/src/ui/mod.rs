//! The page: Yew function components around a reducer ([`crate::state`]), and the bridge to the
//! analysis worker.

pub mod app;
pub mod bridge;
pub mod files;
pub mod guide;
pub mod icons;
pub mod views;

use wasm_bindgen::JsCast;

/// A panic on the page is shown, not swallowed: the page cannot go on, so it says so.
fn panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("Loupe stopped: {info}. Reload the page to start again.");
        web_sys::console::error_1(&msg.clone().into());
        let document = gloo::utils::document();
        if let Ok(el) = document.create_element("div") {
            el.set_class_name("fatal");
            let _ = el.set_attribute("role", "alert");
            el.set_text_content(Some(&msg));
            if let Some(body) = document.body() {
                let _ = body.prepend_with_node_1(&el);
            }
        }
    }));
}

/// Mount the app on `#app` (replacing the loading notice).
pub fn mount() {
    panic_hook();
    let document = gloo::utils::document();
    let root = match document.get_element_by_id("app") {
        Some(el) => el,
        None => {
            let el = document.create_element("div").expect("div");
            el.set_id("app");
            if let Some(body) = document.body() {
                let _ = body.append_child(&el);
            }
            el
        }
    };
    root.set_text_content(None);
    yew::Renderer::<app::App>::with_root(root.unchecked_into()).render();
}

/// Download `blob` (an export made by the worker) as `file_name` through a Blob URL of the
/// page's own data, revoked right after.
pub fn download(file_name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|e| format!("{e:?}"))?;
    let document = gloo::utils::document();
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.set_class_name("visually-hidden");
    if let Some(body) = document.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
