//! Compile time of an app with N handlers written with the macros against the same app
//! written by hand on socketioxide (see `bench::compile`). Prints one JSON record per app
//! and round (and appends them to `--out FILE`).
//!
//! ```text
//! compile-time [--repo .] [--work target/bench-compile] [--handlers 50] [--rounds 2] [--out FILE]
//! ```

use std::io::Write as _;
use std::path::PathBuf;

use bench::args::Args;
use bench::compile::{self, CompileConfig};

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args = Args::from_env()?;
    let repo = PathBuf::from(args.get("repo").unwrap_or(".")).canonicalize()?;
    let work = args
        .get("work")
        .map_or_else(|| repo.join("target/bench-compile"), PathBuf::from);
    let cfg = CompileConfig {
        repo,
        work,
        handlers: args.parse_or("handlers", 50)?,
        rounds: args.parse_or("rounds", 2)?,
    };
    let warm = compile::warm_up(&cfg)?;
    eprintln!(
        "compile-time: dependencies ready ({:.1} s)",
        warm.as_secs_f64()
    );
    let records = compile::measure(&cfg)?;
    let mut out = match args.get("out") {
        Some(path) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?,
        ),
        None => None,
    };
    for record in records {
        let line = serde_json::to_string(&record)?;
        println!("{line}");
        if let Some(file) = &mut out {
            writeln!(file, "{line}")?;
        }
    }
    Ok(())
}
