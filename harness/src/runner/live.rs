//! Live scenarios: the recording turned into a replay plan and run against the app under test
//! (browser::live), then judged like the other modes: DOM text and screenshots against goldens,
//! `expect` entries against the live page's queries and the run's console, exceptions and
//! requests.

use super::canonical::apply_ignore;
use super::expect::describe;
use super::report::{CheckpointReport, ExpectReport, ScenarioReport, Status};
use super::screenshot::{judge_screenshot, paint_boxes, pixel_options, Place};
use super::verify::{run_build, verify_fix};
use super::timing::{resolve_at, resolve_window};
use crate::browser::live::{AppSource, CheckpointSpec, LiveCheckpoint, LiveRun, LiveSpec};
use crate::browser::{Browser, LaunchOptions};
use crate::compare::diff_text;
use crate::events::normalize;
use crate::golden::{diff_summary, GoldenStore, ImageOutcome, Outcome};
use crate::ingest::{load, load_har, LoadOptions};
use crate::mock::UnmatchedPolicy;
use crate::model::{Event, Offset, Recording};
use crate::scenario::{plan, App, DomCapture, DomTargets, Expectation, Scenario, Unmatched};
use crate::{Error, Result};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// A live scenario, loaded: its recording, events and checkpoint times.
pub struct LiveScenario {
    pub id: String,
    pub path: PathBuf,
    pub scenario: Scenario,
    pub rec: Recording,
    pub events: Vec<Event>,
    /// Checkpoint offsets and how each was found, in scenario order.
    pub times: Vec<(f64, String)>,
}

/// How one run of a live scenario fared.
#[derive(Debug, Clone, Default)]
pub struct Judgement {
    pub checkpoints: Vec<CheckpointReport>,
    pub expectations: Vec<ExpectReport>,
    /// Every failure, as printed (empty when the run passed).
    pub failures: String,
    pub expectations_failed: usize,
    pub goldens_failed: usize,
}

impl Judgement {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl LiveScenario {
    pub fn load(id: &str, path: &Path, scenario: Scenario) -> Result<LiveScenario> {
        let replay = scenario_dir(path).join(&scenario.replay);
        let opts = LoadOptions { window: scenario.source_window.clone(), lenient: false };
        let rec = load(&replay, &opts)
            .map_err(|e| Error::Usage(format!("{}: recording `{}` cannot be read: {e}", path.display(), scenario.replay)))?;
        let events = normalize(&rec);
        let end = rec.duration().ms() + 1.0;
        let mut times = Vec::new();
        for cp in &scenario.checkpoints {
            let (offset, how) = resolve_at(&cp.at, &rec, &events)?;
            if offset.ms() > end {
                return Err(Error::Usage(format!(
                    "checkpoint `{}` at {} ({how}) is past the end of the recording ({} long)",
                    cp.name,
                    offset,
                    Offset(rec.duration().ms())
                )));
            }
            times.push((offset.ms(), how));
        }
        Ok(LiveScenario { id: id.to_string(), path: path.to_path_buf(), scenario, rec, events, times })
    }

    /// Where `app` (as written in the scenario, or on the command line when `from_cwd`) lives.
    pub fn app_source(&self, app: &App, from_cwd: bool) -> AppSource {
        match (&app.serve, &app.url) {
            (Some(folder), _) if from_cwd => AppSource::Folder(clean(Path::new(folder))),
            (Some(folder), _) => AppSource::Folder(clean(&scenario_dir(&self.path).join(folder))),
            (None, Some(url)) => AppSource::Url(url.clone()),
            (None, None) => AppSource::Folder(PathBuf::new()),
        }
    }

    /// The live run for `app`: the replay plan up to the window's end (or the recording's), the
    /// HAR's entries and then the recording's exchanges, and a checkpoint per scenario checkpoint
    /// with the selectors its expectations ask about.
    pub fn spec(&self, app: AppSource) -> Result<LiveSpec> {
        let s = &self.scenario;
        let (_, until) = resolve_window(s.window.as_ref(), &self.rec)?;
        let mut targets = DomTargets::new(&self.rec, &self.events);
        let replay = plan(&self.rec, &self.events, until, &mut targets);
        if replay.url.is_empty() {
            return Err(Error::Usage(format!("{}: the recording has no page URL (no Meta frame) to load the app at", self.path.display())));
        }
        let mut spec = LiveSpec::new(app, replay);
        if let Some(har) = &s.har {
            let file = scenario_dir(&self.path).join(har);
            let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
            spec.exchanges = load_har(&bytes, &file.display().to_string())?;
            spec.har_entries = spec.exchanges.len();
        }
        spec.exchanges.extend(self.rec.exchanges.iter().cloned());
        spec.unmatched = match s.unmatched.unwrap_or_default() {
            Unmatched::Fail => UnmatchedPolicy::Fail,
            Unmatched::NotFound => UnmatchedPolicy::NotFound,
            Unmatched::Abort => UnmatchedPolicy::Abort,
        };
        spec.seed = s.seed.unwrap_or(1);
        for (cp, (offset, _)) in s.checkpoints.iter().zip(&self.times) {
            let mut queries: Vec<String> = Vec::new();
            for e in s.expect.iter().filter(|e| e.at.as_deref() == Some(cp.name.as_str())) {
                if let Some(sel) = &e.selector {
                    if !queries.contains(sel) {
                        queries.push(sel.clone());
                    }
                }
            }
            spec.checkpoints.push(CheckpointSpec {
                name: cp.name.clone(),
                offset_ms: *offset,
                dom: cp.capture.dom.clone(),
                ignore: cp.ignore.selectors.clone(),
                screenshot: cp.capture.screenshot,
                masks: cp.pixels.mask.clone(),
                queries,
            });
        }
        spec.end_ms = until.min(self.rec.duration().ms() + 1.0);
        Ok(spec)
    }

    /// Judges a run: goldens through `golden` (read-only when its mode is `no`), expectations,
    /// and unmatched requests under the `fail` policy. For a `baseline` (the build with the bug),
    /// missing goldens are not reported: goldens describe the fixed behaviour.
    pub fn judge(&self, run: &LiveRun, golden: &GoldenStore, baseline: bool) -> Judgement {
        let mut j = Judgement::default();
        for (cp, (offset, how)) in self.scenario.checkpoints.iter().zip(&self.times) {
            let Some(live) = run.checkpoint(&cp.name) else { continue };
            let dom_file = format!("{}.dom.txt", cp.name);
            let mut cr = CheckpointReport {
                name: cp.name.clone(),
                offset_ms: Some(*offset),
                verdict: "match".into(),
                golden: golden.path(&self.id, &dom_file).display().to_string(),
                diff_summary: None,
                pending: None,
                error: None,
                screenshot: None,
            };
            if let (Some(dom), false) = (&live.dom, matches!(cp.capture.dom, DomCapture::All(false))) {
                match apply_ignore(dom, &cp.ignore).and_then(|text| golden.check_text(&self.id, &dom_file, &text).map(|o| (o, text))) {
                    Ok((Outcome::Missing { .. }, _)) if baseline => cr.verdict = "missing".into(),
                    Ok((outcome, text)) => self.note_text(&mut j, &mut cr, cp, (*offset, how), outcome, &text, golden, baseline),
                    Err(e) => {
                        cr.verdict = "error".into();
                        cr.error = Some(e.to_string());
                        j.goldens_failed += 1;
                        let _ = writeln!(j.failures, "checkpoint `{}`: {e}", cp.name);
                    }
                }
            }
            if let Some(png) = &live.png {
                let shot = paint_boxes(png, &live.boxes);
                if baseline {
                    // Evidence only: how far the build with the bug is from the fixed pixels.
                    let file = format!("{}.png", cp.name);
                    if let Ok(ImageOutcome::Mismatch { report, .. }) = shot.and_then(|(png, masks)| golden.check_png(&self.id, &file, &png, &pixel_options(&cp.pixels, &masks))) {
                        let _ = writeln!(j.failures, "checkpoint `{}` at {} ({how}): screenshot differs from the golden: {}", cp.name, Offset(*offset), diff_summary(&report));
                    }
                } else {
                    let replay = scenario_dir(&self.path).join(&self.scenario.replay);
                    let place = Place { id: &self.id, replay: &replay, offset: Offset(*offset), how };
                    let look = format!("  rerun:   reprise test {} --exact", self.id.replace('/', "::"));
                    let before = j.failures.len();
                    let report = judge_screenshot(&place, cp, shot, &run.browser, &look, golden, &mut j.failures);
                    if j.failures.len() > before {
                        j.goldens_failed += 1;
                    }
                    cr.screenshot = Some(report);
                }
            }
            j.checkpoints.push(cr);
        }
        for (index, e) in self.scenario.expect.iter().enumerate() {
            let description = describe(e);
            let message = self.check(e, run);
            if let Some(m) = &message {
                j.expectations_failed += 1;
                let _ = writeln!(j.failures, "expect[{index}] {description}: {m}");
            }
            j.expectations.push(ExpectReport { index, description, passed: message.is_none(), message });
        }
        if self.scenario.unmatched.unwrap_or_default() == Unmatched::Fail && !run.unmatched.is_empty() {
            let list: Vec<String> = run.unmatched.iter().map(|u| format!("{} {}", u.method, u.url)).collect();
            let _ = writeln!(
                j.failures,
                "{} request(s) had no recorded answer (unmatched: fail): {}\n  answer them with a HAR (`har`), or set `unmatched` to `404` or `abort`",
                list.len(),
                list.join(", ")
            );
        }
        j
    }

    #[allow(clippy::too_many_arguments)]
    fn note_text(
        &self,
        j: &mut Judgement,
        cr: &mut CheckpointReport,
        cp: &crate::scenario::Checkpoint,
        (offset, how): (f64, &str),
        outcome: Outcome,
        actual: &str,
        golden: &GoldenStore,
        baseline: bool,
    ) {
        let path = golden.path(&self.id, &format!("{}.dom.txt", cp.name));
        match outcome {
            Outcome::Match => {}
            Outcome::Updated { .. } => cr.verdict = "updated".into(),
            Outcome::Missing { pending } => {
                j.goldens_failed += 1;
                cr.verdict = "missing".into();
                cr.pending = pending.as_ref().map(|p| p.display().to_string());
                let _ = writeln!(j.failures, "checkpoint `{}` at {} ({how}): no golden file {}", cp.name, Offset(offset), path.display());
                match &pending {
                    Some(p) => {
                        let _ = writeln!(j.failures, "  the live page's DOM was written to {} for review", p.display());
                    }
                    None => {
                        let _ = writeln!(j.failures, "  nothing was written (CI or REPRISE_UPDATE=no); run locally to create it");
                    }
                }
                let _ = writeln!(j.failures, "  accept:  reprise golden accept {}/{}.dom.txt", self.id, cp.name);
            }
            Outcome::Mismatch { expected, pending } => {
                j.goldens_failed += 1;
                cr.verdict = "mismatch".into();
                // Live ids count nodes in document order, so one added node renumbers every later
                // line: the diff is shown without them.
                let diff = diff_text(&without_ids(&expected), &without_ids(actual), 3, 40);
                cr.diff_summary = Some(diff.summary());
                cr.pending = pending.as_ref().map(|p| p.display().to_string());
                let _ = writeln!(j.failures, "checkpoint `{}` at {} ({how}): the live page's DOM differs from {}: {}", cp.name, Offset(offset), path.display(), diff.summary());
                for l in diff.unified.lines() {
                    let _ = writeln!(j.failures, "  {l}");
                }
                if let Some(p) = &pending {
                    let _ = writeln!(j.failures, "  the new DOM was written to {}", p.display());
                }
                if !baseline {
                    let _ = writeln!(j.failures, "  accept:  reprise golden accept {}/{}.dom.txt", self.id, cp.name);
                }
            }
        }
    }

    /// Why `e` does not hold in `run`, or None when it does.
    fn check(&self, e: &Expectation, run: &LiveRun) -> Option<String> {
        if let Some(at) = &e.at {
            let sel = e.selector.as_deref().unwrap_or("");
            let Some(cp) = run.checkpoint(at) else { return Some(format!("checkpoint `{at}` was not captured")) };
            return check_query(e, sel, cp);
        }
        let window = e.no_console_error.as_ref().or(e.no_error_event.as_ref()).or(e.no_failed_request.as_ref());
        let (from, to) = match resolve_window(window, &self.rec) {
            Ok(w) => w,
            Err(err) => return Some(err.to_string()),
        };
        let inside = |t: f64| t >= from && t <= to;
        let bad: Vec<String> = if e.no_console_error.is_some() {
            run.console.iter().filter(|c| c.level == "error" && inside(c.offset_ms)).map(|c| format!("console.error at {}: {}", Offset(c.offset_ms), c.text)).collect()
        } else if e.no_error_event.is_some() {
            run.exceptions.iter().filter(|x| inside(x.offset_ms)).map(|x| format!("exception at {}: {}", Offset(x.offset_ms), x.text)).collect()
        } else {
            run.requests
                .iter()
                .filter(|r| r.failed() && inside(r.offset_ms))
                .map(|r| match r.status {
                    Some(s) => format!("{} {} answered {s} at {}", r.method, r.url, Offset(r.offset_ms)),
                    None => format!("{} {} failed at {}", r.method, r.url, Offset(r.offset_ms)),
                })
                .collect()
        };
        (!bad.is_empty()).then(|| bad.iter().take(5).cloned().collect::<Vec<_>>().join("; "))
    }
}

fn check_query(e: &Expectation, sel: &str, cp: &LiveCheckpoint) -> Option<String> {
    let Some(q) = cp.query(sel) else { return Some(format!("`{sel}` was not queried")) };
    if let Some(err) = &q.error {
        return Some(format!("selector `{sel}`: {err}"));
    }
    if let Some(p) = e.present {
        return (p != (q.count > 0)).then(|| format!("`{sel}` matched {} element(s)", q.count));
    }
    if let Some(n) = e.count {
        return (n != q.count).then(|| format!("`{sel}` matched {} element(s), expected {n}", q.count));
    }
    if q.count == 0 {
        return Some(format!("`{sel}` matched nothing"));
    }
    let text = q.text.clone().unwrap_or_default();
    if let Some(t) = &e.text {
        let want = t.split_whitespace().collect::<Vec<_>>().join(" ");
        return (text != want).then(|| format!("text is {text:?}"));
    }
    if let Some(r) = &e.text_matches {
        return match regex::Regex::new(r) {
            Ok(re) => (!re.is_match(&text)).then(|| format!("text is {text:?}")),
            Err(err) => Some(format!("textMatches: {err}")),
        };
    }
    if let Some(v) = &e.value {
        return match &q.value {
            Some(actual) if actual == v => None,
            Some(actual) => Some(format!("value is {actual:?}")),
            None => Some("the element has no input value".into()),
        };
    }
    None
}

/// Canonical text without the ` @<id>` line ends.
fn without_ids(text: &str) -> String {
    text.lines()
        .map(|l| match l.rsplit_once(" @") {
            Some((head, id)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => format!("{head}\n"),
            _ => format!("{l}\n"),
        })
        .collect()
}

/// `a/b/../c` as `a/c`, without touching the file system (for messages and reports).
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn scenario_dir(path: &Path) -> PathBuf {
    path.parent().unwrap_or(Path::new(".")).to_path_buf()
}

/// The run as the JSON report shows it (virtual times only, so reports stay identical run to run).
pub fn run_summary(app: &AppSource, run: &LiveRun) -> serde_json::Value {
    serde_json::json!({
        "app": app.to_string(),
        "browser": run.browser,
        "steps": run.steps.len(),
        "eventLog": run.event_log().lines().collect::<Vec<_>>(),
        "unmatched": run.unmatched.iter().map(|u| format!("{} {}", u.method, u.url)).collect::<Vec<_>>(),
        "unusedExchanges": run.unused_exchanges,
        "warnings": run.warnings,
    })
}

/// Evidence of a run for people: exceptions, console errors, failed and unmatched requests, and
/// notes (bodies that were not recorded, steps that behaved differently).
pub fn evidence(run: &LiveRun) -> String {
    let mut out = String::new();
    for x in &run.exceptions {
        let _ = writeln!(out, "  {} exception: {}", Offset(x.offset_ms), x.text);
    }
    for c in run.console.iter().filter(|c| c.level == "error") {
        let _ = writeln!(out, "  {} console.error: {}", Offset(c.offset_ms), c.text);
    }
    for r in run.requests.iter().filter(|r| r.failed()) {
        let status = r.status.map_or_else(|| "no response".to_string(), |s| s.to_string());
        let _ = writeln!(out, "  {} {} {} -> {status} ({})", Offset(r.offset_ms), r.method, r.url, r.answer.name());
    }
    for r in run.requests.iter().filter(|r| r.note.is_some()) {
        let _ = writeln!(out, "  {} {} {}: {}", Offset(r.offset_ms), r.method, r.url, r.note.as_deref().unwrap_or(""));
    }
    for s in run.steps.iter().filter(|s| s.note.is_some()) {
        let _ = writeln!(out, "  {} step {}: {}", Offset(s.offset_ms), s.description, s.note.as_deref().unwrap_or(""));
    }
    for w in &run.warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    out
}

/// A live scenario as the suite runs it: one run against `app`, or a fix confirmation on
/// `baseline` and `candidate`. Each scenario launches a browser of its own (not the run's shared
/// one), so a Chromium that dies takes only its own scenario down.
pub(super) fn run_scenario(id: &str, path: &Path, scenario: Scenario, golden: &GoldenStore, chrome: Option<&Path>, report: &mut ScenarioReport) {
    let fail = |report: &mut ScenarioReport, msg: String| {
        report.status = Status::Failed;
        report.failure = Some(msg);
    };
    let ls = match LiveScenario::load(id, path, scenario) {
        Ok(ls) => ls,
        Err(e) => return fail(report, e.to_string()),
    };
    let options = LaunchOptions { chrome: chrome.map(Path::to_path_buf), ..LaunchOptions::default() };
    let browser = match Browser::launch(&options) {
        Ok(b) => b,
        Err(e) => return fail(report, format!("{}: a live scenario needs Chromium: {e}", path.display())),
    };
    if let (Some(b), Some(c)) = (&ls.scenario.baseline, &ls.scenario.candidate) {
        let v = verify_fix(&ls, &browser, ls.app_source(b, false), ls.app_source(c, false), golden);
        report.checkpoints = v.candidate.judgement.checkpoints.clone();
        report.expectations = v.candidate.judgement.expectations.clone();
        report.live = Some(serde_json::json!({
            "verifyFix": { "confirmed": v.confirmed, "baseline": v.baseline.summary(), "candidate": v.candidate.summary() }
        }));
        if !v.confirmed {
            fail(report, v.text.trim_end().to_string());
        }
        return;
    }
    let Some(app) = ls.scenario.app.clone() else { return fail(report, "a live scenario needs `app`".into()) };
    let b = run_build(&ls, &browser, ls.app_source(&app, false), golden, false);
    report.checkpoints = b.judgement.checkpoints.clone();
    report.expectations = b.judgement.expectations.clone();
    report.live = Some(b.summary());
    if let Some(e) = &b.error {
        fail(report, format!("{}: live run against {} failed: {e}", path.display(), b.app));
    } else if !b.passed() {
        let mut msg = b.judgement.failures.trim_end().to_string();
        let ev = b.run.as_ref().map(evidence).unwrap_or_default();
        if !ev.is_empty() {
            msg.push_str("\nevidence from the live page:\n");
            msg.push_str(ev.trim_end());
        }
        fail(report, msg);
    }
}
