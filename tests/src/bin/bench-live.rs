//! `bench-live [runs] [scenario.json...]`: live mode's costs and determinism, for ci/bench. Each
//! build of each live scenario (default: scenarios/live/*) runs `runs` times (default 20) on one
//! browser, a new tab each time; prints one row per build: distinct outcomes (DOM text, PNG bytes
//! and event log together), DevTools time per replayed step, and run wall times; then the wall
//! time of each whole scenario as `reprise test` runs it (launch, both builds, judging).

use reprise::browser::live::LiveRun;
use reprise::browser::{Browser, LaunchOptions};
use reprise::golden::{GoldenStore, UpdateMode};
use reprise::runner::{verify_fix, run_build, LiveScenario};
use reprise::scenario::parse;
use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn outcome(run: &LiveRun) -> u64 {
    let mut h = DefaultHasher::new();
    for c in &run.checkpoints {
        c.dom.hash(&mut h);
        c.png.hash(&mut h);
    }
    run.event_log().hash(&mut h);
    h.finish()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf();
    let mut files: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if files.is_empty() {
        let dir = root.join("scenarios/live");
        files = std::fs::read_dir(&dir).expect("scenarios/live").flatten().map(|e| e.path()).filter(|p| p.to_string_lossy().ends_with(".scenario.json")).collect();
        files.sort();
    }
    let golden = GoldenStore { root: root.join("golden"), mode: UpdateMode::No };
    println!("{:<28} {:<10} {:>5} {:>9} {:>6} {:>12} {:>12} {:>12}", "scenario", "build", "runs", "distinct", "steps", "CDP ms/step", "run ms p50", "run ms max");
    let mut whole = Vec::new();
    let (mut all_cdp, mut all_steps) = (0.0, 0usize);
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().trim_end_matches(".scenario.json").to_string();
        let scenario = parse(&std::fs::read_to_string(file).expect("scenario"), &file.display().to_string()).expect("parse");
        let ls = LiveScenario::load(&format!("live/{name}"), file, scenario).expect("load");
        let s = &ls.scenario;
        let builds: Vec<(&str, _)> = [("baseline", &s.baseline), ("candidate", &s.candidate), ("app", &s.app)]
            .into_iter()
            .filter_map(|(role, app)| app.as_ref().map(|a| (role, ls.app_source(a, false))))
            .collect();
        let browser = Browser::launch(&LaunchOptions::default()).expect("Chromium");
        for (role, app) in &builds {
            let spec = ls.spec(app.clone()).expect("spec");
            let (mut outcomes, mut walls, mut cdp, mut steps) = (BTreeSet::new(), Vec::new(), Vec::new(), 0);
            for _ in 0..runs {
                let run = browser.run_live(&spec).expect("live run");
                outcomes.insert(outcome(&run));
                walls.push(run.wall_ms);
                cdp.push(run.cdp_ms_per_step());
                steps = run.steps.len();
            }
            let mean = cdp.iter().sum::<f64>() / cdp.len() as f64;
            all_cdp += mean * steps as f64;
            all_steps += steps;
            let max = walls.iter().copied().fold(0.0, f64::max);
            println!("{name:<28} {role:<10} {runs:>5} {:>9} {steps:>6} {mean:>12.2} {:>12.0} {max:>12.0}", outcomes.len(), median(walls.clone()));
        }
        drop(browser);
        // The whole scenario as the suite runs it: launch, every build, judging.
        let samples: Vec<f64> = (0..3)
            .map(|_| {
                let t = Instant::now();
                let browser = Browser::launch(&LaunchOptions::default()).expect("Chromium");
                match (&s.baseline, &s.candidate) {
                    (Some(b), Some(c)) => drop(verify_fix(&ls, &browser, ls.app_source(b, false), ls.app_source(c, false), &golden)),
                    _ => drop(run_build(&ls, &browser, builds[0].1.clone(), &golden, false)),
                }
                drop(browser);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        whole.push((name, median(samples)));
    }
    if all_steps > 0 {
        println!("CDP ms per replayed step, all builds: {:.2} (target <= 5)", all_cdp / all_steps as f64);
    }
    for (name, ms) in &whole {
        println!("whole scenario {name}: {ms:.0} ms (median of 3: launch, all builds, judging)");
    }
    if let Some((name, ms)) = whole.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
        println!("longest live scenario: {name} {ms:.0} ms");
    }
}
