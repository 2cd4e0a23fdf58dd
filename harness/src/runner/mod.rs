//! Running scenarios: one scenario -> a report (`run_one`), all of them as libtest-mimic trials,
//! and the reporters (JUnit XML, JSON). Knows nothing of clap.

mod canonical;
mod config;
mod dom_view;
mod expect;
mod live;
mod render;
mod report;
mod run_one;
mod screenshot;
mod shared_browser;
mod timing;
mod trials;
mod verify;

pub use config::{RunConfig, Shard};
pub use dom_view::DomView;
pub use live::{evidence, run_summary, Judgement, LiveScenario};
pub use render::{RenderPlan, DEFAULT_URL, DEFAULT_VIEWPORT};
pub use report::{
    junit_xml, json_report, CheckpointReport, ExpectReport, ScenarioReport, ScreenshotReport, Status,
};
pub use run_one::{run_one, run_one_with};
pub use screenshot::masked_png;
pub use shared_browser::{BrowserConfig, SharedBrowser};
pub use timing::{resolve_at, resolve_window};
pub use trials::{run_suite, SuiteResult};
pub use verify::{run_build, verify_fix, BuildOutcome, VerifyReport};
