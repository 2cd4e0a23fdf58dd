//! Seek properties: the same state twice is byte-identical; seeking through the checkpoint
//! index, in random order, equals a straight fold; every element's stable selector matches
//! exactly that element. A small seeded xorshift drives the randomness.

use reprise::dom::{self, selector, SeekIndex};
use reprise::ingest::{self, LoadOptions};
use reprise::model::Recording;
use std::path::{Path, PathBuf};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn corpus() -> PathBuf {
    std::env::var_os("REPRISE_CORPUS").map(PathBuf::from).unwrap_or_else(|| tests_dir().join("../../shared/corpus"))
}

fn recordings() -> Vec<PathBuf> {
    let mut out = vec![
        tests_dir().join("dom/oracle-fixtures/edge-cases.json"),
        tests_dir().join("dom/oracle-fixtures/kitchen-sink.json"),
        tests_dir().join("dom/rules/iframe-attach.json"),
        tests_dir().join("dom/rules/multiple-snapshots.json"),
        tests_dir().join("dom/rules/legacy-minus-one.json"),
    ];
    for rel in ["todomvc/todomvc-angularjs.rrweb.json", "react-vite/react-vite-counter/recording-segments.json", "quill/quill-formatting.rrweb.json"] {
        let p = corpus().join(rel);
        if p.exists() {
            out.push(p);
        }
    }
    out
}

/// Cuts worth testing: random instants, every frame's timestamp, and one ms either side.
fn cuts(rec: &Recording, rng: &mut XorShift, n: usize) -> Vec<f64> {
    let (start, span) = (rec.start().0 - 5.0, rec.duration().0 + 10.0);
    let mut out = Vec::new();
    for _ in 0..n {
        let r = rng.next();
        out.push(match r % 3 {
            0 => start + (r >> 8) as f64 % span,
            1 => rec.frames[(r >> 8) as usize % rec.frames.len()].timestamp.0,
            _ => rec.frames[(r >> 8) as usize % rec.frames.len()].timestamp.0 + 1.0,
        });
    }
    out
}

#[test]
fn random_seeks_equal_a_straight_fold() {
    let mut rng = XorShift(0x5eed_1234_abcd_ef01);
    for path in recordings() {
        let rec = ingest::load(&path, &LoadOptions::default()).expect("load");
        // A tiny interval makes every seek start from some mid-recording checkpoint.
        let index = SeekIndex::with_interval(&rec, 25);
        for cut in cuts(&rec, &mut rng, 60) {
            let straight = dom::canonical(&dom::state_at(&rec, cut));
            let seeked = dom::canonical(&index.state_at(cut));
            assert_eq!(seeked, straight, "{} at {cut}", path.display());
        }
    }
}

#[test]
fn the_same_state_twice_is_byte_identical() {
    for path in recordings() {
        let rec = ingest::load(&path, &LoadOptions::default()).expect("load");
        let end = rec.end().0 + 1.0;
        let (a, b) = (dom::state_at(&rec, end), dom::state_at(&rec, end));
        assert_eq!(dom::canonical(&a), dom::canonical(&b));
        assert_eq!(dom::dom_json(&a, 1.0, end), dom::dom_json(&b, 1.0, end));
        assert_eq!(dom::html_document(&a), dom::html_document(&b));
    }
}

#[test]
fn stable_selectors_match_exactly_their_element() {
    for path in recordings() {
        let rec = ingest::load(&path, &LoadOptions::default()).expect("load");
        let state = dom::state_at(&rec, rec.end().0 + 1.0);
        let mut checked = 0;
        for (id, n) in state.ids() {
            // Detached (parked or orphaned) nodes are not in any document a selector searches.
            let Some(doc) = state.connected_document(n).filter(|_| state.element(n).is_some()) else { continue };
            let d = dom::describe(&state, id).expect("described");
            let sel = selector::parse(&d.selector).unwrap_or_else(|e| panic!("{}: {e}", d.selector));
            let hits = selector::select(&state, doc, &sel);
            // Elements of an iframe document appear once, under their own document.
            let hits: Vec<_> = hits.into_iter().filter(|&h| state.connected_document(h) == Some(doc)).collect();
            assert_eq!(hits, vec![n], "{}: {} should match only #{id}", path.display(), d.selector);
            checked += 1;
        }
        assert!(checked > 0, "{}", path.display());
    }
}

#[test]
fn resolver_answers_in_any_order_like_a_forward_fold() {
    let path = tests_dir().join("dom/oracle-fixtures/edge-cases.json");
    let rec = ingest::load(&path, &LoadOptions::default()).expect("load");
    let mut forward = dom::Resolver::new(&rec);
    let queries: Vec<(i64, reprise::model::Timestamp)> =
        rec.frames.iter().flat_map(|f| [(12, f.timestamp), (48, f.timestamp), (60, f.timestamp)]).collect();
    let in_order: Vec<_> = queries.iter().map(|&(id, t)| forward.describe(id, t)).collect();
    let mut backward = dom::Resolver::new(&rec);
    let mut reversed: Vec<_> = queries.iter().rev().map(|&(id, t)| backward.describe(id, t)).collect();
    reversed.reverse();
    assert_eq!(in_order, reversed);
    let d = in_order[in_order.len() - 2].clone().expect("input 48 exists at the end");
    assert_eq!(d.tag, "input");
}

/// Dead adds (`ingest::liveness`, `dom::elide`): a fold skips building nodes that a later frame
/// of the same fold removes unobserved. Collecting warnings turns skipping off, so the two folds
/// below differ only in skipping; they must agree everywhere, including just before and just
/// after the frames where skipped nodes die.
#[test]
fn skipping_dead_adds_changes_no_state() {
    let mut rng = XorShift(0xdead_add5_0000_0001);
    let mut paths = recordings();
    for rel in ["monaco/monaco-coding.rrweb.json", "ace/ace-editing.rrweb.json"] {
        let p = corpus().join(rel);
        if p.exists() {
            paths.push(p);
        }
    }
    let mut dead_total = 0;
    for path in paths {
        let rec = ingest::load(&path, &LoadOptions::default()).expect("load");
        let deaths: Vec<usize> = rec
            .frames
            .iter()
            .filter_map(|f| match &f.data {
                reprise::model::FrameData::Incremental(reprise::model::Incremental::Mutation(m)) => Some(m),
                _ => None,
            })
            .flat_map(|m| m.adds.iter().map(|a| a.node.dead_at).filter(|&d| d != u32::MAX))
            .map(|d| d as usize)
            .collect();
        dead_total += deaths.len();
        let mut all = cuts(&rec, &mut rng, 30);
        for _ in 0..30.min(deaths.len()) {
            let d = deaths[(rng.next() as usize) % deaths.len()];
            let t = rec.frames[d].timestamp.0;
            all.extend([t, t + 0.5]);
        }
        all.push(rec.end().0 + 1.0);
        for cut in all {
            let skipping = dom::state_at(&rec, cut);
            let building = dom::fold_at(&rec, cut, true).into_dom();
            assert_eq!(dom::canonical(&skipping), dom::canonical(&building), "{} at {cut}", path.display());
            assert_eq!(dom::dom_json(&skipping, 1.0, cut), dom::dom_json(&building, 1.0, cut), "{} at {cut}", path.display());
        }
    }
    assert!(dead_total > 1000, "the corpus editors re-render lines: expected many dead adds, found {dead_total}");
}
