//! The scenario suite on libtest-mimic: one trial per scenario, sharding, and the reports.

use super::config::RunConfig;
use super::report::{junit_xml, json_report, ScenarioReport, Status};
use super::run_one::run_one_with;
use super::shared_browser::SharedBrowser;
use crate::error::{Error, Result};
use crate::golden::{write_atomic, GoldenStore};
use crate::scenario::discover;
use libtest_mimic::{Arguments, Completion, Conclusion, Failed, Trial};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub struct SuiteResult {
    pub conclusion: Conclusion,
    pub reports: Vec<ScenarioReport>,
}

/// Discovers, filters (shard) and runs every scenario; writes the reports asked for.
pub fn run_suite(config: &RunConfig, args: &Arguments) -> Result<SuiteResult> {
    let found = discover(&config.scenarios_root, &config.paths)?;
    let store = GoldenStore { root: config.golden_root.clone(), mode: config.update };
    let reports: Arc<Mutex<Vec<ScenarioReport>>> = Arc::default();
    // One browser for the whole run, launched by the first scenario that needs it. The trials hold
    // clones of this Arc; they are dropped when libtest-mimic returns, and this last handle is
    // dropped below, which reaps Chromium before the reports are written.
    let browser = Arc::new(SharedBrowser::new(config.browser.clone()));
    let mut trials = Vec::new();
    let mut ignored_trials = Vec::new();
    for d in found {
        let name = d.trial_name();
        if config.shard.is_some_and(|s| !s.includes(&name)) {
            continue;
        }
        // Peek at `ignored` so libtest can honour --ignored without running anything.
        let ignored = std::fs::read_to_string(&d.path)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| v.get("ignored").and_then(|b| b.as_bool()))
            .unwrap_or(false);
        if ignored {
            ignored_trials.push((name.clone(), d.id.clone(), d.path.display().to_string()));
        }
        let (store, reports, browser) = (store.clone(), reports.clone(), browser.clone());
        let trial = Trial::ignorable_test(name, move || {
            let started = Instant::now();
            let mut report = run_one_with(&d.id, &d.path, &store, &browser);
            report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
            let failure = report.failure.clone();
            let status = report.status;
            let skipped = report.skipped.clone();
            reports.lock().expect("reports lock").push(report);
            match status {
                Status::Failed => Err(Failed::from(failure.unwrap_or_default())),
                // A visible skip: libtest prints `ignored, <why>`.
                Status::Ignored => Ok(Completion::ignored_with(skipped.unwrap_or_default())),
                Status::Passed => Ok(Completion::Completed),
            }
        })
        .with_ignored_flag(ignored);
        trials.push(trial);
    }
    let conclusion = libtest_mimic::run(args, trials);
    drop(browser);
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
                skipped: None,
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
