//! A fan chart as SVG, for reports: the p5-p95 and p25-p75 bands, the median and the baseline.

use crate::montecarlo::Fan;

/// `zh` selects the Chinese footer (titles are passed in the chosen language).
pub fn fan_svg(title: &str, years: &[String], fan: &Fan, baseline: &[f64], zh: bool) -> String {
    let (w, h, ml, mr, mt, mb) = (820.0, 460.0, 80.0, 50.0, 50.0, 60.0);
    let n = years.len().max(2);
    let all: Vec<f64> = fan
        .p5
        .iter()
        .chain(&fan.p95)
        .chain(baseline)
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let (mut lo, mut hi) = (
        all.iter().copied().fold(f64::INFINITY, f64::min),
        all.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = (hi - lo).max(1.0) * 0.08;
    let (lo, hi) = (lo.min(0.0) - pad, hi + pad);
    let x = |i: usize| ml + (w - ml - mr) * i as f64 / (n - 1) as f64;
    let y = |v: f64| mt + (h - mt - mb) * (1.0 - (v - lo) / (hi - lo));
    let band = |a: &[f64], b: &[f64], fill: &str| {
        let mut pts: Vec<String> = a
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        pts.extend(
            b.iter()
                .enumerate()
                .rev()
                .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v))),
        );
        format!(
            "<polygon points=\"{}\" fill=\"{fill}\" stroke=\"none\"/>",
            pts.join(" ")
        )
    };
    let line = |v: &[f64], stroke: &str, dash: &str| {
        let pts: Vec<String> = v
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2.5\" stroke-dasharray=\"{dash}\"/>",
            pts.join(" ")
        )
    };
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans, Noto Sans CJK TC, sans-serif\" font-size=\"13\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    s.push_str(&format!(
        "<text x=\"{ml}\" y=\"28\" font-size=\"17\" font-weight=\"bold\">{}</text>\n",
        xml(title)
    ));
    // Ticks at a round step (1, 2 or 5 times a power of ten).
    let raw = (hi - lo) / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let first = (lo / step).ceil() as i64;
    for k in first..=((hi / step).floor() as i64) {
        let v = k as f64 * step;
        s.push_str(&format!("<line x1=\"{ml}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{v:.0}</text>\n", w - mr, y(v), y(v), ml - 8.0, y(v) + 4.0));
    }
    for (i, yr) in years.iter().enumerate() {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            x(i),
            h - mb + 22.0,
            xml(yr)
        ));
    }
    s.push_str(&band(&fan.p5, &fan.p95, "#c6dbef"));
    s.push_str(&band(&fan.p25, &fan.p75, "#6baed6"));
    if lo < 0.0 && hi > 0.0 {
        s.push_str(&format!(
            "<line x1=\"{ml}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#666\"/>\n",
            w - mr,
            y(0.0),
            y(0.0)
        ));
    }
    s.push_str(&line(&fan.p50, "#08519c", ""));
    s.push_str(&line(baseline, "#d94801", "6 4"));
    let footer = if zh {
        "港幣十億元 · 陰影：5–95%及25–75%路徑 · 實線：中位數 · 虛線：基線"
    } else {
        "HK$bn · bands: 5–95% and 25–75% of paths · solid: median · dashed: baseline"
    };
    s.push_str(&format!(
        "<text x=\"{ml}\" y=\"{}\">{footer}</text>\n",
        h - 12.0
    ));
    s.push_str("</svg>\n");
    s
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
