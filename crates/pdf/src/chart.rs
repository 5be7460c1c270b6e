//! Drawing a chart as vector paths and text: bars, or lines of shares, on a ruled scale. The whole chart is one
//! figure in the structure tree with its alternative text (a reader is given the words, and the same figures
//! are in a table beside it); it is readable in black and white, series differing by dash and marker.

use crate::fonts::width;
use crate::write::literal;
use crate::{Chart, Style};

/// The height a chart takes on the page.
pub(crate) fn height(chart: &Chart) -> f64 {
    match chart.style {
        Style::Bars => 176.0,
        Style::Lines => 194.0,
    }
}

const PLOT_H: f64 = 130.0;
const AXIS_W: f64 = 34.0;

fn text(out: &mut Vec<u8>, x: f64, y: f64, size: f64, s: &str, anchor: f64) {
    let x = x - width(s, size, false) * anchor;
    out.extend_from_slice(format!("BT /F1 {size:.2} Tf {x:.2} {y:.2} Td ").as_bytes());
    out.extend_from_slice(&literal(s));
    out.extend_from_slice(b" Tj ET\n");
}

fn ops(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(s.as_bytes());
    out.push(b'\n');
}

/// The scale for counts up to `max`: its step (1, 2, 2.5 or 5 times a power of ten, and a whole number) and
/// how many steps (at most five), so that every ruled line is a whole count.
pub fn scale(max: f64) -> (f64, u32) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 4);
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|s| s * mag)
        .find(|s| *s >= raw && s.fract() == 0.0)
        .unwrap_or(10.0 * mag)
        .max(1.0);
    (step, (max / step).ceil().max(1.0) as u32)
}

/// A filled circle of radius `r` at (`x`, `y`), as four curves.
fn circle(x: f64, y: f64, r: f64) -> String {
    let k = 0.5523 * r;
    format!(
        "{:.2} {y:.2} m {:.2} {:.2} {:.2} {:.2} {x:.2} {:.2} c {:.2} {:.2} {:.2} {:.2} {:.2} {y:.2} c {:.2} {:.2} {:.2} {:.2} {x:.2} {:.2} c {:.2} {:.2} {:.2} {:.2} {:.2} {y:.2} c f",
        x + r,
        x + r,
        y + k,
        x + k,
        y + r,
        y + r,
        x - k,
        y + r,
        x - r,
        y + k,
        x - r,
        x - r,
        y - k,
        x - k,
        y - r,
        y - r,
        x + k,
        y - r,
        x + r,
        y - k,
        x + r
    )
}

fn marker(series: usize, x: f64, y: f64) -> String {
    if series.is_multiple_of(2) {
        format!("0 g {}", circle(x, y, 2.6))
    } else {
        format!(
            "1 g 0 G 1 w [] 0 d {:.2} {:.2} 5.2 5.2 re B",
            x - 2.6,
            y - 2.6
        )
    }
}

const DASH: [&str; 3] = ["[] 0 d", "[4 3] 0 d", "[1.2 2] 0 d"];

/// The chart's drawing, its top-left corner at (`x0`, `top`) and `w` wide.
pub(crate) fn draw(chart: &Chart, x0: f64, top: f64, w: f64) -> Vec<u8> {
    let mut out = vec![];
    let (left, right) = (x0 + AXIS_W, x0 + w - 6.0);
    let plot_top = top - 10.0;
    let bottom = plot_top - PLOT_H;
    let n = chart.labels.len().max(1);
    let slot = (right - left) / n as f64;
    let percent = matches!(chart.style, Style::Lines);
    let (step, steps) = if percent {
        (0.25, 4)
    } else {
        scale(
            chart
                .series
                .iter()
                .flat_map(|s| s.values.iter().filter_map(|v| v.as_ref().ok().copied()))
                .fold(0.0, f64::max),
        )
    };
    let max = step * f64::from(steps);
    let y_of = |v: f64| bottom + PLOT_H * (v / max).clamp(0.0, 1.0);
    // The scale: a ruled line at each step, with its value.
    for i in 0..=steps {
        let v = step * f64::from(i);
        let y = y_of(v);
        ops(
            &mut out,
            &format!("0.72 G 0.4 w [] 0 d {left:.2} {y:.2} m {right:.2} {y:.2} l S"),
        );
        let label = if percent {
            format!("{:.0}%", v * 100.0)
        } else {
            format!("{v:.0}")
        };
        ops(&mut out, "0 g");
        text(&mut out, left - 4.0, y - 2.4, 7.0, &label, 1.0);
    }
    ops(
        &mut out,
        &format!("0 G 0.8 w {left:.2} {bottom:.2} m {left:.2} {plot_top:.2} l S"),
    );
    // The labels under the plot, made smaller where a slot is narrow.
    for (i, label) in chart.labels.iter().enumerate() {
        let size = (7.0 * (slot - 2.0) / width(label, 7.0, false).max(1.0)).min(7.0);
        ops(&mut out, "0 g");
        text(
            &mut out,
            left + slot * (i as f64 + 0.5),
            bottom - 10.0,
            size,
            label,
            0.5,
        );
    }
    match chart.style {
        Style::Bars => {
            let values = chart.series.first().map(|s| s.values.as_slice());
            for (i, v) in values.unwrap_or_default().iter().enumerate() {
                let x = left + slot * i as f64;
                match v {
                    Ok(v) => {
                        let h = y_of(*v) - bottom;
                        ops(
                            &mut out,
                            &format!(
                                "0.6 g 0 G 0.6 w [] 0 d {:.2} {bottom:.2} {:.2} {h:.2} re B",
                                x + slot * 0.2,
                                slot * 0.6
                            ),
                        );
                        ops(&mut out, "0 g");
                        text(
                            &mut out,
                            x + slot / 2.0,
                            bottom + h + 3.0,
                            7.0,
                            &format!("{v:.0}"),
                            0.5,
                        );
                    }
                    Err(m) => {
                        ops(&mut out, "0 g");
                        text(&mut out, x + slot / 2.0, bottom + 3.0, 7.0, m, 0.5);
                    }
                }
            }
        }
        Style::Lines => {
            let x_of = |i: usize| left + slot * (i as f64 + 0.5);
            for (s, series) in chart.series.iter().enumerate() {
                let dash = DASH[s % DASH.len()];
                for i in 1..series.values.len() {
                    if let (Ok(a), Ok(b)) = (&series.values[i - 1], &series.values[i]) {
                        ops(
                            &mut out,
                            &format!(
                                "0 G 1.4 w {dash} {:.2} {:.2} m {:.2} {:.2} l S",
                                x_of(i - 1),
                                y_of(*a),
                                x_of(i),
                                y_of(*b)
                            ),
                        );
                    }
                }
                for (i, v) in series.values.iter().enumerate() {
                    match v {
                        Ok(v) => ops(&mut out, &marker(s, x_of(i), y_of(*v))),
                        Err(m) if s == 0 => {
                            ops(&mut out, "0 g");
                            text(&mut out, x_of(i), bottom + 3.0, 7.0, m, 0.5);
                        }
                        Err(_) => {}
                    }
                }
                // The key, under the labels.
                let (kx, ky) = (left + 170.0 * s as f64, bottom - 24.0);
                ops(
                    &mut out,
                    &format!(
                        "0 G 1.4 w {dash} {kx:.2} {ky:.2} m {:.2} {ky:.2} l S",
                        kx + 22.0
                    ),
                );
                ops(&mut out, &marker(s, kx + 11.0, ky));
                ops(&mut out, "0 g");
                text(&mut out, kx + 28.0, ky - 2.4, 7.5, &series.name, 0.0);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Series;

    #[test]
    fn a_count_scale_rules_whole_numbers_just_above_the_largest_value() {
        assert_eq!(scale(0.0), (1.0, 4));
        assert_eq!(scale(1.0), (1.0, 1));
        assert_eq!(scale(4.0), (1.0, 4));
        assert_eq!(scale(7.0), (2.0, 4));
        assert_eq!(scale(50.0), (10.0, 5));
        assert_eq!(scale(213.0), (50.0, 5));
        assert_eq!(scale(1234.0), (250.0, 5));
        for max in 1..3000 {
            let (step, n) = scale(f64::from(max));
            assert!(
                step.fract() == 0.0 && n <= 5 && step * f64::from(n) >= f64::from(max),
                "{max}"
            );
        }
    }

    #[test]
    fn a_bar_is_drawn_for_each_value_given_and_the_reason_written_where_one_is_not() {
        let chart = Chart {
            title: String::new(),
            alt: "Bars".into(),
            style: Style::Bars,
            labels: vec!["Jan".into(), "Feb".into(), "Mar".into()],
            series: vec![Series {
                name: "Received".into(),
                values: vec![Ok(10.0), Err("[c]".into()), Ok(30.0)],
            }],
        };
        let drawn = String::from_utf8(draw(&chart, 56.0, 700.0, 480.0)).unwrap();
        assert_eq!(drawn.matches(" re B").count(), 2, "{drawn}");
        assert!(drawn.contains("([c]) Tj"));
        assert!(drawn.contains("(30) Tj") && drawn.contains("(Feb) Tj"));
    }

    #[test]
    fn lines_join_only_neighbours_that_both_have_a_value_and_each_series_has_its_own_dash() {
        let chart = Chart {
            title: String::new(),
            alt: "Lines".into(),
            style: Style::Lines,
            labels: vec!["A".into(), "B".into(), "C".into(), "D".into()],
            series: vec![
                Series {
                    name: "On time".into(),
                    values: vec![Ok(0.5), Ok(0.6), Err("[low]".into()), Ok(0.7)],
                },
                Series {
                    name: "NFA rate".into(),
                    values: vec![Ok(0.1), Ok(0.2), Ok(0.3), Ok(0.4)],
                },
            ],
        };
        let drawn = String::from_utf8(draw(&chart, 56.0, 700.0, 480.0)).unwrap();
        // One segment for the first series (A–B), three for the second, and one in the key for each.
        assert!(drawn.matches("[] 0 d").count() >= 2);
        assert_eq!(drawn.matches("[4 3] 0 d").count(), 3 + 1);
        assert!(drawn.contains("([low]) Tj") && drawn.contains("(NFA rate) Tj"));
        assert!(drawn.contains("(100%) Tj"));
    }
}
