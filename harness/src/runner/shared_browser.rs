//! One Chromium for a whole run: launched the first time a scenario needs it, shared by every
//! trial thread, and reaped when its owner (`run_suite`, or `run_one` for a single scenario) drops
//! it. Also says why browser scenarios cannot run on this machine, for a visible skip.

use crate::browser::{find_chrome, Browser, Flavor, LaunchOptions, CHROME_ENV};
use crate::error::{Error, Result};
use std::path::PathBuf;
use std::sync::OnceLock;

/// How the run's browser is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserConfig {
    /// The Chromium binary (`--chrome`); `None` looks in `$REPRISE_CHROME`, then the Debian paths.
    pub chrome: Option<PathBuf>,
    /// How many pages render at once (the browser's `max_pages`).
    pub pages: usize,
}

impl Default for BrowserConfig {
    fn default() -> BrowserConfig {
        BrowserConfig { chrome: None, pages: 2 }
    }
}

/// The run's browser, launched lazily. Dropping it kills Chromium and removes its profile.
pub struct SharedBrowser {
    config: BrowserConfig,
    browser: OnceLock<std::result::Result<Browser, String>>,
}

impl SharedBrowser {
    pub fn new(config: BrowserConfig) -> SharedBrowser {
        SharedBrowser { config, browser: OnceLock::new() }
    }

    /// Why render scenarios are skipped here, or `None` when they can run: no Chromium at all
    /// (unless one was named, which is then an error when launching), or only the full `chromium`,
    /// whose pixels differ from the headless shell's that render goldens are made with.
    pub fn render_skip_reason(&self) -> Option<String> {
        let named = self.config.chrome.is_some() || std::env::var_os(CHROME_ENV).is_some_and(|v| !v.is_empty());
        skip_reason(find_chrome(self.config.chrome.as_deref()), named)
    }

    /// The Chromium binary asked for (`--chrome`), for browsers launched apart from this one.
    pub fn chrome(&self) -> Option<&std::path::Path> {
        self.config.chrome.as_deref()
    }

    /// The browser, launched on first use. A failed launch is remembered and reported to every
    /// scenario that asks, without trying again.
    pub fn get(&self) -> Result<&Browser> {
        let launched = self.browser.get_or_init(|| {
            let options = LaunchOptions {
                chrome: self.config.chrome.clone(),
                max_pages: self.config.pages.max(1),
                ..LaunchOptions::default()
            };
            Browser::launch(&options).map_err(|e| e.to_string())
        });
        launched.as_ref().map_err(|e| Error::Environment(format!("cannot start Chromium: {e}")))
    }

    /// The browser if one was launched (for its version in messages).
    pub fn launched(&self) -> Option<&Browser> {
        self.browser.get().and_then(|b| b.as_ref().ok())
    }
}

/// The skip rule on what `find_chrome` found: nothing (and nothing was named: a named binary that
/// is missing is an error when launching, not a skip), or only the full chromium.
fn skip_reason(found: Result<PathBuf>, named: bool) -> Option<String> {
    match found {
        Err(_) if named => None,
        Err(_) => Some("no Chromium (apt-get install chromium-headless-shell)".into()),
        Ok(path) if Flavor::of(&path) == Flavor::Chromium => Some(format!(
            "only the full chromium ({}); render goldens need chromium-headless-shell, whose pixels differ \
             (apt-get install chromium-headless-shell, or name it with --chrome or {CHROME_ENV})",
            path.display()
        )),
        Ok(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_scenarios_skip_without_the_headless_shell() {
        let none = || Err(Error::Environment("no Chromium found".into()));
        assert_eq!(skip_reason(none(), false).as_deref(), Some("no Chromium (apt-get install chromium-headless-shell)"));
        assert_eq!(skip_reason(none(), true), None, "a named binary that is missing fails instead");
        let full = skip_reason(Ok("/usr/lib/chromium/chromium".into()), false).unwrap();
        assert!(full.starts_with("only the full chromium (/usr/lib/chromium/chromium)"), "{full}");
        assert_eq!(skip_reason(Ok("/usr/lib/chromium/chromium-headless-shell".into()), false), None);
    }
}
