//! One scenario, start to finish: parse, load the recording, resolve checkpoint times, capture and
//! compare evidence, evaluate expectations, and explain any failure with pointers and commands.

use super::canonical::{apply_ignore, extract, remove};
use super::dom_view::DomView;
use super::expect::{check_dom, check_events, describe, pointer_line};
use super::report::{CheckpointReport, ExpectReport, ScenarioReport, Status};
use super::screenshot::{check_screenshot, Place};
use super::shared_browser::{BrowserConfig, SharedBrowser};
use super::timing::resolve_at;
use crate::compare::diff_text;
use crate::events::normalize;
use crate::golden::{GoldenStore, Outcome};
use crate::ingest::{load, LoadOptions};
use crate::model::{Offset, Recording};
use crate::scenario::{parse, Checkpoint, DomCapture, Mode, Scenario};
use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

/// Runs the scenario at `path` (id `id`) and returns its report. Never panics on bad input: a
/// broken scenario is a failed report that says why. A render scenario launches a browser of its
/// own, reaped before this returns; a suite shares one through [`run_one_with`].
pub fn run_one(id: &str, path: &Path, golden: &GoldenStore) -> ScenarioReport {
    run_one_with(id, path, golden, &SharedBrowser::new(BrowserConfig::default()))
}

/// [`run_one`] with the run's shared browser.
pub fn run_one_with(id: &str, path: &Path, golden: &GoldenStore, browser: &SharedBrowser) -> ScenarioReport {
    let mut report = ScenarioReport {
        name: id.replace('/', "::"),
        id: id.to_string(),
        path: path.display().to_string(),
        title: None,
        mode: None,
        status: Status::Passed,
        duration_ms: 0.0,
        checkpoints: Vec::new(),
        expectations: Vec::new(),
        failure: None,
        skipped: None,
        live: None,
    };
    let fail = |report: &mut ScenarioReport, msg: String| {
        report.status = Status::Failed;
        report.failure = Some(msg);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            fail(&mut report, format!("cannot read {}: {e}", path.display()));
            return report;
        }
    };
    let scenario = match parse(&text, &path.display().to_string()) {
        Ok(s) => s,
        Err(e) => {
            fail(&mut report, e.to_string());
            return report;
        }
    };
    report.title = Some(scenario.name.clone());
    report.mode = Some(format!("{:?}", scenario.mode).to_lowercase());
    if scenario.mode == Mode::Render || scenario.mode == Mode::Live {
        if let Some(why) = browser.render_skip_reason() {
            report.status = Status::Ignored;
            report.skipped = Some(why);
            return report;
        }
    }
    if scenario.mode == Mode::Live {
        super::live::run_scenario(id, path, scenario, golden, browser.chrome(), &mut report);
        return report;
    }
    let replay = path.parent().unwrap_or(Path::new(".")).join(&scenario.replay);
    let opts = LoadOptions { window: scenario.source_window.clone(), lenient: false };
    let rec = match load(&replay, &opts) {
        Ok(r) => r,
        Err(e) => {
            fail(&mut report, format!("{}: recording `{}` cannot be read: {e}", path.display(), scenario.replay));
            return report;
        }
    };
    let mut failures = String::new();
    let events = normalize(&rec);
    let ctx = Ctx { id, replay: &replay, golden, browser };
    let views = run_checkpoints(&ctx, &scenario, &rec, &events, &mut report, &mut failures);
    run_expectations(&scenario, &rec, &events, &views, &mut report, &mut failures);
    if !failures.is_empty() {
        fail(&mut report, failures.trim_end().to_string());
    }
    report
}

/// What every checkpoint of a scenario shares.
struct Ctx<'a> {
    id: &'a str,
    replay: &'a Path,
    golden: &'a GoldenStore,
    browser: &'a SharedBrowser,
}

fn run_checkpoints<'r>(
    ctx: &Ctx<'_>,
    scenario: &Scenario,
    rec: &'r Recording,
    events: &[crate::model::Event],
    report: &mut ScenarioReport,
    failures: &mut String,
) -> HashMap<String, DomView<'r>> {
    let (id, replay, golden) = (ctx.id, ctx.replay, ctx.golden);
    let mut views = HashMap::new();
    let end = rec.duration().ms() + 1.0;
    for cp in &scenario.checkpoints {
        let file = format!("{}.dom.txt", cp.name);
        let golden_path = golden.path(id, &file);
        let mut cr = CheckpointReport {
            name: cp.name.clone(),
            offset_ms: None,
            verdict: "error".into(),
            golden: golden_path.display().to_string(),
            diff_summary: None,
            pending: None,
            error: None,
            screenshot: None,
        };
        let result = (|| -> crate::Result<(Offset, Option<Outcome>, String, DomView<'r>, String)> {
            let (offset, how) = resolve_at(&cp.at, rec, events)?;
            if offset.ms() > end {
                return Err(crate::Error::Usage(format!(
                    "checkpoint `{}` at {} ({how}) is past the end of the recording ({} long)",
                    cp.name,
                    Offset(offset.ms()),
                    Offset(rec.duration().ms())
                )));
            }
            let view = DomView::at(rec, offset)?;
            let captured = capture_text(cp, &view)?;
            let outcome = match &cp.capture.dom {
                DomCapture::All(false) => None,
                _ => Some(golden.check_text(id, &file, &captured)?),
            };
            Ok((offset, outcome, how, view, captured))
        })();
        match result {
            Ok((offset, outcome, how, view, actual)) => {
                cr.offset_ms = Some(offset.ms());
                match outcome {
                    None | Some(Outcome::Match) => cr.verdict = "match".into(),
                    Some(Outcome::Updated { .. }) => cr.verdict = "updated".into(),
                    Some(Outcome::Missing { pending }) => {
                        cr.verdict = "missing".into();
                        cr.pending = pending.as_ref().map(|p| p.display().to_string());
                        let _ = writeln!(failures, "checkpoint `{}` at {} ({how}): no golden file {}", cp.name, Offset(offset.ms()), golden_path.display());
                        match &pending {
                            Some(p) => {
                                let _ = writeln!(failures, "  the captured DOM was written to {} for review", p.display());
                            }
                            None => {
                                let _ = writeln!(failures, "  nothing was written (CI or REPRISE_UPDATE=no); run locally to create it");
                            }
                        }
                        explain(failures, id, cp, replay, rec, offset);
                    }
                    Some(Outcome::Mismatch { expected, pending }) => {
                        cr.verdict = "mismatch".into();
                        let diff = diff_text(&expected, &actual, 3, 40);
                        cr.diff_summary = Some(diff.summary());
                        cr.pending = pending.as_ref().map(|p| p.display().to_string());
                        let _ = writeln!(failures, "checkpoint `{}` at {} ({how}): DOM differs from {}: {}", cp.name, Offset(offset.ms()), golden_path.display(), diff.summary());
                        for l in diff.unified.lines() {
                            let _ = writeln!(failures, "  {l}");
                        }
                        if let Some(p) = &pending {
                            let _ = writeln!(failures, "  the new DOM was written to {}", p.display());
                        }
                        explain(failures, id, cp, replay, rec, offset);
                    }
                }
                if cp.capture.screenshot && scenario.mode == Mode::Render {
                    let place = Place { id, replay, offset, how: &how };
                    cr.screenshot = Some(check_screenshot(&place, cp, view.dom(), ctx.browser, golden, failures));
                }
                views.insert(cp.name.clone(), view);
            }
            Err(e) => {
                cr.error = Some(e.to_string());
                let _ = writeln!(failures, "checkpoint `{}`: {e}", cp.name);
            }
        }
        report.checkpoints.push(cr);
    }
    views
}

/// The canonical text a checkpoint captures: whole document or selected subtrees, minus ignored
/// parts.
fn capture_text(cp: &Checkpoint, view: &DomView) -> crate::Result<String> {
    let mut text = match &cp.capture.dom {
        DomCapture::Selectors { selectors } => {
            let mut ids = Vec::new();
            for s in selectors {
                ids.extend(view.select(s)?);
            }
            extract(&view.text, &ids)
        }
        _ => view.text.clone(),
    };
    if !cp.ignore.selectors.is_empty() {
        let mut ids = Vec::new();
        for s in &cp.ignore.selectors {
            ids.extend(view.select(s)?);
        }
        text = remove(&text, &ids);
    }
    apply_ignore(&text, &cp.ignore)
}

/// Evidence pointers of the last frames before the checkpoint, and the commands to look and accept.
fn explain(out: &mut String, id: &str, cp: &Checkpoint, replay: &Path, rec: &Recording, offset: Offset) {
    let cut = rec.timestamp_at(offset).0;
    let before = rec.frames.partition_point(|f| f.timestamp.0 < cut);
    let _ = writeln!(out, "  last frames before it:");
    for f in &rec.frames[before.saturating_sub(3)..before] {
        let what = match &f.data {
            crate::model::FrameData::Incremental(i) => i.source_name().to_string(),
            other => format!("type {}", other.event_type()),
        };
        let _ = writeln!(out, "    segment {} frame {} at {}: {what}", f.pointer.segment, f.pointer.frame, Offset(f.timestamp.0 - rec.start().0));
    }
    let _ = writeln!(out, "  inspect: reprise dom {} --at {}ms", replay.display(), offset.ms());
    let _ = writeln!(out, "  accept:  reprise golden accept {id}/{}.dom.txt", cp.name);
}

fn run_expectations(
    scenario: &Scenario,
    rec: &Recording,
    events: &[crate::model::Event],
    views: &HashMap<String, DomView<'_>>,
    report: &mut ScenarioReport,
    failures: &mut String,
) {
    for (index, e) in scenario.expect.iter().enumerate() {
        let description = describe(e);
        let message = match &e.at {
            Some(at) => match views.get(at) {
                Some(view) => check_dom(e, view).unwrap_or_else(|err| Some(err.to_string())),
                None => Some(format!("checkpoint `{at}` has no DOM (it failed)")),
            },
            None => match check_events(e, rec, events) {
                Ok(bad) if bad.is_empty() => None,
                Ok(bad) => Some(bad.iter().take(5).map(|ev| pointer_line(ev)).collect::<Vec<_>>().join("; ")),
                Err(err) => Some(err.to_string()),
            },
        };
        if let Some(m) = &message {
            let _ = writeln!(failures, "expect[{index}] {description}: {m}");
        }
        report.expectations.push(ExpectReport { index, description, passed: message.is_none(), message });
    }
}
