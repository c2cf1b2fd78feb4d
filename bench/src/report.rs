//! Turns the runs of `bench/run.sh` (one JSON record per scenario, server and round) into
//! medians, ratios ours/baseline, a markdown table and a verdict per target.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::scenario::Metrics;

/// One run of one scenario against one server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// `ack`, `ack-msgpack`, `fanout`, `idle-1`, `idle-30`, `storm`, `compile`.
    pub scenario: String,
    /// `ours` or `baseline`.
    pub server: String,
    /// 1, 2, ...
    pub round: u32,
    /// The figures.
    pub metrics: Metrics,
}

/// The gateway.
pub const OURS: &str = "ours";
/// Hand-written socketioxide.
pub const BASELINE: &str = "baseline";

/// What a ratio ours/baseline must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// At least this (higher is better).
    AtLeast(f64),
    /// At most this (lower is better).
    AtMost(f64),
    /// No target: shown for information (lower is better).
    InfoLower,
    /// No target: shown for information (higher is better).
    InfoHigher,
    /// No target, no direction (settings, utilisation).
    Info,
}

impl Target {
    /// Whether `ratio` meets it (`None` when there is no target).
    pub fn met(self, ratio: f64) -> Option<bool> {
        match self {
            // A hair of tolerance for the printed rounding: 0.9996 shows as 1.00.
            Target::AtLeast(min) => Some(ratio >= min - 0.0005),
            Target::AtMost(max) => Some(ratio <= max + 0.0005),
            Target::InfoLower | Target::InfoHigher | Target::Info => None,
        }
    }

    fn text(self) -> String {
        match self {
            Target::AtLeast(min) => format!("≥ {min:.2}"),
            Target::AtMost(max) => format!("≤ {max:.2}"),
            Target::InfoLower | Target::InfoHigher | Target::Info => "–".to_owned(),
        }
    }

    /// Whether a lower ratio is better (for the chart's caption).
    pub fn lower_is_better(self) -> Option<bool> {
        match self {
            Target::AtLeast(_) | Target::InfoHigher => Some(false),
            Target::AtMost(_) | Target::InfoLower => Some(true),
            Target::Info => None,
        }
    }
}

/// A line of the table.
#[derive(Debug, Clone, Copy)]
pub struct RowSpec {
    /// The scenario of the records.
    pub scenario: &'static str,
    /// The metric name in the records.
    pub metric: &'static str,
    /// What the table calls it.
    pub label: &'static str,
    /// Shown value = metric × scale.
    pub scale: f64,
    /// Decimals shown.
    pub decimals: usize,
    /// The target on ours/baseline.
    pub target: Target,
}

const fn row(
    scenario: &'static str,
    metric: &'static str,
    label: &'static str,
    scale: f64,
    decimals: usize,
    target: Target,
) -> RowSpec {
    RowSpec {
        scenario,
        metric,
        label,
        scale,
        decimals,
        target,
    }
}

/// "Clearly below" the baseline: at least 5 % less, well outside the spread between rounds
/// of the same server (about 1 %).
pub const CLEARLY_BELOW: f64 = 0.95;

/// The table, in order.
#[rustfmt::skip]
pub const ROWS: &[RowSpec] = &[
    row("ack", "server_cpu_us_per_op", "server CPU per ack (µs)", 1.0, 2, Target::AtMost(1.00)),
    row("ack", "acks_per_s", "acks/s", 1.0, 0, Target::AtLeast(1.00)),
    row("ack", "p50_us", "ack p50 (ms)", 1e-3, 3, Target::InfoLower),
    row("ack", "p99_us", "ack p99 (ms)", 1e-3, 3, Target::AtMost(1.05)),
    row("ack", "server_cpu_pct", "server CPU use (%)", 1.0, 0, Target::Info),
    row("ack", "gen_cpu_pct", "generator CPU use (%)", 1.0, 0, Target::Info),
    row("ack-msgpack", "server_cpu_us_per_op", "msgpack: server CPU per ack (µs)", 1.0, 2, Target::AtMost(1.00)),
    row("ack-msgpack", "acks_per_s", "msgpack: acks/s", 1.0, 0, Target::AtLeast(1.00)),
    row("ack-msgpack", "p99_us", "msgpack: ack p99 (ms)", 1e-3, 3, Target::AtMost(1.05)),
    row("fanout", "server_cpu_us_per_op", "server CPU per delivery (µs)", 1.0, 3, Target::AtMost(1.00)),
    row("fanout", "deliveries_per_s", "deliveries/s", 1.0, 0, Target::AtLeast(1.00)),
    row("fanout", "p50_us", "delivery p50 (ms)", 1e-3, 2, Target::InfoLower),
    row("fanout", "p99_us", "delivery p99 (ms)", 1e-3, 2, Target::AtMost(1.05)),
    row("fanout", "broadcasts_per_s", "broadcasts/s", 1.0, 0, Target::InfoHigher),
    row("fanout", "server_cpu_pct", "server CPU use (%)", 1.0, 0, Target::Info),
    row("fanout", "gen_cpu_pct", "generator CPU use (%)", 1.0, 0, Target::Info),
    row("idle-1", "bytes_per_conn", "RSS per idle connection, 1 event (bytes)", 1.0, 0, Target::AtMost(1.00)),
    row("idle-30", "bytes_per_conn", "RSS per idle connection, 30 events (bytes)", 1.0, 0, Target::AtMost(CLEARLY_BELOW)),
    row("storm", "server_cpu_us_per_op", "server CPU per connect (µs)", 1.0, 1, Target::InfoLower),
    row("storm", "connects_per_s", "connects/s", 1.0, 0, Target::InfoHigher),
    row("storm", "p99_us", "connect p99 (ms)", 1e-3, 2, Target::InfoLower),
    row("compile", "clean_s", "clean build of the app crate (s)", 1.0, 1, Target::InfoLower),
    row("compile", "incremental_s", "incremental build, one handler edited (s)", 1.0, 2, Target::AtMost(1.15)),
];

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// Medians per (scenario, server, metric).
pub fn medians(records: &[Record]) -> BTreeMap<(String, String, String), f64> {
    let mut all: BTreeMap<(String, String, String), Vec<f64>> = BTreeMap::new();
    for record in records {
        for (metric, value) in &record.metrics {
            all.entry((
                record.scenario.clone(),
                record.server.clone(),
                metric.clone(),
            ))
            .or_default()
            .push(*value);
        }
    }
    all.into_iter()
        .filter_map(|(key, mut values)| median(&mut values).map(|m| (key, m)))
        .collect()
}

/// A computed line of the table.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// The scenario.
    pub scenario: &'static str,
    /// The metric.
    pub metric: &'static str,
    /// Its label.
    pub label: &'static str,
    /// Median for the gateway, scaled.
    pub ours: Option<f64>,
    /// Median for the baseline, scaled.
    pub baseline: Option<f64>,
    /// ours / baseline: the median of the per-round ratios (each round runs both servers
    /// back to back, so slow drifts of the machine cancel out), or the ratio of the
    /// medians when rounds do not pair up.
    pub ratio: Option<f64>,
    /// The lowest and highest per-round ratio, when there are several rounds.
    pub ratio_range: Option<(f64, f64)>,
    /// The target, as text.
    pub target: String,
    /// Whether the target is met (`None` without a target or a figure).
    pub met: Option<bool>,
    /// Whether lower is better.
    #[serde(skip)]
    pub lower_is_better: Option<bool>,
    #[serde(skip)]
    decimals: usize,
    #[serde(skip)]
    spec_target: Option<Target>,
}

impl Line {
    /// The target of the line.
    pub fn target(&self) -> Option<Target> {
        self.spec_target
    }
}

/// ours / baseline for each round that has both.
fn paired_ratios(records: &[Record], scenario: &str, metric: &str) -> Vec<f64> {
    let value = |server: &str, round: u32| {
        records
            .iter()
            .find(|r| r.scenario == scenario && r.server == server && r.round == round)
            .and_then(|r| r.metrics.get(metric).copied())
    };
    let mut rounds: Vec<u32> = records
        .iter()
        .filter(|r| r.scenario == scenario)
        .map(|r| r.round)
        .collect();
    rounds.sort_unstable();
    rounds.dedup();
    rounds
        .into_iter()
        .filter_map(|round| match (value(OURS, round), value(BASELINE, round)) {
            (Some(o), Some(b)) if b != 0.0 => Some(o / b),
            _ => None,
        })
        .collect()
}

/// The table's lines, for the rows that have figures.
pub fn lines(records: &[Record]) -> Vec<Line> {
    let medians = medians(records);
    let get = |scenario: &str, server: &str, metric: &str| {
        medians
            .get(&(scenario.to_owned(), server.to_owned(), metric.to_owned()))
            .copied()
    };
    ROWS.iter()
        .filter_map(|spec| {
            let ours = get(spec.scenario, OURS, spec.metric);
            let baseline = get(spec.scenario, BASELINE, spec.metric);
            if ours.is_none() && baseline.is_none() {
                return None;
            }
            let mut paired = paired_ratios(records, spec.scenario, spec.metric);
            let ratio_range = (paired.len() > 1).then(|| {
                let min = paired.iter().copied().fold(f64::INFINITY, f64::min);
                let max = paired.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (min, max)
            });
            let ratio = median(&mut paired).or(match (ours, baseline) {
                (Some(o), Some(b)) if b != 0.0 => Some(o / b),
                _ => None,
            });
            Some(Line {
                scenario: spec.scenario,
                metric: spec.metric,
                label: spec.label,
                ours: ours.map(|v| v * spec.scale),
                baseline: baseline.map(|v| v * spec.scale),
                ratio,
                ratio_range,
                target: spec.target.text(),
                met: ratio.and_then(|r| spec.target.met(r)),
                lower_is_better: spec.target.lower_is_better(),
                decimals: spec.decimals,
                spec_target: Some(spec.target),
            })
        })
        .collect()
}

fn number(value: Option<f64>, decimals: usize) -> String {
    match value {
        None => "–".to_owned(),
        Some(v) => {
            let text = format!("{v:.decimals$}");
            // Thousands separators for the integer part of large figures.
            let (int, frac) = text
                .split_once('.')
                .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
            let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            match frac {
                Some(frac) => format!("{sign}{grouped}.{frac}"),
                None => format!("{sign}{grouped}"),
            }
        }
    }
}

/// The markdown table.
pub fn markdown_table(lines: &[Line]) -> String {
    let mut out = String::new();
    out.push_str("| Scenario | Figure | Ours (gateway) | Baseline (socketioxide) | Ours / baseline (range over rounds) | Target | Met |\n");
    out.push_str("|---|---|---:|---:|---:|:---:|:---:|\n");
    for line in lines {
        let met = match line.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        let ratio = match (line.ratio, line.ratio_range) {
            (None, _) => "–".to_owned(),
            (Some(r), None) => format!("{r:.2}"),
            (Some(r), Some((min, max))) => format!("{r:.2} ({min:.2}–{max:.2})"),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            line.scenario,
            line.label,
            number(line.ours, line.decimals),
            number(line.baseline, line.decimals),
            ratio,
            line.target,
            met
        );
    }
    out
}

/// The machine, for the table's caption: CPU model, cores, memory, kernel, rustc.
pub fn machine_description() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU".to_owned(), |(_, m)| m.trim().to_owned());
    let cores = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let debian = std::fs::read_to_string("/etc/debian_version").unwrap_or_default();
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .unwrap_or_default();
    format!(
        "{model}, {cores} cores, {mem_gib:.0} GiB; Linux {}{}; {}",
        kernel.trim(),
        if debian.trim().is_empty() {
            String::new()
        } else {
            format!(" (Debian {})", debian.trim())
        },
        rustc.trim()
    )
}

/// The settings the records carry (clients, receivers, connections...), for the caption.
pub fn settings(records: &[Record]) -> String {
    let first = |scenario: &str, metric: &str| {
        records
            .iter()
            .find(|r| r.scenario == scenario)
            .and_then(|r| r.metrics.get(metric))
            .map_or("?".to_owned(), |v| format!("{v:.0}"))
    };
    let rounds = records.iter().map(|r| r.round).max().unwrap_or(0);
    format!(
        "{rounds} rounds per server (idle: fewer), alternating ours/baseline; figures are medians over rounds, ratios the \
         median of the per-round ratios with their range; ack: {} clients in closed loops; \
         fanout: {} receivers, a window of {} broadcasts in flight; idle: {} connections; storm: {} concurrent connectors",
        first("ack", "clients"),
        first("fanout", "receivers"),
        first("fanout", "window"),
        first("idle-1", "connections"),
        first("storm", "concurrency"),
    )
}

/// Targets missed, as `label (ratio vs target)`.
pub fn misses(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.met == Some(false))
        .map(|l| {
            format!(
                "{}: {} = {:.2} (target {})",
                l.scenario,
                l.label,
                l.ratio.unwrap_or(f64::NAN),
                l.target
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(scenario: &str, server: &str, round: u32, metric: &str, value: f64) -> Record {
        Record {
            scenario: scenario.to_owned(),
            server: server.to_owned(),
            round,
            metrics: [(metric.to_owned(), value)].into_iter().collect(),
        }
    }

    #[test]
    fn medians_and_ratios() {
        let records = vec![
            record("ack", OURS, 1, "acks_per_s", 100.0),
            record("ack", OURS, 2, "acks_per_s", 120.0),
            record("ack", OURS, 3, "acks_per_s", 90.0),
            record("ack", BASELINE, 1, "acks_per_s", 100.0),
            record("ack", BASELINE, 2, "acks_per_s", 200.0),
        ];
        let lines = lines(&records);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].ours, Some(100.0));
        assert_eq!(lines[0].baseline, Some(150.0));
        // Rounds 1 and 2 pair up: 100/100 and 120/200; the ratio is their median.
        let ratio = lines[0].ratio.expect("a ratio");
        assert!((ratio - 0.8).abs() < 1e-9, "{ratio}");
        assert_eq!(lines[0].ratio_range, Some((0.6, 1.0)));
        assert_eq!(lines[0].met, Some(false));
        let table = markdown_table(&lines);
        assert!(
            table.contains("| ack | acks/s | 100 | 150 | 0.80 (0.60–1.00) | ≥ 1.00 | **no** |"),
            "{table}"
        );
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(number(Some(1234567.891), 1), "1,234,567.9");
        assert_eq!(number(Some(999.0), 0), "999");
        assert_eq!(number(Some(-1234.0), 0), "-1,234");
    }
}
