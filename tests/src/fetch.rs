//! `reprise fetch` and the replay cache against a local imitation of Sentry's replay API
//! (127.0.0.1, an ephemeral port, a thread that stops by itself), serving real corpus recordings.

use reprise::ingest::{load, LoadOptions};
use reprise::model::{Recording, Timestamp};
use reprise_tests::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const ORG: &str = "acme";
const PROJECT: &str = "web";
const SWAGGER_ID: &str = "4edd51890ee1464d92875f4d80ed65eb";
const TOKEN: &str = "sntrys_REPRISE_TEST_TOKEN_7f3a9c0e51";
/// A finished_at long past: the replay had ended when it was fetched.
const LONG_AGO: &str = "2024-01-02T03:04:05.678Z";

// ---------------------------------------------------------------------------------------------
// The imitation server.

/// Something a request matching `on` (a substring of path + query) gets instead of the answer,
/// `times` times.
#[derive(Clone)]
struct Fault {
    on: String,
    times: usize,
    kind: FaultKind,
}

#[derive(Clone)]
enum FaultKind {
    Status { status: u16, headers: Vec<(String, String)>, body: String },
    /// Sends the headers and half of the body, then closes the connection.
    Drop,
    /// Answers nothing until the client goes away or the server stops.
    Stall,
}

fn fault(on: &str, times: usize, kind: FaultKind) -> Fault {
    Fault { on: on.to_string(), times, kind }
}

fn status(status: u16, headers: &[(&str, &str)], body: &str) -> FaultKind {
    FaultKind::Status {
        status,
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: body.to_string(),
    }
}

#[derive(Clone, Debug)]
struct Request {
    /// Path and query, as sent.
    target: String,
    auth: Option<String>,
}

struct Replay {
    org: String,
    project: String,
    id: String,
    detail: Value,
    segments: Vec<String>,
    videos: HashMap<u32, Vec<u8>>,
}

#[derive(Default)]
struct State {
    replays: Vec<Replay>,
    /// Largest page the server sends, whatever per_page asks.
    max_per_page: usize,
    /// Older servers: metadata-only pages unless `download=true`.
    legacy: bool,
    events: HashMap<String, String>,
    faults: Mutex<Vec<Fault>>,
    log: Mutex<Vec<Request>>,
}

struct Server {
    addr: String,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(state: State) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let state = Arc::new(state);
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        // Bounded: the loop ends when the test drops the server, or after two minutes regardless.
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(120);
            while !sp.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = handle(stream, &st, &sp);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server { addr, state, stop, thread: Some(thread) }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The cache folder name of this server.
    fn host_dir(&self) -> String {
        self.addr.replace(':', "_")
    }

    fn requests(&self) -> Vec<Request> {
        self.state.log.lock().unwrap().clone()
    }

    fn page_requests(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.target).filter(|t| t.contains("recording-segments")).collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(mut stream: TcpStream, state: &State, stop: &AtomicBool) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 || head.len() > 65536 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let auth = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
        .map(|l| l["authorization:".len()..].trim().to_string());
    state.log.lock().unwrap().push(Request { target: target.clone(), auth: auth.clone() });

    let injected = {
        let mut faults = state.faults.lock().unwrap();
        faults.iter_mut().find(|f| f.times > 0 && target.contains(&f.on)).map(|f| {
            f.times -= 1;
            f.kind.clone()
        })
    };
    let (code, headers, body) = match injected {
        Some(FaultKind::Stall) => {
            stream.set_nonblocking(true)?;
            let mut probe = [0u8; 1];
            while !stop.load(Ordering::SeqCst) {
                match stream.peek(&mut probe) {
                    Ok(0) => return Ok(()),
                    Err(e) if e.kind() != std::io::ErrorKind::WouldBlock => return Ok(()),
                    _ => std::thread::sleep(Duration::from_millis(10)),
                }
            }
            return Ok(());
        }
        Some(FaultKind::Drop) => {
            let (_, _, body) = route(state, &target, auth.as_deref());
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(&body[..body.len() / 2])?;
            stream.flush()?;
            return stream.shutdown(std::net::Shutdown::Both);
        }
        Some(FaultKind::Status { status, headers, body }) => (status, headers, body.into_bytes()),
        None => route(state, &target, auth.as_deref()),
    };
    let mut out = format!("HTTP/1.1 {code} X\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in &headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes())?;
    stream.write_all(&body)?;
    stream.flush()
}

type Answer = (u16, Vec<(String, String)>, Vec<u8>);

fn json_answer(code: u16, v: &Value) -> Answer {
    (code, vec![("Content-Type".into(), "application/json".into())], v.to_string().into_bytes())
}

/// Sentry's replay endpoints, as docs/fetch.md and the spec describe them.
fn route(state: &State, target: &str, auth: Option<&str>) -> Answer {
    if auth != Some(&format!("Bearer {TOKEN}")) {
        return json_answer(401, &json!({"detail": "Invalid token"}));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let param = |k: &str| {
        query.split('&').find_map(|p| p.strip_prefix(&format!("{k}="))).map(|v| v.replace("%3A", ":"))
    };
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let find = |org: &str, project: Option<&str>, id: &str| {
        state.replays.iter().find(|r| r.org == org && project.is_none_or(|p| r.project == p) && r.id == id)
    };
    let not_found = || json_answer(404, &json!({"detail": "The requested resource does not exist"}));
    match parts.as_slice() {
        ["api", "0", "organizations", org, "replays", id] => match find(org, None, id) {
            Some(r) => json_answer(200, &json!({ "data": r.detail })),
            None => not_found(),
        },
        ["api", "0", "projects", org, project, "replays", id, "recording-segments"] => {
            let Some(r) = find(org, Some(project), id) else { return not_found() };
            let per_page: usize = param("per_page").and_then(|p| p.parse().ok()).unwrap_or(100);
            if per_page > 100 {
                return json_answer(400, &json!({"detail": "Invalid per_page value. Cannot exceed 100."}));
            }
            let offset: usize =
                param("cursor").and_then(|c| c.split(':').nth(1).and_then(|o| o.parse().ok())).unwrap_or(0);
            let n = per_page.min(state.max_per_page);
            let end = (offset + n).min(r.segments.len());
            let start = offset.min(end);
            let more = end < r.segments.len();
            let base = format!("http://127.0.0.1{path}?per_page={per_page}");
            let link = format!(
                "<{base}&cursor=0:{start}:1>; rel=\"previous\"; results=\"{}\"; cursor=\"0:{start}:1\", \
                 <{base}&cursor=0:{end}:0>; rel=\"next\"; results=\"{more}\"; cursor=\"0:{end}:0\"",
                start > 0
            );
            let body = if state.legacy && param("download").is_none() {
                let data: Vec<Value> = (start..end)
                    .map(|i| json!({"replayId": r.id, "segmentId": i, "projectId": "1", "dateAdded": LONG_AGO}))
                    .collect();
                json!({ "data": data }).to_string()
            } else {
                format!("[{}]", r.segments[start..end].join(","))
            };
            (200, vec![("Content-Type".into(), "application/json".into()), ("Link".into(), link)], body.into_bytes())
        }
        ["api", "0", "projects", org, project, "replays", id, "videos", seg] => {
            let video = find(org, Some(project), id).and_then(|r| r.videos.get(&seg.parse().unwrap_or(u32::MAX)));
            match video {
                Some(bytes) => (200, vec![("Content-Type".into(), "application/octet-stream".into())], bytes.clone()),
                None => not_found(),
            }
        }
        ["api", "0", "projects", _, _, "events", id] => match state.events.get(*id) {
            Some(body) => (200, vec![("Content-Type".into(), "application/json".into())], body.clone().into_bytes()),
            None => json_answer(404, &json!({"detail": "Event not found"})),
        },
        _ => not_found(),
    }
}

// ---------------------------------------------------------------------------------------------
// Data and helpers.

/// The segments of a corpus recording-segments.json, each as its own JSON text.
fn corpus_segments(rel: &str) -> Vec<String> {
    let text = std::fs::read_to_string(corpus_file(rel)).expect("corpus recording-segments.json");
    let items: Vec<&serde_json::value::RawValue> = serde_json::from_str(&text).expect("an array of segments");
    items.iter().map(|r| r.get().to_string()).collect()
}

fn swagger_replay(id: &str, finished_at: &str, count_segments: u64) -> Replay {
    Replay {
        org: ORG.into(),
        project: PROJECT.into(),
        id: id.into(),
        detail: json!({
            "id": id, "project_id": "1", "replay_type": "session", "platform": "javascript",
            "count_segments": count_segments, "is_archived": false,
            "started_at": "2026-11-21T14:41:32.228Z", "finished_at": finished_at,
            "urls": ["http://127.0.0.1:9101/index.html"],
            "error_ids": ["fbe59730a7ca411bbd99c7e9d3047ff6", "c55b39750b454a6786f7702fb01fd309", "93e02ccc6481439dbcfd3682bbaef84d"],
            "trace_ids": [],
        }),
        segments: corpus_segments("swagger-ui/swagger-ui-tryout/recording-segments.json"),
        videos: HashMap::new(),
    }
}

fn state_with(replays: Vec<Replay>, max_per_page: usize) -> State {
    State { replays, max_per_page, ..State::default() }
}

fn now_rfc3339() -> String {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis();
    Timestamp(ms as f64).rfc3339()
}

/// A `reprise` command with a clean environment: its own XDG cache under `home`, tiny back-offs,
/// no proxies, no token unless given.
fn command(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(reprise_bin());
    cmd.args(args).current_dir(home);
    for k in ["SENTRY_AUTH_TOKEN", "SENTRY_URL", "REPRISE_CACHE_DIR", "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        cmd.env_remove(k);
    }
    cmd.env("XDG_CACHE_HOME", home.join("xdg")).env("REPRISE_FETCH_BACKOFF_MS", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn run(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    command(home, args, env).output().expect("run reprise")
}

/// `reprise fetch <ref> --url <server> --auth-token TOKEN <extra...>`.
fn fetch(home: &Path, server: &Server, replay: &str, extra: &[&str]) -> Output {
    let url = server.url();
    let mut args = vec!["fetch", replay, "--url", &url, "--auth-token", TOKEN];
    args.extend_from_slice(extra);
    run(home, &args, &[])
}

fn ok(o: &Output) {
    assert!(o.status.success(), "reprise failed ({:?})\nstdout: {}\nstderr: {}", o.status, stdout(o), stderr(o));
}

fn cache_root(home: &Path) -> PathBuf {
    home.join("xdg/reprise/replays")
}

fn bundle_path(home: &Path, server: &Server, id: &str) -> PathBuf {
    cache_root(home).join(server.host_dir()).join(ORG).join(PROJECT).join(id)
}

fn metadata(bundle: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(bundle.join("metadata.json")).expect("metadata.json")).expect("JSON")
}

fn frames_key(rec: &Recording) -> Vec<(u32, u32, u64, String, String)> {
    rec.frames
        .iter()
        .map(|f| (f.pointer.segment, f.pointer.frame, f.timestamp.0.to_bits(), rec.raw(f).to_string(), format!("{:?}", f.data)))
        .collect()
}

/// The fetched bundle reads back frame for frame as the corpus recording-segments.json does.
fn assert_same_frames(bundle: &Path, corpus_rel: &str) {
    let fetched = load(bundle, &LoadOptions::default()).expect("the fetched bundle loads");
    let direct = load(&corpus_file(corpus_rel), &LoadOptions::default()).expect("the corpus file loads");
    assert!(!direct.frames.is_empty());
    assert_eq!(fetched.frames.len(), direct.frames.len(), "frame count");
    assert!(frames_key(&fetched) == frames_key(&direct), "the fetched frames differ from the corpus's");
    assert_eq!(fetched.segments.len(), direct.segments.len());
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

fn segment_files(bundle: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(bundle.join("segments"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort_by_key(|n| n.split('.').next().and_then(|s| s.parse::<u32>().ok()));
    names
}

// ---------------------------------------------------------------------------------------------
// Tests.

#[test]
fn fetch_follows_link_cursors_into_a_bundle_identical_to_the_corpus() {
    let home = scratch("fetch-pages");
    // count_segments says 12: only a hint; the Link header decides.
    let server = Server::start(state_with(vec![swagger_replay(SWAGGER_ID, LONG_AGO, 12)], 100));
    let replay = format!("{ORG}/{PROJECT}/{SWAGGER_ID}");
    let o = fetch(&home, &server, &replay, &["--per-page", "3"]);
    ok(&o);
    let bundle = bundle_path(&home, &server, SWAGGER_ID);
    assert_eq!(stdout(&o).trim(), bundle.display().to_string(), "stdout is the bundle's path");
    assert!(stderr(&o).contains("count_segments says 12 but its pages held 10"), "{}", stderr(&o));
    assert!(!stderr(&o).contains('\r') && !stderr(&o).contains("page 1"), "no progress line when stderr is a pipe");
    assert_eq!(
        server.page_requests(),
        [
            format!("/api/0/projects/{ORG}/{PROJECT}/replays/{SWAGGER_ID}/recording-segments/?per_page=3"),
            format!("/api/0/projects/{ORG}/{PROJECT}/replays/{SWAGGER_ID}/recording-segments/?per_page=3&cursor=0%3A3%3A0"),
            format!("/api/0/projects/{ORG}/{PROJECT}/replays/{SWAGGER_ID}/recording-segments/?per_page=3&cursor=0%3A6%3A0"),
            format!("/api/0/projects/{ORG}/{PROJECT}/replays/{SWAGGER_ID}/recording-segments/?per_page=3&cursor=0%3A9%3A0"),
        ]
    );
    assert!(server.requests().iter().all(|r| r.auth.as_deref() == Some(&format!("Bearer {TOKEN}"))));
    let expected: Vec<String> = (0..10).map(|i| format!("{i}.json.gz")).collect();
    assert_eq!(segment_files(&bundle), expected);
    let meta = metadata(&bundle);
    let block = &meta["reprise"];
    assert_eq!(block["format_version"], 1);
    assert_eq!(block["complete"], true);
    assert_eq!(block["source"], format!("{}/{ORG}/{PROJECT}", server.host_dir()));
    assert!(block["fetched_at"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert_eq!(meta["replay_id"], SWAGGER_ID);
    assert_eq!(meta["count_segments"], 12);
    assert_same_frames(&bundle, "swagger-ui/swagger-ui-tryout/recording-segments.json");

    // Every <source> accepts org/project/replay-id for the cached bundle.
    let info = run(&home, &["info", &replay, "--json"], &[]);
    ok(&info);
    let info: Value = serde_json::from_str(&stdout(&info)).unwrap();
    assert_eq!(info["replayId"], SWAGGER_ID);
    assert_eq!(info["frames"], 870);
    assert_eq!(info["source"], bundle.display().to_string());
    let events = run(&home, &["events", &replay, "--kind", "error", "--json"], &[]);
    ok(&events);
}

#[test]
fn rate_limits_server_errors_and_dropped_connections_are_retried() {
    let home = scratch("fetch-retries");
    let state = state_with(vec![swagger_replay(SWAGGER_ID, LONG_AGO, 10)], 4);
    *state.faults.lock().unwrap() = vec![
        fault("recording-segments/?per_page=100", 1, status(429, &[("Retry-After", "0")], r#"{"detail":"slow down"}"#)),
        fault("cursor=0%3A4%3A0", 1, status(503, &[], r#"{"detail":"unavailable"}"#)),
        fault("cursor=0%3A8%3A0", 1, FaultKind::Drop),
    ];
    let server = Server::start(state);
    let o = fetch(&home, &server, &format!("{ORG}/{PROJECT}/{SWAGGER_ID}"), &[]);
    ok(&o);
    let err = stderr(&o);
    assert!(err.contains("HTTP 429") && err.contains("HTTP 503 (unavailable)"), "{err}");
    assert!(err.contains("the connection dropped while reading the answer"), "{err}");
    // The server pages by 4 whatever per_page asks: three pages, each tried twice.
    assert_eq!(server.page_requests().len(), 6, "{:?}", server.page_requests());
    let bundle = bundle_path(&home, &server, SWAGGER_ID);
    assert_eq!(metadata(&bundle)["reprise"]["complete"], true);
    assert_same_frames(&bundle, "swagger-ui/swagger-ui-tryout/recording-segments.json");
}

#[test]
fn persistent_server_errors_give_up_with_the_url_and_leave_a_partial_bundle() {
    let home = scratch("fetch-5xx");
    let state = state_with(vec![swagger_replay(SWAGGER_ID, LONG_AGO, 10)], 3);
    *state.faults.lock().unwrap() = vec![fault("cursor=0%3A3%3A0", 100, status(500, &[], "{}"))];
    let server = Server::start(state);
    let o = fetch(&home, &server, &format!("{ORG}/{PROJECT}/{SWAGGER_ID}"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&format!("GET {}/api/0/projects/{ORG}/{PROJECT}/replays/{SWAGGER_ID}/recording-segments/?per_page=100&cursor=0%3A3%3A0", server.url())), "{err}");
    assert!(err.contains("failed after 5 attempts: HTTP 500"), "{err}");
    assert_eq!(server.page_requests().len(), 6, "one page, then five tries of the next");
    let bundle = bundle_path(&home, &server, SWAGGER_ID);
    assert_eq!(metadata(&bundle)["reprise"]["complete"], false);
    assert_eq!(segment_files(&bundle), ["0.json.gz", "1.json.gz", "2.json.gz"]);
    let info = run(&home, &["info", &format!("{ORG}/{PROJECT}/{SWAGGER_ID}")], &[]);
    ok(&info);
    assert!(stderr(&info).contains("is partial: the fetch stopped before every page was read"), "{}", stderr(&info));
}

#[test]
fn metadata_only_answers_are_asked_again_with_download() {
    let home = scratch("fetch-legacy");
    let mut state = state_with(vec![swagger_replay(SWAGGER_ID, LONG_AGO, 10)], 3);
    state.legacy = true;
    let server = Server::start(state);
    let o = fetch(&home, &server, &format!("{ORG}/{PROJECT}/{SWAGGER_ID}"), &["--per-page", "3"]);
    ok(&o);
    let pages = server.page_requests();
    assert!(!pages[0].contains("download"), "first asked as a current server: {pages:?}");
    assert!(pages[1].ends_with("?per_page=3&download=true"), "{pages:?}");
    assert!(pages[2..].iter().all(|p| p.contains("download=true")), "{pages:?}");
    assert_eq!(pages.len(), 5);
    assert_same_frames(&bundle_path(&home, &server, SWAGGER_ID), "swagger-ui/swagger-ui-tryout/recording-segments.json");
}

#[test]
fn auth_and_missing_replays_fail_clearly_and_the_token_never_leaks() {
    let home = scratch("fetch-token");
    let state = state_with(vec![swagger_replay(SWAGGER_ID, LONG_AGO, 10)], 3);
    *state.faults.lock().unwrap() = vec![
        fault("cursor=0%3A3%3A0", 100, status(502, &[], &format!(r#"{{"detail":"echo {TOKEN}"}}"#))),
        fault("/events/", 100, status(403, &[], r#"{"detail":"You do not have permission"}"#)),
    ];
    let server = Server::start(state);
    let replay = format!("{ORG}/{PROJECT}/{SWAGGER_ID}");
    let url = server.url();
    let mut outputs = Vec::new();

    // A token the server refuses: 401, naming the URL and the fix.
    let wrong = "sntrys_WRONG_TOKEN_REPRISE_1234";
    let o = run(&home, &["fetch", &replay, "--url", &url], &[("SENTRY_AUTH_TOKEN", wrong)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&format!("GET {url}/api/0/organizations/{ORG}/replays/{SWAGGER_ID}/ (the replay) was answered HTTP 401 Unauthorized (Invalid token)")), "{err}");
    assert!(err.contains("SENTRY_AUTH_TOKEN"), "{err}");
    assert!(!err.contains(wrong) && !stdout(&o).contains(wrong));

    // An unknown replay: 404.
    let o = run(&home, &["fetch", &format!("{ORG}/{PROJECT}/0123456789abcdef0123456789abcdef"), "--url", &url], &[("SENTRY_AUTH_TOKEN", TOKEN)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("HTTP 404 Not Found") && stderr(&o).contains("check the organization, the project and the replay id"), "{}", stderr(&o));
    outputs.push(o);

    // A forced error mid-fetch whose body echoes the token, with the token from the environment
    // and from the command line.
    let o = run(&home, &["fetch", &replay, "--url", &url], &[("SENTRY_AUTH_TOKEN", TOKEN)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("HTTP 502 (echo [token])"), "{}", stderr(&o));
    outputs.push(o);
    let o = run(&home, &["fetch", &replay, "--url", &url, "--auth-token", TOKEN, "--force", "--segments", "0-1", "--include", "errors"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("HTTP 403 Forbidden (You do not have permission)"), "{}", stderr(&o));
    outputs.push(o);
    let o = run(&home, &["cache", "list", "--json"], &[]);
    ok(&o);
    outputs.push(o);

    for o in &outputs {
        assert!(!stdout(o).contains(TOKEN) && !stderr(o).contains(TOKEN), "the token was printed:\n{}{}", stdout(o), stderr(o));
    }
    let files = files_under(&home.join("xdg"));
    assert!(files.len() >= 3, "the failed fetches left a partial bundle: {files:?}");
    for f in files {
        let mut bytes = std::fs::read(&f).unwrap();
        if f.extension().is_some_and(|e| e == "gz") {
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut plain).unwrap();
            bytes = plain;
        }
        assert!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()), "the token is stored in {}", f.display());
    }
}

#[cfg(unix)]
#[test]
fn the_cache_is_private_and_final_replays_are_served_without_the_network() {
    use std::os::unix::fs::PermissionsExt;
    let home = scratch("fetch-private");
    let server = Server::start(state_with(vec![swagger_replay(SWAGGER_ID, LONG_AGO, 10)], 100));
    let replay = format!("{ORG}/{PROJECT}/{SWAGGER_ID}");
    ok(&fetch(&home, &server, &replay, &[]));
    let bundle = bundle_path(&home, &server, SWAGGER_ID);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let root = cache_root(&home);
    let mut dir = root.clone();
    assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    for part in [server.host_dir().as_str(), ORG, PROJECT, SWAGGER_ID, "segments"] {
        dir.push(part);
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
    let files = files_under(&bundle);
    assert_eq!(files.len(), 11, "metadata.json and 10 segments, no temporary leftovers: {files:?}");
    for f in &files {
        assert_eq!(mode(f), 0o600, "{}", f.display());
    }

    // Final: served from the cache, even with the server gone.
    let url = server.url();
    drop(server);
    let o = run(&home, &["fetch", &replay, "--url", &url], &[]);
    ok(&o);
    assert!(stderr(&o).contains("served from the cache"), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), bundle.display().to_string());
    // --force asks the server (which is gone).
    let o = run(&home, &["fetch", &replay, "--url", &url, "--auth-token", TOKEN, "--force"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(&format!("GET {url}/api/0/organizations/")), "{}", stderr(&o));
}

#[test]
fn recent_replays_are_fetched_again() {
    let home = scratch("fetch-recent");
    let server = Server::start(state_with(vec![swagger_replay(SWAGGER_ID, &now_rfc3339(), 10)], 100));
    let replay = format!("{ORG}/{PROJECT}/{SWAGGER_ID}");
    ok(&fetch(&home, &server, &replay, &[]));
    ok(&fetch(&home, &server, &replay, &[]));
    assert_eq!(server.page_requests().len(), 2, "a replay still growing is asked again");
    assert_eq!(metadata(&bundle_path(&home, &server, SWAGGER_ID))["reprise"]["complete"], true);
}

#[test]
fn segment_selections_make_partial_bundles() {
    let home = scratch("fetch-segments");
    let server = Server::start(state_with(vec![swagger_replay(SWAGGER_ID, &now_rfc3339(), 10)], 100));
    let replay = format!("{ORG}/{PROJECT}/{SWAGGER_ID}");
    let o = fetch(&home, &server, &replay, &["--segments", "7-8,3,5", "--per-page", "3"]);
    ok(&o);
    assert_eq!(server.page_requests().len(), 3, "no page past the last wanted segment");
    let bundle = bundle_path(&home, &server, SWAGGER_ID);
    assert_eq!(segment_files(&bundle), ["3.json.gz", "5.json.gz", "7.json.gz", "8.json.gz"]);
    let block = metadata(&bundle)["reprise"].clone();
    assert_eq!((block["complete"].clone(), block["segments"].clone()), (json!(false), json!("3,5,7-8")));
    let info = run(&home, &["info", &replay], &[]);
    ok(&info);
    assert!(stderr(&info).contains("is partial: only segments 3,5,7-8 were fetched"), "{}", stderr(&info));
    // Stored segments never change on the server: a subset already cached needs no request.
    let o = fetch(&home, &server, &replay, &["--segments", "5,7"]);
    ok(&o);
    assert!(stderr(&o).contains("served from the cache"), "{}", stderr(&o));
    assert_eq!(server.page_requests().len(), 3);
    // A full fetch completes the bundle.
    ok(&fetch(&home, &server, &replay, &[]));
    assert_eq!(metadata(&bundle)["reprise"]["complete"], true);
    assert_same_frames(&bundle, "swagger-ui/swagger-ui-tryout/recording-segments.json");
    let o = fetch(&home, &server, &replay, &["--segments", "3-x"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn cache_list_and_clear() {
    let home = scratch("fetch-cache-cmds");
    let other = "0123456789abcdef0123456789abcdef";
    let server = Server::start(state_with(
        vec![swagger_replay(SWAGGER_ID, LONG_AGO, 10), swagger_replay(other, LONG_AGO, 10)],
        100,
    ));
    ok(&fetch(&home, &server, &format!("{ORG}/{PROJECT}/{SWAGGER_ID}"), &[]));
    ok(&fetch(&home, &server, &format!("{ORG}/{PROJECT}/{other}"), &["--segments", "0-1"]));
    let o = run(&home, &["cache", "list", "--json"], &[]);
    ok(&o);
    let rows: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let row = rows.iter().find(|r| r["replay"] == SWAGGER_ID).unwrap();
    assert_eq!(row["source"], format!("{}/{ORG}/{PROJECT}", server.host_dir()));
    assert_eq!((row["segments"].clone(), row["complete"].clone()), (json!(10), json!(true)));
    assert!(row["size"].as_u64().unwrap() > 100_000);
    assert!(row["fetchedAt"].as_str().is_some());
    let partial = rows.iter().find(|r| r["replay"] == other).unwrap();
    assert_eq!((partial["segments"].clone(), partial["complete"].clone()), (json!(2), json!(false)));
    let o = run(&home, &["cache", "list"], &[]);
    ok(&o);
    assert!(stdout(&o).contains(SWAGGER_ID) && stdout(&o).contains("complete") && stdout(&o).contains("partial"));

    let o = run(&home, &["cache", "clear", "ffffffffffffffffffffffffffffffff"], &[]);
    assert_eq!(o.status.code(), Some(1), "a replay not cached is an error");
    ok(&run(&home, &["cache", "clear", SWAGGER_ID], &[]));
    assert!(!bundle_path(&home, &server, SWAGGER_ID).exists());
    assert!(bundle_path(&home, &server, other).exists());
    let o = run(&home, &["info", &format!("{ORG}/{PROJECT}/{SWAGGER_ID}")], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(&format!("not in the cache ({}); run `reprise fetch {ORG}/{PROJECT}/{SWAGGER_ID}`", cache_root(&home).display())), "{}", stderr(&o));
    ok(&run(&home, &["cache", "clear"], &[]));
    assert_eq!(std::fs::read_dir(cache_root(&home)).unwrap().count(), 0, "emptied folders are removed too");
}

#[test]
fn no_cache_fetches_into_a_folder_of_its_own() {
    let home = scratch("fetch-no-cache");
    let tmp = home.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let server = Server::start(state_with(vec![swagger_replay(SWAGGER_ID, LONG_AGO, 10)], 100));
    let url = server.url();
    let replay = format!("{ORG}/{PROJECT}/{SWAGGER_ID}");
    let args = ["fetch", &replay, "--url", &url, "--auth-token", TOKEN, "--no-cache"];
    let o = run(&home, &args, &[("TMPDIR", tmp.to_str().unwrap())]);
    ok(&o);
    let dir = PathBuf::from(stdout(&o).trim());
    assert!(dir.starts_with(&tmp), "{}", dir.display());
    assert!(!home.join("xdg").exists(), "the cache is untouched");
    assert_same_frames(&dir, "swagger-ui/swagger-ui-tryout/recording-segments.json");
    std::fs::remove_dir_all(&dir).unwrap();
    // A failed --no-cache fetch leaves nothing behind.
    let missing = format!("{ORG}/{PROJECT}/0123456789abcdef0123456789abcdef");
    let args = ["fetch", &missing, "--url", &url, "--auth-token", TOKEN, "--no-cache"];
    let o = run(&home, &args, &[("TMPDIR", tmp.to_str().unwrap())]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

#[test]
fn mobile_videos_and_error_events_are_fetched() {
    let home = scratch("fetch-video");
    let native_id = "dee5bbd4ba8724d38a93778bf4a13185";
    let video = std::fs::read(corpus_file("native/replay-video-native/bundle/videos/0.mp4")).unwrap();
    let mobile = Replay {
        org: ORG.into(),
        project: "mobile".into(),
        id: native_id.into(),
        detail: json!({"id": native_id, "count_segments": 1, "finished_at": LONG_AGO, "error_ids": []}),
        segments: corpus_segments("native/replay-video-native/recording-segments.json"),
        videos: HashMap::from([(0, video.clone())]),
    };
    let mut state = state_with(vec![mobile, swagger_replay(SWAGGER_ID, LONG_AGO, 10)], 100);
    state.events = HashMap::from([
        ("fbe59730a7ca411bbd99c7e9d3047ff6".to_string(), r#"{"eventID":"fbe59730a7ca411bbd99c7e9d3047ff6","title":"Error: HTTP Client Error"}"#.to_string()),
        ("c55b39750b454a6786f7702fb01fd309".to_string(), r#"{"eventID":"c55b39750b454a6786f7702fb01fd309","title":"TypeError"}"#.to_string()),
    ]);
    let server = Server::start(state);

    let o = fetch(&home, &server, &format!("{ORG}/mobile/{native_id}"), &[]);
    ok(&o);
    let bundle = cache_root(&home).join(server.host_dir()).join(ORG).join("mobile").join(native_id);
    assert_eq!(std::fs::read(bundle.join("videos/0.mp4")).unwrap(), video);
    let info = run(&home, &["info", &format!("{ORG}/mobile/{native_id}"), "--json"], &[]);
    ok(&info);
    let info: Value = serde_json::from_str(&stdout(&info)).unwrap();
    assert_eq!(info["videos"], json!([{"segment": 0, "bytes": video.len()}]));

    let o = fetch(&home, &server, &format!("{ORG}/{PROJECT}/{SWAGGER_ID}"), &["--include", "errors"]);
    ok(&o);
    let bundle = bundle_path(&home, &server, SWAGGER_ID);
    let mut names: Vec<String> =
        std::fs::read_dir(bundle.join("errors")).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["c55b39750b454a6786f7702fb01fd309.json", "fbe59730a7ca411bbd99c7e9d3047ff6.json"]);
    assert!(stderr(&o).contains("error event 93e02ccc6481439dbcfd3682bbaef84d is not in acme/web"), "{}", stderr(&o));
    assert_eq!(metadata(&bundle)["reprise"]["include"], json!(["errors"]));
    assert!(!bundle.join("videos").exists(), "web segments have no video");
}

#[test]
fn a_killed_fetch_never_leaves_a_bundle_that_looks_complete() {
    let home = scratch("fetch-killed");
    let state = state_with(vec![swagger_replay(SWAGGER_ID, LONG_AGO, 10)], 100);
    *state.faults.lock().unwrap() = vec![fault("cursor=0%3A3%3A0", 1, FaultKind::Stall)];
    let server = Server::start(state);
    let replay = format!("{ORG}/{PROJECT}/{SWAGGER_ID}");
    let url = server.url();
    let mut child = command(&home, &["fetch", &replay, "--url", &url, "--auth-token", TOKEN, "--per-page", "3"], &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn reprise fetch");
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.page_requests().len() < 2 {
        assert!(Instant::now() < deadline, "the fetch never asked for the second page");
        std::thread::sleep(Duration::from_millis(10));
    }
    // The second page is stalled: the first is on disk. Kill this child, and only it.
    child.kill().expect("kill the fetch");
    child.wait().unwrap();

    let bundle = bundle_path(&home, &server, SWAGGER_ID);
    for f in files_under(&cache_root(&home)).iter().filter(|f| f.ends_with("metadata.json")) {
        let v: Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        assert_ne!(v["reprise"]["complete"], true, "{} looks complete", f.display());
    }
    assert_eq!(segment_files(&bundle), ["0.json.gz", "1.json.gz", "2.json.gz"]);
    let info = run(&home, &["info", &replay], &[]);
    assert!(
        !info.status.success() || stderr(&info).contains("partial"),
        "info neither refused nor flagged the interrupted bundle: {}",
        stderr(&info)
    );
    let o = run(&home, &["cache", "list", "--json"], &[]);
    ok(&o);
    assert_eq!(serde_json::from_str::<Value>(&stdout(&o)).unwrap()[0]["complete"], false);

    // A normal fetch completes it.
    let o = fetch(&home, &server, &replay, &["--per-page", "3"]);
    ok(&o);
    assert_eq!(metadata(&bundle)["reprise"]["complete"], true);
    assert_same_frames(&bundle, "swagger-ui/swagger-ui-tryout/recording-segments.json");
}

#[test]
fn fetch_and_cache_help_show_examples() {
    for args in [&["fetch", "--help"][..], &["cache", "--help"], &["cache", "list", "--help"], &["cache", "clear", "--help"]] {
        let o = reprise(args);
        ok(&o);
        let cmd = args[..args.len() - 1].join(" ");
        assert!(stdout(&o).contains("Examples:") && stdout(&o).contains(&format!("reprise {cmd} ")), "{args:?}");
    }
}
