//! Agreement with pixelmatch 7: every pair in tests/pixels/pixelmatch-counts.json (written by
//! ci/pixelmatch/counts.mjs) gives the same differing and anti-aliased pixel counts and the
//! same diff image, for every recorded setting; pairs of different sizes are size mismatches.

use reprise::compare::{compare, png, Background, DiffOptions, Rect, RgbaImage, SizeMismatch};
use serde_json::Value;
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pixels")
}

fn load(name: &str) -> RgbaImage {
    let path = data_dir().join("png").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    png::decode(&bytes, name).unwrap()
}

/// FNV-1a, 32 bit, as counts.mjs hashes pixelmatch's diff output.
fn fnv1a(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0x811c_9dc5u32, |h, &b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("{hash:08x}")
}

fn masks(pair: &Value) -> Vec<Rect> {
    let n = |v: &Value| v.as_i64().expect("mask numbers are integers");
    pair["masks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| Rect::new(n(&m[0]), n(&m[1]), n(&m[2]) as u32, n(&m[3]) as u32))
        .collect()
}

#[test]
fn counts_agree_with_pixelmatch() {
    let text = std::fs::read_to_string(data_dir().join("pixelmatch-counts.json")).unwrap();
    let data: Value = serde_json::from_str(&text).unwrap();
    let pairs = data["pairs"].as_array().unwrap();
    let (mut checked, mut failures) = (0, Vec::new());
    for pair in pairs {
        let name = pair["name"].as_str().unwrap();
        let (a, b) = (load(pair["a"].as_str().unwrap()), load(pair["b"].as_str().unwrap()));
        if let Some(sizes) = pair.get("sizeMismatch") {
            let size = |v: &Value| (v[0].as_u64().unwrap() as u32, v[1].as_u64().unwrap() as u32);
            let report = compare(&a, &b, &DiffOptions::default());
            let expected = SizeMismatch { a: size(&sizes[0]), b: size(&sizes[1]) };
            assert_eq!(report.size_mismatch, Some(expected), "{name}");
            assert!(!report.passed, "{name}");
            checked += 1;
            continue;
        }
        for r in pair["results"].as_array().unwrap() {
            let opts = DiffOptions {
                threshold: r["threshold"].as_f64().unwrap(),
                include_aa: r["includeAA"].as_bool().unwrap(),
                background: if r["checkerboard"].as_bool().unwrap() {
                    Background::Checkerboard
                } else {
                    Background::White
                },
                masks: masks(pair),
                diff_image: true,
                ..DiffOptions::default()
            };
            let report = compare(&a, &b, &opts);
            let got = (report.diff_pixels, report.aa_pixels, fnv1a(report.diff_image.as_ref().unwrap().as_raw()));
            let want = (
                r["diffPixels"].as_u64().unwrap(),
                r["aaPixels"].as_u64().unwrap(),
                r["diffHash"].as_str().unwrap().to_string(),
            );
            if got != want {
                failures.push(format!("{name} {r}: reprise (diff, aa, hash) = {got:?}, pixelmatch = {want:?}"));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{} of {checked} disagree:\n{}", failures.len(), failures.join("\n"));
    // The issue asks for at least 20 real pairs at thresholds 0.1 and 0.05, AA detection on and off.
    let compared = pairs.iter().filter(|p| p.get("results").is_some()).count();
    assert!(compared >= 20 && checked >= 20 * 4, "only {compared} pairs, {checked} checks");
}

#[test]
fn the_pairs_list_and_the_counts_match() {
    let read =
        |f: &str| -> Value { serde_json::from_str(&std::fs::read_to_string(data_dir().join(f)).unwrap()).unwrap() };
    let names = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect()
    };
    let counts = read("pixelmatch-counts.json");
    assert_eq!(
        names(&read("pairs.json")),
        names(&counts["pairs"]),
        "rerun ci/pixelmatch/counts.mjs after editing pairs.json"
    );
}
