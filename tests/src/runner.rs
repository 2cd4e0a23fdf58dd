//! The scenario runner judged by scenarios with known verdicts: passes, DOM mismatch, missing
//! golden, invalid JSON, unknown key, recording missing, checkpoint past the end. Each is
//! reported correctly, the others still run, exit codes are right, CI writes nothing.

use reprise_tests::*;
use std::path::{Path, PathBuf};

const RECORDING: &str = "scenarios/recordings/react-vite-counter.rrweb.json.gz";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A scratch project with one scenario per verdict; returns (root, scenarios dir, golden dir).
fn project(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let root = scratch(name);
    let rec = workspace().join(RECORDING);
    let rec = rec.to_str().unwrap();
    let sc = root.join("scenarios");
    let ok = format!(r#"{{"name":"passes","replay":"{rec}","checkpoints":[{{"name":"mid","at":"50%"}},{{"name":"end","at":"end"}}],"expect":[{{"noErrorEvent":{{}}}}]}}"#);
    write(&sc.join("meta/passes.scenario.json"), &ok);
    write(&sc.join("meta/mismatch.scenario.json"), &ok.replace("\"passes\"", "\"mismatch\""));
    write(&sc.join("meta/missing-golden.scenario.json"), &ok.replace("\"passes\"", "\"missing\""));
    write(&sc.join("meta/invalid-json.scenario.json"), "{\"name\": \"broken\", \"replay\": ");
    write(&sc.join("meta/unknown-key.scenario.json"), &ok.replace("\"checkpoints\"", "\"chekpoints\":[],\"checkpoints\""));
    write(&sc.join("meta/recording-missing.scenario.json"), &ok.replace(rec, "no/such/recording.json"));
    write(&sc.join("meta/past-end.scenario.json"), &ok.replace("\"50%\"", "\"99:00\""));
    (root.clone(), sc, root.join("golden"))
}

fn run_test(root: &Path, extra: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut args = vec!["test", "--scenarios-dir", "scenarios", "--golden-dir", "golden", "--test-threads", "2"];
    args.extend_from_slice(extra);
    reprise_in(root, &args, env)
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_verdict_is_reported_and_ci_writes_nothing() {
    let (root, _sc, golden) = project("runner-meta");
    // Goldens for the scenarios that should have them.
    for p in ["scenarios/meta/passes.scenario.json", "scenarios/meta/mismatch.scenario.json"] {
        let out = run_test(&root, &["--path", p], &[("REPRISE_UPDATE", "always"), ("CI", "")]);
        assert!(out.status.success(), "{p}: {}{}", stdout(&out), stderr(&out));
    }
    let mid = golden.join("meta/mismatch/mid.dom.txt");
    let text = std::fs::read_to_string(&mid).unwrap();
    assert!(text.starts_with("#document @"), "{text}");
    std::fs::write(&mid, text.replacen("#document", "#document-edited", 1)).unwrap();
    let before = files_under(&golden);

    let report = root.join("report.json");
    let out = run_test(&root, &["--report-json", report.to_str().unwrap(), "--junit", root.join("junit.xml").to_str().unwrap()], &[("CI", "true")]);
    let (so, se) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(101), "{so}{se}");
    assert_eq!(files_under(&golden), before, "CI wrote under golden/");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let status = |name: &str| -> (String, String) {
        let s = v["scenarios"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("{name} missing: {v}"));
        (s["status"].as_str().unwrap().to_string(), s["failure"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(status("meta::passes").0, "passed");
    let (st, why) = status("meta::mismatch");
    assert_eq!(st, "failed");
    assert!(why.contains("checkpoint `mid`") && why.contains("DOM differs") && why.contains("-#document-edited"), "{why}");
    assert!(why.contains("segment") && why.contains("reprise dom ") && why.contains("reprise golden accept meta/mismatch/mid.dom.txt"), "{why}");
    let (st, why) = status("meta::missing-golden");
    assert_eq!(st, "failed");
    assert!(why.contains("no golden file") && why.contains("nothing was written"), "{why}");
    let (st, why) = status("meta::invalid-json");
    assert!(st == "failed" && why.contains("invalid JSON") && why.contains("invalid-json.scenario.json"), "{why}");
    let (st, why) = status("meta::unknown-key");
    assert!(st == "failed" && why.contains("unknown field `chekpoints`") && why.contains("unknown-key.scenario.json"), "{why}");
    let (st, why) = status("meta::recording-missing");
    assert!(st == "failed" && why.contains("no/such/recording.json"), "{why}");
    let (st, why) = status("meta::past-end");
    assert!(st == "failed" && why.contains("past the end of the recording"), "{why}");
    assert_eq!(v["passed"], 1);
    assert_eq!(v["failed"], 6);
    let junit = std::fs::read_to_string(root.join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), 7);
    assert_eq!(junit.matches("<failure ").count(), 6);

    // Locally (no CI), the same run leaves pending files for the two DOM failures.
    let out = run_test(&root, &[], &[("CI", "")]);
    assert_eq!(out.status.code(), Some(101));
    let pending = reprise_in(&root, &["golden", "pending"], &[]);
    let list = stdout(&pending);
    assert_eq!(list.lines().collect::<Vec<_>>(), ["meta/mismatch/mid.dom.txt", "meta/missing-golden/end.dom.txt", "meta/missing-golden/mid.dom.txt", "meta/past-end/end.dom.txt"], "{list}");
    let acc = reprise_in(&root, &["golden", "accept", "meta/mismatch"], &[]);
    assert!(acc.status.success());
    let rej = reprise_in(&root, &["golden", "reject"], &[]);
    assert!(rej.status.success());
    assert!(stdout(&reprise_in(&root, &["golden", "pending"], &[])).is_empty());
    let out = run_test(&root, &["meta::mismatch"], &[("CI", "true")]);
    assert!(out.status.success(), "accepted golden passes: {}", stdout(&out));
}

#[test]
fn reports_are_identical_across_runs_apart_from_durations() {
    let (root, _sc, _golden) = project("runner-report");
    let _ = run_test(&root, &["--path", "scenarios/meta/passes.scenario.json"], &[("REPRISE_UPDATE", "always"), ("CI", "")]);
    let read = |name: &str| {
        let p = root.join(name);
        let _ = run_test(&root, &["--report-json", p.to_str().unwrap()], &[("CI", "true")]);
        let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        for s in v["scenarios"].as_array_mut().unwrap() {
            s["durationMs"] = serde_json::Value::Null;
        }
        v
    };
    assert_eq!(read("a.json"), read("b.json"));
}

#[test]
fn list_filter_and_shards() {
    let (root, _sc, _golden) = project("runner-list");
    let list = stdout(&run_test(&root, &["--list"], &[]));
    assert_eq!(list.matches(": test").count(), 7, "{list}");
    assert!(list.contains("meta::passes: test"));
    let mut seen = Vec::new();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let out = stdout(&run_test(&root, &["--list", "--shard", &shard], &[]));
        seen.extend(out.lines().filter(|l| l.ends_with(": test")).map(str::to_owned));
    }
    seen.sort();
    assert_eq!(seen.len(), 7, "shards partition the suite: {seen:?}");
    let out = run_test(&root, &["meta::passes", "--exact", "--list"], &[]);
    assert_eq!(stdout(&out).matches(": test").count(), 1);
}

#[test]
fn scenario_new_writes_a_scenario_and_pending_goldens_but_not_in_ci() {
    let root = scratch("scenario-new");
    let rec = workspace().join("scenarios/recordings/checkout-double-submit.sentry");
    let out = reprise_in(&root, &["scenario", "new", "shop/checkout", "--from", rec.to_str().unwrap()], &[("CI", "")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(root.join("scenarios/shop/checkout.scenario.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let names: Vec<&str> = v["checkpoints"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    // After the page load, just before the recorded TypeError, and at the end.
    assert_eq!(names, ["after-navigation-1", "before-error-1", "end"]);
    let pending = stdout(&reprise_in(&root, &["golden", "pending"], &[]));
    assert_eq!(pending.lines().count(), 3, "{pending}");
    // Accepting them makes the new scenario pass.
    assert!(reprise_in(&root, &["golden", "accept"], &[]).status.success());
    assert!(run_test(&root, &[], &[("CI", "true")]).status.success());
    // Under CI nothing is written.
    let ci = scratch("scenario-new-ci");
    let out = reprise_in(&ci, &["scenario", "new", "x", "--from", rec.to_str().unwrap(), "--at", "5s"], &[("CI", "true")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!ci.join("golden").exists(), "CI wrote goldens");
}
