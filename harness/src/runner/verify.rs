//! Fix confirmation: a live scenario run on the baseline (the build with the bug) and on the
//! candidate (the fix). Confirmed only when the scenario fails on the baseline — its expectations
//! or goldens show the bug, and that evidence is shown — and passes on the candidate.

use super::live::{evidence, run_summary, Judgement, LiveScenario};
use crate::browser::live::{AppSource, LiveRun};
use crate::browser::Browser;
use crate::golden::{GoldenStore, UpdateMode};
use std::fmt::Write;

/// One build's run.
#[derive(Debug, Clone)]
pub struct BuildOutcome {
    pub app: AppSource,
    /// The run, unless it could not complete (then `error` says why).
    pub run: Option<LiveRun>,
    pub error: Option<String>,
    pub judgement: Judgement,
}

impl BuildOutcome {
    /// The run completed and every expectation, golden and request check held.
    pub fn passed(&self) -> bool {
        self.run.is_some() && self.judgement.passed()
    }

    /// The run completed and an expectation failed or a golden differs: the bug shows.
    pub fn reproduced(&self) -> bool {
        self.run.is_some()
            && (self.judgement.expectations_failed > 0 || self.judgement.checkpoints.iter().any(|c| c.verdict == "mismatch"))
    }

    pub fn summary(&self) -> serde_json::Value {
        let mut v = match &self.run {
            Some(run) => run_summary(&self.app, run),
            None => serde_json::json!({ "app": self.app.to_string() }),
        };
        v["passed"] = self.passed().into();
        if let Some(e) = &self.error {
            v["error"] = e.clone().into();
        }
        v["expectationsFailed"] = self.judgement.expectations_failed.into();
        v
    }
}

/// Both runs and the verdict.
#[derive(Debug, Clone)]
pub struct VerifyReport {
    pub confirmed: bool,
    pub baseline: BuildOutcome,
    pub candidate: BuildOutcome,
    /// The verdict with the baseline's evidence, as printed.
    pub text: String,
}

/// Runs `ls` against one build, judging with `golden`.
pub fn run_build(ls: &LiveScenario, browser: &Browser, app: AppSource, golden: &GoldenStore, baseline: bool) -> BuildOutcome {
    let result = ls.spec(app.clone()).and_then(|spec| browser.run_live(&spec));
    match result {
        Ok(run) => {
            let judgement = ls.judge(&run, golden, baseline);
            BuildOutcome { app, run: Some(run), error: None, judgement }
        }
        Err(e) => BuildOutcome { app, run: None, error: Some(e.to_string()), judgement: Judgement::default() },
    }
}

/// Runs the baseline (goldens only read: they describe the fixed behaviour) and the candidate
/// (goldens checked and written as `golden`'s mode says).
pub fn verify_fix(ls: &LiveScenario, browser: &Browser, baseline: AppSource, candidate: AppSource, golden: &GoldenStore) -> VerifyReport {
    let read_only = GoldenStore { mode: UpdateMode::No, ..golden.clone() };
    let baseline = run_build(ls, browser, baseline, &read_only, true);
    let candidate = run_build(ls, browser, candidate, golden, false);
    let confirmed = baseline.reproduced() && candidate.passed();
    let mut text = String::new();
    let _ = match (baseline.reproduced(), candidate.passed()) {
        (true, true) => writeln!(text, "fix confirmed: the bug reproduces on the baseline {} and not on the candidate {}", baseline.app, candidate.app),
        (false, _) if baseline.run.is_none() => writeln!(text, "fix NOT confirmed: the baseline {} did not run to the end", baseline.app),
        (false, _) => writeln!(text, "fix NOT confirmed: the bug does not reproduce on the baseline {}: every expectation held", baseline.app),
        (true, false) => writeln!(text, "fix NOT confirmed: the candidate {} still fails", candidate.app),
    };
    describe_build(&mut text, "baseline", &baseline, true);
    describe_build(&mut text, "candidate", &candidate, false);
    VerifyReport { confirmed, baseline, candidate, text }
}

fn describe_build(out: &mut String, role: &str, b: &BuildOutcome, is_baseline: bool) {
    if let Some(e) = &b.error {
        let _ = writeln!(out, "{role} {}: the run failed: {e}", b.app);
        return;
    }
    let j = &b.judgement;
    if j.passed() {
        let _ = writeln!(out, "{role} {}: passed ({} expectation(s), {} checkpoint(s))", b.app, j.expectations.len(), j.checkpoints.len());
    } else {
        let what = if is_baseline && b.reproduced() { "the bug reproduced" } else { "failed" };
        let _ = writeln!(out, "{role} {}: {what}:", b.app);
        for l in j.failures.lines() {
            let _ = writeln!(out, "  {l}");
        }
    }
    if let Some(run) = &b.run {
        let ev = evidence(run);
        if !ev.is_empty() {
            let _ = writeln!(out, "  evidence from the live page:");
            for l in ev.lines() {
                let _ = writeln!(out, "  {l}");
            }
        }
    }
}
