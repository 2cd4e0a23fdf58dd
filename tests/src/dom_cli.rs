//! The `reprise dom` and `reprise validate` command lines: formats, headers, selectors, activity
//! windows, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

fn bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("target"));
        let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
        let bin = target.join(profile).join("reprise");
        if !bin.exists() {
            let mut cmd = Command::new(env!("CARGO"));
            cmd.args(["build", "-p", "reprise", "--bin", "reprise"]).current_dir(workspace());
            if !cfg!(debug_assertions) {
                cmd.arg("--release");
            }
            assert!(cmd.status().expect("cargo build").success());
        }
        bin
    })
}

fn run(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().expect("run reprise")
}

fn fixture(name: &str) -> String {
    workspace().join("tests/dom").join(name).display().to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn several_instants_print_headers_like_the_oracle() {
    let rec = fixture("oracle-fixtures/edge-cases.json");
    let one = run(&["dom", &rec, "--at", "611"]);
    assert!(one.status.success());
    assert!(stdout(&one).starts_with("#document :scroll=\"0,300\" @1\n"));
    let many = run(&["dom", &rec, "--at", "0,611", "--at", "end"]);
    let text = stdout(&many);
    let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("=== t=")).collect();
    assert_eq!(headers, ["=== t=0", "=== t=611", "=== t=901"]);
    assert!(text.contains(&stdout(&one)));
}

#[test]
fn selector_node_and_formats() {
    let rec = fixture("oracle-fixtures/edge-cases.json");
    let sel = run(&["dom", &rec, "--at", "end", "--selector", "input[type=text]"]);
    assert_eq!(stdout(&sel), "--- @48 html > body > input\n<input type=\"text\" value=\"typed\"> :value=\"after checkout\" @48\n");
    let json = run(&["dom", &rec, "--at", "611", "--node", "25", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("json");
    assert_eq!(v["matches"][0]["node"]["value"], "typed");
    let html = stdout(&run(&["dom", &rec, "--at", "611", "--format", "html"]));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Content-Security-Policy"));
    assert!(!html.contains("<script") && !html.contains("onclick") && !html.contains("http://example.invalid/s.js"));
    let bad = run(&["dom", &rec, "--at", "end", "--selector", "a:hover"]);
    assert_eq!(bad.status.code(), Some(2), "unsupported selectors are usage errors");
    let missing = run(&["dom", &rec, "--at", "end", "--node", "4242"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn activity_window() {
    let rec = fixture("oracle-fixtures/edge-cases.json");
    let out = stdout(&run(&["dom", &rec, "--from", "450", "--to", "470", "--kind", "scroll"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[1].contains("#1 (window) to 0,300"));
    let json = stdout(&run(&["dom", &rec, "--from", "0", "--to", "1000", "--format", "json", "--kind", "input"]));
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert!(v.as_array().expect("array").iter().all(|a| a["kind"] == "input"));
}

#[test]
fn validate_exit_codes_and_json() {
    let clean = run(&["validate", &fixture("rules/moves.json")]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let dirty = run(&["validate", &fixture("oracle-fixtures/edge-cases.json"), "--json"]);
    assert_eq!(dirty.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&dirty)).expect("json");
    let codes: Vec<&str> = v["findings"].as_array().expect("findings").iter().filter_map(|f| f["code"].as_str()).collect();
    assert!(codes.contains(&"batch-aborted") && codes.contains(&"duplicate-id"), "{codes:?}");
    assert_eq!(v["findings"][0]["at"][0], serde_json::json!({"segment": 0, "frame": 41}));
}
