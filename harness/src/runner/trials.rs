//! The scenario suite on libtest-mimic: one trial per scenario, sharding, and the reports.

use super::config::RunConfig;
use super::report::{junit_xml, json_report, ScenarioReport, Status};
use super::run_one::run_one;
use crate::error::{Error, Result};
use crate::golden::{write_atomic, GoldenStore};
use crate::scenario::discover;
use libtest_mimic::{Arguments, Conclusion, Failed, Trial};
use std::sync::{Arc, Mutex};
use std::time::Instant;

fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
}

pub struct SuiteResult {
    pub conclusion: Conclusion,
    pub reports: Vec<ScenarioReport>,
}

/// Discovers, filters (shard) and runs every scenario; writes the reports asked for.
pub fn run_suite(config: &RunConfig, args: &Arguments) -> Result<SuiteResult> {
    let found = discover(&config.scenarios_root, &config.paths)?;
    let store = GoldenStore { root: config.golden_root.clone(), mode: config.update };
    let reports: Arc<Mutex<Vec<ScenarioReport>>> = Arc::default();
    let mut trials = Vec::new();
    let mut ignored_trials = Vec::new();
    // Live scenarios need Chromium: without it they are skipped with a notice, except under CI,
    // where a missing browser must fail rather than pass unseen.
    let no_browser = !crate::browser::available() && !ci();
    let mut skipped_live = 0;
    for d in found {
        let name = d.trial_name();
        if config.shard.is_some_and(|s| !s.includes(&name)) {
            continue;
        }
        // Peek at `ignored` and `mode` so libtest can honour --ignored without running anything.
        let peek = std::fs::read_to_string(&d.path).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
        let mut ignored = peek.as_ref().and_then(|v| v.get("ignored").and_then(|b| b.as_bool())).unwrap_or(false);
        if no_browser && !ignored && peek.as_ref().and_then(|v| v.get("mode")).and_then(|m| m.as_str()) == Some("live") {
            ignored = true;
            skipped_live += 1;
        }
        if ignored {
            ignored_trials.push((name.clone(), d.id.clone(), d.path.display().to_string()));
        }
        let (store, reports) = (store.clone(), reports.clone());
        let trial = Trial::test(name, move || {
            let started = Instant::now();
            let mut report = run_one(&d.id, &d.path, &store);
            report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
            let failure = report.failure.clone();
            let failed = report.status == Status::Failed;
            reports.lock().expect("reports lock").push(report);
            if failed {
                Err(Failed::from(failure.unwrap_or_default()))
            } else {
                Ok(())
            }
        })
        .with_ignored_flag(ignored);
        trials.push(trial);
    }
    if skipped_live > 0 {
        eprintln!(
            "note: {skipped_live} live scenario(s) skipped: no Chromium found (apt-get install chromium-headless-shell, or set {})",
            crate::browser::CHROME_ENV
        );
    }
    let conclusion = libtest_mimic::run(args, trials);
    let mut reports = std::mem::take(&mut *reports.lock().expect("reports lock"));
    // Ignored scenarios that did not run still appear in the reports, as skipped.
    let selected = |n: &str| match &args.filter {
        None => true,
        Some(f) if args.exact => n == f,
        Some(f) => n.contains(f.as_str()),
    };
    for (name, id, path) in ignored_trials {
        if selected(&name) && !reports.iter().any(|r| r.name == name) {
            reports.push(ScenarioReport {
                name,
                id,
                path,
                title: None,
                mode: None,
                status: Status::Ignored,
                duration_ms: 0.0,
                checkpoints: Vec::new(),
                expectations: Vec::new(),
                failure: None,
                live: None,
            });
        }
    }
    reports.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(p) = &config.junit {
        write_atomic(p, junit_xml(&reports).as_bytes()).map_err(|e| Error::Environment(format!("--junit: {e}")))?;
    }
    if let Some(p) = &config.report_json {
        write_atomic(p, json_report(&reports).as_bytes()).map_err(|e| Error::Environment(format!("--report-json: {e}")))?;
    }
    Ok(SuiteResult { conclusion, reports })
}
