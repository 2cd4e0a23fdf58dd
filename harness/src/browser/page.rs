//! One browser tab set up for rendering: scripts disabled, every request answered by the
//! interceptor, an exact viewport. `Page::render` loads HTML at an origin, applies state and
//! captures a PNG.

use std::sync::{Arc, Mutex};

use chromiumoxide::cdp::browser_protocol::emulation::{
    SetDeviceMetricsOverrideParams, SetScriptExecutionDisabledParams,
};
use chromiumoxide::cdp::browser_protocol::fetch::{self, EventRequestPaused, RequestPattern, RequestStage};
use chromiumoxide::cdp::browser_protocol::network::{EventRequestWillBeSent, SetCacheDisabledParams};
use chromiumoxide::cdp::browser_protocol::page::{
    CreateIsolatedWorldParams, EventFrameNavigated, EventLifecycleEvent, FrameId, GetFrameTreeParams,
};
use chromiumoxide::cdp::browser_protocol::target::CreateTargetParams;
use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use futures::StreamExt;
use tokio::sync::OwnedSemaphorePermit;
use tokio::task::JoinHandle;

use super::capture::capture_png;
use super::find::Flavor;
use super::intercept::{self, same_document, strip_fragment, Routes};
use super::launch::{cdp_error, Inner};
use super::render::{ElementBox, RenderOptions, Rendered};
use super::state::{prepare_expression, prepared};
use crate::{Error, Result};

/// The size of the page's layout viewport in CSS pixels, which is also the size of the PNG
/// (the device scale factor is 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
}

impl From<(u32, u32)> for Viewport {
    fn from((width, height): (u32, u32)) -> Viewport {
        Viewport { width, height }
    }
}

/// A tab of the shared browser. Dropping it closes the tab and frees its slot.
pub struct Page {
    cdp: chromiumoxide::Page,
    main_frame: FrameId,
    routes: Arc<Mutex<Routes>>,
    tasks: Vec<JoinHandle<()>>,
    viewport: Viewport,
    /// One of the browser's `max_pages` slots, held while the page is in use (not while idle).
    slot: Option<OwnedSemaphorePermit>,
    // Last, so that the browser outlives everything above when this page holds the last handle.
    inner: Arc<Inner>,
}

impl Page {
    pub(crate) fn open(inner: Arc<Inner>, viewport: Viewport, slot: OwnedSemaphorePermit) -> Result<Page> {
        let limit = inner.command_timeout;
        let params = CreateTargetParams::builder()
            .url("about:blank")
            // The shell in deterministic mode only draws frames on request; a target must be
            // created with begin-frame control to be asked.
            .enable_begin_frame_control(inner.flavor == Flavor::HeadlessShell)
            .build()
            .map_err(Error::Environment)?;
        let cdp = inner
            .block_on(limit, "opening a page", inner.cdp().new_page(params))?
            .map_err(|e| cdp_error("opening a page", e))?;
        let mut page = Page {
            cdp,
            main_frame: FrameId::new(String::new()),
            routes: Arc::default(),
            tasks: Vec::new(),
            viewport,
            slot: Some(slot),
            inner: inner.clone(),
        };
        // On failure, `page` is dropped, which closes the tab.
        inner.block_on(limit, "setting up a page", page.set_up())??;
        Ok(page)
    }

    async fn set_up(&mut self) -> Result<()> {
        let cdp = &self.cdp;
        cdp.execute(SetScriptExecutionDisabledParams::new(true))
            .await
            .map_err(|e| cdp_error("disabling scripts", e))?;
        set_viewport(cdp, self.viewport).await?;
        let tree = cdp
            .execute(GetFrameTreeParams::default())
            .await
            .map_err(|e| cdp_error("reading the frame tree", e))?;
        self.main_frame = tree.result.frame_tree.frame.id.clone();
        self.routes.lock().unwrap_or_else(|p| p.into_inner()).main_frame =
            self.main_frame.as_ref().to_string();
        // Listen before enabling interception, so that no paused request goes unanswered.
        let paused = cdp
            .event_listener::<EventRequestPaused>()
            .await
            .map_err(|e| cdp_error("listening for requests", e))?;
        let sent = cdp
            .event_listener::<EventRequestWillBeSent>()
            .await
            .map_err(|e| cdp_error("listening for requests", e))?;
        self.tasks.push(tokio::spawn(intercept::serve(cdp.clone(), self.routes.clone(), paused)));
        self.tasks.push(tokio::spawn(intercept::watch_network(self.routes.clone(), sent)));
        let every_request = RequestPattern {
            url_pattern: Some("*".into()),
            resource_type: None,
            request_stage: Some(RequestStage::Request),
        };
        cdp.execute(fetch::EnableParams { patterns: Some(vec![every_request]), handle_auth_requests: None })
            .await
            .map_err(|e| cdp_error("enabling request interception", e))?;
        // A reused page must ask again for every resource: the answers may differ per render.
        cdp.execute(SetCacheDisabledParams::new(true))
            .await
            .map_err(|e| cdp_error("disabling the cache", e))?;
        Ok(())
    }

    pub(crate) fn hold(&mut self, slot: OwnedSemaphorePermit) {
        self.slot = Some(slot);
    }

    pub(crate) fn release(&mut self) {
        self.slot = None;
    }

    pub fn viewport(&self) -> Viewport {
        self.viewport
    }

    pub fn set_viewport(&mut self, viewport: impl Into<Viewport>) -> Result<()> {
        let viewport = viewport.into();
        let limit = self.inner.command_timeout;
        self.inner.block_on(limit, "setting the viewport", set_viewport(&self.cdp, viewport))??;
        self.viewport = viewport;
        Ok(())
    }

    /// Loads `html` as the document at `origin_url` (its fragment is dropped), applies
    /// `options.state`, waits for fonts, stills animations and captures the viewport as a PNG.
    pub fn render(&mut self, html: &str, origin_url: &str, options: &RenderOptions) -> Result<Rendered> {
        let limit = options.timeout;
        let rendered =
            self.inner.block_on(limit, "rendering a page", self.render_async(html, origin_url, options));
        rendered.map_err(|e| {
            // Say how far the page got: a request that is never answered is the usual suspect.
            let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
            match routes.last_request() {
                Some(last) => Error::Environment(format!(
                    "{e} ({} requests answered, the last {last})",
                    routes.answered()
                )),
                None => Error::Environment(format!("{e} (no request was answered)")),
            }
        })?
    }

    async fn render_async(&self, html: &str, origin_url: &str, options: &RenderOptions) -> Result<Rendered> {
        let url = strip_fragment(origin_url).to_string();
        self.routes.lock().unwrap_or_else(|p| p.into_inner()).reset(
            url.clone(),
            Arc::from(html),
            options.resources.clone(),
            options.policy,
        );
        let mut committed = self
            .cdp
            .event_listener::<EventFrameNavigated>()
            .await
            .map_err(|e| cdp_error("listening for page loads", e))?;
        let mut lifecycle = self
            .cdp
            .event_listener::<EventLifecycleEvent>()
            .await
            .map_err(|e| cdp_error("listening for page loads", e))?;
        // Navigate from the current document rather than with `Page.navigate`: chromiumoxide holds
        // a `Page.navigate` until every child frame reports `load`, which an iframe answered with
        // 204 or a `javascript:` iframe never does, and queues later navigations behind it.
        let go = format!("location.href = {}", serde_json::Value::String(url.clone()));
        self.run(EvaluateParams::new(go), &format!("loading {url}")).await?;
        let loader = loop {
            let event = committed.next().await.ok_or_else(gone)?;
            if event.frame.id != self.main_frame {
                continue;
            }
            if !same_document(&event.frame.url, &url) {
                return Err(Error::Environment(format!(
                    "Chromium could not load {url}: it showed {}",
                    event.frame.url
                )));
            }
            break event.frame.loader_id.clone();
        };
        // `load` comes after every subresource was answered, and the interceptor answers at once.
        loop {
            let event = lifecycle.next().await.ok_or_else(gone)?;
            if event.name == "load" && event.frame_id == self.main_frame && event.loader_id == loader {
                break;
            }
        }
        let (warnings, boxes) = self.prepare(options).await?;
        let png = capture_png(&self.cdp, self.inner.flavor).await?;
        let requests = self.routes.lock().unwrap_or_else(|p| p.into_inner()).take_log();
        Ok(Rendered { png, requests, warnings, boxes })
    }

    /// Runs the state function in a fresh isolated world of the new document: warnings and the
    /// boxes of `options.measure`.
    async fn prepare(&self, options: &RenderOptions) -> Result<(Vec<String>, Vec<ElementBox>)> {
        let world = CreateIsolatedWorldParams::builder()
            .frame_id(self.main_frame.clone())
            .world_name("reprise")
            .build()
            .map_err(Error::Environment)?;
        let world = self.cdp.execute(world).await.map_err(|e| cdp_error("creating an isolated world", e))?;
        let evaluate = EvaluateParams::builder()
            .expression(prepare_expression(&options.state, &options.measure))
            .context_id(world.result.execution_context_id)
            .await_promise(true)
            .return_by_value(true)
            .build()
            .map_err(Error::Environment)?;
        let value = self.run(evaluate, "applying page state").await?;
        Ok(prepared(&value))
    }

    /// Evaluates `expression` in the page's own (main) world and returns its JSON value. Page
    /// scripts are disabled, DevTools evaluation is not: this is for inspection and tests.
    pub fn evaluate(&self, expression: &str) -> Result<serde_json::Value> {
        let evaluate = EvaluateParams::builder()
            .expression(expression)
            .await_promise(true)
            .return_by_value(true)
            .build()
            .map_err(Error::Environment)?;
        let limit = self.inner.command_timeout;
        self.inner.block_on(
            limit,
            "evaluating an expression",
            self.run(evaluate, "evaluating an expression"),
        )?
    }

    async fn run(&self, evaluate: EvaluateParams, doing: &str) -> Result<serde_json::Value> {
        let reply = self.cdp.execute(evaluate).await.map_err(|e| cdp_error(doing, e))?;
        if let Some(exception) = &reply.result.exception_details {
            let text = exception
                .exception
                .as_ref()
                .and_then(|e| e.description.clone())
                .unwrap_or_else(|| exception.text.clone());
            return Err(Error::Environment(format!("{doing}: the page threw {text}")));
        }
        Ok(reply.result.result.value.clone().unwrap_or(serde_json::Value::Null))
    }
}

fn gone() -> Error {
    Error::Environment("the page went away while loading".into())
}

/// Stops a target's event tasks and closes it in the background: dropping a page never blocks.
pub(crate) fn close_target(inner: &Inner, cdp: &chromiumoxide::Page, tasks: &[JoinHandle<()>]) {
    for task in tasks {
        task.abort();
    }
    let cdp = cdp.clone();
    if let Some(runtime) = &inner.runtime {
        runtime.spawn(async move {
            let _ = cdp.close().await;
        });
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        close_target(&self.inner, &self.cdp, &self.tasks);
    }
}

async fn set_viewport(cdp: &chromiumoxide::Page, viewport: Viewport) -> Result<()> {
    let metrics = SetDeviceMetricsOverrideParams::new(
        i64::from(viewport.width),
        i64::from(viewport.height),
        1.0,
        false,
    );
    cdp.execute(metrics).await.map_err(|e| cdp_error("setting the viewport", e))?;
    Ok(())
}
