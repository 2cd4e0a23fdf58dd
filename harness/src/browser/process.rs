//! The Chromium process we start, and the guard that always takes it down again: Chromium runs in
//! its own process group with a fresh profile folder; dropping the guard kills the whole group,
//! reaps the leader and removes the folder. A signal watcher does the same on Ctrl-C or SIGTERM.

use std::fs;
use std::io::Read;
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::find::Flavor;
use crate::{Error, Result};

/// The name of Chromium's log file inside the profile folder (stdout and stderr).
const LOG_FILE: &str = "chrome.log";

/// How long the guard waits for the killed process group to disappear before giving up.
const REAP_WAIT: Duration = Duration::from_secs(2);

/// What the guard needs to start Chromium.
pub(crate) struct Spawn<'a> {
    pub binary: &'a Path,
    pub flavor: Flavor,
    pub temp_root: &'a Path,
    pub extra_args: &'a [String],
    pub timeout: Duration,
    pub reap_on_signal: bool,
}

/// A running Chromium. Dropping it kills the process group, reaps the leader, waits for the
/// helpers to go and removes the profile folder, whatever state the browser was in.
#[derive(Debug)]
pub(crate) struct ChromeProcess {
    child: Child,
    profile: PathBuf,
    ws_url: String,
}

impl ChromeProcess {
    /// Starts Chromium and waits (at most `timeout`) until it says where its DevTools socket is.
    pub(crate) fn spawn(spawn: &Spawn<'_>) -> Result<ChromeProcess> {
        if spawn.reap_on_signal {
            install_signal_watcher();
        }
        let profile = create_profile_dir(spawn.temp_root)?;
        let log = match fs::File::create(profile.join(LOG_FILE)) {
            Ok(log) => log,
            Err(e) => {
                let _ = fs::remove_dir_all(&profile);
                return Err(Error::io(profile.join(LOG_FILE), e));
            }
        };
        let mut command = Command::new(spawn.binary);
        command
            .args(super::flags::launch_flags(spawn.flavor, &profile))
            .args(spawn.extra_args)
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| Error::io(profile.join(LOG_FILE), e))?)
            .stderr(log)
            // Its own process group, so that one kill reaches the zygotes, renderers and the GPU
            // and network helpers, which all stay in the group of the browser process.
            .process_group(0);
        let child = match command.spawn() {
            Ok(child) => child,
            Err(e) => {
                let _ = fs::remove_dir_all(&profile);
                return Err(Error::Environment(format!(
                    "cannot start Chromium {}: {e}",
                    spawn.binary.display()
                )));
            }
        };
        register(child.id(), &profile);
        // From here on, every early return drops the guard, which kills and cleans up.
        let mut process = ChromeProcess { child, profile, ws_url: String::new() };
        process.ws_url = process.wait_for_devtools(spawn.binary, spawn.timeout)?;
        Ok(process)
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// True once the browser process has died (it is a zombie until the guard reaps it).
    pub(crate) fn exited(&self) -> bool {
        match fs::read_to_string(format!("/proc/{}/stat", self.child.id())) {
            Ok(stat) => stat.rsplit_once(')').and_then(|(_, r)| r.split_whitespace().next()).is_none_or(|s| s == "Z" || s == "X"),
            Err(_) => true,
        }
    }

    pub(crate) fn profile_dir(&self) -> &Path {
        &self.profile
    }

    pub(crate) fn ws_url(&self) -> &str {
        &self.ws_url
    }

    /// Chromium writes `DevToolsActivePort` (port, then path) into the profile once it listens.
    fn wait_for_devtools(&mut self, binary: &Path, timeout: Duration) -> Result<String> {
        let port_file = self.profile.join("DevToolsActivePort");
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(text) = fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    return Ok(format!("ws://127.0.0.1:{port}{path}"));
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(Error::Environment(format!(
                    "Chromium {} exited at start ({status}); its last output:\n{}",
                    binary.display(),
                    self.log_tail()
                )));
            }
            if Instant::now() >= deadline {
                return Err(Error::Environment(format!(
                    "Chromium {} did not open its DevTools socket within {} ms; its last output:\n{}",
                    binary.display(),
                    timeout.as_millis(),
                    self.log_tail()
                )));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The end of Chromium's log, for error messages.
    pub(crate) fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = fs::File::open(self.profile.join(LOG_FILE)) {
            let _ = file.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().filter(|l| !l.contains("dbus")).collect();
        lines[lines.len().saturating_sub(12)..].join("\n")
    }
}

impl Drop for ChromeProcess {
    fn drop(&mut self) {
        let pid = self.child.id();
        kill_group(pid);
        // The leader is our child: kill it by its handle too, then reap it. Until it is reaped its
        // pid (which is also the group id) cannot be reused, so the group kill above was safe.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let deadline = Instant::now() + REAP_WAIT;
        while !group_members(pid).is_empty() && Instant::now() < deadline {
            kill_group(pid);
            std::thread::sleep(Duration::from_millis(5));
        }
        remove_profile(&self.profile);
        unregister(pid);
    }
}

fn kill_group(pgid: u32) {
    if let Some(pid) = i32::try_from(pgid).ok().and_then(rustix::process::Pid::from_raw) {
        // ESRCH (the group is gone already) is the normal case after a clean exit.
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}

/// Live (not zombie) processes whose process group is `pgid`, from /proc.
pub(crate) fn group_members(pgid: u32) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
            // The command name in parentheses may hold spaces: parse after the last ')'.
            let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { return false };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            // Fields after the name: state, ppid, pgrp, ...
            fields.first().is_some_and(|s| *s != "Z" && *s != "X")
                && fields.get(2).and_then(|g| g.parse::<u32>().ok()) == Some(pgid)
        })
        .collect()
}

/// A fresh, private (0700) folder per browser: Chromium's default is one shared temp profile.
fn create_profile_dir(root: &Path) -> Result<PathBuf> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let mut last_error = None;
    for _ in 0..16 {
        let name = format!(
            "reprise-chrome-{}-{}-{nanos:08x}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let path = root.join(name);
        match fs::DirBuilder::new().mode(0o700).create(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Err(Error::io(root, last_error.unwrap_or_else(|| std::io::Error::other("no free name"))))
}

/// Helpers killed a moment ago may still be closing files in the folder: retry briefly.
fn remove_profile(path: &Path) {
    for _ in 0..20 {
        match fs::remove_dir_all(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                std::thread::sleep(Duration::from_millis(10))
            }
            _ => return,
        }
    }
}

/// Browsers alive in this process, for the signal watcher: (leader pid, profile folder).
static LIVE: Mutex<Vec<(u32, PathBuf)>> = Mutex::new(Vec::new());

fn register(pid: u32, profile: &Path) {
    LIVE.lock().unwrap_or_else(|p| p.into_inner()).push((pid, profile.to_path_buf()));
}

fn unregister(pid: u32) {
    LIVE.lock().unwrap_or_else(|p| p.into_inner()).retain(|(p, _)| *p != pid);
}

/// On SIGINT, SIGTERM, SIGHUP or SIGQUIT: kill every browser we started, remove their profiles,
/// then die of the signal as if we had not caught it. Without this, Ctrl-C would kill reprise but
/// leave Chromium running, because it lives in its own process group.
fn install_signal_watcher() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT]) else {
            return;
        };
        let spawned = std::thread::Builder::new().name("reprise-reaper".into()).spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let live = std::mem::take(&mut *LIVE.lock().unwrap_or_else(|p| p.into_inner()));
                for (pid, profile) in &live {
                    kill_group(*pid);
                    let deadline = Instant::now() + REAP_WAIT;
                    while !group_members(*pid).is_empty() && Instant::now() < deadline {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    remove_profile(profile);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
        drop(spawned);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_dirs_are_fresh_and_private() {
        use std::os::unix::fs::PermissionsExt;
        let root = std::env::temp_dir();
        let a = create_profile_dir(&root).unwrap();
        let b = create_profile_dir(&root).unwrap();
        assert_ne!(a, b);
        assert_eq!(fs::metadata(&a).unwrap().permissions().mode() & 0o777, 0o700);
        fs::write(a.join("f"), "x").unwrap();
        remove_profile(&a);
        remove_profile(&b);
        assert!(!a.exists() && !b.exists());
    }

    #[test]
    fn own_process_group_is_found_and_killed() {
        let mut child =
            Command::new("sh").args(["-c", "sleep 30 & sleep 30; wait"]).process_group(0).spawn().unwrap();
        let pid = child.id();
        let deadline = Instant::now() + Duration::from_secs(5);
        while group_members(pid).len() < 2 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(group_members(pid).len() >= 2, "{:?}", group_members(pid));
        kill_group(pid);
        child.wait().unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while !group_members(pid).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(group_members(pid).is_empty());
    }
}
