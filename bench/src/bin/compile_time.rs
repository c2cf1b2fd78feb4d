//! Compile time of an app with N handlers written with the macros against the same app
//! written by hand on socketioxide (see `bench::compile`). Prints one JSON record per app
//! and round (and appends them to `--out FILE`).
//!
//! ```text
//! compile-time [--repo .] [--work target/bench-compile] [--handlers 50] [--rounds 2] [--out FILE]
//! ```

use std::io::Write as _;
use std::path::PathBuf;

use bench::compile::{self, CompileConfig};
use clap::Parser;

/// Build times of an app written with the macros and by hand.
#[derive(Debug, Parser)]
#[command(name = "compile-time")]
struct Cli {
    /// The workspace whose gateway crates the apps depend on.
    #[arg(long, default_value = ".")]
    repo: PathBuf,
    /// Where the apps are written and built (default: REPO/target/bench-compile).
    #[arg(long)]
    work: Option<PathBuf>,
    /// Handlers per app.
    #[arg(long, default_value_t = 50)]
    handlers: usize,
    /// Measured builds of each kind.
    #[arg(long, default_value_t = 2)]
    rounds: u32,
    /// Also append the records (JSON lines) to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args = Cli::parse();
    let repo = args.repo.canonicalize()?;
    let work = args
        .work
        .unwrap_or_else(|| repo.join("target/bench-compile"));
    let cfg = CompileConfig {
        repo,
        work,
        handlers: args.handlers,
        rounds: args.rounds,
    };
    let warm = compile::warm_up(&cfg)?;
    eprintln!(
        "compile-time: dependencies ready ({:.1} s)",
        warm.as_secs_f64()
    );
    let records = compile::measure(&cfg)?;
    let mut out = match &args.out {
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
