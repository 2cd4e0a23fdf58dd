//! The PNG of the current frame. On the headless shell (`--deterministic-mode`) frames only exist
//! when asked for, so the capture is `HeadlessExperimental.beginFrame` with a screenshot; the full
//! Chromium has no beginFrame and uses `Page.captureScreenshot`.

use base64::Engine as _;
use chromiumoxide::cdp::browser_protocol::headless_experimental::{
    BeginFrameParams, ScreenshotParams, ScreenshotParamsFormat,
};
use chromiumoxide::cdp::browser_protocol::page::{CaptureScreenshotFormat, CaptureScreenshotParams};

use super::find::Flavor;
use super::launch::cdp_error;
use crate::{Error, Result};

/// beginFrame can return no screenshot while the renderer is still initializing: ask again.
const BEGIN_FRAME_TRIES: usize = 20;

pub(crate) async fn capture_png(page: &chromiumoxide::Page, flavor: Flavor) -> Result<Vec<u8>> {
    let data = match flavor {
        Flavor::HeadlessShell => {
            let mut data = None;
            for _ in 0..BEGIN_FRAME_TRIES {
                let params = BeginFrameParams::builder()
                    .screenshot(
                        ScreenshotParams::builder()
                            .format(ScreenshotParamsFormat::Png)
                            .optimize_for_speed(true)
                            .build(),
                    )
                    .build();
                let frame = page.execute(params).await.map_err(|e| cdp_error("in beginFrame", e))?;
                if let Some(shot) = frame.result.screenshot_data.clone() {
                    data = Some(String::from(shot));
                    break;
                }
            }
            data.ok_or_else(|| {
                Error::Environment(format!("beginFrame gave no screenshot in {BEGIN_FRAME_TRIES} frames"))
            })?
        }
        Flavor::Chromium => {
            let params = CaptureScreenshotParams::builder()
                .format(CaptureScreenshotFormat::Png)
                .from_surface(true)
                .optimize_for_speed(true)
                .build();
            let shot = page.execute(params).await.map_err(|e| cdp_error("capturing a screenshot", e))?;
            String::from(shot.result.data.clone())
        }
    };
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|e| Error::Environment(format!("Chromium sent a screenshot that is not base64: {e}")))
}
