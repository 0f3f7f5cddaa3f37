//! Inline SVG icons (no image requests, no icon font).

use yew::prelude::*;

fn svg(path: &'static str, class: &'static str) -> Html {
    html! {
        <svg class={classes!("icon", class)} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path d={path} />
        </svg>
    }
}

pub fn severity(sev: &str) -> Html {
    match sev {
        "error" => svg("M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1Zm-2.3 3.6L4.6 5.7 6.9 8l-2.3 2.3 1.1 1.1L8 9.1l2.3 2.3 1.1-1.1L9.1 8l2.3-2.3-1.1-1.1L8 6.9Z", "i-error"),
        "warning" => svg("M8 1.2 15.4 14H.6L8 1.2Zm-.8 4.3v4.6h1.6V5.5Zm0 5.8v1.6h1.6v-1.6Z", "i-warning"),
        "info" => svg("M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1Zm-.8 6v5h1.6V7Zm0-3v1.7h1.6V4Z", "i-info"),
        _ => svg("M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1Zm3.2 4.2L7 9.4 4.8 7.2 3.7 8.3 7 11.6l5.3-5.3Z", "i-ok"),
    }
}

pub fn logo() -> Html {
    html! {
        <svg class="logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
            <circle cx="10" cy="10" r="6.5" fill="none" stroke="currentColor" stroke-width="2.2" />
            <path d="M15 15l6 6" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" />
            <path d="M7 10h6M10 7v6" stroke="currentColor" stroke-width="1.6" />
        </svg>
    }
}

pub fn upload() -> Html {
    svg(
        "M8 1.5 3.5 6h3v5h3V6h3L8 1.5ZM2 12.5V14.5h12v-2H2Z",
        "i-upload",
    )
}

pub fn download() -> Html {
    svg(
        "M6.5 1.5v5h-3L8 11l4.5-4.5h-3v-5h-3ZM2 12.5V14.5h12v-2H2Z",
        "i-download",
    )
}
