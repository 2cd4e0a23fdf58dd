//! The `reprise` binary: clap parsing, output and exit codes. Logic lives in the library.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if cli::is_broken_pipe(&err) {
                return ExitCode::from(cli::exit::OK);
            }
            eprintln!("error: {err:#}");
            let usage = err.downcast_ref::<reprise::Error>().is_some_and(|e| matches!(e, reprise::Error::Usage(_)));
            ExitCode::from(if usage { cli::exit::USAGE } else { cli::exit::ERROR })
        }
    }
}
