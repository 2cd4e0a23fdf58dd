//! Hostile input: no panic, no stack overflow, warnings instead. 100,000-deep trees (built,
//! seeked, printed, matched, described, dropped), a node added under its own descendant,
//! mutations naming unknown ids, multi-megabyte attributes, odd ids.

use reprise::dom::{self, selector, SeekIndex, WarningKind};
use reprise::ingest::{self, LoadOptions};
use reprise::model::Recording;

const T0: u64 = 1_800_000_000_000;

fn load(events: &str) -> Recording {
    ingest::load_bytes(events.as_bytes().to_vec(), "hostile", &LoadOptions::default()).expect("load")
}

fn meta(dt: u64) -> String {
    format!(r#"{{"type":4,"data":{{"href":"http://x.invalid/","width":800,"height":600}},"timestamp":{}}}"#, T0 + dt)
}

fn snapshot(dt: u64, body: &str) -> String {
    format!(
        r#"{{"type":2,"data":{{"node":{{"type":0,"id":1,"childNodes":[{{"type":2,"tagName":"html","attributes":{{}},"id":3,"childNodes":[{{"type":2,"tagName":"body","attributes":{{}},"id":5,"childNodes":[{body}]}}]}}]}},"initialOffset":{{"top":0,"left":0}}}},"timestamp":{}}}"#,
        T0 + dt
    )
}

fn mutation(dt: u64, body: &str) -> String {
    format!(r#"{{"type":3,"data":{{"source":0,"texts":[],"attributes":[],"removes":[],"adds":[],{body}}},"timestamp":{}}}"#, T0 + dt)
}

/// `depth` nested divs (ids 10, 11, ...) around a span.
fn nested(depth: usize) -> String {
    let mut s = String::with_capacity(depth * 70);
    for i in 0..depth {
        s.push_str(&format!(r#"{{"type":2,"tagName":"div","attributes":{{}},"id":{},"childNodes":["#, 10 + i));
    }
    s.push_str(r#"{"type":2,"tagName":"span","attributes":{"id":"deepest"},"id":9,"childNodes":[]}"#);
    for _ in 0..depth {
        s.push_str("]}");
    }
    s
}

#[test]
fn a_100000_deep_snapshot_is_built_printed_matched_and_dropped() {
    let depth = 100_000;
    let rec = load(&format!("[{},{}]", meta(0), snapshot(1, &nested(depth))));
    let end = rec.end().0 + 1.0;
    let state = SeekIndex::new(&rec).state_at(end);
    assert_eq!(state.len(), depth + 4);
    assert!(dom::dom_json(&state, 0.0, end).len() > depth * 20);
    assert!(dom::html_document(&state).contains("id=\"deepest\""));
    for sel in ["span div", "div span", "#deepest", "body > div div > span"] {
        let s = selector::parse(sel).expect("selector");
        let hits = selector::select(&state, state.top(), &s);
        assert_eq!(hits.is_empty(), sel == "span div", "{sel}");
    }
    let d = dom::describe(&state, 9).expect("deepest");
    assert_eq!(d.selector, "#deepest");
    let d = dom::describe(&state, 10 + depth as i64 - 1).expect("innermost div");
    assert!(d.selector.ends_with("> div"), "{}", &d.selector[d.selector.len() - 40..]);
    drop(state);
    drop(rec);
}

#[test]
fn canonical_text_of_a_deep_tree_is_iterative() {
    let rec = load(&format!("[{},{}]", meta(0), snapshot(1, &nested(3000))));
    let text = dom::canonical(&dom::state_at(&rec, rec.end().0 + 1.0));
    assert_eq!(text.lines().count(), 3000 + 4);
    assert!(text.ends_with("<span id=\"deepest\"> @9\n"));
}

#[test]
fn a_100000_deep_chain_of_adds_and_its_removal() {
    let n = 100_000;
    let mut adds = String::new();
    for i in 0..n {
        let parent = if i == 0 { 5 } else { 100 + i - 1 };
        if i > 0 {
            adds.push(',');
        }
        adds.push_str(&format!(r#"{{"parentId":{parent},"nextId":null,"node":{{"type":2,"tagName":"div","attributes":{{}},"id":{},"childNodes":[]}}}}"#, 100 + i));
    }
    let events = format!(
        "[{},{},{},{}]",
        meta(0),
        snapshot(1, ""),
        mutation(10, &format!(r#""adds":[{adds}]"#)).replace(r#""adds":[],"#, ""),
        mutation(20, r#""removes":[{"parentId":5,"id":100}]"#).replace(r#""removes":[],"#, "")
    );
    let rec = load(&events);
    let mid = dom::state_at(&rec, rec.start().0 + 15.0);
    assert_eq!(mid.len(), n + 3);
    let end = dom::state_at(&rec, rec.end().0 + 1.0);
    assert_eq!(end.len(), 3);
    assert!(end.arena_len() < 10, "removed subtree recycled");
}

#[test]
fn a_node_added_under_its_own_descendant_aborts_the_batch_only() {
    let body = r#"{"type":2,"tagName":"div","attributes":{"id":"a"},"id":6,"childNodes":[{"type":2,"tagName":"div","attributes":{"id":"b"},"id":7,"childNodes":[]}]}"#;
    let cycle = r#""adds":[{"parentId":7,"nextId":null,"node":{"type":2,"tagName":"div","attributes":{"id":"a"},"id":6,"childNodes":[]}},{"parentId":5,"nextId":null,"node":{"type":2,"tagName":"p","attributes":{},"id":8,"childNodes":[]}}]"#;
    let later = r#""adds":[{"parentId":5,"nextId":null,"node":{"type":2,"tagName":"i","attributes":{},"id":9,"childNodes":[]}}]"#;
    let rec = load(&format!(
        "[{},{},{},{}]",
        meta(0),
        snapshot(1, body),
        mutation(10, cycle).replace(r#""adds":[],"#, ""),
        mutation(20, later).replace(r#""adds":[],"#, "")
    ));
    let engine = dom::fold_at(&rec, rec.end().0 + 1.0, true);
    assert!(engine.warnings().iter().any(|w| matches!(&w.kind, WarningKind::BatchAborted { message } if message.contains("HierarchyRequestError"))));
    let text = dom::canonical(engine.dom());
    assert!(text.contains("<div id=\"b\"> @7") && !text.contains("@8") && text.contains("<i> @9"), "{text}");
}

#[test]
fn unknown_and_odd_ids_are_warnings() {
    let unknown = r#""removes":[{"parentId":5,"id":424242},{"parentId":-1,"id":-7}],"texts":[{"id":999999999999,"value":"x"}],"attributes":[{"id":-3,"attributes":{"class":"y"}}],"adds":[{"parentId":9223372036854775807,"nextId":0,"node":{"type":3,"textContent":"t","id":0}}]"#;
    let input = format!(r#"{{"type":3,"data":{{"source":5,"id":31337,"text":"a","isChecked":true}},"timestamp":{}}}"#, T0 + 30);
    let scroll = format!(r#"{{"type":3,"data":{{"source":3,"id":-5,"x":1,"y":2}},"timestamp":{}}}"#, T0 + 31);
    let body = r#"{"type":2,"tagName":"p","attributes":{},"id":6,"childNodes":[]},{"type":2,"tagName":"p","attributes":{},"id":6,"childNodes":[]}"#;
    let mutation = format!(r#"{{"type":3,"data":{{"source":0,{unknown}}},"timestamp":{}}}"#, T0 + 10);
    let events = format!("[{},{},{mutation},{input},{scroll}]", meta(0), snapshot(1, body));
    let rec = load(&events);
    let engine = dom::fold_at(&rec, rec.end().0 + 1.0, true);
    let not_found = engine.warnings().iter().filter(|w| matches!(w.kind, WarningKind::NodeNotFound { .. })).count();
    assert!(not_found >= 4, "{:?}", engine.warnings());
    assert!(dom::canonical(engine.dom()).contains("<p> @6"));
    let report = dom::validate::validate(&rec);
    assert!(!report.clean());
}

#[test]
fn multi_megabyte_attributes() {
    let big = "x".repeat(4 << 20);
    let body = format!(r#"{{"type":2,"tagName":"div","attributes":{{"data-big":"{big}","style":"color: red"}},"id":6,"childNodes":[]}}"#);
    let attrs = format!(r#""attributes":[{{"id":6,"attributes":{{"title":"{big}","style":{{"background-image":"url({big})"}}}}}}]"#);
    let rec = load(&format!("[{},{},{}]", meta(0), snapshot(1, &body), mutation(10, &attrs).replace(r#""attributes":[],"#, "")));
    let state = dom::state_at(&rec, rec.end().0 + 1.0);
    let text = dom::canonical(&state);
    assert!(text.len() > 12 << 20);
    let html = dom::html_document(&state);
    assert!(html.contains("url(&quot;&quot;)") && !html.contains("url(xxx"));
    let s = selector::parse("div[data-big^=xxx][title$=xxx]").expect("selector");
    assert_eq!(selector::select(&state, state.top(), &s).len(), 1);
}
