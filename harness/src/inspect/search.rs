//! Fuzzy search over what a session showed and did: selectors, typed and visible text, URLs,
//! breadcrumb, console and error messages, span descriptions. Masked text is never matched; it is
//! counted and reported as masked.

use crate::events::is_masked;
use crate::model::{Event, EventKind, FrameData, Incremental, Node, NodeKind, Pointer, Recording};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub score: u32,
    /// Which field matched: selector, label, typed-text, page-text, url, message, description.
    pub field: &'static str,
    pub text: String,
    pub kind: Option<EventKind>,
    pub replay_id: Option<String>,
    pub segment_id: u32,
    pub frame_index: u32,
    pub timestamp: String,
    pub offset_ms: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MaskedReport {
    /// Input events whose text was masked: what was typed there is unknowable.
    pub inputs: usize,
    /// Text nodes of the page that were masked.
    pub text_nodes: usize,
    /// Pointers to the first masked inputs, to look at with `reprise events`.
    pub first_inputs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    pub query: String,
    pub total: usize,
    pub hits: Vec<SearchHit>,
    pub masked: MaskedReport,
}

/// Scores `hay` against `query` (both compared lower-case): a substring is best, a whole-word
/// substring better, all words present good, an in-order subsequence weak.
fn score(hay: &str, query: &str) -> Option<u32> {
    if hay.is_empty() || query.is_empty() {
        return None;
    }
    let h = hay.to_lowercase();
    if let Some(pos) = h.find(query) {
        let before = h[..pos].chars().next_back();
        let after = h[pos + query.len()..].chars().next();
        let word = !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        return Some(if h == query { 100 } else if word { 90 } else { 80 });
    }
    let words: Vec<&str> = query.split_whitespace().collect();
    if words.len() > 1 && words.iter().all(|w| h.contains(w)) {
        return Some(70);
    }
    if h.len() > 400 || query.chars().count() < 3 {
        return None;
    }
    // Subsequence: every query character in order, scored by how tight the match is.
    let (mut qi, mut first, mut last) = (query.chars().peekable(), None, 0);
    for (i, c) in h.char_indices() {
        if qi.peek() == Some(&c) {
            qi.next();
            first.get_or_insert(i);
            last = i;
        }
    }
    if qi.peek().is_some() {
        return None;
    }
    let span = (last - first.unwrap_or(0) + 1) as f64;
    let tight = query.len() as f64 / span;
    (tight >= 0.5).then(|| (30.0 + 30.0 * tight) as u32)
}

fn hit_from_event(e: &Event, field: &'static str, text: &str, score: u32) -> SearchHit {
    SearchHit {
        score,
        field,
        text: shorten(text),
        kind: Some(e.kind),
        replay_id: e.replay_id.clone(),
        segment_id: e.segment_id,
        frame_index: e.frame_index,
        timestamp: e.timestamp.clone(),
        offset_ms: e.offset_ms,
    }
}

fn shorten(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 160 {
        let mut t: String = one_line.chars().take(157).collect();
        t.push_str("...");
        t
    } else {
        one_line
    }
}

pub fn search(rec: &Recording, events: &[Event], query: &str, limit: usize) -> SearchResult {
    let q = query.trim().to_lowercase();
    let mut hits: Vec<SearchHit> = Vec::new();
    let mut masked = MaskedReport { inputs: 0, text_nodes: 0, first_inputs: Vec::new() };
    for e in events {
        let d = &e.detail;
        if e.kind == EventKind::Input && e.masked {
            masked.inputs += 1;
            if masked.first_inputs.len() < 5 {
                masked.first_inputs.push(Pointer::new(e.segment_id, e.frame_index).to_string());
            }
        }
        let fields: [(&'static str, Option<&str>); 7] = [
            ("selector", e.selector.as_deref()),
            ("label", e.label.as_deref().filter(|_| !e.masked)),
            ("typed-text", d.text.as_deref().filter(|_| !e.masked)),
            ("url", e.url.as_deref()),
            ("message", d.message.as_deref()),
            ("description", d.description.as_deref()),
            ("error", d.error_type.as_deref()),
        ];
        let best = fields
            .iter()
            .filter_map(|(f, v)| v.and_then(|v| score(v, &q).map(|s| (s, *f, v))))
            .max_by_key(|(s, _, _)| *s);
        if let Some((s, f, v)) = best {
            hits.push(hit_from_event(e, f, v, s));
        }
    }
    page_text_hits(rec, &q, &mut hits, &mut masked);
    // Typing produces one input event per keystroke: keep the first hit per (field, text).
    let mut seen = std::collections::HashSet::new();
    hits.retain(|h| seen.insert((h.field, h.text.clone())));
    hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.offset_ms.total_cmp(&b.offset_ms)));
    let total = hits.len();
    hits.truncate(limit);
    SearchResult { query: query.to_string(), total, hits, masked }
}

/// Text the page showed: text nodes of full snapshots and mutations (not style or script).
fn page_text_hits(rec: &Recording, q: &str, hits: &mut Vec<SearchHit>, masked: &mut MaskedReport) {
    let start = rec.start();
    let mut tags: HashMap<i64, String> = HashMap::new();
    let mut consider = |text: &str, parent_tag: Option<&str>, is_style: bool, f: &crate::model::Frame, hits: &mut Vec<SearchHit>| {
        if is_style || matches!(parent_tag, Some("style" | "script" | "noscript")) || text.trim().is_empty() {
            return;
        }
        if is_masked(text) {
            masked.text_nodes += 1;
            return;
        }
        if let Some(s) = score(text, q) {
            hits.push(SearchHit {
                score: s,
                field: "page-text",
                text: shorten(text),
                kind: None,
                replay_id: rec.replay_id.clone(),
                segment_id: f.pointer.segment,
                frame_index: f.pointer.frame,
                timestamp: f.timestamp.rfc3339(),
                offset_ms: f.timestamp.0 - start.0,
            });
        }
    };
    for f in &rec.frames {
        match &f.data {
            FrameData::FullSnapshot { node, .. } => {
                let mut stack: Vec<(&Node, Option<String>)> = vec![(node, None)];
                while let Some((n, parent)) = stack.pop() {
                    match &n.kind {
                        NodeKind::Element { tag_name, .. } => {
                            let t = tag_name.to_lowercase();
                            tags.insert(n.id, t.clone());
                            for c in n.children.iter().rev() {
                                stack.push((c, Some(t.clone())));
                            }
                        }
                        NodeKind::Text { text, is_style } => consider(text, parent.as_deref(), *is_style, f, hits),
                        _ => stack.extend(n.children.iter().rev().map(|c| (c, None))),
                    }
                }
            }
            FrameData::Incremental(Incremental::Mutation(m)) => {
                for a in &m.adds {
                    match &a.node.kind {
                        NodeKind::Element { tag_name, .. } => {
                            tags.insert(a.node.id, tag_name.to_lowercase());
                        }
                        NodeKind::Text { text, is_style } => {
                            let parent = tags.get(&a.parent_id).cloned();
                            consider(text, parent.as_deref(), *is_style, f, hits);
                        }
                        _ => {}
                    }
                }
                for t in &m.texts {
                    if let Some(v) = &t.value {
                        consider(v, None, false, f, hits);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::score;

    #[test]
    fn substring_beats_words_beats_subsequence() {
        assert_eq!(score("Add to cart", "add to cart"), Some(100));
        assert_eq!(score("Please add to cart now", "add to cart"), Some(90));
        assert_eq!(score("address", "add"), Some(80));
        assert_eq!(score("cart: add item", "add cart"), Some(70));
        assert!(score("checkout button", "chkout").unwrap() < 70);
        assert_eq!(score("abc", "xyz"), None);
    }
}
