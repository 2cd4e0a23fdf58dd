//! A live run from start to end: open a tab, stop the clock at the recording's start, load the
//! app, then walk the stops in virtual time (checkpoints first, then the steps of that instant,
//! then one frame) until the end.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::Either;

use super::app::AppHost;
use super::network::NetState;
use super::result::LiveRun;
use super::session::Session;
use super::spec::LiveSpec;
use crate::browser::launch::Browser;
use crate::model::Offset;
use crate::{Error, Result};

/// Something to do at one instant. Checkpoints sort before steps: the state at `t` is the state
/// before anything recorded at `t` happens, as in rrweb's `pause(t)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stop {
    Checkpoint(usize),
    Step(usize),
}

/// Stops fall on whole milliseconds of virtual time: recorded offsets of Sentry recordings are
/// fractional, and the page's clocks (read through Chromium's 100 µs clamping with jitter) only
/// give the same readings run to run when virtual time moves in whole milliseconds.
fn whole_ms(ms: f64) -> f64 {
    ms.max(0.0).round()
}

impl Browser {
    /// Drives the app of `spec` through its replay plan on a new tab and returns what it saw.
    /// Blocks; the whole run is bounded by `spec.timeout`.
    pub fn run_live(&self, spec: &LiveSpec) -> Result<LiveRun> {
        let host = AppHost::new(&spec.app, &spec.plan.url)?;
        let slot = self.inner.take_slot()?;
        let inner = self.inner.clone();
        let clock = Arc::new(AtomicU64::new(0));
        let replay = Box::pin(run(inner.clone(), slot, host, spec, clock.clone()));
        // A killed Chromium leaves DevTools calls waiting for their own timeout: watch the process.
        let watchdog = Box::pin(async move {
            while !inner.exited() {
                tokio::time::sleep(WATCHDOG_PERIOD).await;
            }
            let at = f64::from_bits(clock.load(Ordering::Relaxed));
            Error::Environment(format!("Chromium exited during the replay, at {} of virtual time", Offset(at)))
        });
        let raced = async move {
            match futures::future::select(replay, watchdog).await {
                Either::Left((result, _)) => result,
                Either::Right((gone, _)) => Err(gone),
            }
        };
        self.inner.block_on(spec.timeout, "replaying the recording live", raced)?
    }
}

/// How often the watchdog looks at the browser process.
const WATCHDOG_PERIOD: Duration = Duration::from_millis(50);

/// One frame after the steps of an instant; its cost counts for the last of them.
async fn end_of_instant(s: &mut Session, run: &mut LiveRun) -> Result<()> {
    s.cdp_ms = 0.0;
    s.frame(false).await?;
    if let Some(last) = run.steps.last_mut() {
        last.cdp_ms += s.cdp_ms;
    }
    Ok(())
}

async fn run(
    inner: std::sync::Arc<crate::browser::launch::Inner>,
    slot: tokio::sync::OwnedSemaphorePermit,
    host: AppHost,
    spec: &LiveSpec,
    clock: Arc<AtomicU64>,
) -> Result<LiveRun> {
    let started = Instant::now();
    let start_url = host.start_url.clone();
    let mut net = NetState::new(host, spec.exchanges.clone(), spec.unmatched, spec.plan.start.0);
    net.har_entries = spec.har_entries;
    let version = inner.version.clone();
    let mut s = Session::open(inner, slot, net, spec.plan.viewport, spec.seed, clock).await?;
    let mut run = LiveRun { browser: version, warnings: spec.plan.warnings.clone(), ..LiveRun::default() };

    let mut stops: BTreeMap<(u64, Stop), f64> = BTreeMap::new();
    for (i, cp) in spec.checkpoints.iter().enumerate() {
        stops.insert((whole_ms(cp.offset_ms) as u64, Stop::Checkpoint(i)), whole_ms(cp.offset_ms));
    }
    let end = whole_ms(spec.checkpoints.iter().map(|c| c.offset_ms).fold(spec.end_ms, f64::max));
    for (i, step) in spec.plan.steps.iter().enumerate() {
        if whole_ms(step.offset_ms) <= end {
            stops.insert((whole_ms(step.offset_ms) as u64, Stop::Step(i)), whole_ms(step.offset_ms));
        }
    }

    s.pause_clock(spec.plan.start.0).await?;
    s.navigate(&start_url, spec.stop_timeout).await.map_err(|e| s.gone_or(e))?;
    // The helpers' world is set up once per document, not counted against the first step.
    s.tools("0").await?;
    let mut pending_frame = false;
    let mut last_key = None;
    for ((k, stop), at) in stops {
        if last_key != Some(k) {
            if pending_frame {
                end_of_instant(&mut s, &mut run).await?;
                pending_frame = false;
            }
            s.advance_to(at, spec.stop_timeout).await?;
            last_key = Some(k);
        }
        match stop {
            Stop::Checkpoint(i) => {
                let cp = &spec.checkpoints[i];
                let captured = s.capture(cp).await.map_err(|e| s.gone_or(e))?;
                run.checkpoints.push(captured);
            }
            Stop::Step(i) => {
                let step = &spec.plan.steps[i];
                let record = s.dispatch(i + 1, step, spec.stop_timeout).await.map_err(|e| s.gone_or(e))?;
                run.steps.push(record);
                pending_frame = true;
            }
        }
    }
    if pending_frame {
        end_of_instant(&mut s, &mut run).await?;
    }
    s.advance_to(end, spec.stop_timeout).await?;
    run.wall_ms = started.elapsed().as_secs_f64() * 1000.0;
    let net = s.net.lock().unwrap_or_else(|p| p.into_inner());
    run.requests = net.requests();
    run.unmatched = net.mocks.unmatched.clone();
    run.unused_exchanges = net.mocks.unused().len();
    drop(net);
    let logs = s.logs.lock().unwrap_or_else(|p| p.into_inner());
    run.console = logs.console.clone();
    run.exceptions = logs.exceptions.clone();
    drop(logs);
    if run.checkpoints.len() != spec.checkpoints.len() {
        return Err(Error::Environment(format!("only {} of {} checkpoints were captured by {}", run.checkpoints.len(), spec.checkpoints.len(), Offset(end))));
    }
    Ok(run)
}
