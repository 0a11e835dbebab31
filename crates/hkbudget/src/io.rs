//! Reading files and flags, writing output, and showing progress.

use crate::{Ctx, UserError, user};
use hkb_engine::{EngineError, ProgressEvent};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// Reads a YAML or JSON file into `T` through the engine's reader (limits, field paths).
/// Errors name the file and the field.
pub fn read_input<T: DeserializeOwned>(path: &Path, what: &str) -> anyhow::Result<T> {
    let text = read_text(path, what)?;
    hkb_engine::input::from_yaml(&text)
        .map_err(|e| anyhow::Error::from(e).context(format!("{what} file {}", path.display())))
}

/// A file's text; when no such file exists, a package or reform that ships with hkbudget by
/// that name (`cgcc-2024-25`, `basic-allowance-145k`), so they work outside the repository.
pub fn read_text(path: &Path, what: &str) -> anyhow::Result<String> {
    if !path.exists() {
        let name = path.to_string_lossy();
        let shipped = match what {
            "package" => hkb_engine::shipped::package(&name),
            "reform" => hkb_engine::shipped::reform(&name),
            _ => None,
        };
        if let Some(text) = shipped {
            return Ok(text.to_string());
        }
        let names: Vec<&str> = match what {
            "package" => hkb_engine::shipped::PACKAGES
                .iter()
                .map(|(n, _)| *n)
                .collect(),
            "reform" => hkb_engine::shipped::REFORMS
                .iter()
                .map(|(n, _)| *n)
                .collect(),
            _ => Vec::new(),
        };
        if !names.is_empty() {
            return user(format!(
                "{what} file {}: no such file, and no {what} ships with that name (shipped: {})",
                path.display(),
                names.join(", ")
            ));
        }
    }
    read_file_text(path, what)
}

/// A file's text, refusing directories, huge files and non-UTF-8 text with a clear message.
fn read_file_text(path: &Path, what: &str) -> anyhow::Result<String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| UserError(format!("{what} file {}: {e}", path.display())))?;
    if meta.is_dir() {
        return user(format!(
            "{what} file {}: is a directory; give a YAML or JSON file",
            path.display()
        ));
    }
    let max = hkb_engine::input::MAX_INPUT_BYTES as u64;
    if meta.len() > max {
        return user(format!(
            "{what} file {}: {} bytes; at most {max} bytes (1 MiB) are accepted",
            path.display(),
            meta.len()
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| UserError(format!("{what} file {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|_| {
        UserError(format!(
            "{what} file {}: is not UTF-8 text (YAML or JSON expected)",
            path.display()
        ))
        .into()
    })
}

/// A request built from flags, through the engine's reader.
pub fn from_flags<T: DeserializeOwned>(v: serde_json::Value) -> anyhow::Result<T> {
    hkb_engine::input::from_value(v).map_err(|e: EngineError| e.into())
}

/// Prints a response as pretty JSON.
pub fn print_json<T: Serialize>(v: &T) -> anyhow::Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Runs a printer on stdout.
pub fn print(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    f(&mut out)?;
    out.flush()?;
    Ok(())
}

/// Runs a CSV printer on stdout.
pub fn print_csv(f: impl FnOnce(&mut dyn Write) -> Result<(), csv::Error>) -> anyhow::Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    f(&mut out)?;
    out.flush()?;
    Ok(())
}

/// Parses a flag's amount: a number (thousands separators allowed), not negative unless
/// `signed`.
pub fn amount_flag(name: &str, v: &Option<String>, signed: bool) -> anyhow::Result<f64> {
    let Some(s) = v else { return Ok(0.0) };
    let parsed = if thousands_grouped(s.trim()) {
        s.replace(',', "").trim().parse().ok()
    } else {
        None
    };
    let x: f64 = match parsed {
        Some(x) => x,
        None => {
            return user(format!(
                "--{name}: '{s}' is not a number (write an amount in HK$, e.g. 700000)"
            ));
        }
    };
    if !x.is_finite() || x.abs() > hkb_law::Money::MAX_INPUT_DOLLARS as f64 {
        return user(format!("--{name}: '{s}' is not a usable amount"));
    }
    if x < 0.0 && !signed {
        return user(format!(
            "--{name}: must not be negative (found {s}); amounts are 0 or more"
        ));
    }
    Ok(x)
}

/// Commas, if any, separate thousands: `1,234,567` or `1234567`, not `1,0` or `12,34`.
fn thousands_grouped(s: &str) -> bool {
    if !s.contains(',') {
        return true;
    }
    let digits = s.trim_start_matches(['-', '+']);
    let whole = digits.split('.').next().unwrap_or("");
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

pub fn count_flag(name: &str, v: &Option<String>) -> anyhow::Result<u64> {
    let Some(s) = v else { return Ok(0) };
    match s.trim().parse::<u64>() {
        Ok(n) if n <= 50 => Ok(n),
        _ => user(format!(
            "--{name}: '{s}' is not a whole number from 0 to 50"
        )),
    }
}

/// A progress display for population builds on stderr (hidden when `quiet`), and messages
/// saying whether a population was loaded or built.
pub struct Progress {
    bar: ProgressBar,
    quiet: bool,
    zh: bool,
    shown: Mutex<bool>,
}

impl Progress {
    pub fn new(ctx: &Ctx, quiet: bool) -> Progress {
        Progress::with_lang(ctx.lang == crate::cli::Lang::Zh, quiet)
    }

    pub fn with_lang(zh: bool, quiet: bool) -> Progress {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(1)
        };
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:<28} [{bar:30}] {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Progress {
            bar,
            quiet,
            zh,
            shown: Mutex::new(false),
        }
    }

    pub fn event(&self, e: ProgressEvent<'_>) {
        match e {
            ProgressEvent::Step { step, done, of } => {
                if let Ok(mut s) = self.shown.lock()
                    && !*s
                {
                    *s = true;
                    self.bar.enable_steady_tick(Duration::from_millis(120));
                }
                self.bar.set_length(of.max(1));
                self.bar.set_position(done);
                self.bar.set_message(step.to_string());
            }
            ProgressEvent::Loaded { path, ms } => {
                if !self.quiet {
                    if self.zh {
                        eprintln!("已載入 {}（{ms:.0} 毫秒）", path.display());
                    } else {
                        eprintln!("loaded {} in {ms:.0} ms", path.display());
                    }
                }
            }
            ProgressEvent::Built {
                path,
                reason,
                ms,
                spec,
            } => {
                self.bar.finish_and_clear();
                if !self.quiet {
                    if let Some(r) = reason {
                        eprintln!("{} {r}", if self.zh { "已重建：" } else { "rebuilt:" });
                    }
                    if self.zh {
                        eprintln!(
                            "已建立 {} 名受僱人士及 {} 間企業，並校準所有年度（{:.1} 秒）",
                            spec.persons,
                            spec.businesses,
                            ms / 1000.0
                        );
                    } else {
                        eprintln!(
                            "built {} earners and {} businesses, calibrated every year in {:.1} s",
                            spec.persons,
                            spec.businesses,
                            ms / 1000.0
                        );
                    }
                    if let Some(p) = path {
                        eprintln!(
                            "{} {}",
                            if self.zh { "已儲存" } else { "saved" },
                            p.display()
                        );
                    }
                }
            }
        }
    }
}

/// Writes bytes to a file the user named, with a clear error.
pub fn write_file(path: &Path, flag: &str, bytes: &[u8], zh: bool) -> anyhow::Result<()> {
    std::fs::write(path, bytes)
        .map_err(|e| UserError(format!("{flag} {}: {e}", path.display())))?;
    if zh {
        eprintln!("已寫入 {}", path.display());
    } else {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
