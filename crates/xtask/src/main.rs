//! `cargo xtask <command>`: the project's only entry points, driven by cargo alone.
//!
//! * `app`    build the web app into `dist/` and serve it on 127.0.0.1 (the README's first command)
//! * `test`   set up what is missing and run every test (the README's second command, run by CI)
//! * `dist`   build `dist/` (hosted build and the single-file `dist/loupe.html`)
//! * `serve`  serve an existing `dist/`
//! * `sample` run the CLI on a bundled sample
//! * `gen`    generate a synthetic SDL corpus
//! * `bench`  run the benchmarks
//! * `fuzz`   run the fuzzers for a bounded time

mod bench;
mod cmd;
mod dist;
mod fuzz;
mod gen;
mod serve;
mod signal_trace;
mod test;
mod web;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, r)) => (c.as_str(), r),
        None => ("help", &[][..]),
    };
    let result = match command {
        "test" => test::main(rest),
        "sample" => cmd::sample(rest),
        "fuzz" => fuzz::main(rest),
        "app" => web::app(rest),
        "dist" => web::dist(rest),
        "serve" => web::serve(rest),
        "gen" => gen::main(rest),
        "bench" => bench::main(rest),
        "help" | "--help" | "-h" => {
            println!("{}", HELP);
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

const HELP: &str = "usage: cargo xtask <command>

  app      build the web app into dist/ and serve it on http://127.0.0.1:8080/
  test     install what is missing (wasm32 target, Chromium, npm tools) and run every test
  dist     build dist/ (index.html + assets, and the single file dist/loupe.html)
  serve    serve dist/ on 127.0.0.1 (--port N, default 8080)
  sample   run `loupe analyze` on a bundled sample (hub + spoke traces)
  gen      generate a synthetic hub/spoke SDL corpus with planted ILS attempts (see gen --help)
  bench    benchmark loupe against ripgrep and lnav on generated corpora (bench/results.md)
  fuzz     run every cargo-fuzz target for a bounded time (`--seconds N`, default 60; nightly)";
