//! The love−hate curves: for each persona, how many of its loves minus how
//! many of its hates touch each moment, drawn along the journey as inline
//! SVG. The drawing is split into one band per stage, as wide as each other,
//! so it lines up with the stage columns of the journey map above it; a
//! persona's own curve is drawn small for its page and for phones. The same
//! numbers are given as text (a description and a table) for people who
//! cannot see the drawing.

use serde::Serialize;

use super::views::*;
use crate::model::graph::of;
use crate::model::*;

/// Fewer moments than this make a line that says nothing.
pub(crate) const MIN_MOMENTS: usize = 3;

/// More moments than this make a line nobody can follow, and a page that
/// grows with moments times personas (a dot and a table cell each).
pub(crate) const MAX_MOMENTS: usize = 300;

/// Whether a journey of this many moments gets curves.
fn drawable(moments: usize) -> bool {
    (MIN_MOMENTS..=MAX_MOMENTS).contains(&moments)
}

/// Everything the journey page shows about the curves.
#[derive(Serialize)]
pub(crate) struct Curves {
    /// Why nothing is drawn (too few moments, no love or hate at a moment).
    pub empty: Option<String>,
    /// The overlaid chart, under the journey map.
    pub chart: Option<Chart>,
    /// One small chart per persona, for narrow screens.
    pub multiples: Vec<Chart>,
    pub legend: Vec<Series>,
    /// Moments down, personas across: the numbers behind the lines.
    pub table: Vec<TableRow>,
    /// What the chart shows, in words.
    pub description: String,
}

/// One persona's values along the journey.
#[derive(Serialize, Clone)]
pub(crate) struct Series {
    pub persona: Link,
    /// Its id, so the legend and the drawing can find each other.
    pub key: String,
    /// Colour and dash pattern, `curve-0` to `curve-5`.
    pub class: usize,
    pub values: Vec<i64>,
    /// "Most loved at …, most hated at …".
    pub summary: String,
}

#[derive(Serialize)]
pub(crate) struct TableRow {
    pub moment: Link,
    pub number: usize,
    pub moment_of_truth: bool,
    pub stage: String,
    pub values: Vec<String>,
}

/// A drawing in SVG user units.
#[derive(Serialize)]
pub(crate) struct Chart {
    pub width: f64,
    pub height: f64,
    pub top: f64,
    pub bottom: f64,
    pub bands: Vec<Band>,
    pub marks: Vec<Mark>,
    pub grid: Vec<GridLine>,
    pub lines: Vec<Line>,
    /// For a single persona's chart: its title and summary.
    pub series: Option<Series>,
}

/// A stage's share of the width.
#[derive(Serialize)]
pub(crate) struct Band {
    pub x: f64,
    pub width: f64,
    pub number: String,
    pub title: String,
}

/// A moment's place on the x axis.
#[derive(Serialize)]
pub(crate) struct Mark {
    pub x: f64,
    pub number: usize,
    pub title: String,
    pub moment_of_truth: bool,
}

#[derive(Serialize)]
pub(crate) struct GridLine {
    pub y: f64,
    pub label: String,
    pub zero: bool,
}

/// One persona's curve: the polyline and a dot with its value at each moment.
#[derive(Serialize)]
pub(crate) struct Line {
    pub key: String,
    pub class: usize,
    pub title: String,
    pub points: String,
    pub dots: Vec<Dot>,
}

#[derive(Serialize)]
pub(crate) struct Dot {
    pub x: f64,
    pub y: f64,
    pub label: String,
    /// Where the value label goes: above a dot at or over zero, else below.
    pub label_y: f64,
    pub title: String,
    pub zero: bool,
    /// Whether its value is written beside it (in a small chart, only the
    /// highest and the lowest are, so labels never collide).
    pub labelled: bool,
}

/// The size of a drawing and the room kept above and below its plot.
struct Frame {
    width: f64,
    height: f64,
    top: f64,
    bottom: f64,
    /// Lines with equal values are drawn this far apart, so none hides another.
    spread: f64,
    /// Write every value (shown on highlight), or only the extremes.
    every_value: bool,
}

/// The overlaid chart: at least this wide, and wider when one stage has many
/// moments, so neighbouring points stay apart (the map then scrolls).
pub(crate) fn overlay_width(site: &Site, graph: &Graph) -> f64 {
    let stages = site.stages.len().max(1);
    let most = graph
        .stage_moments
        .values()
        .map(Vec::len)
        .max()
        .unwrap_or(1);
    (36.0 * (most * stages) as f64).max(900.0)
}

const SMALL_WIDTH: f64 = 360.0;

/// The journey page's curves, or why there are none.
pub(crate) fn curves(l: &Linker) -> Curves {
    let order = &l.graph.journey;
    let series: Vec<Series> = l
        .site
        .personas
        .keys()
        .enumerate()
        .map(|(i, p)| series(l, p, i, drawable(order.len())))
        .collect();
    let any_value = series.iter().any(|s| s.values.iter().any(|v| *v != 0));
    let words = l.words;
    let moments = words.count("count_moments", order.len());
    let (min, max) = (MIN_MOMENTS.to_string(), MAX_MOMENTS.to_string());
    let limit = |key: &str| {
        words.format(
            key,
            None,
            &[("moments", &moments), ("min", &min), ("max", &max)],
        )
    };
    let empty = if series.is_empty() {
        Some(words.get("curves_no_personas").to_string())
    } else if order.len() < MIN_MOMENTS {
        Some(limit("curves_too_few"))
    } else if order.len() > MAX_MOMENTS {
        Some(limit("curves_too_many"))
    } else if !any_value {
        Some(words.get("curves_no_moments").to_string())
    } else {
        None
    };
    let range = value_range(series.iter().flat_map(|s| &s.values));
    let overlay = Frame {
        width: overlay_width(l.site, l.graph),
        height: 300.0,
        top: 30.0,
        bottom: 244.0,
        spread: 3.0,
        every_value: true,
    };
    let drawn = empty.is_none();
    Curves {
        chart: drawn.then(|| draw(l, &series, &overlay, range)),
        multiples: if drawn {
            series.iter().map(|s| small(l, s.clone(), range)).collect()
        } else {
            vec![]
        },
        table: if drawn { table(l, &series) } else { vec![] },
        description: describe(l, order.len(), &series),
        legend: series,
        empty,
    }
}

/// One persona's chart for its own page: `None` when it would say nothing.
pub(crate) fn persona_chart(l: &Linker, id: &PersonaId) -> Option<Chart> {
    let index = l.site.personas.keys().position(|p| p == id)?;
    if !drawable(l.graph.journey.len()) {
        return None;
    }
    let s = series(l, id, index, true);
    if s.values.iter().all(|v| *v == 0) {
        return None;
    }
    let range = value_range(&s.values);
    Some(small(l, s, range))
}

fn small(l: &Linker, s: Series, range: (i64, i64)) -> Chart {
    let frame = Frame {
        width: SMALL_WIDTH,
        height: 132.0,
        top: 18.0,
        bottom: 100.0,
        spread: 0.0,
        every_value: false,
    };
    let mut chart = draw(l, std::slice::from_ref(&s), &frame, range);
    chart.series = Some(s);
    chart
}

/// A persona's line; its values only when they will be drawn.
fn series(l: &Linker, p: &PersonaId, index: usize, with_values: bool) -> Series {
    let values: Vec<i64> = if with_values {
        l.graph
            .journey
            .iter()
            .map(|m| love_minus_hate(l, p, m))
            .collect()
    } else {
        Vec::new()
    };
    Series {
        persona: l.persona(p),
        key: p.to_string(),
        class: index % 6,
        summary: summary(l, &values),
        values,
    }
}

/// Loves minus hates a persona has at a moment.
pub(crate) fn love_minus_hate(l: &Linker, persona: &PersonaId, moment: &MomentId) -> i64 {
    of(&l.graph.moment_claims, moment)
        .iter()
        .filter(|c| &c.persona == persona)
        .map(|c| if c.feeling == Feeling::Love { 1 } else { -1 })
        .sum()
}

/// Lowest and highest value, always spanning -1 to 1 so zero sits inside.
fn value_range<'a>(values: impl IntoIterator<Item = &'a i64> + Clone) -> (i64, i64) {
    let min = values
        .clone()
        .into_iter()
        .copied()
        .min()
        .unwrap_or(0)
        .min(-1);
    let max = values.into_iter().copied().max().unwrap_or(0).max(1);
    (min, max)
}

fn draw(l: &Linker, series: &[Series], f: &Frame, (min, max): (i64, i64)) -> Chart {
    let stages = l.site.stages_in_order();
    let band_width = f.width / stages.len().max(1) as f64;
    let mut bands = Vec::new();
    let mut xs: Vec<f64> = Vec::new();
    for (i, stage) in stages.iter().enumerate() {
        let x = i as f64 * band_width;
        let moments = of(&l.graph.stage_moments, &StageId(stage.meta.id.clone()));
        for j in 0..moments.len() {
            xs.push(x + (j as f64 + 0.5) * band_width / moments.len() as f64);
        }
        bands.push(Band {
            x,
            width: band_width,
            number: format!("{:02}", i + 1),
            title: l.stage(&StageId(stage.meta.id.clone())).title,
        });
    }
    let scale = (f.bottom - f.top) / (max - min) as f64;
    let y = |v: i64| f.top + (max - v) as f64 * scale;
    let marks: Vec<Mark> = l
        .graph
        .journey
        .iter()
        .zip(&xs)
        .enumerate()
        .map(|(i, (m, x))| Mark {
            x: *x,
            number: i + 1,
            title: l.moment(m).title,
            moment_of_truth: l.site.moments[m].moment_of_truth,
        })
        .collect();
    let step = ((max - min) as f64 / 6.0).ceil().max(1.0) as i64;
    let grid = (min..=max)
        .filter(|v| v % step == 0)
        .map(|v| GridLine {
            y: y(v),
            label: signed(v),
            zero: v == 0,
        })
        .collect();
    let middle = (series.len() as f64 - 1.0) / 2.0;
    let lines = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let offset = (i as f64 - middle) * f.spread;
            let highest = s
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0)
                .max_by_key(|(i, v)| (**v, -(*i as i64)))
                .map(|(i, _)| i);
            let lowest = s
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| **v < 0)
                .min_by_key(|(i, v)| (**v, *i))
                .map(|(i, _)| i);
            let dots: Vec<Dot> = s
                .values
                .iter()
                .zip(&marks)
                .enumerate()
                .map(|(at, (v, mark))| {
                    let dy = y(*v) + offset;
                    Dot {
                        x: mark.x,
                        y: dy,
                        label: signed(*v),
                        label_y: if *v >= 0 { dy - 8.0 } else { dy + 16.0 },
                        title: format!("{}: {}", mark.title, signed(*v)),
                        zero: *v == 0,
                        labelled: f.every_value || Some(at) == highest || Some(at) == lowest,
                    }
                })
                .collect();
            Line {
                key: s.key.clone(),
                class: s.class,
                title: s.persona.title.clone(),
                points: dots
                    .iter()
                    .map(|d| format!("{:.1},{:.1}", d.x, d.y))
                    .collect::<Vec<_>>()
                    .join(" "),
                dots,
            }
        })
        .collect();
    Chart {
        width: f.width,
        height: f.height,
        top: f.top,
        bottom: f.bottom,
        bands,
        marks,
        grid,
        lines,
        series: None,
    }
}

/// "+2", "0", "−1" (a true minus sign).
fn signed(v: i64) -> String {
    match v {
        v if v > 0 => format!("+{v}"),
        v if v < 0 => format!("−{}", -v),
        _ => "0".into(),
    }
}

/// Where a persona is most loved and most hated along the journey.
fn summary(l: &Linker, values: &[i64]) -> String {
    let title = |i: usize| l.moment(&l.graph.journey[i]).title;
    let best = values
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0)
        .max_by_key(|(i, v)| (**v, -(*i as i64)));
    let worst = values
        .iter()
        .enumerate()
        .filter(|(_, v)| **v < 0)
        .min_by_key(|(i, v)| (**v, *i));
    let words = l.words;
    let part = |(i, v): (usize, &i64), key: &str| {
        words.format(key, None, &[("moment", &title(i)), ("value", &signed(*v))])
    };
    let loved = best.map(|b| part(b, "curve_most_loved"));
    let hated = worst.map(|w| part(w, "curve_most_hated"));
    let (key, loved, hated) = match (&loved, &hated) {
        (None, None) => ("curve_flat", "", ""),
        (Some(b), None) => ("curve_nothing_hated", b.as_str(), ""),
        (None, Some(w)) => ("curve_nothing_loved", "", w.as_str()),
        (Some(b), Some(w)) => ("curve_both", b.as_str(), w.as_str()),
    };
    words.format(key, None, &[("loved", loved), ("hated", hated)])
}

fn describe(l: &Linker, moments: usize, series: &[Series]) -> String {
    let moments = l.words.count("count_moments", moments);
    let mut text = l
        .words
        .format("curves_description", None, &[("moments", &moments)]);
    for s in series {
        text.push_str(&format!(" {}: {}.", s.persona.title, s.summary));
    }
    text
}

fn table(l: &Linker, series: &[Series]) -> Vec<TableRow> {
    l.graph
        .journey
        .iter()
        .enumerate()
        .map(|(i, m)| TableRow {
            moment: l.moment(m),
            number: i + 1,
            moment_of_truth: l.site.moments[m].moment_of_truth,
            stage: l.stage(&l.site.moments[m].stage).title,
            values: series.iter().map(|s| signed(s.values[i])).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_signed_with_a_true_minus() {
        assert_eq!(signed(2), "+2");
        assert_eq!(signed(0), "0");
        assert_eq!(signed(-3), "−3");
    }

    #[test]
    fn the_range_always_has_zero_inside() {
        assert_eq!(value_range(&[0, 0]), (-1, 1));
        assert_eq!(value_range(&[3, -2]), (-2, 3));
    }
}
