//! `bench-render [--launches N] [--renders N]`: render mode's costs, for ci/bench. Browser launch
//! (start Chromium and connect; median of N fresh launches, each reaped), and per screenshot
//! checkpoint of the render scenarios: the DOM state and its HTML (`state_at` + `RenderPlan::of`),
//! the render on the shared browser's pooled pages (load, state, stillness, PNG capture), and the
//! two together. Medians of N renders after two warm-ups. Build with `--release`.

use reprise::browser::{Browser, LaunchOptions};
use reprise::dom::state_at;
use reprise::runner::RenderPlan;
use reprise_tests::render_shots::{load_rec, render_shots};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let (launches, renders) = (arg("--launches", 7), arg("--renders", 10).max(1));
    let options = LaunchOptions::default();
    let mut launch_ms = Vec::new();
    let mut version = String::new();
    for _ in 0..launches.max(1) {
        let t = Instant::now();
        let browser = Browser::launch(&options).expect("launch Chromium");
        launch_ms.push(ms_since(t));
        version = format!("{} ({})", browser.version(), browser.binary().display());
    }
    let launch_min = launch_ms.iter().cloned().fold(f64::MAX, f64::min);
    println!("browser: {version}");
    println!("{:<44} {:>9} {:>9} {:>9} {:>9} {:>8}", "measure", "median", "min", "", "", "target");
    println!("{:<44} {:>9.0} {:>9.0} {:>9} {:>9} {:>8}", format!("launch, until connected (ms, n={})", launch_ms.len()), median(launch_ms), launch_min, "", "", "-");
    println!();

    let browser = Browser::launch(&options).expect("launch Chromium");
    println!("{:<44} {:>9} {:>9} {:>9} {:>9} {:>8}", format!("checkpoint (ms, median of {renders})"), "viewport", "dom+html", "render", "total", "target");
    let mut totals = Vec::new();
    for shot in render_shots() {
        let rec = load_rec(&shot.replay);
        for _ in 0..2 {
            shot.plan.render(&browser, &shot.masks).expect("render");
        }
        let (mut dom_ms, mut render_ms, mut total_ms) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..renders {
            let t = Instant::now();
            let plan = RenderPlan::of(&state_at(&rec, shot.cut));
            let d = ms_since(t);
            let r = Instant::now();
            plan.render(&browser, &shot.masks).expect("render");
            render_ms.push(ms_since(r));
            dom_ms.push(d);
            total_ms.push(ms_since(t));
        }
        let total = median(total_ms);
        totals.push(total);
        let viewport = format!("{}x{}", shot.plan.viewport.width, shot.plan.viewport.height);
        println!("{:<44} {:>9} {:>9.1} {:>9.1} {:>9.1} {:>8}", shot.name, viewport, median(dom_ms), median(render_ms), total, "<= 150");
    }
    let worst = totals.iter().cloned().fold(0.0, f64::max);
    println!("{:<44} {:>9} {:>9} {:>9} {:>9.1} {:>8}", "median over checkpoints", "", "", "", median(totals), "<= 150");
    println!("{:<44} {:>9} {:>9} {:>9} {:>9.1} {:>8}", "slowest checkpoint", "", "", "", worst, "-");
}
