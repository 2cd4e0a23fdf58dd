//! Live mode: the app under test driven through a recorded session. Virtual time from the
//! recording's start (`clock`), every request answered from the recording or the app folder
//! (`network`, `app`), the recorded interactions dispatched through the browser's input pipeline
//! (`input`), evidence at checkpoints (`evidence`), seeded randomness and latency release in the
//! page (`script`, js/). `driver` runs it all; docs/live.md explains why it is built this way.

mod app;
mod clock;
mod driver;
mod evidence;
mod input;
mod network;
mod result;
mod script;
mod session;
mod spec;

pub use result::{ConsoleMessage, LiveAnswer, LiveCheckpoint, LiveRequest, LiveRun, PageException, QueryResult, StepRecord};
pub use spec::{AppSource, CheckpointSpec, LiveSpec};
