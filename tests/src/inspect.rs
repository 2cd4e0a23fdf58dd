//! window, search, stats and struggles on corpus recordings with known content.

use reprise::events::normalize;
use reprise::ingest::{load, LoadOptions};
use reprise::inspect::{search, stats, struggles};
use reprise_tests::*;

fn swagger_envelopes() -> std::path::PathBuf {
    corpus_file("swagger-ui/swagger-ui-tryout/envelopes")
}

#[test]
fn struggles_cite_the_failed_requests_and_uncaught_errors_of_every_sentry_flow() {
    // The corpus's Sentry flows: swagger answers HTTP 500 twice; every flow has an injected
    // uncaught TypeError (MANIFEST.json page_errors), sent as an error event linked by error_ids.
    for app in ["swagger-ui/swagger-ui-tryout", "monaco/monaco-coding", "quill/quill-formatting", "react-vite/react-vite-counter", "todomvc/todomvc-backbone"] {
        let src = corpus_file(&format!("{app}/envelopes"));
        let rec = load(&src, &LoadOptions::default()).unwrap();
        let events = normalize(&rec);
        let findings = struggles(&events, &src.display().to_string());
        let errors: Vec<_> = findings.iter().filter(|f| f.kind == "error").collect();
        let lookup = errors
            .iter()
            .find(|f| f.title.contains("Cannot read properties of null (reading 'lookup')"))
            .unwrap_or_else(|| panic!("{app}: the uncaught TypeError is not found: {findings:#?}"));
        let ev = &lookup.evidence[0];
        assert_eq!(ev.kind, reprise::model::EventKind::Error);
        assert!(rec.meta.error_ids.contains(ev.error_id.as_ref().unwrap()), "{app}: linked by error_ids");
        // The pointer is real: the frame it names exists and lies at or before the error.
        let frame = rec.frames.iter().find(|f| f.pointer.segment == ev.segment_id && f.pointer.frame == ev.frame_index).unwrap();
        assert!(frame.timestamp.0 - rec.start().0 <= ev.offset_ms + 0.001);
        assert!(lookup.next_command.starts_with("reprise window "), "{}", lookup.next_command);
    }
    let src = swagger_envelopes();
    let rec = load(&src, &LoadOptions::default()).unwrap();
    let findings = struggles(&normalize(&rec), "s");
    let failed: Vec<_> = findings.iter().filter(|f| f.kind == "failed-request").collect();
    let urls: Vec<String> = failed.iter().map(|f| f.evidence[0].url.clone().unwrap()).collect();
    assert_eq!(urls, ["http://127.0.0.1:9101/api/v1/plants/500", "http://127.0.0.1:9101/api/v1/reports/daily?date=2026-11-01"]);
    for f in &failed {
        let e = &f.evidence[0];
        assert_eq!(e.status, Some(500));
        // The pointer names the performanceSpan frame of that request.
        let frame = rec.frames.iter().find(|fr| fr.pointer.segment == e.segment_id && fr.pointer.frame == e.frame_index).unwrap();
        assert!(rec.raw(frame).contains("resource.fetch") && rec.raw(frame).contains("\"statusCode\":500"));
        assert_eq!(f.severity, reprise::inspect::Severity::High);
    }
    assert!(findings.windows(2).all(|w| w[0].severity <= w[1].severity), "ranked by severity");
}

#[test]
fn struggles_work_on_rrweb_only_recordings() {
    let src = corpus_file("swagger-ui/swagger-ui-tryout.rrweb.json");
    let rec = load(&src, &LoadOptions::default()).unwrap();
    let findings = struggles(&normalize(&rec), "x");
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f.origin == "derived"), "no Sentry data in an rrweb-only recording");
}

#[test]
fn search_finds_unmasked_typed_text_and_reports_masked_text() {
    // The unmasked swagger flow types `3` into getPlant's id and searches plants by tag "fern".
    let rec = load(&corpus_file("swagger-ui/swagger-ui-tryout.rrweb.json"), &LoadOptions::default()).unwrap();
    let events = normalize(&rec);
    let r = search(&rec, &events, "fern", 50);
    assert!(r.hits.iter().any(|h| h.field == "typed-text" && h.text == "fern"), "{:#?}", r.hits);
    assert_eq!(r.masked.inputs, 0);
    // The same flow recorded with maskAllInputs: the typed text cannot be found, and search says why.
    let masked = load(&corpus_file("swagger-ui/swagger-ui-tryout-masked.rrweb.json"), &LoadOptions::default()).unwrap();
    let r = search(&masked, &normalize(&masked), "fern", 50);
    assert!(!r.hits.iter().any(|h| h.field == "typed-text"), "{:#?}", r.hits);
    assert!(r.masked.inputs > 10 && !r.masked.first_inputs.is_empty());
    // Page text: a heading of the swagger page.
    let r = search(&rec, &events, "Greenhouse Inventory API", 5);
    assert!(r.hits.iter().any(|h| h.field == "page-text"), "{:#?}", r.hits);
}

#[test]
fn stats_know_the_session() {
    let rec = load(&swagger_envelopes(), &LoadOptions::default()).unwrap();
    let s = stats(&normalize(&rec), rec.duration().ms());
    assert_eq!(s.failed_requests.len(), 2);
    assert_eq!(s.errors, 3);
    assert!(s.time_per_route.iter().any(|r| r.url == "http://127.0.0.1:9101/#/plants/createPlant"));
    assert!(s.time_per_route.iter().all(|r| r.url.starts_with("http")), "relative navigation paths resolved");
    assert!((s.active_ms + s.idle_ms - s.duration_ms).abs() < 1e-6);
    assert!(s.most_clicked[0].count >= s.most_clicked.last().unwrap().count);
}

#[test]
fn inspect_json_is_byte_identical_across_runs() {
    let src = swagger_envelopes();
    let src = src.to_str().unwrap();
    for args in [
        vec!["struggles", src, "--json"],
        vec!["stats", src, "--json"],
        vec!["search", src, "plants", "--json"],
        vec!["window", src, "--at", "26821ms", "--json"],
        vec!["window", src, "--contains", "reports/daily", "--json"],
    ] {
        let a = reprise(&args);
        let b = reprise(&args);
        assert!(a.status.success(), "{args:?}: {}", stderr(&a));
        assert_eq!(a.stdout, b.stdout, "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
        assert!(!v.is_null());
    }
    let w: serde_json::Value = serde_json::from_slice(&reprise(&["window", src, "--contains", "reports/daily", "--json"]).stdout).unwrap();
    let groups: Vec<&str> = w["groups"].as_array().unwrap().iter().map(|g| g["group"].as_str().unwrap()).collect();
    assert!(groups.contains(&"network") && groups.contains(&"errors"), "{groups:?}");
}

#[test]
fn skill_prints_the_agent_guide() {
    let out = reprise(&["skill"]);
    assert!(out.status.success());
    let text = stdout(&out);
    for cmd in ["reprise fetch", "reprise stats", "reprise struggles", "reprise search", "reprise window", "reprise events", "reprise dom", "reprise scenario new", "masked"] {
        assert!(text.contains(cmd), "SKILL.md lacks {cmd}");
    }
}
