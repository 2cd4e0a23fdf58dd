//! `reprise scenario`: make a scenario from a recording.

use super::exit;
use super::source::SourceArgs;
use clap::{Args as ClapArgs, Subcommand};
use reprise::events::normalize;
use reprise::golden::{write_atomic, GoldenStore, UpdateMode};
use reprise::runner::run_one;
use reprise::scenario::{default_times, scenario_from_times, SCENARIO_SUFFIX};
use std::path::{Path, PathBuf};

/// Create scenarios from recordings.
///
/// Examples:
///   reprise scenario new checkout --from session.json
///   reprise scenario new search-race --from ./bundle --at 01:23.5 --at 83.4s
///   reprise scenario schema > docs/scenario.schema.json
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    /// Write scenarios/<name>.scenario.json with checkpoints at the given times (default: after
    /// each navigation, just before each error, and at the end), and its goldens as pending files.
    New(NewArgs),
    /// Print the JSON Schema of the scenario format.
    Schema,
}

#[derive(ClapArgs, Debug)]
pub struct NewArgs {
    /// The scenario's name; also its file name (may contain `/` for a folder).
    pub name: String,

    #[command(flatten)]
    pub from: FromArgs,

    /// A checkpoint time (repeatable): `01:23.5`, `83.4s`, `83421ms`, `50%`, `end`.
    #[arg(long = "at", value_name = "TIME")]
    pub at: Vec<String>,

    #[arg(long, default_value = "scenarios", value_name = "DIR")]
    pub scenarios_dir: PathBuf,

    #[arg(long, default_value = "golden", value_name = "DIR")]
    pub golden_dir: PathBuf,

    /// Replace an existing scenario file.
    #[arg(long)]
    pub force: bool,
}

#[derive(ClapArgs, Debug)]
pub struct FromArgs {
    /// The recording the scenario replays.
    #[arg(long = "from", value_name = "SOURCE")]
    pub source: PathBuf,
}

/// `target` relative to `base` (both made absolute), with `..` as needed.
fn relative(target: &Path, base: &Path) -> PathBuf {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(p));
    let (t, b) = (abs(target), abs(base));
    let tc: Vec<_> = t.components().collect();
    let bc: Vec<_> = b.components().collect();
    let common = tc.iter().zip(&bc).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..bc.len() {
        out.push("..");
    }
    for c in &tc[common..] {
        out.push(c);
    }
    out
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    match args.action {
        Action::Schema => {
            print!("{}", reprise::scenario::schema());
            Ok(exit::OK)
        }
        Action::New(a) => new(a),
    }
}

fn new(a: NewArgs) -> anyhow::Result<u8> {
    let source = SourceArgs { source: a.from.source.clone(), window: None, lenient: false };
    let rec = source.load()?;
    let path = a.scenarios_dir.join(format!("{}{SCENARIO_SUFFIX}", a.name));
    if path.exists() && !a.force {
        return Err(reprise::Error::Usage(format!("{} exists (use --force to replace it)", path.display())).into());
    }
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    std::fs::create_dir_all(&dir)?;
    let times: Vec<(String, String)> = if a.at.is_empty() {
        default_times(&normalize(&rec))
    } else {
        a.at.iter().enumerate().map(|(i, t)| (format!("checkpoint-{}", i + 1), t.clone())).collect()
    };
    for (_, t) in &times {
        reprise::clock::TimeSpec::parse(t)?;
    }
    let replay = relative(&a.from.source, &dir).to_string_lossy().replace('\\', "/");
    let mut scenario = scenario_from_times(&a.name, &replay, &times);
    scenario.schema = Some(format!("{}/docs/scenario.schema.json", relative(Path::new("."), &dir).to_string_lossy().replace('\\', "/")));
    let mut json = serde_json::to_string_pretty(&scenario)?;
    json.push('\n');
    write_atomic(&path, json.as_bytes())?;
    println!("wrote {} ({} checkpoint(s))", path.display(), times.len());
    // Capture every checkpoint's DOM as pending goldens for review (never under CI).
    let mode = UpdateMode::from_env(false)?;
    let store = GoldenStore { root: a.golden_dir.clone(), mode: if mode == UpdateMode::No { UpdateMode::No } else { UpdateMode::New } };
    let id = a.name.trim_end_matches('/').to_string();
    let report = run_one(&id, &path, &store);
    let pending: Vec<_> = report.checkpoints.iter().filter_map(|c| c.pending.clone()).collect();
    for p in &pending {
        println!("pending {p}");
    }
    for c in report.checkpoints.iter().filter(|c| c.error.is_some()) {
        eprintln!("checkpoint `{}`: {}", c.name, c.error.as_deref().unwrap_or(""));
    }
    println!("review with: reprise golden review {id}");
    Ok(exit::OK)
}
