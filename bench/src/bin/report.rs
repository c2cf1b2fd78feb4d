//! Reads the records of a run (JSON lines), writes the table (markdown), the chart (SVG)
//! and the medians (JSON) into a directory, and prints the table.
//!
//! ```text
//! report --records FILE --out-dir bench/results [--elapsed SECONDS] [--command "bench/run.sh"]
//!     [--note TEXT]
//! ```

use std::fmt::Write as _;
use std::path::PathBuf;

use bench::report::{self, Record};
use clap::Parser;

/// Writes the table, the chart and the medians of a run's records.
#[derive(Debug, Parser)]
#[command(name = "report")]
struct Cli {
    /// The records, one JSON object per line (what `loadgen --out` and `compile-time --out`
    /// append).
    #[arg(long)]
    records: PathBuf,
    /// Where `table.md`, `chart.svg` and `summary.json` go.
    #[arg(long, default_value = "bench/results")]
    out_dir: PathBuf,
    /// How long the run took, in seconds.
    #[arg(long)]
    elapsed: Option<f64>,
    /// The command that made the records, as the table's note names it.
    #[arg(long, default_value = "bench/run.sh")]
    command: String,
    /// A note appended to the table.
    #[arg(long)]
    note: Option<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Cli::parse();
    let (out_dir, command, elapsed) = (args.out_dir, args.command.as_str(), args.elapsed);
    let text = std::fs::read_to_string(&args.records)?;
    let records: Vec<Record> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let lines = report::lines(&records);
    let machine = report::machine_description();
    let settings = report::settings(&records);
    let date = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .unwrap_or_default();

    let mut md = String::new();
    let _ = writeln!(md, "{}", report::markdown_table(&lines).trim_end());
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "Command: `{command}`. Run: {}{}. Machine: {machine}. Server pinned to core 0, \
         load generator to core 1 (`taskset`). {settings}. Server CPU from `/proc/PID/stat` \
         over each measurement window; RSS from `/proc/PID/status`. Compile times: dev \
         profile, {} handlers.",
        date.trim(),
        elapsed.map_or(String::new(), |s| format!(", {:.0} s in all", s)),
        records
            .iter()
            .find(|r| r.scenario == "compile")
            .and_then(|r| r.metrics.get("handlers"))
            .map_or("?".to_owned(), |h| format!("{h:.0}")),
    );
    if let Some(note) = &args.note {
        let _ = writeln!(md);
        let _ = writeln!(md, "{note}.");
    }
    let misses = report::misses(&lines);
    if !misses.is_empty() {
        let _ = writeln!(md);
        let _ = writeln!(md, "Targets missed in this run: {}.", misses.join("; "));
    }
    std::fs::create_dir_all(&out_dir)?;
    std::fs::write(out_dir.join("table.md"), &md)?;
    let subtitle = format!("{} | {}", date.trim(), machine);
    std::fs::write(
        out_dir.join("chart.svg"),
        bench::chart::svg(
            &lines,
            "Gateway / hand-written socketioxide, same run",
            &subtitle,
        ),
    )?;
    std::fs::write(
        out_dir.join("summary.json"),
        serde_json::to_string_pretty(&serde_json::json!({
            "machine": machine,
            "date": date.trim(),
            "elapsed_s": elapsed,
            "settings": settings,
            "lines": lines,
        }))?,
    )?;
    println!("{md}");
    Ok(())
}
