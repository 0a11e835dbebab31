//! # hkbudget — Hong Kong's fiscal policy lab, command line
//!
//! The binary edge: parses arguments, loads the law (embedded or `--params DIR`), reads
//! situation and reform files, runs the calculators and renders tables or JSON. Errors caused by
//! the user's input exit with code 2 and name the field at fault; nothing here panics on input.

mod calc;
mod cli;
mod package_cmd;
mod params_cmd;
mod project;
mod proposals_cmd;
mod render;
mod sim;
mod transactions;

use clap::Parser;
use std::process::ExitCode;

/// An error in what the user gave us (a file, a flag, a value): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

pub fn user<T>(msg: impl Into<String>) -> anyhow::Result<T> {
    Err(UserError(msg.into()).into())
}

fn main() -> ExitCode {
    // Output piped into `head` and the like: stop quietly when the reader goes away. Rust
    // ignores SIGPIPE, so `println!` panics on the broken pipe; exit as a shell would (141).
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .unwrap_or_default();
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default_hook(info);
    }));
    let args = cli::Cli::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of a pipe went away (as with `head`): stop quietly, as the panic hook does.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                    || c.downcast_ref::<csv::Error>().is_some_and(|ce| {
                        matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
                    })
            }) =>
        {
            ExitCode::from(141)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit_code(&e))
        }
    }
}

/// 2 for a problem with what the user gave (a file, a flag, a value, a population file), 1 for
/// anything else (a bug or an environment failure).
fn exit_code(e: &anyhow::Error) -> u8 {
    let user = e.downcast_ref::<UserError>().is_some()
        || e.downcast_ref::<hkb_law::LawError>()
            .is_some_and(is_user_law_error)
        || e.downcast_ref::<hkb_microsim::SimError>()
            .is_some_and(|s| match s {
                hkb_microsim::SimError::Input(_) | hkb_microsim::SimError::Store { .. } => true,
                hkb_microsim::SimError::Law(l) => is_user_law_error(l),
                _ => false,
            })
        || e.downcast_ref::<hkb_fiscal::FiscalError>()
            .is_some_and(|f| matches!(f, hkb_fiscal::FiscalError::Input(_)))
        || e.downcast_ref::<hkb_proposals::ProposalError>()
            .is_some_and(|p| matches!(p, hkb_proposals::ProposalError::Input(_)));
    if user { 2 } else { 1 }
}

fn is_user_law_error(e: &hkb_law::LawError) -> bool {
    use hkb_law::LawError::*;
    matches!(
        e,
        Reform { .. } | UnsupportedYear { .. } | Io { .. } | Invalid { .. }
    )
}

fn run(args: cli::Cli) -> anyhow::Result<()> {
    let law = cli::load_law(args.params.as_deref())?;
    match args.command {
        cli::Command::Calc(c) => calc::run(&law, c),
        cli::Command::Params(p) => params_cmd::run(&law, p),
        cli::Command::Population(p) => sim::population(&law, p),
        cli::Command::Baseline(a) => sim::baseline(&law, a),
        cli::Command::Reform(a) => sim::reform(&law, a),
        cli::Command::Bench(a) => sim::bench(&law, a),
        cli::Command::Project(a) => project::run(&law, a),
        cli::Command::Proposals(p) => proposals_cmd::run(&law, p),
        cli::Command::Package(p) => package_cmd::run(&law, p),
    }
}
