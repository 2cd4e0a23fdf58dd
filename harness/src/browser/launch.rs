//! One Chromium per run, shared by many pages: `Browser::launch`, `Browser::new_page`. The API is
//! blocking; underneath, a private tokio runtime drives chromiumoxide.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chromiumoxide::handler::HandlerConfig;
use futures::StreamExt;
use tokio::runtime::Runtime;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::find::{find_chrome, Flavor};
use super::page::{Page, Viewport};
use super::process::{ChromeProcess, Spawn};
use super::render::{RenderOptions, Rendered};
use crate::{Error, Result};

/// How to start the browser.
#[derive(Debug, Clone)]
pub struct LaunchOptions {
    /// The binary (`--chrome`); `None` looks in `$REPRISE_CHROME`, then the Debian paths.
    pub chrome: Option<PathBuf>,
    /// How many pages may be open at once; `new_page` waits for a free slot.
    pub max_pages: usize,
    /// The limit for starting Chromium and connecting to it.
    pub launch_timeout: Duration,
    /// The limit for one DevTools command (opening a page, a screenshot...).
    pub command_timeout: Duration,
    /// Where the fresh profile folder is created; `None` means the system temp folder.
    pub temp_root: Option<PathBuf>,
    /// Kill the browser and exit when SIGINT, SIGTERM, SIGHUP or SIGQUIT arrives. Turn it off only
    /// when the embedding program handles those signals and drops the browser itself.
    pub reap_on_signal: bool,
    /// More Chromium flags, after ours (written with their leading `--`).
    pub extra_args: Vec<String>,
}

impl Default for LaunchOptions {
    fn default() -> LaunchOptions {
        LaunchOptions {
            chrome: None,
            max_pages: 2,
            launch_timeout: Duration::from_secs(20),
            command_timeout: Duration::from_secs(30),
            temp_root: None,
            reap_on_signal: true,
            extra_args: Vec::new(),
        }
    }
}

/// A running Chromium and the connection to it. Cloning is cheap and shares the browser; the
/// process is killed and its profile removed when the last clone and the last page are dropped.
#[derive(Clone)]
pub struct Browser {
    pub(crate) inner: Arc<Inner>,
    /// Idle pages kept by `render_html` for the next render: a page costs about 100 ms to open.
    /// Kept here, not in `Inner`, because pages hold `Inner` (no cycle).
    idle: Arc<Mutex<Vec<Page>>>,
}

pub(crate) struct Inner {
    pub(crate) runtime: Option<Runtime>,
    pub(crate) cdp: Option<chromiumoxide::Browser>,
    process: Option<ChromeProcess>,
    pub(crate) flavor: Flavor,
    pub(crate) command_timeout: Duration,
    slots: Arc<Semaphore>,
    slots_total: usize,
    binary: PathBuf,
    pub(crate) version: String,
}

impl Inner {
    pub(crate) fn runtime(&self) -> &Runtime {
        self.runtime.as_ref().expect("the runtime lives until Inner is dropped")
    }

    /// Runs `future` to completion on the browser's runtime, or fails after `limit`.
    pub(crate) fn block_on<F: std::future::Future>(
        &self,
        limit: Duration,
        doing: &str,
        future: F,
    ) -> Result<F::Output> {
        // The timer must be created inside the runtime, hence the async block.
        self.runtime()
            .block_on(async { tokio::time::timeout(limit, future).await })
            .map_err(|_| timed_out(doing, limit))
    }

    /// Waits for one of the `max_pages` slots.
    pub(crate) fn take_slot(&self) -> Result<OwnedSemaphorePermit> {
        self.runtime()
            .block_on(self.slots.clone().acquire_owned())
            .map_err(|_| Error::Environment("the browser is shutting down".into()))
    }

    /// True once the browser process has died.
    pub(crate) fn exited(&self) -> bool {
        self.process.as_ref().is_none_or(ChromeProcess::exited)
    }

    pub(crate) fn cdp(&self) -> &chromiumoxide::Browser {
        self.cdp.as_ref().expect("the connection lives until Inner is dropped")
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.cdp.take();
        // Kill first: the handler task then sees its socket close and ends on its own.
        self.process.take();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Browser {
    /// Finds and starts Chromium with a fresh profile and connects to it.
    pub fn launch(options: &LaunchOptions) -> Result<Browser> {
        let started = Instant::now();
        let binary = find_chrome(options.chrome.as_deref())?;
        let flavor = Flavor::of(&binary);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("reprise-browser")
            .enable_all()
            .build()
            .map_err(|e| Error::Environment(format!("cannot start the browser runtime: {e}")))?;
        let temp_root = options.temp_root.clone().unwrap_or_else(std::env::temp_dir);
        let process = ChromeProcess::spawn(&Spawn {
            binary: &binary,
            flavor,
            temp_root: &temp_root,
            extra_args: &options.extra_args,
            timeout: options.launch_timeout,
            reap_on_signal: options.reap_on_signal,
        })?;
        let left = options.launch_timeout.saturating_sub(started.elapsed());
        let config = HandlerConfig {
            viewport: None,
            request_timeout: options.command_timeout,
            cache_enabled: false,
            ..HandlerConfig::default()
        };
        let ws_url = process.ws_url().to_string();
        let connected = runtime.block_on(async {
            let (cdp, mut handler) =
                tokio::time::timeout(left, chromiumoxide::Browser::connect_with_config(ws_url, config))
                    .await
                    .map_err(|_| timed_out("connecting to Chromium", options.launch_timeout))?
                    .map_err(|e| cdp_error("connecting to Chromium", e))?;
            // Nothing happens unless the handler stream is polled. It ends when the socket closes;
            // errors on single messages are not fatal.
            tokio::spawn(async move { while handler.next().await.is_some() {} });
            let version = tokio::time::timeout(left.max(Duration::from_millis(1)), cdp.version())
                .await
                .map_err(|_| timed_out("asking Chromium its version", options.launch_timeout))?
                .map_err(|e| cdp_error("asking Chromium its version", e))?;
            Ok::<_, Error>((cdp, version.product))
        });
        let (cdp, version) = match connected {
            Ok(ok) => ok,
            Err(e) => {
                let tail = process.log_tail();
                drop(process);
                runtime.shutdown_background();
                return Err(Error::Environment(format!("{e}; Chromium's last output:\n{tail}")));
            }
        };
        Ok(Browser {
            inner: Arc::new(Inner {
                runtime: Some(runtime),
                cdp: Some(cdp),
                process: Some(process),
                flavor,
                command_timeout: options.command_timeout,
                slots: Arc::new(Semaphore::new(options.max_pages.max(1))),
                slots_total: options.max_pages.max(1),
                binary,
                version,
            }),
            idle: Arc::default(),
        })
    }

    /// Opens a blank page with scripts disabled, every request intercepted, and `viewport`. Waits
    /// while `max_pages` pages are open.
    pub fn new_page(&self, viewport: impl Into<Viewport>) -> Result<Page> {
        let slot = self.inner.take_slot()?;
        Page::open(self.inner.clone(), viewport.into(), slot)
    }

    /// Renders `html` as if served at `origin_url`, on an idle page when there is one (pages are
    /// reused: every render starts a new document, with the cache disabled).
    pub fn render_html(
        &self,
        html: &str,
        origin_url: &str,
        viewport: impl Into<Viewport>,
        options: &RenderOptions,
    ) -> Result<Rendered> {
        let viewport = viewport.into();
        let slot = self.inner.take_slot()?;
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut page = match idle {
            Some(mut page) => {
                page.hold(slot);
                if page.viewport() != viewport {
                    page.set_viewport(viewport)?;
                }
                page
            }
            None => Page::open(self.inner.clone(), viewport, slot)?,
        };
        // A page whose render failed is closed rather than trusted again.
        let rendered = page.render(html, origin_url, options)?;
        page.release();
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < self.inner.slots_total {
            idle.push(page);
        }
        Ok(rendered)
    }

    /// The process id of the browser, which is also the id of its process group.
    pub fn pid(&self) -> u32 {
        self.inner.process.as_ref().map_or(0, ChromeProcess::pid)
    }

    /// The fresh profile folder, removed when the browser goes.
    pub fn profile_dir(&self) -> &Path {
        self.inner.process.as_ref().map_or(Path::new(""), ChromeProcess::profile_dir)
    }

    pub fn binary(&self) -> &Path {
        &self.inner.binary
    }

    pub fn flavor(&self) -> Flavor {
        self.inner.flavor
    }

    /// Chromium's product string, such as `HeadlessChrome/156.0.8078.79`.
    pub fn version(&self) -> &str {
        &self.inner.version
    }
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser")
            .field("binary", &self.inner.binary)
            .field("version", &self.inner.version)
            .field("pid", &self.pid())
            .finish()
    }
}

pub(crate) fn cdp_error(doing: &str, e: chromiumoxide::error::CdpError) -> Error {
    Error::Environment(format!("Chromium failed {doing}: {e}"))
}

pub(crate) fn timed_out(doing: &str, limit: Duration) -> Error {
    Error::Environment(format!("timed out {doing} (limit {} ms)", limit.as_millis()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_and_pages_cross_threads() {
        fn send_sync<T: Send + Sync>() {}
        fn send<T: Send>() {}
        send_sync::<Browser>();
        send::<Page>();
    }
}
