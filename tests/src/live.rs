//! Live mode against real Chromium: each demo app's bug shows on `buggy/` and not on `fixed/`,
//! `verify-fix` confirms it, runs are identical five times over, and the failure cases (app
//! folder missing, target missing, unmatched request, Chromium killed mid-run) fail their own
//! scenario only and leave no process behind. Every test skips with a notice without Chromium.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reprise::browser::live::{AppSource, LiveRun};
use reprise::browser::Browser;
use reprise::golden::{GoldenStore, UpdateMode};
use reprise::runner::{verify_fix, LiveScenario};
use reprise::scenario::parse;
use reprise_tests::*;

use crate::browser::{assert_gone, options, processes_mentioning, skip, temp_root, turn};

const DEMOS: [&str; 2] = ["search-race", "checkout-double-submit"];

fn demo(name: &str) -> LiveScenario {
    let path = workspace().join(format!("scenarios/live/{name}.scenario.json"));
    let scenario = parse(&std::fs::read_to_string(&path).unwrap(), &path.display().to_string()).unwrap();
    LiveScenario::load(&format!("live/{name}"), &path, scenario).unwrap()
}

fn builds(ls: &LiveScenario) -> (AppSource, AppSource) {
    let s = &ls.scenario;
    (ls.app_source(s.baseline.as_ref().unwrap(), false), ls.app_source(s.candidate.as_ref().unwrap(), false))
}

/// The checked-in goldens, never written.
fn goldens() -> GoldenStore {
    GoldenStore { root: workspace().join("golden"), mode: UpdateMode::No }
}

#[test]
fn demo_bugs_show_on_buggy_and_not_on_fixed() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("live-demos");
    let browser = Browser::launch(&options(&root)).unwrap();
    let search = demo("search-race");
    let (buggy, fixed) = builds(&search);
    let v = verify_fix(&search, &browser, buggy, fixed, &goldens());
    assert!(v.confirmed, "{}", v.text);
    let failures = &v.baseline.judgement.failures;
    assert!(failures.contains(r#"text is "8 results for \"fe\"""#), "{failures}");
    assert!(failures.contains("matched 8 element(s), expected 4"), "{failures}");
    // Both builds make the same four requests; the answer for `fe` comes last, as recorded.
    for b in [&v.baseline, &v.candidate] {
        let run = b.run.as_ref().unwrap();
        let urls: Vec<&str> = run.requests.iter().filter(|r| r.url.contains("/api/")).map(|r| r.url.rsplit('=').next().unwrap()).collect();
        assert_eq!(urls, ["f", "fe", "fer", "fern"]);
        assert_eq!(run.unused_exchanges, 0);
    }

    let checkout = demo("checkout-double-submit");
    let (buggy, fixed) = builds(&checkout);
    let v = verify_fix(&checkout, &browser, buggy, fixed, &goldens());
    assert!(v.confirmed, "{}", v.text);
    let run = v.baseline.run.as_ref().unwrap();
    let posts: Vec<Option<u16>> = run.requests.iter().filter(|r| r.method == "POST").map(|r| r.status).collect();
    assert_eq!(posts, [Some(201), Some(409)], "the nth POST gets the nth recorded answer");
    assert!(run.exceptions.iter().any(|e| e.text.contains("Cannot read properties of undefined (reading 'id')")), "{:?}", run.exceptions);
    assert!(v.text.contains("Something went wrong. Please try again."), "{}", v.text);
    let run = v.candidate.run.as_ref().unwrap();
    assert_eq!(run.requests.iter().filter(|r| r.method == "POST").count(), 1, "the second press hits a disabled button");
    assert_eq!(run.unused_exchanges, 1, "the second recorded answer is never asked for, and that is fine");
    assert!(run.exceptions.is_empty());
    assert!(run.steps.iter().any(|s| s.note.as_deref() == Some("the element is disabled: the press does nothing")));
    drop(browser);
    assert_gone(&root, None);
}

#[test]
fn verify_fix_command_confirms_and_refuses() {
    if skip() {
        return;
    }
    let _turn = turn();
    let ws = workspace();
    let ci = [("CI", "true")];
    let out = reprise_in(&ws, &["verify-fix", "scenarios/live/search-race.scenario.json"], &ci);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).starts_with("fix confirmed"), "{}", stdout(&out));
    let fixed = "scenarios/apps/search/fixed";
    let args = ["verify-fix", "scenarios/live/search-race.scenario.json", "--baseline", fixed, "--candidate", fixed, "--json"];
    let out = reprise_in(&ws, &args, &ci);
    assert_eq!(out.status.code(), Some(101), "{}{}", stdout(&out), stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["confirmed"], false);
    assert_eq!(v["baseline"]["passed"], true, "the fixed build passes as a baseline: no bug to confirm");
    let out = reprise_in(&ws, &["verify-fix", "scenarios/ace/editing.scenario.json"], &ci);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// Everything a run shows: DOM text and PNG of every checkpoint, and the event log.
fn fingerprint(run: &LiveRun) -> (Vec<String>, Vec<Vec<u8>>, String) {
    let doms = run.checkpoints.iter().map(|c| c.dom.clone().unwrap_or_default()).collect();
    let pngs = run.checkpoints.iter().filter_map(|c| c.png.clone()).collect();
    (doms, pngs, run.event_log())
}

#[test]
fn each_live_scenario_gives_identical_runs_five_times() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("live-determinism");
    for name in DEMOS {
        let ls = demo(name);
        let (buggy, fixed) = builds(&ls);
        for app in [buggy, fixed] {
            let spec = ls.spec(app.clone()).unwrap();
            let mut seen = Vec::new();
            // Three runs on one browser (new tabs), two on a fresh browser.
            for browser_run in [3, 2] {
                let browser = Browser::launch(&options(&root)).unwrap();
                for _ in 0..browser_run {
                    seen.push(fingerprint(&browser.run_live(&spec).unwrap()));
                }
            }
            let first = &seen[0];
            assert!(!first.1.is_empty() && first.0.iter().all(|d| !d.is_empty()));
            for (i, other) in seen.iter().enumerate().skip(1) {
                assert_eq!(first.0, other.0, "{name} on {app}: DOM text of run {} differs", i + 1);
                assert!(first.1 == other.1, "{name} on {app}: PNG of run {} differs", i + 1);
                assert_eq!(first.2, other.2, "{name} on {app}: event log of run {} differs", i + 1);
            }
        }
    }
    assert_gone(&root, None);
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A copy of a demo build with text replaced in its files.
fn variant(dir: &Path, from: &str, edits: &[(&str, &str)]) -> PathBuf {
    for f in ["index.html", "app.js", "style.css"] {
        let mut text = std::fs::read_to_string(workspace().join(from).join(f)).unwrap();
        for (a, b) in edits {
            text = text.replace(a, b);
        }
        write(&dir.join(f), &text);
    }
    dir.to_path_buf()
}

fn scenario(recording: &str, app: &Path, expect: &str) -> String {
    let rec = workspace().join("scenarios/recordings").join(recording);
    format!(
        r#"{{"name":"n","replay":{},"mode":"live","app":{{"serve":{}}},
            "checkpoints":[{{"name":"end","at":"end","capture":{{"dom":false}}}}],"expect":[{expect}]}}"#,
        serde_json::Value::String(rec.display().to_string()),
        serde_json::Value::String(app.display().to_string())
    )
}

#[test]
fn failures_stay_with_their_scenario_and_leave_no_process() {
    if skip() {
        return;
    }
    let _turn = turn();
    let dir = scratch("live-failures");
    let tmp = temp_root("live-failures");
    let apps = dir.join("apps");
    // The app hangs on the first click, so the kill below surely lands mid-replay.
    let hangs = [("$('to-address').addEventListener('click', function () {", "$('to-address').addEventListener('click', function () {\n    for (;;) {}")];
    let checkout = variant(&apps.join("checkout"), "scenarios/apps/checkout/fixed", &hangs);
    let renamed = variant(&apps.join("renamed"), "scenarios/apps/checkout/fixed", &[("place-order", "submit-order"), ("Place order", "Submit order")]);
    let search = variant(&apps.join("search"), "scenarios/apps/search/fixed", &[]);
    let extra = variant(&apps.join("extra"), "scenarios/apps/search/fixed", &[("})();", "  fetch('/api/extra');\n})();")]);
    let sc = dir.join("scenarios/live");
    let order = r##"{"at":"end","selector":"#order-id","text":"ORD-1001"}"##;
    let fern = r##"{"at":"end","selector":"#status","text":"4 results for \"fern\""}"##;
    write(&sc.join("a-killed.scenario.json"), &scenario("checkout-double-submit.sentry", &checkout, order));
    write(&sc.join("b-folder-missing.scenario.json"), &scenario("search-race.sentry", &apps.join("nowhere"), fern));
    write(&sc.join("c-target-missing.scenario.json"), &scenario("checkout-double-submit.sentry", &renamed, order));
    write(&sc.join("d-unmatched.scenario.json"), &scenario("search-race.sentry", &extra, fern));
    write(&sc.join("e-passes.scenario.json"), &scenario("search-race.sentry", &search, fern));

    // Kill the first Chromium of the run (scenario a) once it has had time to reach the hang.
    let marker = tmp.clone();
    let killer = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let leader = processes_mentioning(&marker).into_iter().find(|p| p.contains("--remote-debugging-port") && !p.contains("--type="));
            if let Some(line) = leader {
                let pid = line.split(':').next().unwrap().to_string();
                std::thread::sleep(Duration::from_millis(600));
                let status = std::process::Command::new("kill").args(["-KILL", &pid]).status().unwrap();
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        false
    });
    let args = ["test", "--scenarios-dir", "scenarios", "--golden-dir", "golden", "--test-threads", "1", "--report-json", "report.json"];
    let out = reprise_in(&dir, &args, &[("TMPDIR", tmp.to_str().unwrap()), ("CI", "true")]);
    assert!(killer.join().unwrap(), "the killer found no Chromium to kill");
    let (so, se) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(101), "{so}{se}");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    let result = |name: &str| -> (String, String) {
        let s = report["scenarios"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("{name}: {report}"));
        (s["status"].as_str().unwrap().to_string(), s["failure"].as_str().unwrap_or("").to_string())
    };
    let (st, why) = result("live::a-killed");
    assert_eq!(st, "failed");
    assert!(why.contains("Chromium exited during the replay, at 00:02.740 of virtual time"), "{why}");
    let (st, why) = result("live::b-folder-missing");
    assert_eq!(st, "failed");
    assert!(why.contains("apps/nowhere does not exist"), "{why}");
    let (st, why) = result("live::c-target-missing");
    assert_eq!(st, "failed");
    assert!(why.contains("(focus #place-order at 00:13.113, segment 2, frame 7)"), "{why}");
    assert!(why.contains("the target is missing from the live page http://127.0.0.1:9202/"), "{why}");
    assert!(why.contains("`#place-order` (0 matches)") && why.contains(r#"`button with text "Place order"` (0 matches)"#), "{why}");
    let (st, why) = result("live::d-unmatched");
    assert_eq!(st, "failed");
    assert!(why.contains("1 request(s) had no recorded answer (unmatched: fail): GET http://127.0.0.1:9201/api/extra"), "{why}");
    assert_eq!(result("live::e-passes").0, "passed", "{so}");
    assert_gone(&tmp, None);
}

const KINDS_PAGE: &str = r#"<!doctype html><html><head><title>kinds</title></head><body style="margin:0">
<input id="agree" type="checkbox">
<select id="size"><option value="s">S</option><option value="m">M</option></select>
<input id="name">
<div id="box" style="height:100px;overflow:auto"><div style="height:1000px">tall</div></div>
<a id="next" href="/page2.html">next</a>
<p id="log"></p>
<p id="frames">0</p>
<div id="spin" style="width:40px;height:40px;background:#369;animation:spin 2s linear infinite"></div>
<style>@keyframes spin { from { transform: rotate(0deg) } to { transform: rotate(360deg) } }</style>
<div style="height:3000px"></div>
<script>
const log = (s) => { document.getElementById('log').textContent += s + ';'; };
agree.addEventListener('change', () => log('agree=' + agree.checked));
size.addEventListener('change', () => log('size=' + size.value));
document.getElementById('name').addEventListener('input', (e) => log('name=' + e.target.value));
document.addEventListener('keydown', (e) => log('key=' + e.key));
addEventListener('resize', () => log('resize=' + innerWidth + 'x' + innerHeight));
fetch('/api/data').then((r) => r.json()).then((d) => log('data=' + d.v));
let frames = 0;
const tick = () => { document.getElementById('frames').textContent = ++frames; requestAnimationFrame(tick); };
requestAnimationFrame(tick);
</script></body></html>"#;

const KINDS_PAGE2: &str = r#"<!doctype html><html><body><p id="p2">second page</p><p id="rnd"></p>
<script>document.getElementById('rnd').textContent = Math.random() + ' ' + crypto.getRandomValues(new Uint8Array(4)).join(',');</script></body></html>"#;

/// A hand-written recording with one interaction of every kind live mode replays.
fn kinds_recording() -> String {
    let t = |ms: u64| 1_800_000_000_000u64 + ms;
    let el = |id: u64, tag: &str, attrs: &str, kids: &str| format!(r#"{{"type":2,"tagName":"{tag}","attributes":{{{attrs}}},"childNodes":[{kids}],"id":{id}}}"#);
    let body = [
        el(5, "input", r#""id":"agree","type":"checkbox""#, ""),
        el(6, "select", r#""id":"size""#, ""),
        el(9, "input", r#""id":"name""#, ""),
        el(10, "div", r#""id":"box""#, ""),
        el(11, "a", r#""id":"next","href":"/page2.html""#, r#"{"type":3,"textContent":"next","id":12}"#),
    ]
    .join(",");
    let doc = format!(r#"{{"type":0,"childNodes":[{}],"id":1}}"#, el(3, "html", "", &el(4, "body", "", &body)));
    let input = |ms, id, text: &str, checked| format!(r#"{{"type":3,"data":{{"source":5,"id":{id},"text":"{text}","isChecked":{checked}}},"timestamp":{}}}"#, t(ms));
    let frames = [
        format!(r#"{{"type":4,"data":{{"href":"http://127.0.0.1:9301/","width":1000,"height":700}},"timestamp":{}}}"#, t(0)),
        format!(r#"{{"type":2,"data":{{"node":{doc},"initialOffset":{{"top":0,"left":0}}}},"timestamp":{}}}"#, t(1)),
        input(100, 5, "on", true),
        input(200, 6, "m", false),
        input(300, 9, "Al", false),
        input(350, 9, "A", false),
        input(400, 9, "Bo", false),
        format!(
            r#"{{"type":5,"timestamp":{},"data":{{"tag":"breadcrumb","payload":{{"timestamp":{},"category":"ui.keyDown","message":"body > input#name","data":{{"nodeId":9,"key":"Enter","ctrlKey":false}}}}}}}}"#,
            t(500),
            t(500) as f64 / 1000.0
        ),
        format!(r#"{{"type":3,"data":{{"source":3,"id":10,"x":0,"y":250}},"timestamp":{}}}"#, t(600)),
        format!(r#"{{"type":3,"data":{{"source":3,"id":1,"x":0,"y":400}},"timestamp":{}}}"#, t(700)),
        format!(r#"{{"type":3,"data":{{"source":4,"width":800,"height":600}},"timestamp":{}}}"#, t(800)),
        format!(r#"{{"type":3,"data":{{"source":2,"type":2,"id":11,"x":5,"y":5}},"timestamp":{}}}"#, t(900)),
        format!(r#"{{"type":4,"data":{{"href":"http://127.0.0.1:9301/page2.html","width":800,"height":600}},"timestamp":{}}}"#, t(1000)),
        format!(r#"{{"type":2,"data":{{"node":{{"type":0,"childNodes":[],"id":1}},"initialOffset":{{"top":0,"left":0}}}},"timestamp":{}}}"#, t(1001)),
        format!(r#"{{"type":3,"data":{{"source":3,"id":1,"x":0,"y":0}},"timestamp":{}}}"#, t(1500)),
    ];
    format!("[{}]", frames.join(",\n"))
}

const KINDS_HAR: &str = r#"{"log":{"entries":[{"startedDateTime":"2027-01-15T08:00:00.100Z","time":50,
  "request":{"method":"GET","url":"http://127.0.0.1:9301/api/data","headers":[]},
  "response":{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"text":"{\"v\":42}"}}}]}}"#;

/// Writes the kinds app, recording, HAR and scenario; returns (scenario path, app folder).
fn kinds_project(name: &str, seed: u64) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    write(&dir.join("app/index.html"), KINDS_PAGE);
    write(&dir.join("app/page2.html"), KINDS_PAGE2);
    write(&dir.join("kinds.rrweb.json"), &kinds_recording());
    write(&dir.join("kinds.har"), KINDS_HAR);
    let scenario = format!(
        r##"{{"name":"kinds","replay":"kinds.rrweb.json","mode":"live","app":{{"serve":"app"}},"har":"kinds.har","seed":{seed},
          "checkpoints":[{{"name":"before-nav","at":"850ms","capture":{{"dom":true,"screenshot":true}},"pixels":{{"mask":["#spin"]}}}},{{"name":"end","at":"end"}}],
          "expect":[{{"at":"before-nav","selector":"#name","value":"Bo"}},
                    {{"at":"before-nav","selector":"#log","text":"data=42;agree=true;size=m;name=Al;key=Backspace;name=A;name=Bo;key=Enter;resize=800x600;"}},
                    {{"at":"end","selector":"#p2","present":true}},{{"at":"end","selector":"#rnd","textMatches":"^0\\.\\d+ \\d+,\\d+,\\d+,\\d+$"}},
                    {{"noErrorEvent":{{}}}},{{"noFailedRequest":{{}}}}]}}"##
    );
    write(&dir.join("kinds.scenario.json"), &scenario);
    (dir.join("kinds.scenario.json"), dir.join("app"))
}

fn load_scenario(path: &Path) -> LiveScenario {
    let scenario = parse(&std::fs::read_to_string(path).unwrap(), &path.display().to_string()).unwrap();
    LiveScenario::load("kinds", path, scenario).unwrap()
}

/// Serves `root` over HTTP on 127.0.0.1 (any free port) until the process ends: a stand-in for
/// an app that is already running.
fn serve_folder(root: PathBuf) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut line = String::new();
            while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
                line.clear();
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/").split('?').next().unwrap().to_string();
            let file = root.join(if path == "/" { "index.html" } else { path.trim_start_matches('/') });
            let mut stream = stream;
            let _ = match std::fs::read(&file) {
                Ok(body) => write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).and_then(|_| stream.write_all(&body)),
                Err(_) => write!(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
            };
        }
    });
    port
}

#[test]
fn every_kind_of_interaction_reaches_the_app() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("live-kinds");
    let browser = Browser::launch(&options(&root)).unwrap();
    let (path, app) = kinds_project("live-kinds", 1);
    let ls = load_scenario(&path);
    let run = browser.run_live(&ls.spec(AppSource::Folder(app.clone())).unwrap()).unwrap();
    let j = ls.judge(&run, &GoldenStore { root: root.join("golden"), mode: UpdateMode::No }, false);
    assert_eq!(j.expectations_failed, 0, "{}\n{}", j.failures, run.event_log());
    let dom = run.checkpoint("before-nav").unwrap().dom.clone().unwrap();
    assert!(dom.starts_with("#document :scroll=\"0,400\" @1"), "{dom}");
    assert!(dom.contains("<div id=\"box\" style=\"height:100px;overflow:auto\"> :scroll=\"0,250\""), "{dom}");
    let log = run.event_log();
    assert!(log.contains("request GET http://127.0.0.1:9301/api/data [XHR] -> recorded 200 after 50.0 ms (HAR entry 0)"), "{log}");
    assert!(log.contains("step navigate to http://127.0.0.1:9301/page2.html (segment 0, frame 12): the app was already there"), "{log}");
    // Mask boxes are measured in the live page, in the screenshot's pixels (the window is scrolled).
    let boxes = &run.checkpoint("before-nav").unwrap().boxes;
    assert_eq!(boxes.len(), 1, "{boxes:?}");
    // A rotating 40 px square: its box grows with the angle the animation has reached.
    assert_eq!(boxes[0].selector, "#spin");
    assert!(boxes[0].width == boxes[0].height && boxes[0].width >= 40, "{boxes:?}");
    // Animation frames come only when reprise draws them: one per instant with steps, here 9.
    assert!(dom.contains("<p id=\"frames\"> @"), "{dom}");
    let frames = dom.lines().skip_while(|l| !l.contains("<p id=\"frames\">")).nth(1).unwrap().trim().to_string();
    assert!(frames.starts_with("\"9\" @"), "{frames}");
    // The seed decides Math.random and crypto.getRandomValues; a CSS animation and the frame
    // counter give the same pixels and text on every run.
    let rnd = |run: &LiveRun| run.checkpoint("end").unwrap().dom.clone().unwrap();
    let again = browser.run_live(&ls.spec(AppSource::Folder(app.clone())).unwrap()).unwrap();
    assert_eq!(rnd(&run), rnd(&again));
    assert_eq!(fingerprint(&run), fingerprint(&again));
    let (path2, app2) = kinds_project("live-kinds-seed2", 2);
    let other = browser.run_live(&load_scenario(&path2).spec(AppSource::Folder(app2)).unwrap()).unwrap();
    assert_ne!(rnd(&run), rnd(&other), "seed 2 gives other numbers");

    // The same app already running elsewhere: pages come from it, /api/data from the HAR.
    let port = serve_folder(app);
    let run = browser.run_live(&ls.spec(AppSource::Url(format!("http://127.0.0.1:{port}/"))).unwrap()).unwrap();
    let j = ls.judge(&run, &GoldenStore { root: root.join("golden"), mode: UpdateMode::No }, false);
    assert_eq!(j.expectations_failed, 0, "{}\n{}", j.failures, run.event_log());
    let log = run.event_log();
    assert!(log.contains(&format!("request GET http://127.0.0.1:{port}/ [Document] -> app")), "{log}");
    assert!(log.contains(&format!("request GET http://127.0.0.1:{port}/api/data [XHR] -> recorded 200")), "{log}");
    drop(browser);
    assert_gone(&root, None);
}
