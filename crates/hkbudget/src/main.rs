//! # hkbudget — Hong Kong's fiscal policy lab, command line
//!
//! The binary edge: argument grammar and glue. Flags and files become engine requests
//! (`hkb-engine`), responses are printed by `hkb-report` or as JSON. It reads the environment
//! (the cache folder, `HKBUDGET_PARAMS`) and files; it computes nothing itself. Errors in what the
//! user gave exit with code 2 and name the field; nothing here panics on input.

mod calc;
mod cli;
mod fiscal;
mod io;
mod params_cmd;
mod proposals_cmd;
mod serve;
mod sim;

use clap::Parser;
use hkb_engine::{EngineError, Lab, LabOptions, Limits};
use std::process::ExitCode;

/// An error in what the user gave us (a file, a flag, a value): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

pub fn user<T>(msg: impl Into<String>) -> anyhow::Result<T> {
    Err(UserError(msg.into()).into())
}

/// What every command needs: the lab, the language, and whether to keep stderr quiet.
pub struct Ctx {
    pub lab: Lab,
    pub lang: cli::Lang,
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|je| je.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
            || c.downcast_ref::<csv::Error>().is_some_and(|ce| {
                matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            })
    })
}

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let lang = args.lang;
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of a pipe went away (as with `head`): stop quietly, as a shell would.
        Err(e) if is_broken_pipe(&e) => ExitCode::from(141),
        Err(e) => {
            if let Some(engine) = e.downcast_ref::<EngineError>() {
                let prefix = if lang == cli::Lang::Zh {
                    "錯誤"
                } else {
                    "error"
                };
                let context: Vec<String> = e
                    .chain()
                    .take_while(|c| c.downcast_ref::<EngineError>().is_none())
                    .map(|c| localized_context(&c.to_string(), lang))
                    .collect();
                let lead = if context.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", context.join(": "))
                };
                eprintln!("{prefix}: {lead}{}", engine.render(lang.law()));
                return ExitCode::from(if engine.is_internal() { 1 } else { 2 });
            }
            let prefix = if lang == cli::Lang::Zh {
                "錯誤"
            } else {
                "error"
            };
            eprintln!("{prefix}: {e:#}");
            ExitCode::from(if e.downcast_ref::<UserError>().is_some() {
                2
            } else {
                1
            })
        }
    }
}

/// The file named in an error, in the user's language ("package file X" → "組合檔案 X").
fn localized_context(context: &str, lang: cli::Lang) -> String {
    const KINDS: [(&str, &str); 6] = [
        ("situation file ", "處境檔案 "),
        ("business file ", "業務檔案 "),
        ("property file ", "物業檔案 "),
        ("deal file ", "交易檔案 "),
        ("package file ", "組合檔案 "),
        ("reform file ", "改革方案檔案 "),
    ];
    if lang == cli::Lang::Zh {
        for (en, zh) in KINDS {
            if let Some(rest) = context.strip_prefix(en) {
                return format!("{zh}{rest}");
            }
        }
    }
    context.to_string()
}

/// Where population files live: `HKBUDGET_CACHE`, else `$XDG_CACHE_HOME/hkbudget`, else
/// `$HOME/.cache/hkbudget`, else `.hkbudget-cache` in the current folder.
pub fn cache_dir() -> std::path::PathBuf {
    use std::path::PathBuf;
    // An empty variable counts as unset (as in `HKBUDGET_CACHE= hkbudget …`).
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(d) = var("HKBUDGET_CACHE") {
        return PathBuf::from(d);
    }
    if let Some(d) = var("XDG_CACHE_HOME") {
        return PathBuf::from(d).join("hkbudget");
    }
    if let Some(h) = var("HOME") {
        return PathBuf::from(h).join(".cache").join("hkbudget");
    }
    PathBuf::from(".hkbudget-cache")
}

fn run(args: cli::Cli) -> anyhow::Result<()> {
    let law = match &args.params {
        Some(d) => Some(hkb_law::Law::from_dir(d).map_err(|e| EngineError {
            field: "--params".into(),
            ..EngineError::from(e)
        })?),
        None => None,
    };
    if let cli::Command::Serve(a) = args.command {
        return serve::serve(a, law, args.lang);
    }
    let lab = Lab::new(LabOptions {
        law,
        cache_dir: Some(cache_dir()),
        limits: Limits::default(),
    })?;
    let ctx = Ctx {
        lab,
        lang: args.lang,
    };
    match args.command {
        cli::Command::Calc(c) => calc::run(&ctx, c),
        cli::Command::Params(p) => params_cmd::run(&ctx, p),
        cli::Command::Population(p) => sim::population(&ctx, p),
        cli::Command::Baseline(a) => sim::baseline(&ctx, a),
        cli::Command::Reform(a) => sim::reform(&ctx, a),
        cli::Command::Bench(a) => sim::bench(&ctx, a),
        cli::Command::Project(a) => fiscal::project(&ctx, a),
        cli::Command::Proposals(p) => proposals_cmd::run(&ctx, p),
        cli::Command::Package(p) => fiscal::package(&ctx, p),
        cli::Command::Serve(_) => Ok(()),
    }
}
