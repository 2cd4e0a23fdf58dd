//! Render mode end to end on a real Chromium: every screenshot checkpoint of the render scenarios
//! gives one PNG in 20 renders; a hostile recording renders with nothing run and nothing requested
//! but its document; masks are measured where the page shows them; the PNG golden workflow (a
//! pending `.new`, a `.diff.png`, review, accept) works; `reprise render` writes the recording's
//! viewport. Every test skips with a visible notice without chromium-headless-shell.

use std::collections::BTreeSet;
use std::path::PathBuf;

use reprise::browser::{self, Browser, Flavor, LaunchOptions};
use reprise::compare::png;
use reprise::dom::state_at;
use reprise::runner::RenderPlan;
use reprise_tests::render_shots::{load_rec, render_shots};
use reprise_tests::*;

use crate::browser::{processes_mentioning, turn};

const HOSTILE: &str = "tests/render/hostile.rrweb.json";

/// Render goldens are made with the headless shell; the full chromium's pixels differ.
fn skip() -> bool {
    match browser::find_chrome(None) {
        Ok(path) if Flavor::of(&path) == Flavor::HeadlessShell => false,
        _ => {
            eprintln!("skipped: no chromium-headless-shell (apt-get install chromium-headless-shell)");
            true
        }
    }
}

fn launch() -> Browser {
    Browser::launch(&LaunchOptions::default()).expect("launch Chromium")
}

#[test]
fn twenty_renders_of_every_render_checkpoint_give_one_png() {
    if skip() {
        return;
    }
    let _turn = turn();
    let shots = render_shots();
    assert!(shots.len() >= 8, "the render scenarios have {} screenshot checkpoints", shots.len());
    let browser = launch();
    let mut table = Vec::new();
    for shot in &shots {
        let mut distinct = BTreeSet::new();
        // Half on the browser's pooled pages, half on fresh pages.
        for i in 0..20 {
            let rendered = if i % 2 == 0 {
                shot.plan.render(&browser, &shot.masks).unwrap()
            } else {
                let mut page = browser.new_page(shot.plan.viewport).unwrap();
                page.render(&shot.plan.html, &shot.plan.url, &shot.plan.options(&shot.masks)).unwrap()
            };
            assert_eq!(rendered.escaped().count(), 0, "{}: {:#?}", shot.name, rendered.requests);
            distinct.insert(rendered.png);
        }
        table.push(format!("{}: 20 renders -> {} distinct PNG(s)", shot.name, distinct.len()));
        // Unmasked screenshots are stored as rendered: the golden is that very PNG.
        if shot.masks.is_empty() && distinct.len() == 1 {
            let golden = std::fs::read(&shot.golden).unwrap_or_default();
            assert!(distinct.contains(&golden), "{}: the render differs from {}", shot.name, shot.golden.display());
        }
    }
    eprintln!("{}", table.join("\n"));
    assert!(table.iter().all(|l| l.ends_with("-> 1 distinct PNG(s)")), "{table:#?}");
}

#[test]
fn a_hostile_recording_runs_nothing_and_requests_nothing() {
    let rec = load_rec(&workspace().join(HOSTILE));
    let plan = RenderPlan::of(&state_at(&rec, rec.start().0 + rec.duration().ms() + 1.0));
    // The served document holds none of it: the DOM engine's sanitizer, the first lock.
    let html = plan.html.to_ascii_lowercase();
    for needle in ["<script", "<noscript", "<object", "<embed", "<base", "<link", " on", "javascript:", "refresh", "evil.example", "srcdoc", "@import", "autofocus"] {
        assert!(!html.contains(needle), "the HTML contains `{needle}`:\n{}", plan.html);
    }
    if skip() {
        return;
    }
    let _turn = turn();
    let browser = launch();
    let mut page = browser.new_page(plan.viewport).unwrap();
    let rendered = page.render(&plan.html, &plan.url, &plan.options(&[])).unwrap();
    // The CDP request log: the document, answered from memory, and nothing else.
    let log: Vec<(String, String)> = rendered.requests.iter().map(|r| (r.url.clone(), format!("{:?}", r.answer))).collect();
    assert_eq!(log, [(plan.url.clone(), "Document".to_string())], "{:#?}", rendered.requests);
    assert_eq!(rendered.escaped().count(), 0);
    // Nothing ran: every script, handler and javascript: URL of the recording would have set
    // `pwned` (or the title); the page is where it was loaded.
    let probe = page
        .evaluate("JSON.stringify([typeof window.pwned, document.title, location.href, document.querySelectorAll('[data-reprise-id]').length])")
        .unwrap();
    let elements = plan.html.matches("data-reprise-id=").count();
    assert_eq!(probe, serde_json::json!(format!("[\"undefined\",\"hostile\",\"{}\",{elements}]", plan.url)));
}

#[test]
fn masks_are_measured_in_the_rendered_page() {
    if skip() {
        return;
    }
    let _turn = turn();
    let rec = load_rec(&workspace().join(HOSTILE));
    let plan = RenderPlan::of(&state_at(&rec, rec.start().0 + rec.duration().ms() + 1.0));
    let browser = launch();
    let rendered = plan.render(&browser, &[".box".into(), "#nothing".into(), "p[".into()]).unwrap();
    assert_eq!(rendered.boxes.len(), 1, "{:?}", rendered.boxes);
    let b = &rendered.boxes[0];
    // Whole pixels, rounded outwards: the box may start at a fraction of a pixel.
    assert_eq!((b.selector.as_str(), b.width), (".box", 120));
    assert!((40..=41).contains(&b.height), "{b:?}");
    assert!(b.x >= 0 && b.y > 0, "{b:?}");
    assert_eq!(rendered.warnings.len(), 2, "{:?}", rendered.warnings);
    assert!(rendered.warnings[0].contains("no element matches #nothing"), "{:?}", rendered.warnings);
    assert!(rendered.warnings[1].starts_with("bad selector p["), "{:?}", rendered.warnings);
}

#[test]
fn reprise_render_writes_the_recordings_viewport() {
    let help = reprise(&["render", "--help"]);
    assert!(stdout(&help).contains("Examples:") && stdout(&help).contains("reprise render "), "{}", stdout(&help));
    if skip() {
        return;
    }
    let _turn = turn();
    let dir = scratch("render-cli");
    let out = dir.join("shot.png");
    let o = reprise(&["render", workspace().join(HOSTILE).to_str().unwrap(), "--at", "end", "-o", out.to_str().unwrap(), "--requests"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("(800x600, http://127.0.0.1:9199/hostile.html; 0 state change(s), 1 request(s) answered locally)"), "{}", stderr(&o));
    let image = png::decode(&std::fs::read(&out).unwrap(), "shot").unwrap();
    assert_eq!(image.dimensions(), (800, 600));
    let o = reprise(&["render", workspace().join(HOSTILE).to_str().unwrap(), "--at", "end", "-o", out.to_str().unwrap(), "--viewport", "320x200", "--mask", ".box"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let image = png::decode(&std::fs::read(&out).unwrap(), "shot").unwrap();
    assert_eq!(image.dimensions(), (320, 200));
    assert!(image.pixels().any(|p| p.0 == [255, 0, 255, 255]), "the mask is painted");
}

/// A copy of the react-vite render scenario in a scratch project.
fn project(name: &str) -> PathBuf {
    let root = scratch(name);
    let sc = root.join("scenarios/render");
    std::fs::create_dir_all(&sc).unwrap();
    let rec = workspace().join("scenarios/recordings/react-vite-counter.rrweb.json.gz");
    let text = std::fs::read_to_string(workspace().join("scenarios/render/react-vite-counter.scenario.json")).unwrap();
    std::fs::write(sc.join("counter.scenario.json"), text.replace("../recordings/react-vite-counter.rrweb.json.gz", rec.to_str().unwrap())).unwrap();
    root
}

#[test]
fn a_changed_screenshot_leaves_a_pending_png_and_a_diff_for_review() {
    if skip() {
        return;
    }
    let _turn = turn();
    let root = project("render-golden-workflow");
    // The run's browser makes its profile under TMPDIR: nothing of it may outlive the run.
    let tmp = root.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let test = |env: &[(&str, &str)]| {
        let mut env = env.to_vec();
        env.push(("TMPDIR", tmp.to_str().unwrap()));
        let out = reprise_in(&root, &["test", "--test-threads", "2"], &env);
        assert_eq!(processes_mentioning(&tmp), Vec::<String>::new(), "Chromium outlived `reprise test`");
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "a profile folder outlived `reprise test`");
        out
    };
    let o = test(&[("REPRISE_UPDATE", "always"), ("CI", "")]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let golden = root.join("golden/render/counter");
    let shot = golden.join("after-12-clicks.png");
    let original = std::fs::read(&shot).unwrap();
    // A golden with a 30x20 patch changed stands in for a regression.
    let mut changed = png::decode(&original, "golden").unwrap();
    let width = changed.width() as usize;
    let pixels: &mut [u8] = &mut changed;
    for y in 100..120 {
        for x in 100..130 {
            pixels[(y * width + x) * 4..][..4].copy_from_slice(&[0, 128, 0, 255]);
        }
    }
    std::fs::write(&shot, png::encode(&changed)).unwrap();

    let o = test(&[("CI", "true")]);
    assert_eq!(o.status.code(), Some(101), "{}", stdout(&o));
    assert!(!golden.join("after-12-clicks.png.new").exists(), "CI wrote a pending file");

    let o = test(&[("CI", "")]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(101), "{text}");
    assert!(text.contains("checkpoint `after-12-clicks`") && text.contains("screenshot differs from") && text.contains("600 of 1024000 pixels differ"), "{text}");
    assert!(text.contains("reprise golden accept render/counter/after-12-clicks.png"), "{text}");
    let pending = golden.join("after-12-clicks.png.new");
    assert_eq!(std::fs::read(&pending).unwrap(), original, "the pending PNG is the new render");
    let diff = png::decode(&std::fs::read(golden.join("after-12-clicks.diff.png")).unwrap(), "diff").unwrap();
    assert!(diff.pixels().any(|p| p.0 == [255, 0, 0, 255]), "the diff image shows differences in red");

    let review = reprise_in(&root, &["golden", "review"], &[]);
    let listing = stdout(&review);
    assert!(listing.contains("render/counter/after-12-clicks.png") && listing.contains("pixels differ"), "{listing}");
    assert!(listing.contains("diff:") && listing.contains("after-12-clicks.diff.png"), "{listing}");
    let accept = reprise_in(&root, &["golden", "accept", "render/counter"], &[]);
    assert!(accept.status.success());
    assert!(!golden.join("after-12-clicks.diff.png").exists(), "accepting removes the diff image");
    assert_eq!(std::fs::read(&shot).unwrap(), original);
    let o = test(&[("CI", "true")]);
    assert!(o.status.success(), "{}", stdout(&o));
}
