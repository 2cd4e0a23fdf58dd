//! Which Chromium binary to run: an explicit path, then `REPRISE_CHROME`, then the Debian paths.
//! The headless shell comes first because it is smaller, starts faster and supports beginFrame.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// The environment variable that names a Chromium binary, like the `--chrome` flag.
pub const CHROME_ENV: &str = "REPRISE_CHROME";

/// The Debian locations of the real binaries, best first. The `/usr/bin` wrappers are avoided on
/// purpose: the `chromium` wrapper sources `/etc/chromium.d/*` and adds flags of its own.
pub const KNOWN_PATHS: [&str; 2] =
    ["/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium"];

/// The two kinds of headless Chromium, which need different flags and capture paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `chromium-headless-shell` (old headless): exact viewports, `--deterministic-mode`, beginFrame.
    HeadlessShell,
    /// The full `chromium` binary in new headless mode: no beginFrame, screenshots by
    /// `Page.captureScreenshot`.
    Chromium,
}

impl Flavor {
    /// Tells the flavor from the file name, which is all a path reveals without running it.
    pub fn of(path: &Path) -> Flavor {
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        if name.contains("headless-shell") || name.contains("headless_shell") {
            Flavor::HeadlessShell
        } else {
            Flavor::Chromium
        }
    }
}

/// Finds the Chromium binary to launch: `explicit` (the `--chrome` flag), then `$REPRISE_CHROME`,
/// then [`KNOWN_PATHS`]. An explicit choice that does not exist is an error, never skipped.
pub fn find_chrome(explicit: Option<&Path>) -> Result<PathBuf> {
    let from_env = std::env::var_os(CHROME_ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
    find_in(explicit, from_env.as_deref(), &KNOWN_PATHS.map(Path::new))
}

/// True when [`find_chrome`] would find a binary without an explicit path: the check a test suite
/// uses to skip browser scenarios (with a visible notice) on machines without Chromium.
pub fn available() -> bool {
    find_chrome(None).is_ok()
}

fn find_in(explicit: Option<&Path>, from_env: Option<&Path>, known: &[&Path]) -> Result<PathBuf> {
    for (given, origin) in [(explicit, "--chrome"), (from_env, CHROME_ENV)] {
        if let Some(path) = given {
            return if is_executable(path) {
                Ok(path.to_path_buf())
            } else {
                Err(Error::Environment(format!(
                    "{origin} names {}, which is not an executable file",
                    path.display()
                )))
            };
        }
    }
    if let Some(path) = known.iter().find(|p| is_executable(p)) {
        return Ok(path.to_path_buf());
    }
    let tried: Vec<String> = known.iter().map(|p| p.display().to_string()).collect();
    Err(Error::Environment(format!(
        "no Chromium found (tried {}); install one with `apt-get install chromium-headless-shell` \
         (Debian/Ubuntu), or name a binary with --chrome or {CHROME_ENV}",
        tried.join(", ")
    )))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_wins_and_must_exist() {
        let sh = Path::new("/bin/sh");
        assert_eq!(find_in(Some(sh), None, &[]).unwrap(), sh);
        let err = find_in(Some(Path::new("/nonexistent/chrome")), Some(sh), &[]).unwrap_err();
        assert!(err.to_string().contains("--chrome names /nonexistent/chrome"), "{err}");
    }

    #[test]
    fn env_comes_before_known_paths() {
        let sh = Path::new("/bin/sh");
        assert_eq!(find_in(None, Some(sh), &[Path::new("/bin/ls")]).unwrap(), sh);
        let err = find_in(None, Some(Path::new("/nope")), &[sh]).unwrap_err();
        assert!(err.to_string().contains(CHROME_ENV), "{err}");
    }

    #[test]
    fn known_paths_in_order_and_install_hint() {
        let found = find_in(None, None, &[Path::new("/nope"), Path::new("/bin/sh")]).unwrap();
        assert_eq!(found, Path::new("/bin/sh"));
        let err = find_in(None, None, &[Path::new("/nope")]).unwrap_err().to_string();
        assert!(err.contains("apt-get install chromium-headless-shell"), "{err}");
        assert!(err.contains("/nope"), "{err}");
    }

    #[test]
    fn directories_and_plain_files_are_not_browsers() {
        assert!(!is_executable(Path::new("/tmp")));
        assert!(!is_executable(Path::new("/etc/passwd")));
    }

    #[test]
    fn flavor_from_file_name() {
        assert_eq!(Flavor::of(Path::new("/usr/lib/chromium/chromium-headless-shell")), Flavor::HeadlessShell);
        assert_eq!(
            Flavor::of(Path::new("/opt/chrome-headless-shell-linux64/chrome-headless-shell")),
            Flavor::HeadlessShell
        );
        assert_eq!(Flavor::of(Path::new("/usr/lib/chromium/chromium")), Flavor::Chromium);
    }
}
