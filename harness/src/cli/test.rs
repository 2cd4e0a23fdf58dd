//! `reprise test`: the scenario suite as libtest trials.

use super::exit;
use clap::Args as ClapArgs;
use reprise::golden::UpdateMode;
use reprise::runner::{run_suite, BrowserConfig, RunConfig, Shard};
use std::path::PathBuf;

/// Run scenarios as tests: every `*.scenario.json` under scenarios/, compared with golden/.
/// Render scenarios share one Chromium (launched when first needed, always reaped) and are
/// skipped, with the reason, when no chromium-headless-shell is installed.
///
/// Takes libtest's arguments: a name filter, --exact, --list, --ignored, --include-ignored,
/// --test-threads N, -q. A mismatch or a missing golden fails and, outside CI, leaves a
/// `<file>.new` beside the golden for `reprise golden review` (REPRISE_UPDATE=auto|new|always|no;
/// auto = no under CI, new otherwise). Exit 0 when all pass, 101 when any fails.
///
/// Examples:
///   reprise test
///   reprise test swagger --test-threads 1
///   reprise test --list
///   reprise test --shard 2/4 --junit target/junit.xml --report-json target/report.json
///   REPRISE_UPDATE=always reprise test todomvc
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Where scenarios are discovered.
    #[arg(long, default_value = "scenarios", value_name = "DIR")]
    pub scenarios_dir: PathBuf,

    /// Where golden evidence lives.
    #[arg(long, default_value = "golden", value_name = "DIR")]
    pub golden_dir: PathBuf,

    /// Run only these scenario files or folders (repeatable).
    #[arg(long = "path", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write goldens directly (REPRISE_UPDATE=always). Never under CI.
    #[arg(long)]
    pub update: bool,

    /// Run the i-th of n deterministic shards (by scenario name), e.g. 2/4.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,

    /// Write a JUnit XML report here.
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,

    /// Write a JSON report here (identical across runs apart from durations).
    #[arg(long, value_name = "PATH")]
    pub report_json: Option<PathBuf>,

    /// Run only scenarios whose name contains this (e.g. `swagger`, `todomvc::backbone`).
    pub filter: Option<String>,

    /// The filter must match the whole name.
    #[arg(long)]
    pub exact: bool,

    /// Skip scenarios whose name contains this (repeatable).
    #[arg(long, value_name = "FILTER")]
    pub skip: Vec<String>,

    /// List the scenarios instead of running them.
    #[arg(long)]
    pub list: bool,

    /// Run only the scenarios marked `"ignored": true`.
    #[arg(long)]
    pub ignored: bool,

    /// Run ignored scenarios too.
    #[arg(long)]
    pub include_ignored: bool,

    /// How many scenarios run at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub test_threads: Option<usize>,

    /// One character per scenario instead of one line.
    #[arg(short, long)]
    pub quiet: bool,

    /// The Chromium binary for render scenarios (default: $REPRISE_CHROME, then the Debian
    /// headless shell). Render goldens are made with chromium-headless-shell.
    #[arg(long, value_name = "PATH")]
    pub chrome: Option<PathBuf>,

    /// How many pages the shared browser renders at once.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub browser_pages: usize,

    /// Accepted for libtest compatibility; output is never captured.
    #[arg(long, hide = true)]
    pub nocapture: bool,
}

impl Args {
    fn libtest(&self) -> libtest_mimic::Arguments {
        libtest_mimic::Arguments {
            filter: self.filter.clone(),
            exact: self.exact,
            skip: self.skip.clone(),
            list: self.list,
            ignored: self.ignored,
            include_ignored: self.include_ignored,
            test_threads: self.test_threads,
            quiet: self.quiet,
            nocapture: self.nocapture,
            ..libtest_mimic::Arguments::default()
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let libtest = args.libtest();
    let config = RunConfig {
        scenarios_root: args.scenarios_dir,
        golden_root: args.golden_dir,
        paths: args.paths,
        update: UpdateMode::from_env(args.update)?,
        shard: args.shard.as_deref().map(Shard::parse).transpose()?,
        junit: args.junit,
        report_json: args.report_json,
        browser: BrowserConfig { chrome: args.chrome, pages: args.browser_pages },
    };
    if !config.scenarios_root.is_dir() && config.paths.is_empty() {
        return Err(reprise::Error::Usage(format!("no scenarios folder at {} (use --scenarios-dir or --path)", config.scenarios_root.display())).into());
    }
    let result = run_suite(&config, &libtest)?;
    Ok(if result.conclusion.has_failed() { exit::TEST_FAILURES } else { exit::OK })
}
