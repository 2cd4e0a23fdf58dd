//! `reprise dom`: the DOM of a recording at one or more instants, or its activity in a window.

use super::exit;
use super::source::SourceArgs;
use clap::{Args as ClapArgs, ValueEnum};
use reprise::clock::TimeSpec;
use reprise::dom::{self, js_number, SeekIndex};
use reprise::model::Recording;
use std::io::Write;

/// Rebuild the DOM at an instant, offline, as rrweb's replayer would show it.
///
/// Times: `01:23`, `83.4s`, `83421ms`, a bare number of ms, `50%`, `end`, or `@<epoch ms>`.
/// Several `--at` (repeated or comma-separated) print one block each, with `=== t=<ms>` headers.
///
/// Examples:
///   reprise dom session.json --at end
///   reprise dom session.json --at 0,50%,end
///   reprise dom ./bundle --at 01:20 --format html > page.html
///   reprise dom session.json --at end --selector 'form input[name=email]'
///   reprise dom session.json --from 10s --to 20s --kind mutation,input
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,

    /// The instant(s) to rebuild. Repeatable; also accepts a comma-separated list.
    #[arg(long, value_name = "T", value_delimiter = ',', required = true)]
    pub at: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Canonical)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The oracle's canonical DOM text (CANONICAL.md), byte for byte.
    Canonical,
}

/// Absolute cut timestamps (epoch ms) and the offsets to print for them.
fn cuts(rec: &Recording, specs: &[String]) -> anyhow::Result<Vec<(f64, f64)>> {
    specs
        .iter()
        .map(|s| {
            let spec = TimeSpec::parse(s)?;
            let offset = spec.resolve(rec).0;
            let cut = match spec {
                TimeSpec::Absolute(t) => t.0,
                _ => rec.start().0 + offset,
            };
            Ok((cut, offset))
        })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let rec = args.source.load()?;
    let cuts = cuts(&rec, &args.at)?;
    let mut out = std::io::stdout().lock();
    let index = (cuts.len() > 2).then(|| SeekIndex::new(&rec));
    for (cut, offset) in &cuts {
        let state = match &index {
            Some(ix) => ix.state_at(*cut),
            None => dom::state_at(&rec, *cut),
        };
        if cuts.len() > 1 {
            writeln!(out, "=== t={}", js_number(*offset))?;
        }
        match args.format {
            Format::Canonical => out.write_all(dom::canonical(&state).as_bytes())?,
        }
    }
    Ok(exit::OK)
}
