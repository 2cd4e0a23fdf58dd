//! The screenshot checkpoints of the render scenarios (`scenarios/render/*.scenario.json`), each
//! resolved to its DOM state and render plan: for the determinism test and `bench-render`.

use crate::workspace;
use reprise::dom::state_at;
use reprise::events::normalize;
use reprise::ingest::{load, LoadOptions};
use reprise::model::Recording;
use reprise::runner::{resolve_at, RenderPlan};
use reprise::scenario::parse;
use std::path::{Path, PathBuf};

/// A screenshot checkpoint of a render scenario, ready to render.
pub struct Shot {
    /// `render/<scenario>/<checkpoint>`.
    pub name: String,
    pub plan: RenderPlan,
    /// The checkpoint's mask selectors.
    pub masks: Vec<String>,
    /// Its PNG golden.
    pub golden: PathBuf,
    /// The recording and the instant (epoch ms) the plan was made from.
    pub replay: PathBuf,
    pub cut: f64,
}

pub fn load_rec(path: &Path) -> Recording {
    load(path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every screenshot checkpoint of `scenarios/render/*.scenario.json`, in name order.
pub fn render_shots() -> Vec<Shot> {
    let dir = workspace().join("scenarios/render");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    files.retain(|p| p.to_string_lossy().ends_with(".scenario.json"));
    files.sort();
    let mut shots = Vec::new();
    for file in files {
        let scenario = parse(&std::fs::read_to_string(&file).unwrap(), &file.display().to_string()).unwrap();
        let rec = load_rec(&dir.join(&scenario.replay));
        let events = normalize(&rec);
        let stem = file.file_name().unwrap().to_string_lossy().trim_end_matches(".scenario.json").to_string();
        for cp in scenario.checkpoints.iter().filter(|c| c.capture.screenshot) {
            let (offset, _) = resolve_at(&cp.at, &rec, &events).unwrap();
            let cut = rec.start().0 + offset.ms();
            let dom = state_at(&rec, cut);
            shots.push(Shot {
                name: format!("render/{stem}/{}", cp.name),
                plan: RenderPlan::of(&dom),
                masks: cp.pixels.mask.clone(),
                golden: workspace().join(format!("golden/render/{stem}/{}.png", cp.name)),
                replay: dir.join(&scenario.replay),
                cut,
            });
        }
    }
    shots
}
