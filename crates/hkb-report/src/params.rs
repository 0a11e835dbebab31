//! The law as data: the list of parameters in force and one parameter's full history.

use crate::text::pad_right;
use hkb_engine::Response;
use hkb_engine::params::{ParamDetail, ParamList};
use hkb_law::Lang;
use std::io::{self, Write};

pub fn list(w: &mut dyn Write, r: &Response<ParamList>, lang: Lang) -> io::Result<()> {
    let b = &r.body;
    if lang.is_zh() {
        writeln!(
            w,
            "於 {}（{} 課稅年度）生效的參數；歷史紀錄請用 `hkbudget params show 路徑`\n",
            b.at, b.year
        )?;
    } else {
        writeln!(
            w,
            "Parameters in force on {} (year of assessment {}); `hkbudget params show PATH` for history\n",
            b.at, b.year
        )?;
    }
    for p in &b.parameters {
        let flag = match p.status {
            Some(s) if !s.is_firm() => format!(" [{}]", s.label().pick(lang)),
            _ => String::new(),
        };
        writeln!(
            w,
            "{} {}{flag}\n    {} / {}",
            pad_right(&p.path, 62),
            p.value_text.as_deref().unwrap_or("—"),
            p.label.en,
            p.label.zh
        )?;
    }
    Ok(())
}

pub fn show(w: &mut dyn Write, r: &Response<ParamDetail>, lang: Lang) -> io::Result<()> {
    let d = &r.body;
    let n = &d.node;
    let zh = lang.is_zh();
    writeln!(w, "{}\n  {}\n  {}\n", n.path, n.label.en, n.label.zh)?;
    writeln!(w, "{}\n{}\n", n.description.en, n.description.zh)?;
    if zh {
        writeln!(
            w,
            "單位：{}    期間：{}    檔案：params/{}",
            d.unit_label.zh, d.period_label.zh, n.file
        )?;
        writeln!(w, "法律依據：")?;
    } else {
        writeln!(
            w,
            "Unit: {}    Period: {}    File: params/{}",
            d.unit_label.en, d.period_label.en, n.file
        )?;
        writeln!(w, "Legal references:")?;
    }
    for r in &n.references {
        let (ord, sec) = if zh {
            (
                r.ordinance_in_chinese(),
                r.section_zh.clone().unwrap_or_else(|| r.section.clone()),
            )
        } else {
            (r.ordinance.clone(), r.section.clone())
        };
        let unverified = match (r.verified, zh) {
            (true, _) => "",
            (false, true) => " [條文編號未經核實]",
            (false, false) => " [section unverified]",
        };
        writeln!(w, "  {ord} {sec}{unverified}  {}", r.url)?;
    }
    writeln!(w, "\n{}", if zh { "歷史：" } else { "History:" })?;
    for v in &n.values {
        let period = match (&v.to, zh) {
            (Some(t), _) if *t == v.from => v.from.clone(),
            (Some(t), _) => format!("{} – {}", v.from, t),
            (None, false) => format!("{} onward", v.from),
            (None, true) => format!("{} 起", v.from),
        };
        let status = if v.status.is_firm() {
            String::new()
        } else {
            format!(" [{}]", v.status.label().pick(lang))
        };
        writeln!(w, "  {} {}{status}", pad_right(&period, 24), v.value)?;
        writeln!(
            w,
            "      {}{} {}{}",
            if zh { "來源：" } else { "source: " },
            v.source.document,
            v.source.url,
            v.source
                .date
                .as_ref()
                .map_or(String::new(), |d| format!(" ({d})"))
        )?;
        if let Some(note) = &v.note {
            writeln!(w, "      {}{note}", if zh { "附註：" } else { "note: " })?;
        }
    }
    if let Some(notes) = &n.notes {
        writeln!(w, "\n{}{notes}", if zh { "附註：" } else { "Notes: " })?;
    }
    let r = &n.reviewed;
    writeln!(
        w,
        "\n{} {}: {}\n  {}{} {}",
        if zh {
            "已覆核至"
        } else {
            "Reviewed through"
        },
        r.through,
        r.note,
        if zh { "來源：" } else { "source: " },
        r.source.document,
        r.source.url
    )?;
    Ok(())
}
