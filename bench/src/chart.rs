//! The chart: one horizontal bar per figure, the ratio ours/baseline, against the line of
//! parity (1.0) and the target. Green meets its target, red misses it, grey has none.
//! Plain SVG written by hand, with no blank line, so that mdBook can include it inline.
//!
//! Why by hand rather than with a charting crate: `plotters` with its SVG backend only
//! (`default-features = false, features = ["svg_backend"]`) was measured drawing the same
//! chart from the same `summary.json`. It would cost little to build (1.5 s of CPU for
//! `plotters`, `plotters-backend` and `plotters-svg` in a clean release build of this
//! crate, whose wall time, 107 s with them and 112 s without, moved less than the noise;
//! `num-traits` is already a dependency) and it does write text as SVG `<text>`, so the
//! chart would stay crisp. But its output was 17.9 KB against 8.5 KB here, for less: no
//! `<title>` tooltip on a bar nor `role="img"`/`aria-label` on the chart, no dashed target
//! tick (dashes are drawn as separate segments), coordinates rounded to whole pixels, font
//! sizes divided by 1.24 (a 12 px label came out at 9.68 px), and a blank line in the
//! output, which ends an inline HTML block in mdBook. Nor was it much shorter: about 90
//! lines for the bars, labels and ticks, the layout (each value right of its bar, past the
//! parity line and the target) placed by hand all the same.

use std::fmt::Write as _;

use crate::report::{Line, Target};

const WIDTH: f64 = 820.0;
const LABEL_W: f64 = 360.0;
const ROW_H: f64 = 24.0;
const TOP: f64 = 56.0;
const PLOT_W: f64 = 360.0;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The SVG of the lines that have a ratio and a direction (settings and utilisation
/// figures are left out).
pub fn svg(lines: &[Line], title: &str, subtitle: &str) -> String {
    let shown: Vec<&Line> = lines
        .iter()
        .filter(|l| l.ratio.is_some() && l.lower_is_better.is_some())
        .collect();
    let max_ratio = shown
        .iter()
        .filter_map(|l| l.ratio)
        .fold(1.5_f64, f64::max)
        .min(4.0);
    let scale_max = (max_ratio * 4.0).ceil() / 4.0;
    let x_of = |ratio: f64| LABEL_W + PLOT_W * (ratio.clamp(0.0, scale_max) / scale_max);
    let height = TOP + ROW_H * shown.len() as f64 + 48.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12" style="max-width:100%;height:auto" role="img" aria-label="{}">"#,
        escape(title)
    );
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        s,
        r##"<text x="12" y="20" font-size="15" font-weight="bold" fill="#222">{}</text>"##,
        escape(title)
    );
    let _ = writeln!(
        s,
        r##"<text x="12" y="38" fill="#555">{}</text>"##,
        escape(subtitle)
    );
    // Grid: every 0.25.
    let mut tick = 0.0;
    while tick <= scale_max + 1e-9 {
        let x = x_of(tick);
        let (stroke, width) = if (tick - 1.0).abs() < 1e-9 {
            ("#333", 1.5)
        } else {
            ("#ddd", 1.0)
        };
        let _ = writeln!(
            s,
            r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="{width}"/>"#,
            TOP - 6.0,
            TOP + ROW_H * shown.len() as f64
        );
        if (tick * 2.0).fract().abs() < 1e-9 {
            let _ = writeln!(
                s,
                r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#555">{tick:.1}×</text>"##,
                TOP + ROW_H * shown.len() as f64 + 16.0
            );
        }
        tick += 0.25;
    }
    for (i, line) in shown.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        let ratio = line.ratio.unwrap_or(0.0);
        let color = match line.met {
            Some(true) => "#2e9e4f",
            Some(false) => "#d64541",
            None => "#9aa0a6",
        };
        let direction = match line.lower_is_better {
            Some(true) => "lower is better",
            _ => "higher is better",
        };
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#222">{}: {}</text>"##,
            LABEL_W - 8.0,
            y + 15.0,
            escape(line.scenario),
            escape(line.label)
        );
        let _ = writeln!(
            s,
            r#"<rect x="{LABEL_W}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{color}"><title>{} ({direction}): {ratio:.3}</title></rect>"#,
            y + 4.0,
            (x_of(ratio) - LABEL_W).max(1.0),
            ROW_H - 8.0,
            escape(line.label)
        );
        // The label goes right of the bar, the parity line and the target tick.
        let mut text_x = x_of(ratio).max(x_of(1.0));
        if let Some(Target::AtLeast(t) | Target::AtMost(t)) = line.target() {
            let x = x_of(t);
            text_x = text_x.max(x);
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#111" stroke-width="2" stroke-dasharray="3,2"/>"##,
                y + 1.0,
                y + ROW_H - 1.0
            );
        }
        let over = if ratio > scale_max { "+" } else { "" };
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" fill="#222">{ratio:.2}{over} ({})</text>"##,
            text_x + 6.0,
            y + 15.0,
            if line.lower_is_better == Some(true) {
                "lower better"
            } else {
                "higher better"
            }
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="12" y="{:.1}" fill="#555">Bars: ours / hand-written socketioxide (1.0× = parity). Dashed tick: target. Green: met; red: missed; grey: no target.</text>"##,
        height - 10.0
    );
    s.push_str("</svg>\n");
    s
}
