//! One tiny hand-written recording per replay rule (tests/dom/rules/README.md), each compared
//! with the canonical text rrweb's own replayer printed for it, at every checkpoint.

use reprise::dom::{self, SeekIndex};
use reprise::ingest::{self, LoadOptions};
use std::path::{Path, PathBuf};

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dom/rules")
}

fn check(name: &str) {
    let dir = rules_dir();
    let rec = ingest::load(&dir.join(format!("{name}.json")), &LoadOptions::default()).expect("load");
    let expected = std::fs::read_to_string(dir.join(format!("{name}.txt"))).expect("expected text");
    let index = SeekIndex::new(&rec);
    let mut blocks = 0;
    for block in expected.split("=== t=").skip(1) {
        let (t, want) = block.split_once('\n').expect("header line");
        let cut = rec.start().0 + t.parse::<f64>().expect("offset");
        let got = dom::canonical(&index.state_at(cut));
        assert_eq!(got, want, "{name} at t={t}");
        assert_eq!(dom::canonical(&dom::state_at(&rec, cut)), want, "{name} at t={t} (straight fold)");
        blocks += 1;
    }
    assert!(blocks > 3, "{name}: too few blocks");
}

#[test]
fn missing_parents() {
    check("missing-parents");
}

#[test]
fn moves() {
    check("moves");
}

#[test]
fn duplicate_ids() {
    check("duplicate-ids");
}

#[test]
fn style_objects() {
    check("style-objects");
}

#[test]
fn textarea_value() {
    check("textarea-value");
}

#[test]
fn iframe_attach() {
    check("iframe-attach");
}

#[test]
fn shadow_dom() {
    check("shadow-dom");
}

#[test]
fn legacy_minus_one() {
    check("legacy-minus-one");
}

#[test]
fn multiple_snapshots() {
    check("multiple-snapshots");
}

#[test]
fn masked_blocked() {
    check("masked-blocked");
}

#[test]
fn cssom_rule_state() {
    // The canonical text ignores CSSOM edits (rrweb agrees), the JSON output keeps them.
    check("cssom");
    let rec = ingest::load(&rules_dir().join("cssom.json"), &LoadOptions::default()).expect("load");
    let end = rec.end().0 + 1.0;
    let json: serde_json::Value = serde_json::from_str(&dom::dom_json(&dom::state_at(&rec, end), 0.0, end)).expect("json");
    let head = &json["document"]["children"][1]["children"][0];
    let rules: Vec<&str> = head["children"][0]["cssRules"].as_array().expect("rules").iter().filter_map(|r| r.as_str()).collect();
    assert_eq!(rules, ["p { margin: 0px; }", "a { color: black !important; }", "i { color: green; }"]);
    assert_eq!(head["children"][0]["cssUnapplied"], 1);
    assert_eq!(json["document"]["adoptedStyleSheets"], serde_json::json!([["h2 { color: blue; }"], ["body { margin: 0px; }"]]));
    let html = dom::html_document(&dom::state_at(&rec, end));
    assert!(html.contains("<style data-reprise-adopted=\"1\">body { margin: 0px; }</style></head>"), "{html}");
}

/// Compact style mutations against Chromium's CSSOM serialization, one element per case. Two
/// cases need a real CSS engine and are known differences (ARCHITECTURE.md): `calc()` folding
/// (@103) and merging a longhand into an existing `background` shorthand (@104).
#[test]
fn style_mutations_match_chromium_cssom() {
    let dir = rules_dir();
    let rec = ingest::load(&dir.join("style-cssom.json"), &LoadOptions::default()).expect("load");
    let expected = std::fs::read_to_string(dir.join("style-cssom.txt")).expect("expected");
    const KNOWN: [&str; 2] = [" @103", " @104"];
    for block in expected.split("=== t=").skip(1) {
        let (t, want) = block.split_once('\n').expect("header");
        let got = dom::canonical(&dom::state_at(&rec, rec.start().0 + t.parse::<f64>().expect("t")));
        assert_eq!(got.lines().count(), want.lines().count(), "t={t}");
        for (g, w) in got.lines().zip(want.lines()) {
            if !KNOWN.iter().any(|k| w.ends_with(k)) {
                assert_eq!(g, w, "t={t}");
            }
        }
    }
}

#[test]
fn odd_paths() {
    check("odd-paths");
}

#[test]
fn queues_and_reuse() {
    check("queues-and-reuse");
}
