//! The browser against a real Chromium: exact viewports, identical pixels, hostile HTML that
//! neither runs nor reaches out, state applied with scripts off, and no process left behind.
//! Every test skips with a visible notice when no Chromium is installed.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use reprise::browser::{
    self, Answer, Browser, ElementRef, LaunchOptions, RenderOptions, RequestPolicy, StateChange,
};

const ORIGIN: &str = "http://127.0.0.1:9101/index.html";

/// Browser tests take turns: each starts a Chromium of its own, and the machine has few cores.
pub(crate) fn turn() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) fn skip() -> bool {
    if browser::available() {
        return false;
    }
    eprintln!("skipped: no Chromium (apt-get install chromium-headless-shell)");
    true
}

/// A temp folder of this test's own, so that leak checks only see this test's browser.
pub(crate) fn temp_root(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("reprise-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    root
}

pub(crate) fn options(root: &Path) -> LaunchOptions {
    LaunchOptions { temp_root: Some(root.to_path_buf()), ..LaunchOptions::default() }
}

/// Live processes whose command line mentions `marker` (a profile folder or its parent).
pub(crate) fn processes_mentioning(marker: &Path) -> Vec<String> {
    let marker = marker.to_string_lossy().into_owned();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().filter(|n| n.bytes().all(|b| b.is_ascii_digit())) else { continue };
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains(&marker) {
            found.push(format!("{pid}: {cmdline}"));
        }
    }
    found
}

/// Live (non-zombie) processes in the process group `pgid`.
pub(crate) fn group_members(pgid: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields[0] != "Z" && fields[2].parse::<u32>() == Ok(pgid) {
            found.push(pid);
        }
    }
    found
}

/// Nothing of a browser is left: no process, no group member, no profile folder.
pub(crate) fn assert_gone(root: &Path, pgid: Option<u32>) {
    let left = processes_mentioning(root);
    assert!(left.is_empty(), "Chromium processes left behind: {left:#?}");
    if let Some(pgid) = pgid {
        assert_eq!(group_members(pgid), Vec::<u32>::new(), "members of group {pgid} left behind");
    }
    let files: Vec<_> = std::fs::read_dir(root).unwrap().flatten().map(|e| e.path()).collect();
    assert!(files.is_empty(), "profile folders left behind: {files:?}");
    let _ = std::fs::remove_dir(root);
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

/// Text, CSS (gradient, shadow, radius, web font that fails to load), an inline SVG, an image
/// placeholder, a form, an autofocused input, an infinite and a finite CSS animation.
const RICH: &str = r##"<!doctype html>
<html><head><meta charset="utf-8"><title>rich</title>
<link rel="stylesheet" href="/static/missing.css">
<style>
  @font-face { font-family: Brand; src: url(/fonts/brand.woff2) format("woff2"); }
  body { font: 15px/1.4 "DejaVu Sans", sans-serif; margin: 0; background: #fafafa; color: #222; }
  header { background: linear-gradient(90deg, #3b82f6, #9333ea); color: white; padding: 12px 20px; }
  h1 { font-family: Brand, "DejaVu Serif", serif; margin: 0; font-size: 26px; }
  .card { margin: 16px 20px; padding: 14px; background: white; border-radius: 10px;
          box-shadow: 0 2px 8px rgba(0,0,0,.15); }
  .spin { width: 24px; height: 24px; border: 3px solid #ccc; border-top-color: #3b82f6;
          border-radius: 50%; animation: spin 1s linear infinite; }
  .fade { animation: fade 3s ease-in forwards; }
  @keyframes spin { to { transform: rotate(360deg); } }
  @keyframes fade { from { opacity: 0; } to { opacity: 1; } }
  table { border-collapse: collapse; } td { border: 1px solid #ddd; padding: 4px 8px; }
  img.ph { width: 120px; height: 80px; background: #eee; display: block; }
</style></head>
<body>
<header><h1>Reprise — déterministe ✓</h1></header>
<div class="card fade">
  <p>The quick brown fox jumps over the lazy dog. <b>Bold</b>, <i>italic</i>, <code>code()</code>,
     <a href="/x">a link</a>, and ünïcödé text: 日本語 Ελληνικά.</p>
  <svg width="160" height="60" viewBox="0 0 160 60"><rect x="2" y="2" width="60" height="50"
     rx="8" fill="#f59e0b" stroke="#111"/><circle cx="110" cy="30" r="24" fill="#10b981" opacity=".8"/>
     <text x="70" y="58" font-size="10">svg</text></svg>
  <img class="ph" src="https://images.example.com/photo.jpg" alt="photo">
  <div class="spin"></div>
</div>
<div class="card"><form>
  <input autofocus data-reprise-id="5" value="initial"> <input type="checkbox" data-reprise-id="6">
  <select data-reprise-id="7"><option>one</option><option>two</option></select>
  <textarea data-reprise-id="8">text</textarea>
  <button>Send</button>
</form>
<table><tr><td>a</td><td>1.00</td></tr><tr><td>b</td><td>22.50</td></tr></table>
<div id="box" data-reprise-id="9" style="height:60px; overflow:auto; border:1px solid #999">
  <div style="height:300px; background: repeating-linear-gradient(#fff 0 20px, #def 20px 40px)">
  scrollable</div></div>
</div>
<div style="height: 1500px"></div>
</body></html>"##;

#[test]
fn renders_the_exact_viewport_and_answers_every_request_locally() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("viewport");
    let browser = Browser::launch(&options(&root)).unwrap();
    let pgid = browser.pid();
    let rendered = browser.render_html(RICH, ORIGIN, (640, 480), &RenderOptions::default()).unwrap();
    assert_eq!(png_size(&rendered.png), (640, 480));
    assert_eq!(rendered.escaped().count(), 0, "{:#?}", rendered.requests);
    let answers: BTreeSet<(String, Answer)> =
        rendered.requests.iter().map(|r| (r.url.clone(), r.answer)).collect();
    for expected in [
        (ORIGIN, Answer::Document),
        ("http://127.0.0.1:9101/static/missing.css", Answer::EmptyStylesheet),
        ("https://images.example.com/photo.jpg", Answer::PlaceholderImage),
    ] {
        assert!(answers.contains(&(expected.0.to_string(), expected.1)), "{expected:?} not in {answers:#?}");
    }
    let page = browser.new_page((1024, 300)).unwrap();
    drop(page);
    drop(browser);
    assert_gone(&root, Some(pgid));
}

#[test]
fn twenty_renders_give_identical_pngs() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("determinism");
    let browser = Browser::launch(&options(&root)).unwrap();
    let opts = RenderOptions {
        state: vec![StateChange::Scroll { target: ElementRef::RrId(9), x: 0.0, y: 30.0 }],
        ..RenderOptions::default()
    };
    let mut distinct = BTreeSet::new();
    // Ten on one reused page, ten on fresh pages.
    let mut page = browser.new_page((800, 600)).unwrap();
    for _ in 0..10 {
        distinct.insert(page.render(RICH, ORIGIN, &opts).unwrap().png);
    }
    drop(page);
    for _ in 0..10 {
        distinct.insert(browser.render_html(RICH, ORIGIN, (800, 600), &opts).unwrap().png);
    }
    if let Ok(dir) = std::env::var("REPRISE_BROWSER_SHOTS") {
        for (i, png) in distinct.iter().enumerate() {
            std::fs::write(Path::new(&dir).join(format!("rich-{i}.png")), png).unwrap();
        }
    }
    assert_eq!(distinct.len(), 1, "20 renders of the same HTML gave {} different PNGs", distinct.len());
    drop(browser);
    assert_gone(&root, None);
}

const HOSTILE: &str = r#"<!doctype html><html><head><title>calm</title>
<meta http-equiv="refresh" content="0; url=https://evil.example/refresh">
<script>document.title = 'pwned'; window.__pwned = 1;</script>
<script src="https://evil.example/x.js"></script>
<link rel="stylesheet" href="https://evil.example/x.css">
<link rel="preload" as="font" href="https://evil.example/f.woff2" crossorigin>
<link rel="prefetch" href="https://evil.example/next.html">
<link rel="icon" href="https://evil.example/favicon.ico">
<style>@import url("https://evil.example/import.css"); body { background: url(https://evil.example/bg.png); }</style>
</head>
<body onload="document.title='onload'; document.body.setAttribute('data-pwned', 'onload')">
<p id="p">hello</p>
<img src="https://evil.example/a.png" onerror="document.title='onerror'">
<img src="x" onerror="document.body.setAttribute('data-pwned', 'img')">
<svg onload="document.body.setAttribute('data-pwned', 'svg')"><image href="https://evil.example/svg.png"/></svg>
<iframe src="https://evil.example/frame.html"></iframe>
<iframe src="javascript:parent.document.title='iframe-js'"></iframe>
<iframe srcdoc="<script>parent.document.title='srcdoc'</script><img src='https://evil.example/in-srcdoc.png'>"></iframe>
<object data="https://evil.example/obj.swf"></object>
<embed src="https://evil.example/embed.swf">
<video poster="https://evil.example/poster.png" src="https://evil.example/v.mp4" autoplay></video>
<audio src="https://evil.example/a.mp3" autoplay></audio>
<a id="js" href="javascript:document.title='link'">js link</a>
<form action="https://evil.example/post" method="post"><input name="q" value="x"></form>
<div style="background-image: url('//evil.example/protocol-relative.png'); width: 10px; height: 10px"></div>
<script>document.getElementById('p').textContent = 'changed';</script>
<noscript><img src="https://evil.example/noscript.png"></noscript>
</body></html>"#;

#[test]
fn hostile_html_runs_nothing_and_reaches_nothing() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("hostile");
    let browser = Browser::launch(&options(&root)).unwrap();
    for policy in [RequestPolicy::Neutral, RequestPolicy::FailOthers] {
        let mut page = browser.new_page((800, 600)).unwrap();
        let opts = RenderOptions { policy, ..RenderOptions::default() };
        let rendered = page.render(HOSTILE, ORIGIN, &opts).unwrap();
        // Give a meta refresh or a late handler the chance to act, then look again.
        std::thread::sleep(Duration::from_millis(300));
        let state = page
            .evaluate(
                "JSON.stringify([document.title, String(window.__pwned), \
                 document.body.getAttribute('data-pwned'), document.getElementById('p').textContent, \
                 location.href])",
            )
            .unwrap();
        let state: serde_json::Value = serde_json::from_str(state.as_str().unwrap()).unwrap();
        // title, window.__pwned, the attribute handlers would set, the text a script would change,
        // and the URL a meta refresh would leave.
        assert_eq!(state, serde_json::json!(["calm", "undefined", null, "hello", ORIGIN]), "{policy:?}");
        assert_eq!(rendered.escaped().count(), 0, "{:#?}", rendered.requests);
        let evil: Vec<_> = rendered.requests.iter().filter(|r| r.url.contains("evil.example")).collect();
        assert!(
            evil.len() >= 5,
            "the hostile page should have tried several hosts: {:#?}",
            rendered.requests
        );
        for r in &rendered.requests {
            assert_ne!(r.answer, Answer::Escaped, "{r:?}");
            if r.url.contains("evil.example") && r.resource_type == "Document" {
                assert_eq!(r.answer, Answer::NoContent, "{r:?}");
            }
        }
    }
    drop(browser);
    assert_gone(&root, None);
}

#[test]
fn state_is_applied_with_scripts_disabled() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("state");
    let browser = Browser::launch(&options(&root)).unwrap();
    let mut page = browser.new_page((800, 600)).unwrap();
    let plain = page.render(RICH, ORIGIN, &RenderOptions::default()).unwrap();
    let opts = RenderOptions {
        state: vec![
            StateChange::WindowScroll { x: 0.0, y: 40.0 },
            StateChange::Scroll { target: ElementRef::RrId(9), x: 0.0, y: 100.0 },
            StateChange::Value { target: ElementRef::RrId(5), value: "typed by rrweb".into() },
            StateChange::Checked { target: ElementRef::RrId(6), checked: true },
            StateChange::Value { target: ElementRef::RrId(7), value: "two".into() },
            StateChange::Value { target: ElementRef::Selector("textarea".into()), value: "new text".into() },
            StateChange::Value { target: ElementRef::RrId(404), value: "nobody".into() },
        ],
        ..RenderOptions::default()
    };
    let with_state = page.render(RICH, ORIGIN, &opts).unwrap();
    assert_ne!(plain.png, with_state.png);
    assert_eq!(with_state.warnings, ["no element matches [data-reprise-id=\"404\"]"]);
    let seen = page
        .evaluate(
            "JSON.stringify([scrollY, document.getElementById('box').scrollTop, \
             document.querySelector('[data-reprise-id=\"5\"]').value, document.querySelector('[data-reprise-id=\"6\"]').checked, \
             document.querySelector('select').value, document.querySelector('textarea').value, document.title])",
        )
        .unwrap();
    assert_eq!(seen.as_str().unwrap(), r#"[40,100,"typed by rrweb",true,"two","new text","rich"]"#);
    let clamped = RenderOptions {
        state: vec![StateChange::WindowScroll { x: 0.0, y: 99999.0 }],
        ..RenderOptions::default()
    };
    let rendered = page.render(RICH, ORIGIN, &clamped).unwrap();
    assert_eq!(rendered.warnings.len(), 1, "{:?}", rendered.warnings);
    assert!(rendered.warnings[0].starts_with("window scroll (0, 99999) ended at"), "{:?}", rendered.warnings);
    drop(page);
    drop(browser);
    assert_gone(&root, None);
}

#[test]
fn a_reused_page_asks_again_for_every_resource() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("reuse");
    let browser = Browser::launch(&options(&root)).unwrap();
    let html = r#"<link rel="stylesheet" href="/app.css"><p>styled</p>"#;
    let css = |body: &str| RenderOptions {
        resources: [(
            "http://127.0.0.1:9101/app.css".to_string(),
            browser::Resource {
                status: 200,
                content_type: "text/css".into(),
                body: body.as_bytes().to_vec(),
            },
        )]
        .into(),
        ..RenderOptions::default()
    };
    let mut page = browser.new_page((200, 100)).unwrap();
    let red = page.render(html, ORIGIN, &css("body { background: red }")).unwrap();
    let blue = page.render(html, ORIGIN, &css("body { background: blue }")).unwrap();
    assert_ne!(red.png, blue.png, "the second render used the cached stylesheet");
    for rendered in [&red, &blue] {
        let answers: Vec<_> = rendered.requests.iter().map(|r| (r.url.as_str(), r.answer)).collect();
        assert_eq!(
            answers,
            [(ORIGIN, Answer::Document), ("http://127.0.0.1:9101/app.css", Answer::Resource)]
        );
    }
    // render_html keeps its pages for the next render, and gives the same pixels as a fresh page.
    let pooled: Vec<_> = (0..3)
        .map(|_| browser.render_html(html, ORIGIN, (200, 100), &css("body { background: red }")).unwrap().png)
        .collect();
    assert!(pooled.iter().all(|png| *png == red.png));
    drop(page);
    drop(browser);
    assert_gone(&root, None);
}

#[test]
fn pages_render_concurrently_within_the_limit() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("concurrency");
    let browser = Browser::launch(&LaunchOptions { max_pages: 2, ..options(&root) }).unwrap();
    let pngs: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let browser = browser.clone();
                s.spawn(move || {
                    let html = format!("<p style='font-size:40px'>page {}</p>", i % 2);
                    browser.render_html(&html, ORIGIN, (300, 100), &RenderOptions::default()).unwrap().png
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(pngs[0], pngs[2]);
    assert_eq!(pngs[1], pngs[3]);
    assert_ne!(pngs[0], pngs[1]);
    drop(browser);
    assert_gone(&root, None);
}

#[test]
fn no_process_survives_a_panic() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("panic");
    let browser = Browser::launch(&options(&root)).unwrap();
    let pgid = browser.pid();
    assert!(!processes_mentioning(browser.profile_dir()).is_empty(), "the scan must see a live browser");
    let result = catch_unwind(AssertUnwindSafe(move || {
        let page = browser.new_page((200, 100)).unwrap();
        let _ = browser.render_html("<p>x</p>", ORIGIN, (200, 100), &RenderOptions::default());
        let _keep = (page, browser);
        panic!("boom inside a closure that holds the browser");
    }));
    assert!(result.is_err());
    assert_gone(&root, Some(pgid));
}

#[test]
fn no_process_survives_a_timeout() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("timeout");
    let tiny = LaunchOptions { launch_timeout: Duration::from_millis(1), ..options(&root) };
    let err = Browser::launch(&tiny).unwrap_err().to_string();
    assert!(err.contains("within 1 ms") || err.contains("timed out"), "{err}");
    assert_gone(&root, None);

    let root = temp_root("timeout-render");
    let browser = Browser::launch(&options(&root)).unwrap();
    let pgid = browser.pid();
    let opts = RenderOptions { timeout: Duration::from_millis(1), ..RenderOptions::default() };
    let err = browser.render_html(RICH, ORIGIN, (800, 600), &opts).unwrap_err().to_string();
    assert!(err.contains("timed out rendering"), "{err}");
    // The browser stays usable after a timed-out render.
    browser.render_html("<p>ok</p>", ORIGIN, (200, 100), &RenderOptions::default()).unwrap();
    drop(browser);
    assert_gone(&root, Some(pgid));
}

/// Not a test on its own: the child process of `no_process_survives_ctrl_c`.
#[test]
#[ignore = "run by no_process_survives_ctrl_c"]
fn ctrl_c_child() {
    let Ok(root) = std::env::var("REPRISE_CTRL_C_ROOT") else { return };
    let browser = Browser::launch(&options(Path::new(&root))).unwrap();
    browser.render_html("<p>x</p>", ORIGIN, (200, 100), &RenderOptions::default()).unwrap();
    println!("ready {}", browser.pid());
    std::thread::sleep(Duration::from_secs(60));
    unreachable!("SIGINT should have ended this process");
}

#[test]
fn no_process_survives_ctrl_c() {
    use std::io::BufRead;
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("ctrl-c");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "browser::ctrl_c_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env("REPRISE_CTRL_C_ROOT", &root)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let pgid = loop {
        let line = lines.next().expect("the child ended before its browser was ready").unwrap();
        // libtest may print `test browser::ctrl_c_child ... ` before it on the same line.
        if let Some((_, pid)) = line.split_once("ready ") {
            break pid.trim().parse::<u32>().unwrap();
        }
    };
    assert!(!processes_mentioning(&root).is_empty());
    let sent = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let started = Instant::now();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the child should die of SIGINT, got {status}");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_gone(&root, Some(pgid));
}

#[test]
fn full_chromium_renders_the_same_viewport_too() {
    let full = Path::new("/usr/lib/chromium/chromium");
    if !full.exists() {
        eprintln!("skipped: no full Chromium at {}", full.display());
        return;
    }
    let _turn = turn();
    let root = temp_root("full");
    let browser = Browser::launch(&LaunchOptions { chrome: Some(full.into()), ..options(&root) }).unwrap();
    assert_eq!(browser.flavor(), browser::Flavor::Chromium);
    let mut distinct = BTreeSet::new();
    let opts = RenderOptions {
        state: vec![
            StateChange::Scroll { target: ElementRef::RrId(9), x: 0.0, y: 30.0 },
            StateChange::Value { target: ElementRef::RrId(5), value: "typed".into() },
        ],
        ..RenderOptions::default()
    };
    for _ in 0..3 {
        let rendered = browser.render_html(RICH, ORIGIN, (800, 600), &opts).unwrap();
        assert_eq!(png_size(&rendered.png), (800, 600));
        assert_eq!(rendered.warnings, Vec::<String>::new());
        assert_eq!(rendered.escaped().count(), 0, "{:#?}", rendered.requests);
        distinct.insert(rendered.png);
    }
    assert_eq!(distinct.len(), 1);
    drop(browser);
    assert_gone(&root, None);
}

#[test]
fn a_missing_explicit_chrome_is_an_error_that_names_it() {
    let err = browser::find_chrome(Some(Path::new("/nonexistent/chrome"))).unwrap_err().to_string();
    assert!(err.contains("/nonexistent/chrome"), "{err}");
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Launch and render times, printed for docs/browser.md. Run it by hand:
/// `cargo test --release -p reprise-tests --test integration bench_ -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, run by hand"]
fn bench_launch_and_render() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = temp_root("bench");
    for binary in browser::KNOWN_PATHS.iter().map(Path::new).filter(|p| p.exists()) {
        let launch = LaunchOptions { chrome: Some(binary.into()), ..options(&root) };
        let mut launches = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            let browser = Browser::launch(&launch).unwrap();
            launches.push(started.elapsed());
            drop(browser);
        }
        let browser = Browser::launch(&launch).unwrap();
        let opts = RenderOptions::default();
        let mut fresh = Vec::new();
        for _ in 0..10 {
            let started = Instant::now();
            let mut page = browser.new_page((1280, 800)).unwrap();
            page.render(RICH, ORIGIN, &opts).unwrap();
            fresh.push(started.elapsed());
        }
        let mut pooled = Vec::new();
        for _ in 0..10 {
            let started = Instant::now();
            browser.render_html(RICH, ORIGIN, (1280, 800), &opts).unwrap();
            pooled.push(started.elapsed());
        }
        let mut page = browser.new_page((1280, 800)).unwrap();
        let mut reused = Vec::new();
        for _ in 0..10 {
            let started = Instant::now();
            page.render(RICH, ORIGIN, &opts).unwrap();
            reused.push(started.elapsed());
        }
        let mut tiny = Vec::new();
        for _ in 0..10 {
            let started = Instant::now();
            page.render("<p>hello</p>", ORIGIN, &opts).unwrap();
            tiny.push(started.elapsed());
        }
        println!(
            "{}: {}\n  launch (median of 5): {:?}\n  render 1280x800 rich page, on a new page (median of 10): {:?}\n  \
             same, render_html (pooled page): {:?}\n  same, one reused page: {:?}\n  tiny page, reused page: {:?}",
            binary.display(),
            browser.version(),
            median(launches),
            median(fresh),
            median(pooled),
            median(reused),
            median(tiny),
        );
        drop(page);
        drop(browser);
    }
    assert_gone(&root, None);
}
