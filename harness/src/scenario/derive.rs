//! Scenarios made from a recording: checkpoints at given times, or by default after each
//! navigation, just before each error, and at the end (`reprise scenario new`).

use super::{At, Capture, Checkpoint, Ignore, Mode, Pixels, Scenario};
use crate::model::{Event, EventKind};

/// Default checkpoint times (ms offsets, named): 1 s after each navigation, 1 ms before each
/// error, and the end.
pub fn default_times(events: &[Event]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut nav = 0;
    let mut err = 0;
    for e in events {
        match e.kind {
            EventKind::Navigation if e.category == "rrweb.meta" || e.category == "navigation" => {
                nav += 1;
                out.push((format!("after-navigation-{nav}"), format!("{}ms", (e.offset_ms + 1000.0).round())));
            }
            EventKind::Error => {
                err += 1;
                out.push((format!("before-error-{err}"), format!("{}ms", (e.offset_ms - 1.0).max(0.0).floor())));
            }
            _ => {}
        }
    }
    out.push(("end".into(), "end".into()));
    out
}

pub fn scenario_from_times(name: &str, replay: &str, times: &[(String, String)]) -> Scenario {
    Scenario {
        schema: None,
        name: name.to_string(),
        description: Some(format!("Made by `reprise scenario new` from {replay}.")),
        replay: replay.to_string(),
        mode: Mode::Dom,
        window: None,
        source_window: None,
        ignored: false,
        checkpoints: times
            .iter()
            .map(|(n, t)| Checkpoint { name: n.clone(), at: At::Offset(t.clone()), capture: Capture::default(), ignore: Ignore::default(), pixels: Pixels::default() })
            .collect(),
        expect: Vec::new(),
        app: None,
        baseline: None,
        candidate: None,
        unmatched: None,
        har: None,
        seed: None,
    }
}
