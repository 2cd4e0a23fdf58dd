//! `reprise verify-fix`: run a live scenario on the build with the bug and on the fix.

use super::exit;
use clap::Args as ClapArgs;
use reprise::browser::{Browser, LaunchOptions};
use reprise::golden::{GoldenStore, UpdateMode};
use reprise::runner::{verify_fix, LiveScenario};
use reprise::scenario::{discover, parse, App, Mode};
use std::path::PathBuf;

/// Confirm a fix: the live scenario must fail on the baseline (the bug reproduces; its evidence is
/// printed) and pass on the candidate (expectations, goldens, requests).
///
/// Each build is a folder (served by reprise at the recorded origin) or the URL of a running app.
/// Without --baseline/--candidate the scenario's own `baseline`/`candidate` keys are used; a
/// folder given here is relative to the current directory, one in the scenario to the scenario.
/// Exit 0 when the fix is confirmed, 101 when it is not, 1 on errors.
///
/// Examples:
///   reprise verify-fix scenarios/live/search-race.scenario.json
///   reprise verify-fix scenarios/live/checkout-double-submit.scenario.json \
///       --baseline scenarios/apps/checkout/buggy --candidate http://127.0.0.1:8080/
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The live scenario file.
    pub scenario: PathBuf,

    /// The build with the bug: a folder or an http(s) URL.
    #[arg(long, value_name = "FOLDER|URL")]
    pub baseline: Option<String>,

    /// The build with the fix: a folder or an http(s) URL.
    #[arg(long, value_name = "FOLDER|URL")]
    pub candidate: Option<String>,

    /// The scenarios root, which names the scenario (and so its golden folder).
    #[arg(long, default_value = "scenarios", value_name = "DIR")]
    pub scenarios_dir: PathBuf,

    /// Where golden evidence lives.
    #[arg(long, default_value = "golden", value_name = "DIR")]
    pub golden_dir: PathBuf,

    /// Write the candidate's goldens (REPRISE_UPDATE=always). Never under CI.
    #[arg(long)]
    pub update: bool,

    /// Print both runs as JSON instead of text.
    #[arg(long)]
    pub json: bool,

    /// The Chromium binary (default: $REPRISE_CHROME, then the Debian headless shell, then chromium).
    #[arg(long, value_name = "PATH")]
    pub chrome: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let text = std::fs::read_to_string(&args.scenario).map_err(|e| reprise::Error::io(&args.scenario, e))?;
    let scenario = parse(&text, &args.scenario.display().to_string())?;
    if scenario.mode != Mode::Live {
        return Err(reprise::Error::Usage(format!("{}: verify-fix needs a scenario with \"mode\": \"live\"", args.scenario.display())).into());
    }
    let id = discover(&args.scenarios_dir, std::slice::from_ref(&args.scenario))?
        .into_iter()
        .next()
        .map(|d| d.id)
        .unwrap_or_else(|| args.scenario.display().to_string());
    let ls = LiveScenario::load(&id, &args.scenario, scenario)?;
    let pick = |flag: &Option<String>, key: &Option<App>, name: &str| match (flag, key) {
        (Some(s), _) => Ok(ls.app_source(&App::parse_arg(s), true)),
        (None, Some(app)) => Ok(ls.app_source(app, false)),
        (None, None) => Err(reprise::Error::Usage(format!("no {name}: give --{name} or put `{name}` in the scenario"))),
    };
    let baseline = pick(&args.baseline, &ls.scenario.baseline, "baseline")?;
    let candidate = pick(&args.candidate, &ls.scenario.candidate, "candidate")?;
    let golden = GoldenStore { root: args.golden_dir, mode: UpdateMode::from_env(args.update)? };
    let browser = Browser::launch(&LaunchOptions { chrome: args.chrome, ..LaunchOptions::default() })?;
    let report = verify_fix(&ls, &browser, baseline, candidate, &golden);
    if args.json {
        let doc = serde_json::json!({
            "scenario": id,
            "confirmed": report.confirmed,
            "baseline": report.baseline.summary(),
            "candidate": report.candidate.summary(),
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        print!("{}", report.text);
    }
    Ok(if report.confirmed { exit::OK } else { exit::TEST_FAILURES })
}
