//! Scenario files: the format (docs/scenario-format.md, JSON Schema in docs/scenario.schema.json),
//! discovery under `scenarios/`, and scenarios derived from a recording. Runs nothing.

mod derive;
mod discover;
mod format;
mod steps;
mod targets;

pub use steps::{
    dedup, plan, Action, BreadcrumbTargets, Button, Locator, ReplayPlan, Step, Target, TargetResolver,
};
pub use targets::DomTargets;
pub use derive::{default_times, scenario_from_times};
pub use discover::{discover, Discovered, SCENARIO_SUFFIX};
pub use format::{
    parse, schema, Anchor, App, At, Capture, Checkpoint, DomCapture, Expectation, Ignore, Mode, Pixels,
    Scenario, TimeWindow, Unmatched,
};
