//! Charts drawn on the server as SVG, for the figures pages: a bar chart, a line chart of shares, and shares
//! with their intervals. Each is an image with a title and a description (`role="img"`, `aria-labelledby`),
//! readable in black and white (series differ by line pattern and marker, not by colour alone), and always
//! shown beside a table of the same figures, which is what a screen reader reads.
//!
//! Small helpers rather than a chart crate: plotters' SVG backend (the well-kept choice) writes neither a
//! title, a description nor an image role, and pulls in font handling the server does not need; these
//! helpers are a few hundred lines of SVG text that the tests read.

use maud::{Markup, html};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 56.0;

/// A value to draw, or why there is none (`[c]`, `[low]`, `[x]`).
pub type Value = Result<f64, &'static str>;

fn frame(id: &str, title: &str, desc: &str, body: Markup) -> Markup {
    let t = format!("{id}-title");
    let d = format!("{id}-desc");
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img"
            aria-labelledby=(format!("{t} {d}")) preserveAspectRatio="xMidYMid meet" {
            title id=(t) { (title) }
            desc id=(d) { (desc) }
            (body)
        }
    }
}

/// The scale: a ruled line at each of `steps` steps of `step`, with its value.
fn axis_y(step: f64, steps: u32, as_percent: bool) -> Markup {
    let plot_h = HEIGHT - TOP - BOTTOM;
    html! {
        @for i in 0..=steps {
            @let v = step * f64::from(i);
            @let y = TOP + plot_h - plot_h * f64::from(i) / f64::from(steps);
            line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(y) y2=(y) stroke="#b1b4b6" stroke-width="1" {}
            text x=(LEFT - 6.0) y=(y + 4.0) text-anchor="end" font-size="11" fill="#0b0c0c" {
                @if as_percent { (format!("{:.0}%", v * 100.0)) } @else { (format!("{v:.0}")) }
            }
        }
        line x1=(LEFT) x2=(LEFT) y1=(TOP) y2=(HEIGHT - BOTTOM) stroke="#0b0c0c" stroke-width="1" {}
    }
}

fn x_label(x: f64, label: &str) -> Markup {
    html! {
        text x=(x) y=(HEIGHT - BOTTOM + 16.0) text-anchor="middle" font-size="11" fill="#0b0c0c" { (label) }
    }
}

/// Where a chart of shares (0 to 1) puts things, with one slot per label.
struct Shares {
    slot: f64,
}

impl Shares {
    fn new(labels: usize) -> Self {
        Shares {
            slot: (WIDTH - LEFT - RIGHT) / labels.max(1) as f64,
        }
    }

    /// The middle of label `i`'s slot.
    fn x(&self, i: usize) -> f64 {
        LEFT + self.slot * (i as f64 + 0.5)
    }

    /// The height of share `v`.
    fn y(&self, v: f64) -> f64 {
        let plot_h = HEIGHT - TOP - BOTTOM;
        TOP + plot_h - plot_h * v.clamp(0.0, 1.0)
    }
}

/// Bars, one per label; a value not given is marked with its reason where its bar would be.
pub fn bars(id: &str, title: &str, desc: &str, labels: &[String], values: &[Value]) -> Markup {
    // Ruled at whole counts (the same scale as the printed charts).
    let (step, steps) = pdf::scale(values.iter().filter_map(|v| v.ok()).fold(0.0, f64::max));
    let max = step * f64::from(steps);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / labels.len().max(1) as f64;
    let body = html! {
        (axis_y(step, steps, false))
        @for (i, (label, v)) in labels.iter().zip(values).enumerate() {
            @let x = LEFT + slot * i as f64;
            @match v {
                Ok(v) => {
                    @let h = plot_h * v / max;
                    rect x=(x + slot * 0.2) y=(TOP + plot_h - h) width=(slot * 0.6) height=(h) fill="#1d70b8" stroke="#0b0c0c" stroke-width="1" {}
                    text x=(x + slot / 2.0) y=(TOP + plot_h - h - 4.0) text-anchor="middle" font-size="11" fill="#0b0c0c" { (format!("{v:.0}")) }
                }
                Err(m) => {
                    text x=(x + slot / 2.0) y=(TOP + plot_h - 4.0) text-anchor="middle" font-size="11" fill="#0b0c0c" { (m) }
                }
            }
            (x_label(x + slot / 2.0, label))
        }
    };
    frame(id, title, desc, body)
}

/// Lines of shares (0 to 1) over the labels, each series with its own pattern and marker, and a key.
pub fn lines(
    id: &str,
    title: &str,
    desc: &str,
    labels: &[String],
    series: &[(&str, Vec<Value>)],
) -> Markup {
    const DASH: [&str; 3] = ["", "6 4", "2 3"];
    let axes = Shares::new(labels.len());
    let (x_of, y_of) = (|i| axes.x(i), |v| axes.y(v));
    let body = html! {
        (axis_y(0.25, 4, true))
        @for (i, label) in labels.iter().enumerate() { (x_label(x_of(i), label)) }
        @for (s, (name, values)) in series.iter().enumerate() {
            @let dash = DASH[s % DASH.len()];
            // A line joins neighbouring months that both have a value; a gap is left for one not given.
            @for i in 1..values.len() {
                @if let (Ok(a), Ok(b)) = (values[i - 1], values[i]) {
                    line x1=(x_of(i - 1)) y1=(y_of(a)) x2=(x_of(i)) y2=(y_of(b)) stroke="#0b0c0c" stroke-width="2" stroke-dasharray=(dash) {}
                }
            }
            @for (i, v) in values.iter().enumerate() {
                @if let Ok(v) = v {
                    @if s % 2 == 0 {
                        circle cx=(x_of(i)) cy=(y_of(*v)) r="4" fill="#0b0c0c" {}
                    } @else {
                        rect x=(x_of(i) - 4.0) y=(y_of(*v) - 4.0) width="8" height="8" fill="#ffffff" stroke="#0b0c0c" stroke-width="2" {}
                    }
                }
            }
            // The key.
            @let ky = HEIGHT - 14.0;
            @let kx = LEFT + 200.0 * s as f64;
            line x1=(kx) y1=(ky) x2=(kx + 28.0) y2=(ky) stroke="#0b0c0c" stroke-width="2" stroke-dasharray=(dash) {}
            @if s % 2 == 0 {
                circle cx=(kx + 14.0) cy=(ky) r="4" fill="#0b0c0c" {}
            } @else {
                rect x=(kx + 10.0) y=(ky - 4.0) width="8" height="8" fill="#ffffff" stroke="#0b0c0c" stroke-width="2" {}
            }
            text x=(kx + 34.0) y=(ky + 4.0) font-size="11" fill="#0b0c0c" { (name) }
        }
    };
    frame(id, title, desc, body)
}

/// Shares (0 to 1) with their intervals, one per label: a dot and a line from the interval's start to its end.
pub fn intervals(
    id: &str,
    title: &str,
    desc: &str,
    labels: &[String],
    values: &[(Value, Option<(f64, f64)>)],
) -> Markup {
    let axes = Shares::new(labels.len());
    let (x_of, y_of) = (|i| axes.x(i), |v| axes.y(v));
    let body = html! {
        (axis_y(0.25, 4, true))
        @for (i, (label, (v, ci))) in labels.iter().zip(values).enumerate() {
            (x_label(x_of(i), label))
            @if let Some((lo, hi)) = ci {
                line x1=(x_of(i)) x2=(x_of(i)) y1=(y_of(*lo)) y2=(y_of(*hi)) stroke="#0b0c0c" stroke-width="2" {}
                line x1=(x_of(i) - 8.0) x2=(x_of(i) + 8.0) y1=(y_of(*lo)) y2=(y_of(*lo)) stroke="#0b0c0c" stroke-width="2" {}
                line x1=(x_of(i) - 8.0) x2=(x_of(i) + 8.0) y1=(y_of(*hi)) y2=(y_of(*hi)) stroke="#0b0c0c" stroke-width="2" {}
            }
            @match v {
                Ok(v) => {
                    circle cx=(x_of(i)) cy=(y_of(*v)) r="5" fill="#0b0c0c" {}
                    text x=(x_of(i) + 12.0) y=(y_of(*v) + 4.0) font-size="11" fill="#0b0c0c" { (format!("{:.0}%", v * 100.0)) }
                }
                Err(m) => {
                    text x=(x_of(i)) y=(y_of(0.0) - 4.0) text-anchor="middle" font-size="11" fill="#0b0c0c" { (m) }
                }
            }
        }
    };
    frame(id, title, desc, body)
}
