//! `cargo test` runs the scenario suite: every `*.scenario.json` under scenarios/, exactly as
//! `reprise test` does (same runner, same goldens, same update rules; CI never writes goldens).

use reprise::golden::UpdateMode;
use reprise::runner::{run_suite, BrowserConfig, RunConfig};

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf();
    let config = RunConfig {
        scenarios_root: root.join("scenarios"),
        golden_root: root.join("golden"),
        paths: Vec::new(),
        update: UpdateMode::from_env(false).unwrap_or_else(|e| panic!("{e}")),
        shard: None,
        junit: None,
        report_json: None,
        browser: BrowserConfig::default(),
    };
    let result = run_suite(&config, &args).unwrap_or_else(|e| panic!("{e}"));
    result.conclusion.exit();
}
