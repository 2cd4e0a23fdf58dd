//! Virtual time and frames. The order that works (docs/live.md): `pause` with
//! `initialVirtualTime` = the recording's start, navigate, wait until the document is committed,
//! then grant budgets with `pauseIfNetworkFetchesPending` up to each stop (a step, a checkpoint,
//! the end), waiting for `virtualTimeBudgetExpired` each time. Frames are drawn only when asked
//! (`beginFrame` on the headless shell), stamped base + virtual time so that animations advance
//! with virtual time.

use std::time::{Duration, Instant};

use base64::Engine as _;
use chromiumoxide::cdp::browser_protocol::emulation::{SetVirtualTimePolicyParams, VirtualTimePolicy};
use chromiumoxide::cdp::browser_protocol::headless_experimental::{BeginFrameParams, ScreenshotParams, ScreenshotParamsFormat};
use chromiumoxide::cdp::browser_protocol::network::TimeSinceEpoch;
use chromiumoxide::cdp::browser_protocol::page::{CaptureScreenshotFormat, CaptureScreenshotParams};
use futures::StreamExt;

use super::session::Session;
use crate::browser::find::Flavor;
use crate::browser::launch::cdp_error;
use crate::model::Offset;
use crate::{Error, Result};

/// beginFrame gives no screenshot while the renderer is still initializing: ask again.
const FRAME_TRIES: usize = 20;

impl Session {
    /// Stops the page clock at `start_ms` (epoch ms) before anything loads.
    pub(crate) async fn pause_clock(&self, start_ms: f64) -> Result<()> {
        let mut pause = SetVirtualTimePolicyParams::new(VirtualTimePolicy::Pause);
        pause.initial_virtual_time = Some(TimeSinceEpoch::new(start_ms / 1000.0));
        self.cdp.execute(pause).await.map_err(|e| cdp_error("pausing virtual time", e))?;
        Ok(())
    }

    /// Starts loading `url` without waiting for `load` (which never comes while time is paused),
    /// and waits until the new document is committed.
    pub(crate) async fn navigate(&mut self, url: &str, limit: Duration) -> Result<()> {
        let go = format!("location.href = {}", serde_json::Value::String(url.to_string()));
        // The navigation may start before the evaluation returns ("Inspected target navigated"):
        // whether it started is what the polling below finds out.
        let _ = self.evaluate_main(&go).await;
        self.forget_world();
        let want = super::app::split_origin(url).map(|(o, p)| format!("{o}{p}"));
        let started = Instant::now();
        loop {
            let href = self.evaluate_main("location.href").await.ok();
            let here = href.as_ref().and_then(|h| h.as_str()).and_then(super::app::split_origin).map(|(o, p)| format!("{o}{p}"));
            if here.is_some() && here == want {
                return Ok(());
            }
            if started.elapsed() > limit {
                let shown = href.map_or_else(|| "nothing".to_string(), |h| h.to_string());
                return Err(self.gone_or(Error::Environment(format!("the page did not load {url} within {} ms (it shows {shown})", limit.as_millis()))));
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// Lets virtual time run to `target_ms`. Time stands still while a request is pending, so a
    /// request that is never answered (a running app that hangs) trips `limit`.
    pub(crate) async fn advance_to(&mut self, target_ms: f64, limit: Duration) -> Result<()> {
        let budget = target_ms - self.now_ms;
        if budget <= 0.0 {
            return Ok(());
        }
        let mut grant = SetVirtualTimePolicyParams::new(VirtualTimePolicy::PauseIfNetworkFetchesPending);
        grant.budget = Some(budget);
        self.cdp.execute(grant).await.map_err(|e| self.gone_or(cdp_error("granting virtual time", e)))?;
        let started = Instant::now();
        loop {
            // Look at the browser between waits: a killed Chromium does not always close the
            // event stream promptly.
            match tokio::time::timeout(Duration::from_millis(100), self.expired.next()).await {
                Ok(Some(_)) => {
                    self.now_ms = target_ms;
                    self.clock.store(target_ms.to_bits(), std::sync::atomic::Ordering::Relaxed);
                    self.net.lock().unwrap_or_else(|p| p.into_inner()).now_ms = target_ms;
                    return Ok(());
                }
                Ok(None) => return Err(self.gone_or(Error::Environment("the page went away".into()))),
                Err(_) if self.inner.exited() => return Err(self.gone_or(Error::Environment("Chromium exited".into()))),
                Err(_) if started.elapsed() < limit => continue,
                Err(_) => {
                    let last = self.net.lock().unwrap_or_else(|p| p.into_inner()).requests().last().map(|r| format!("{} {}", r.method, r.url));
                    return Err(Error::Environment(format!(
                        "virtual time did not reach {} within {} ms of real time (stuck at {}; last request: {})",
                        Offset(target_ms),
                        limit.as_millis(),
                        Offset(self.now_ms),
                        last.unwrap_or_else(|| "none".into())
                    )));
                }
            }
        }
    }

    /// Draws one frame at the current virtual time (timers that input held back run, animation
    /// frames and CSS animations advance); with `screenshot`, returns its PNG.
    pub(crate) async fn frame(&mut self, screenshot: bool) -> Result<Option<Vec<u8>>> {
        let started = Instant::now();
        let result = self.frame_inner(screenshot).await;
        self.cdp_ms += started.elapsed().as_secs_f64() * 1000.0;
        result
    }

    async fn frame_inner(&mut self, screenshot: bool) -> Result<Option<Vec<u8>>> {
        if self.flavor != Flavor::HeadlessShell {
            if !screenshot {
                return Ok(None);
            }
            let params = CaptureScreenshotParams::builder().format(CaptureScreenshotFormat::Png).from_surface(true).optimize_for_speed(true).build();
            let shot = self.cdp.execute(params).await.map_err(|e| self.gone_or(cdp_error("capturing a screenshot", e)))?;
            return decode(String::from(shot.result.data.clone())).map(Some);
        }
        for attempt in 0..FRAME_TRIES {
            // Frame times must increase; retries at one instant differ by a microsecond.
            let ticks = self.ticks_base + self.now_ms + attempt as f64 * 0.001;
            let mut params = BeginFrameParams::builder().frame_time_ticks(ticks).interval(1000.0 / 60.0).no_display_updates(!screenshot);
            if screenshot {
                params = params.screenshot(ScreenshotParams::builder().format(ScreenshotParamsFormat::Png).optimize_for_speed(true).build());
            }
            let frame = self.cdp.execute(params.build()).await.map_err(|e| self.gone_or(cdp_error("in beginFrame", e)))?;
            if !screenshot {
                return Ok(None);
            }
            if let Some(data) = frame.result.screenshot_data.clone() {
                return decode(String::from(data)).map(Some);
            }
        }
        Err(Error::Environment(format!("beginFrame gave no screenshot in {FRAME_TRIES} frames")))
    }

    /// `e`, or a clearer error when the browser process is gone.
    pub(crate) fn gone_or(&self, e: Error) -> Error {
        if self.inner.exited() {
            Error::Environment(format!("Chromium exited during the replay, at {} of virtual time", Offset(self.now_ms)))
        } else {
            e
        }
    }
}

fn decode(data: String) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|e| Error::Environment(format!("Chromium sent a screenshot that is not base64: {e}")))
}
