//! Differential test of the DOM engine against rrweb's own replayer: for every corpus recording
//! in tests/oracle/index.json, every checkpoint block the oracle printed (0, 25/50/75%, end and
//! both sides of every full snapshot) must equal `dom::canonical` byte for byte. The oracle's own
//! fixtures (every rule, plus 1 ms after each event) are checked the same way.

use reprise::dom::{self, SeekIndex};
use reprise::ingest::{self, LoadOptions};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// `$REPRISE_CORPUS`, else `<workspace>/../shared/corpus`.
fn corpus() -> PathBuf {
    std::env::var_os("REPRISE_CORPUS").map(PathBuf::from).unwrap_or_else(|| workspace().join("../shared/corpus"))
}

/// Checkpoints where reprise deliberately differs from rrweb: (recording, t, why). Each one is
/// also listed in ARCHITECTURE.md under "Deliberate differences". Currently none.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[];

/// `=== t=<ms>` blocks of an oracle output, in order.
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(t) = line.strip_prefix("=== t=") {
            out.push((t.trim_end().to_string(), String::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.push_str(line);
        }
    }
    out
}

fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut s = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut s).expect("gzip");
        s
    } else {
        String::from_utf8(bytes).expect("utf-8")
    }
}

/// Compares every block; returns (equal, total, first differing t with a short diff).
fn compare(recording: &Path, expected: &str, first_ms: Option<f64>) -> (usize, usize, Vec<(String, String)>) {
    let rec = ingest::load(recording, &LoadOptions::default()).expect("load recording");
    let t0 = first_ms.unwrap_or(rec.start().0);
    let index = SeekIndex::new(&rec);
    let mut equal = 0;
    let mut diffs = Vec::new();
    let expected = blocks(expected);
    for (t, want) in &expected {
        let got = dom::canonical(&index.state_at(t0 + t.parse::<f64>().expect("offset")));
        if &got == want {
            equal += 1;
        } else {
            let first = want.lines().zip(got.lines()).position(|(a, b)| a != b).unwrap_or(0);
            let show = |s: &str| s.lines().skip(first).take(3).collect::<Vec<_>>().join("\n");
            diffs.push((t.clone(), format!("oracle:\n{}\nreprise:\n{}", show(want), show(&got))));
        }
    }
    (equal, expected.len(), diffs)
}

#[test]
fn corpus_matches_the_oracle_at_every_checkpoint() {
    let oracle = workspace().join("tests/oracle");
    let index: serde_json::Value = serde_json::from_str(&read_text(&oracle.join("index.json"))).expect("index.json");
    let corpus = corpus();
    if !corpus.is_dir() {
        panic!("corpus not found at {} (set REPRISE_CORPUS)", corpus.display());
    }
    let mut failures = Vec::new();
    let mut summary = BTreeMap::new();
    for entry in index.as_array().expect("array") {
        let rel = entry["recording"].as_str().expect("recording");
        let expected = read_text(&oracle.join(entry["expected"].as_str().expect("expected")));
        let (equal, total, diffs) = compare(&corpus.join(rel), &expected, entry["first_timestamp_ms"].as_f64());
        summary.insert(rel.to_string(), format!("{equal}/{total}"));
        for (t, diff) in diffs {
            if !KNOWN_DIFFERENCES.iter().any(|(r, kt, _)| *r == rel && *kt == t) {
                failures.push(format!("{rel} t={t}\n{diff}"));
            }
        }
    }
    eprintln!("dom vs oracle: {summary:#?}");
    assert!(failures.is_empty(), "{} checkpoint(s) differ:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn oracle_fixtures_match_at_every_event() {
    let dir = workspace().join("tests/dom/oracle-fixtures");
    for name in ["edge-cases", "kitchen-sink"] {
        let expected = read_text(&dir.join(format!("{name}.chromium.txt")));
        let (equal, total, diffs) = compare(&dir.join(format!("{name}.json")), &expected, None);
        let shown: Vec<String> = diffs.iter().take(3).map(|(t, d)| format!("t={t}\n{d}")).collect();
        assert_eq!(equal, total, "{name}: {equal}/{total} blocks equal\n{}", shown.join("\n\n"));
    }
}
