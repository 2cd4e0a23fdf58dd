//! One live run's tab: scripts on, the page script added to every document, every request
//! paused for `network`, console messages and exceptions collected, an exact viewport, UTC and
//! en-US. The helpers of js/tools.js live in an isolated world of the current document.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chromiumoxide::cdp::browser_protocol::emulation::{
    EventVirtualTimeBudgetExpired, SetDeviceMetricsOverrideParams, SetLocaleOverrideParams, SetTimezoneOverrideParams,
};
use chromiumoxide::cdp::browser_protocol::fetch::{self, EventRequestPaused, RequestPattern, RequestStage};
use chromiumoxide::cdp::browser_protocol::network::{EventRequestWillBeSent, SetCacheDisabledParams};
use chromiumoxide::cdp::browser_protocol::page::{
    AddScriptToEvaluateOnNewDocumentParams, CreateIsolatedWorldParams, FrameId, GetFrameTreeParams,
};
use chromiumoxide::cdp::browser_protocol::target::CreateTargetParams;
use chromiumoxide::cdp::js_protocol::runtime::{
    EvaluateParams, EventConsoleApiCalled, EventExceptionThrown, ExecutionContextId, RemoteObject,
};
use chromiumoxide::listeners::EventStream;
use futures::StreamExt;
use tokio::sync::OwnedSemaphorePermit;
use tokio::task::JoinHandle;

use super::network::{self, NetState};
use super::result::{ConsoleMessage, PageException};
use super::script;
use crate::browser::find::Flavor;
use crate::browser::launch::{cdp_error, Inner};
use crate::{Error, Result};

/// Console messages and exceptions, stamped in virtual time.
#[derive(Debug, Default)]
pub(crate) struct PageLogs {
    pub console: Vec<ConsoleMessage>,
    pub exceptions: Vec<PageException>,
}

pub(crate) struct Session {
    pub cdp: chromiumoxide::Page,
    pub main_frame: FrameId,
    pub flavor: Flavor,
    pub net: Arc<Mutex<NetState>>,
    pub logs: Arc<Mutex<PageLogs>>,
    pub expired: EventStream<EventVirtualTimeBudgetExpired>,
    /// Virtual ms since the recording's start.
    pub now_ms: f64,
    /// `now_ms` as f64 bits, for the watchdog that reports where a crash happened.
    pub clock: Arc<AtomicU64>,
    /// The renderer's monotonic clock (ms) at virtual offset 0: frames are stamped base + now.
    pub ticks_base: f64,
    /// The isolated world holding js/tools.js in the current document.
    world: Option<ExecutionContextId>,
    /// Real ms spent in DevTools calls since the counter was last taken.
    pub cdp_ms: f64,
    tasks: Vec<JoinHandle<()>>,
    _slot: OwnedSemaphorePermit,
    // Last: the browser outlives the tab.
    pub inner: Arc<Inner>,
}

impl Session {
    pub(crate) async fn open(
        inner: Arc<Inner>,
        slot: OwnedSemaphorePermit,
        net: NetState,
        viewport: (u32, u32),
        seed: u64,
        clock: Arc<AtomicU64>,
    ) -> Result<Session> {
        let params = CreateTargetParams::builder()
            .url("about:blank")
            .enable_begin_frame_control(inner.flavor == Flavor::HeadlessShell)
            .build()
            .map_err(Error::Environment)?;
        let cdp = inner.cdp().new_page(params).await.map_err(|e| cdp_error("opening a page", e))?;
        let start_ms = net.start_ms;
        let net = Arc::new(Mutex::new(net));
        let logs: Arc<Mutex<PageLogs>> = Arc::default();
        let tree = cdp.execute(GetFrameTreeParams::default()).await.map_err(|e| cdp_error("reading the frame tree", e))?;
        let expired = cdp.event_listener::<EventVirtualTimeBudgetExpired>().await.map_err(|e| cdp_error("listening", e))?;
        let mut session = Session {
            main_frame: tree.result.frame_tree.frame.id.clone(),
            flavor: inner.flavor,
            net: net.clone(),
            logs: logs.clone(),
            expired,
            now_ms: 0.0,
            clock,
            ticks_base: monotonic_ms(),
            world: None,
            cdp_ms: 0.0,
            tasks: Vec::new(),
            _slot: slot,
            inner,
            cdp,
        };
        // Listen before enabling interception, so that no paused request goes unanswered.
        let cdp = &session.cdp;
        let paused = cdp.event_listener::<EventRequestPaused>().await.map_err(|e| cdp_error("listening", e))?;
        let sent = cdp.event_listener::<EventRequestWillBeSent>().await.map_err(|e| cdp_error("listening", e))?;
        let console = cdp.event_listener::<EventConsoleApiCalled>().await.map_err(|e| cdp_error("listening", e))?;
        let thrown = cdp.event_listener::<EventExceptionThrown>().await.map_err(|e| cdp_error("listening", e))?;
        session.tasks.push(tokio::spawn(network::serve(cdp.clone(), net.clone(), paused)));
        session.tasks.push(tokio::spawn(network::watch_sent(net, sent)));
        session.tasks.push(tokio::spawn(collect_console(logs.clone(), console, start_ms)));
        session.tasks.push(tokio::spawn(collect_exceptions(logs, thrown, start_ms)));
        let cdp = &session.cdp;
        let every_request = RequestPattern { url_pattern: Some("*".into()), resource_type: None, request_stage: Some(RequestStage::Request) };
        cdp.execute(fetch::EnableParams { patterns: Some(vec![every_request]), handle_auth_requests: None })
            .await
            .map_err(|e| cdp_error("enabling request interception", e))?;
        cdp.execute(SetCacheDisabledParams::new(true)).await.map_err(|e| cdp_error("disabling the cache", e))?;
        cdp.execute(AddScriptToEvaluateOnNewDocumentParams::builder().source(script::page_script(seed)).build().map_err(Error::Environment)?)
            .await
            .map_err(|e| cdp_error("adding the page script", e))?;
        cdp.execute(SetTimezoneOverrideParams::new("UTC")).await.map_err(|e| cdp_error("setting the time zone", e))?;
        cdp.execute(SetLocaleOverrideParams { locale: Some("en-US".into()) }).await.map_err(|e| cdp_error("setting the locale", e))?;
        session.set_viewport(viewport).await?;
        Ok(session)
    }

    pub(crate) async fn set_viewport(&self, (width, height): (u32, u32)) -> Result<()> {
        let metrics = SetDeviceMetricsOverrideParams::new(i64::from(width), i64::from(height), 1.0, false);
        self.cdp.execute(metrics).await.map_err(|e| cdp_error("setting the viewport", e))?;
        Ok(())
    }

    /// Runs `call` (an expression over `__reprise`) in the isolated world of the current
    /// document, creating the world and its helpers when the document is new.
    pub(crate) async fn tools(&mut self, call: &str) -> Result<serde_json::Value> {
        for attempt in 0..2 {
            let world = match self.world {
                Some(w) => w,
                None => self.create_world().await?,
            };
            let started = Instant::now();
            let evaluate = EvaluateParams::builder()
                .expression(call)
                .context_id(world)
                .return_by_value(true)
                .build()
                .map_err(Error::Environment)?;
            let reply = self.cdp.execute(evaluate).await;
            self.cdp_ms += started.elapsed().as_secs_f64() * 1000.0;
            match reply {
                Ok(reply) => {
                    if let Some(ex) = &reply.result.exception_details {
                        let text = ex.exception.as_ref().and_then(|e| e.description.clone()).unwrap_or_else(|| ex.text.clone());
                        // A new document has a fresh world without our helpers.
                        if attempt == 0 && text.contains("__reprise") {
                            self.world = None;
                            continue;
                        }
                        return Err(Error::Environment(format!("reprise's page helper threw {text}")));
                    }
                    return Ok(reply.result.result.value.clone().unwrap_or(serde_json::Value::Null));
                }
                // The world went with its document (a navigation): make a new one once.
                Err(_) if attempt == 0 => self.world = None,
                Err(e) => return Err(cdp_error("running reprise's page helper", e)),
            }
        }
        unreachable!("the loop returns")
    }

    async fn create_world(&mut self) -> Result<ExecutionContextId> {
        let started = Instant::now();
        let params = CreateIsolatedWorldParams::builder()
            .frame_id(self.main_frame.clone())
            .world_name("reprise")
            .build()
            .map_err(Error::Environment)?;
        let world = self.cdp.execute(params).await.map_err(|e| cdp_error("creating an isolated world", e))?;
        let id = world.result.execution_context_id;
        let define = EvaluateParams::builder().expression(script::TOOLS).context_id(id).build().map_err(Error::Environment)?;
        let reply = self.cdp.execute(define).await.map_err(|e| cdp_error("defining reprise's page helpers", e))?;
        if let Some(ex) = &reply.result.exception_details {
            return Err(Error::Environment(format!("reprise's page helpers did not load: {}", ex.text)));
        }
        self.cdp_ms += started.elapsed().as_secs_f64() * 1000.0;
        self.world = Some(id);
        Ok(id)
    }

    /// Evaluates `expression` in the page's own world (navigation, location).
    pub(crate) async fn evaluate_main(&self, expression: &str) -> Result<serde_json::Value> {
        let evaluate = EvaluateParams::builder().expression(expression).return_by_value(true).build().map_err(Error::Environment)?;
        let reply = self.cdp.execute(evaluate).await.map_err(|e| cdp_error("evaluating in the page", e))?;
        Ok(reply.result.result.value.clone().unwrap_or(serde_json::Value::Null))
    }

    pub(crate) fn forget_world(&mut self) {
        self.world = None;
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        crate::browser::page::close_target(&self.inner, &self.cdp, &self.tasks);
    }
}

/// CLOCK_MONOTONIC in ms: the base of the renderer's frame times on Linux.
fn monotonic_ms() -> f64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
    t.tv_sec as f64 * 1000.0 + t.tv_nsec as f64 / 1e6
}

fn offset(start_ms: f64, timestamp_ms: f64) -> f64 {
    ((timestamp_ms - start_ms) * 1000.0).round() / 1000.0
}

fn remote_text(o: &RemoteObject) -> String {
    match &o.value {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => o.unserializable_value.as_ref().map(|u| u.inner().clone()).or_else(|| o.description.clone()).unwrap_or_default(),
    }
}

async fn collect_console(logs: Arc<Mutex<PageLogs>>, mut events: EventStream<EventConsoleApiCalled>, start_ms: f64) {
    while let Some(e) = events.next().await {
        let level = serde_json::to_value(&e.r#type).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let text = e.args.iter().map(remote_text).collect::<Vec<_>>().join(" ");
        let at = offset(start_ms, *e.timestamp.inner());
        logs.lock().unwrap_or_else(|p| p.into_inner()).console.push(ConsoleMessage { offset_ms: at, level, text });
    }
}

async fn collect_exceptions(logs: Arc<Mutex<PageLogs>>, mut events: EventStream<EventExceptionThrown>, start_ms: f64) {
    while let Some(e) = events.next().await {
        let d = &e.exception_details;
        let what = d.exception.as_ref().and_then(|x| x.description.clone().or_else(|| x.value.as_ref().map(|v| v.to_string())));
        // "Uncaught (in promise)" + "TypeError: Cannot read properties…", first line of the stack.
        let text = match what {
            Some(w) => format!("{} {}", d.text, w.lines().next().unwrap_or("")),
            None => d.text.clone(),
        };
        let at = offset(start_ms, *e.timestamp.inner());
        logs.lock().unwrap_or_else(|p| p.into_inner()).exceptions.push(PageException { offset_ms: at, text });
    }
}
