//! `wasm-bindgen-test-runner`, built from the pinned `wasm-bindgen-cli` library so that nothing has
//! to be `cargo install`ed: `.cargo/config.toml` names it as the wasm32 test runner.

fn main() {
    if let Err(e) =
        wasm_bindgen_cli::wasm_bindgen_test_runner::run_cli_with_args(std::env::args_os())
    {
        eprintln!("wasm-bindgen-test-runner: {e:?}");
        std::process::exit(1);
    }
}
