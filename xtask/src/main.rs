//! `cargo xtask <command>`: the only program that writes derived files into the tree.
//!
//! Each command lives in its own module with a `run(args) -> Result<(), String>`; adding a
//! command is one module and one line in [`dispatch`]. Arguments are parsed by hand: a CLI
//! crate would cost more compile time than these few flags are worth.

mod args;
mod catalog;
mod check;
mod import;
mod regen;
mod synth;
mod waiters;
mod workspace;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command> [args]

commands:
  regen                  rewrite generated/ and specs/schema.json from specs/
  check                  fail, naming each file, when generated/ or specs/schema.json is stale
  import <page.txt>      write the spec of a saved API reference page (product version found in the catalog)
                         [--product <code>/<version>] [--action <A>] [--catalog <dir>]
  import --check <dir>   re-import every page the specs name from <dir>; fail on any disagreement
  import <api-docs.json> write the specs of a catalog product version (page specs keep their facts)
  catalog [--out <dir>]  generate every product version of ../shared/catalog outside the tree, with a report
  catalog --sample check|build   compile a sample of catalog crates (CI: check; build: time per operation)
  synth <N> <out-dir>    write a synthetic crate of N operations to <out-dir> (compile-time probe)
  waiters [--catalog <dir>]  propose specs/waiters.json entries (status values read from the metadata) to review";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match dispatch(command, rest) {
        Some(Ok(())) => ExitCode::SUCCESS,
        Some(Err(message)) => {
            eprintln!("xtask {command}: {message}");
            ExitCode::FAILURE
        }
        None => {
            eprintln!("xtask: unknown command `{command}`\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Runs `command`, or returns `None` when there is no such command.
fn dispatch(command: &str, args: &[String]) -> Option<Result<(), String>> {
    Some(match command {
        "regen" => regen::run(args),
        "catalog" => catalog::run(args),
        "check" => check::run(args),
        "import" => import::run(args),
        "synth" => synth::run(args),
        "waiters" => waiters::run(args),
        _ => return None,
    })
}
