//! Ingest and normalized events over every corpus format, plus hostile input.

use reprise::events::normalize;
use reprise::ingest::{load, load_bytes, LoadOptions};
use reprise::model::{CustomFrame, Event, FrameData, Recording, SourceFormat};
use reprise_tests::*;
use std::io::Write;
use std::path::PathBuf;

fn opts() -> LoadOptions {
    LoadOptions::default()
}

/// The Sentry sessions of the corpus: folders with envelopes/, bundle/ and recording-segments.json.
fn sentry_sessions() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for app in std::fs::read_dir(corpus()).expect("corpus").flatten() {
        if !app.path().is_dir() {
            continue;
        }
        for s in std::fs::read_dir(app.path()).unwrap().flatten() {
            if s.path().join("recording-segments.json").is_file() {
                out.push(s.path());
            }
        }
    }
    out.sort();
    assert!(out.len() >= 8, "expected the corpus's Sentry sessions, found {}", out.len());
    out
}

fn rrweb_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for app in std::fs::read_dir(corpus()).expect("corpus").flatten() {
        for f in std::fs::read_dir(app.path()).into_iter().flatten().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if name.contains(".rrweb.json") {
                out.push(f.path());
            }
        }
    }
    out.sort();
    assert!(out.len() >= 11, "expected the corpus's rrweb files, found {}", out.len());
    out
}

fn frames_key(rec: &Recording) -> Vec<(u32, u32, u64, String)> {
    rec.frames
        .iter()
        .map(|f| (f.pointer.segment, f.pointer.frame, f.timestamp.0.to_bits(), rec.raw(f).to_string()))
        .collect()
}

fn jsonl(events: &[Event], drop_replay_id: bool) -> String {
    let mut s = String::new();
    for e in events {
        let mut e = e.clone();
        if drop_replay_id {
            e.replay_id = None;
        }
        s.push_str(&serde_json::to_string(&e).unwrap());
        s.push('\n');
    }
    s
}

#[test]
fn every_rrweb_file_ingests() {
    for path in rrweb_files() {
        let rec = load(&path, &opts()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(rec.frames.len() > 100, "{}", path.display());
        assert!(rec.frames.iter().any(|f| matches!(f.data, FrameData::FullSnapshot { .. })));
        assert!(rec.warnings.is_empty(), "{}: {:?}", path.display(), rec.warnings);
        let sorted = rec.frames.windows(2).all(|w| w[0].timestamp.0 <= w[1].timestamp.0);
        assert!(sorted, "{} frames not sorted", path.display());
    }
}

#[test]
fn sentry_sessions_agree_across_envelopes_segments_and_bundle() {
    for dir in sentry_sessions() {
        let env = load(&dir.join("envelopes"), &opts()).unwrap();
        let seg = load(&dir.join("recording-segments.json"), &opts()).unwrap();
        let bun = load(&dir.join("bundle"), &opts()).unwrap();
        let name = dir.display();
        assert_eq!(env.format, Some(SourceFormat::SentryEnvelope));
        assert_eq!(seg.format, Some(SourceFormat::SentrySegments));
        assert_eq!(bun.format, Some(SourceFormat::Bundle));
        assert!(!env.frames.is_empty(), "{name}");
        assert_eq!(frames_key(&env), frames_key(&seg), "{name}: envelopes vs segments");
        assert_eq!(frames_key(&env), frames_key(&bun), "{name}: envelopes vs bundle");
        assert_eq!(env.segments, seg.segments, "{name}");
        assert_eq!(env.replay_id, bun.replay_id, "{name}");
        assert!(env.replay_id.is_some() && seg.replay_id.is_none());
        // Events: identical apart from replayId (segments do not carry it) and error events
        // (only envelopes carry them).
        let without_errors = |r: &Recording| {
            let e: Vec<Event> = normalize(r).into_iter().filter(|e| e.detail.error_id.is_none()).collect();
            jsonl(&e, true)
        };
        assert_eq!(without_errors(&env), without_errors(&seg), "{name}: events");
        assert_eq!(without_errors(&env), without_errors(&bun), "{name}: events");
        assert_eq!(jsonl(&normalize(&env), false).lines().count() >= jsonl(&normalize(&bun), false).lines().count(), true);
    }
}

#[test]
fn native_replay_video_keeps_its_video_and_events() {
    let dir = corpus_file("native/replay-video-native");
    let env = load(&dir.join("envelopes/001.envelope"), &opts()).unwrap();
    assert_eq!(env.videos.len(), 1);
    assert!(env.videos[0].bytes.len() > 1000);
    assert_eq!(&env.videos[0].bytes[4..8], b"ftyp", "an MP4 file");
    let bun = load(&dir.join("bundle"), &opts()).unwrap();
    assert_eq!(bun.videos[0].bytes, env.videos[0].bytes);
    assert_eq!(frames_key(&env), frames_key(&bun));
    let events = normalize(&env);
    assert!(events.iter().any(|e| e.kind == reprise::model::EventKind::Video));
}

#[test]
fn seconds_based_custom_frames_are_normalized_to_ms() {
    // Sentry writes performanceSpan and ui.blur/ui.focus outer timestamps in seconds.
    let rec = load(&corpus_file("swagger-ui/swagger-ui-tryout/recording-segments.json"), &opts()).unwrap();
    let start = rec.start().0;
    let mut spans = 0;
    for f in &rec.frames {
        let raw: serde_json::Value = serde_json::from_str(rec.raw(f)).unwrap();
        let outer = raw["timestamp"].as_f64().unwrap();
        assert!(f.timestamp.0 > 1e12, "{}: {} not in ms", f.pointer, f.timestamp.0);
        if let FrameData::Custom(CustomFrame::PerformanceSpan { start: s, .. }) = &f.data {
            assert!(outer < 1e10, "spans carry seconds outside");
            assert_eq!(f.timestamp.0, s.0);
            assert!((f.timestamp.0 - outer * 1000.0).abs() < 1.0);
            spans += 1;
        }
        if let FrameData::Custom(CustomFrame::Breadcrumb { .. }) = &f.data {
            let payload = raw["data"]["payload"]["timestamp"].as_f64().unwrap();
            assert_eq!(f.timestamp.0, payload * 1000.0);
        }
        assert!(f.timestamp.0 - start < 120_000.0, "{} lies far from the session", f.pointer);
    }
    assert!(spans > 10);
}

#[test]
fn events_jsonl_is_deterministic_and_parses_back() {
    let src = corpus_file("swagger-ui/swagger-ui-tryout/envelopes");
    let src = src.to_str().unwrap();
    let a = reprise(&["events", src, "--jsonl"]);
    let b = reprise(&["events", src, "--jsonl"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    let text = stdout(&a);
    let mut kinds = std::collections::BTreeSet::new();
    for line in text.lines() {
        let e: Event = serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}"));
        assert_eq!(serde_json::to_string(&e).unwrap(), line, "round trip");
        kinds.insert(e.kind);
    }
    for k in ["click", "input", "network", "error", "navigation", "mutation", "span", "web-vital"] {
        assert!(kinds.contains(&reprise::model::EventKind::parse(k).unwrap()), "no {k} events");
    }
}

#[test]
fn events_filters_compose() {
    let src = corpus_file("swagger-ui/swagger-ui-tryout/envelopes");
    let out = reprise(&["events", src.to_str().unwrap(), "--kind", "network", "--contains", "plants/500", "--jsonl"]);
    let lines: Vec<Event> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1, "{}", stdout(&out));
    assert_eq!(lines[0].detail.status, Some(500));
    let out = reprise(&["events", src.to_str().unwrap(), "--from", "00:20", "--to", "30s", "--limit", "3", "--jsonl"]);
    let lines: Vec<Event> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|e| e.offset_ms >= 20_000.0 && e.offset_ms <= 30_000.0));
    let bad = reprise(&["events", src.to_str().unwrap(), "--kind", "clicks"]);
    assert_eq!(bad.status.code(), Some(2), "unknown kind is a usage error");
    assert!(stderr(&bad).contains("unknown kind `clicks`"));
}

#[test]
fn masked_input_is_flagged_not_guessed() {
    let rec = load(&corpus_file("todomvc/todomvc-backbone-masked.rrweb.json"), &opts()).unwrap();
    let inputs: Vec<Event> = normalize(&rec).into_iter().filter(|e| e.kind == reprise::model::EventKind::Input).collect();
    assert!(!inputs.is_empty());
    // Typed text is masked; checkbox values ("on") and cleared fields ("") are not text.
    let typed: Vec<&Event> = inputs.iter().filter(|e| !matches!(e.detail.text.as_deref(), Some("" | "on"))).collect();
    assert!(typed.len() > 10);
    assert!(typed.iter().all(|e| e.masked && e.detail.text.as_deref().unwrap().chars().all(|c| c == '*')));
    let rec = load(&corpus_file("todomvc/todomvc-backbone.rrweb.json"), &opts()).unwrap();
    assert!(normalize(&rec).iter().any(|e| e.kind == reprise::model::EventKind::Input && !e.masked));
}

// ---- hand-written shapes -------------------------------------------------------------------

const EVENTS: &str = r#"[{"type":4,"timestamp":1000,"data":{"href":"http://a/","width":800,"height":600}},{"type":2,"timestamp":1001,"data":{"node":{"type":0,"id":1,"childNodes":[]},"initialOffset":{"top":0,"left":0}}},{"type":3,"timestamp":1500,"data":{"source":2,"type":2,"id":1,"x":3,"y":4}}]"#;

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn every_container_shape_is_detected_by_content() {
    let dir = scratch("shapes");
    let jsonl: String = serde_json::from_str::<Vec<serde_json::Value>>(EVENTS)
        .unwrap()
        .iter()
        .map(|e| format!("{e}\n"))
        .collect();
    let ext = format!(r#"{{"session":{{"id":"s"}},"events":{EVENTS}}}"#);
    let posthog = format!(r#"{{"snapshot_data_by_window_id":{{"w1":{EVENTS},"w2":[]}}}}"#);
    let posthog_l = format!("{{\"window_id\":\"w9\",\"data\":{EVENTS}}}\n{{\"window_id\":\"w8\",\"data\":[]}}\n");
    let mut packed = vec![1u8, 0, 0, 0, 2, 0xAA, 0xBB];
    packed.extend_from_slice(EVENTS.as_bytes());
    let cases: Vec<(&str, Vec<u8>, SourceFormat)> = vec![
        ("plain.data", EVENTS.as_bytes().to_vec(), SourceFormat::RrwebJson),
        ("gz.data", gzip(EVENTS.as_bytes()), SourceFormat::RrwebJson),
        ("z.data", zlib(EVENTS.as_bytes()), SourceFormat::RrwebJson),
        ("lines.data", jsonl.into_bytes(), SourceFormat::RrwebJsonl),
        ("ext.data", ext.into_bytes(), SourceFormat::WebExtension),
        ("ph.data", posthog.into_bytes(), SourceFormat::PostHog),
        ("phl.data", posthog_l.into_bytes(), SourceFormat::PostHog),
        ("packed.data", zlib(&packed), SourceFormat::SentryBlob),
        ("segments.data", format!("[{EVENTS},[]]").into_bytes(), SourceFormat::SentrySegments),
    ];
    for (name, bytes, format) in cases {
        let p = write(&dir, name, &bytes);
        let rec = load(&p, &opts()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(rec.format, Some(format), "{name}");
        assert_eq!(rec.frames.len(), 3, "{name}");
        assert_eq!(rec.frames[2].pointer.frame, 2, "{name}");
    }
    let ph = load(&dir.join("ph.data"), &opts()).unwrap();
    assert_eq!(ph.windows, ["w1", "w2"]);
    let w2 = load(&dir.join("ph.data"), &LoadOptions { window: Some("w2".into()), lenient: false }).unwrap();
    assert_eq!(w2.frames.len(), 0);
    let err = load(&dir.join("ph.data"), &LoadOptions { window: Some("nope".into()), lenient: false }).unwrap_err();
    assert!(err.to_string().contains("windows: w1, w2"), "{err}");
    let packed = load(&dir.join("packed.data"), &opts()).unwrap();
    assert_eq!(packed.videos[0].bytes, vec![0xAA, 0xBB]);
    let segs = load(&dir.join("segments.data"), &opts()).unwrap();
    assert_eq!(segs.segments[1].gap.as_deref(), Some("empty"), "an empty segment is a gap");
}

#[test]
fn metadata_only_segments_answer_gets_a_clear_error() {
    let dir = scratch("metadata-only");
    let p = write(&dir, "m.json", br#"{"data":[{"replayId":"r","segmentId":0,"projectId":"1","dateAdded":"x"}]}"#);
    let err = load(&p, &opts()).unwrap_err().to_string();
    assert!(err.contains("metadata-only") && err.contains("download=true"), "{err}");
}

/// Each corrupt input: an error naming the file and the place, never a panic; exit 1 from the CLI.
#[test]
fn corrupt_inputs_fail_with_a_location() {
    let dir = scratch("corrupt");
    let big = std::fs::read(corpus_file("react-vite/react-vite-counter.rrweb.json")).unwrap();
    let gz = gzip(&big);
    let z = zlib(&big);
    let env = std::fs::read(corpus_file("swagger-ui/swagger-ui-tryout/envelopes/003.envelope")).unwrap();
    let video = std::fs::read(corpus_file("native/replay-video-native/envelopes/001.envelope")).unwrap();
    let mut overrun = env.clone();
    let header_end = overrun.iter().position(|&b| b == b'\n').unwrap();
    overrun.truncate(header_end + 1);
    overrun.extend_from_slice(b"{\"type\":\"replay_recording\",\"length\":99999}\n{\"segment_id\":0}\n[]");
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        ("truncated.gz", gz[..gz.len() / 2].to_vec(), &["gzip"]),
        ("truncated.z", z[..z.len() / 2].to_vec(), &["zlib"]),
        ("truncated.json", big[..big.len() / 2].to_vec(), &["byte", "EOF"]),
        ("wrongtype.json", br#"[{"type":2,"timestamp":"soon","data":{}}]"#.to_vec(), &["segment 0, frame 0"]),
        ("badnode.json", br#"[{"type":2,"timestamp":1,"data":{"node":{"type":2,"id":1}}}]"#.to_vec(), &["frame 0", "tagName"]),
        ("overrun.envelope", overrun, &["envelope item 0", "length 99999"]),
        ("notarray.json", br#"[[{"type":4,"timestamp":1,"data":{}}],{"x":1}]"#.to_vec(), &["segment 1", "not an array"]),
        ("truncated-video.envelope", video[..video.len() - 5000].to_vec(), &["envelope item", "remain"]),
    ];
    for (name, bytes, needles) in cases {
        let p = write(&dir, name, &bytes);
        let out = reprise(&["info", p.to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(name), "{name}: message names the file: {err}");
        for n in needles {
            assert!(err.contains(n), "{name}: expected `{n}` in: {err}");
        }
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{name}: one clear line: {err}");
    }
    // A truncated msgpack map inside a bare replay_video payload.
    let msg = [0x83u8, 0xd9, 12, b'r'];
    let err = load_bytes(msg.to_vec(), "x.msgpack", &opts()).unwrap_err().to_string();
    assert!(err.contains("MessagePack") && err.contains("byte"), "{err}");
}

#[test]
fn lenient_keeps_the_good_segments_and_reports_the_gap() {
    let dir = scratch("lenient");
    let good = r#"[{"type":4,"timestamp":1000,"data":{"href":"http://a/","width":1,"height":1}}]"#;
    let p = write(&dir, "s.json", format!(r#"[{good},{{"oops":1}},{good}]"#).as_bytes());
    assert!(load(&p, &opts()).is_err());
    let rec = load(&p, &LoadOptions { lenient: true, ..opts() }).unwrap();
    assert_eq!(rec.frames.len(), 2);
    assert!(rec.segments[1].gap.is_some());
    assert_eq!(rec.segments[2].frames, 1);
    let out = reprise(&["info", p.to_str().unwrap(), "--lenient"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("gaps: 1"), "{}", stdout(&out));
}

/// Random truncations and bit flips of real files: errors are fine, panics are not. Bounded by
/// a fixed number of cases so it runs in seconds.
#[test]
fn fuzzed_corpus_files_never_panic() {
    let files = [
        corpus_file("react-vite/react-vite-counter.rrweb.json"),
        corpus_file("react-vite/react-vite-counter/envelopes/003.envelope"),
        corpus_file("react-vite/react-vite-counter/bundle/segments/0.json.gz"),
        corpus_file("native/replay-video-native/envelopes/001.envelope"),
    ];
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let mut cases = 0;
    for f in &files {
        let original = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for _ in 0..60 {
            let mut bytes = original.clone();
            match rng.below(3) {
                0 => bytes.truncate(rng.below(bytes.len())),
                1 => {
                    for _ in 0..1 + rng.below(8) {
                        let i = rng.below(bytes.len());
                        bytes[i] ^= 1 << rng.below(8);
                    }
                }
                _ => {
                    let i = rng.below(bytes.len());
                    bytes.truncate(i);
                    let j = rng.below(original.len());
                    bytes.extend_from_slice(&original[j..(j + 64).min(original.len())]);
                }
            }
            let r = std::panic::catch_unwind(|| {
                let _ = load_bytes(bytes.clone(), "fuzz", &opts()).map(|r| normalize(&r));
            });
            assert!(r.is_ok(), "panic on a mutation of {}", f.display());
            cases += 1;
        }
    }
    assert_eq!(cases, 240);
}

#[test]
fn network_exchanges_keep_recorded_bodies_in_sequence() {
    let rec = load(&workspace().join("scenarios/recordings/checkout-double-submit.sentry"), &opts()).unwrap();
    let orders: Vec<_> = rec.exchanges.iter().filter(|e| e.url.ends_with("/api/orders")).collect();
    assert_eq!(orders.len(), 2);
    assert_eq!((orders[0].status, orders[1].status), (Some(201), Some(409)));
    assert!(orders[1].response_body.as_deref().unwrap().contains("duplicate_order"));
    assert!(orders[0].request_body.is_some(), "request bodies captured");
    let mut table = reprise::mock::MockTable::new(rec.exchanges.clone());
    let a = table.answer("r1", "POST", "http://127.0.0.1:9202/api/orders", orders[0].request_body.as_deref()).unwrap().status;
    let b = table.answer("r2", "POST", "http://127.0.0.1:9202/api/orders", orders[0].request_body.as_deref()).unwrap().status;
    assert_eq!((a, b), (Some(201), Some(409)), "sequence-aware even with identical bodies");
    // The search race: the slow `fe` answer arrives after `fern`'s.
    let rec = load(&workspace().join("scenarios/recordings/search-race.sentry"), &opts()).unwrap();
    let end = |q: &str| rec.exchanges.iter().find(|e| e.url.ends_with(&format!("q={q}"))).unwrap().end.0;
    assert!(end("fe") > end("fern"));
    assert!(rec.exchanges.iter().all(|e| e.response_body.is_some() && e.warnings.is_empty()));
}
