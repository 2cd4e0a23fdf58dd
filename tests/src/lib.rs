//! Shared helpers for the integration tests: where the corpus, the workspace and the built
//! `reprise` binary are, and a small seeded PRNG for bounded randomized tests.

pub mod render_shots;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The workspace root (the parent of this crate).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// The shared read-only corpus: `$REPRISE_CORPUS`, else `<workspace>/../shared/corpus`.
pub fn corpus() -> PathBuf {
    std::env::var_os("REPRISE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"))
}

pub fn corpus_file(rel: &str) -> PathBuf {
    corpus().join(rel)
}

/// The `reprise` binary of this build, built on first use if `cargo test` did not build it.
pub fn reprise_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join("target"));
        let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
        let bin = target.join(profile).join("reprise");
        if !bin.exists() {
            let mut cmd = Command::new(env!("CARGO"));
            cmd.args(["build", "-p", "reprise", "--bin", "reprise"]).current_dir(workspace());
            if !cfg!(debug_assertions) {
                cmd.arg("--release");
            }
            assert!(cmd.status().expect("cargo build").success(), "building reprise failed");
        }
        bin
    })
}

/// Runs `reprise` with `args` and returns its output.
pub fn reprise(args: &[&str]) -> Output {
    Command::new(reprise_bin()).args(args).output().expect("run reprise")
}

/// Runs `reprise` with `args` in `dir` with extra environment variables.
pub fn reprise_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(reprise_bin());
    cmd.args(args).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run reprise")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// xorshift64*: deterministic randomness for bounded fuzz and property loops.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A fresh scratch directory under the target dir, removed first if it exists.
pub fn scratch(name: &str) -> PathBuf {
    let dir = workspace().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}
