//! The command line Chromium is started with: offline, quiet, and deterministic in its pixels.
//! docs/browser.md explains each group; change both together.

use std::path::Path;

use super::find::Flavor;

/// Flags for every launch. Chromium must never reach the network on its own: the background
/// services are off, names resolve to nothing and anything that still tries goes to a dead proxy.
/// Loopback is exempt from the proxy so that a live app under test on 127.0.0.1 stays reachable.
const COMMON: &[&str] = &[
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--no-pings",
    "--metrics-recording-only",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
    // One renderer for a page and its iframes, so that Fetch interception on the page target also
    // sees the requests of cross-site iframes (site isolation would move them to other targets).
    "--disable-site-isolation-trials",
    "--disable-features=IsolateOrigins,site-per-process,Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
    // Pixels: no scrollbars, no hinting, one colour profile, one device scale.
    "--hide-scrollbars",
    "--font-render-hinting=none",
    "--force-color-profile=srgb",
    "--force-device-scale-factor=1",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
];

/// The full command line, minus the initial URL.
pub(crate) fn launch_flags(flavor: Flavor, profile: &Path) -> Vec<String> {
    let mut flags: Vec<String> = COMMON.iter().map(|f| f.to_string()).collect();
    match flavor {
        // The shell is headless by nature. `--deterministic-mode` turns on begin-frame control
        // (frames only when we ask, see capture) and runs every compositor stage before a draw.
        Flavor::HeadlessShell => flags.push("--deterministic-mode".into()),
        // New headless: no begin-frame control, screenshots through Page.captureScreenshot.
        Flavor::Chromium => flags.push("--headless".into()),
    }
    flags.push(format!("--user-data-dir={}", profile.display()));
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_have_one_dash_pair_and_a_profile() {
        let flags = launch_flags(Flavor::HeadlessShell, Path::new("/tmp/p"));
        assert!(flags.iter().all(|f| f.starts_with("--") && !f.starts_with("---")), "{flags:?}");
        assert!(flags.contains(&"--deterministic-mode".to_string()));
        assert_eq!(flags.last().unwrap(), "--user-data-dir=/tmp/p");
        let flags = launch_flags(Flavor::Chromium, Path::new("/tmp/p"));
        assert!(flags.contains(&"--headless".to_string()));
        assert!(!flags.contains(&"--deterministic-mode".to_string()));
    }
}
