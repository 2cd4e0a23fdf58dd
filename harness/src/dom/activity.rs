//! DOM activity in a time window: which nodes mutations added, removed or changed (text and
//! attributes, before and after), which inputs received values, and what scrolled, each with
//! the node's stable selector at that moment.

use super::describe::{describe, NodeDescription};
use super::engine::Engine;
use super::node::Data;
use super::view;
use crate::model::{FrameData, Incremental, Pointer, Recording, Timestamp};

/// Which kinds of activity to report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds {
    pub mutation: bool,
    pub input: bool,
    pub scroll: bool,
}

impl Default for Kinds {
    fn default() -> Kinds {
        Kinds { mutation: true, input: true, scroll: true }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub timestamp: Timestamp,
    pub pointer: Pointer,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Added { id: i64, parent_id: i64, node: Option<NodeDescription> },
    Removed { id: i64, node: Option<NodeDescription> },
    Text { id: i64, node: Option<NodeDescription>, old: Option<String>, new: Option<String> },
    Attribute { id: i64, node: Option<NodeDescription>, name: String, old: Option<String>, new: Option<String> },
    Input { id: i64, node: Option<NodeDescription>, value: String, checked: bool },
    Scroll { id: i64, node: Option<NodeDescription>, window: bool, x: f64, y: f64 },
}

fn canonical_attr(engine: &Engine<'_>, id: i64, name: &str) -> Option<String> {
    let dom = engine.dom();
    let n = dom.get(id)?;
    view::attributes(dom, n).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn text_of(engine: &Engine<'_>, id: i64) -> Option<String> {
    let dom = engine.dom();
    dom.get(id).and_then(|n| dom.node(n).char_data().map(|t| t.to_string()))
}

/// Activity of frames stamped in `[from, to)` (epoch ms), in frame order. The DOM is a forward
/// fold (like `Resolver`), not rrweb's per-seek restart.
pub fn activity(rec: &Recording, from: f64, to: f64, kinds: Kinds) -> Vec<Activity> {
    let frames = &rec.frames;
    let begin = frames.partition_point(|f| f.timestamp.0 < from);
    let end = frames.partition_point(|f| f.timestamp.0 < to).max(begin);
    let restart = frames[..begin].iter().rposition(|f| matches!(f.data, FrameData::FullSnapshot { .. })).unwrap_or(0);
    let mut engine = Engine::new(false);
    for f in &frames[restart..begin] {
        engine.apply(f);
    }
    let mut out = Vec::new();
    for f in &frames[begin..end] {
        let mut push = |change| out.push(Activity { timestamp: f.timestamp, pointer: f.pointer, change });
        match &f.data {
            FrameData::Incremental(Incremental::Mutation(m)) if kinds.mutation => {
                for r in &m.removes {
                    push(Change::Removed { id: r.id, node: describe(engine.dom(), r.id) });
                }
                let old_texts: Vec<_> = m.texts.iter().map(|t| text_of(&engine, t.id)).collect();
                let old_attrs: Vec<Vec<Option<String>>> = m
                    .attributes
                    .iter()
                    .map(|a| a.attributes.iter().map(|(n, _)| canonical_attr(&engine, a.id, n)).collect())
                    .collect();
                engine.apply(f);
                for a in &m.adds {
                    push(Change::Added { id: a.node.id, parent_id: a.parent_id, node: describe(engine.dom(), a.node.id) });
                }
                for (t, old) in m.texts.iter().zip(old_texts) {
                    let new = text_of(&engine, t.id);
                    push(Change::Text { id: t.id, node: describe(engine.dom(), t.id), old, new });
                }
                for (a, olds) in m.attributes.iter().zip(old_attrs) {
                    for ((name, _), old) in a.attributes.iter().zip(olds) {
                        let new = canonical_attr(&engine, a.id, name);
                        if old != new {
                            push(Change::Attribute { id: a.id, node: describe(engine.dom(), a.id), name: name.to_string(), old, new });
                        }
                    }
                }
                continue;
            }
            FrameData::Incremental(Incremental::Input(i)) if kinds.input => {
                push(Change::Input { id: i.id, node: describe(engine.dom(), i.id), value: i.text.clone(), checked: i.is_checked });
            }
            FrameData::Incremental(Incremental::Scroll(s)) if kinds.scroll => {
                let window = engine.dom().get(s.id).is_some_and(|n| matches!(engine.dom().node(n).data, Data::Document { .. }));
                push(Change::Scroll { id: s.id, node: describe(engine.dom(), s.id), window, x: s.x, y: s.y });
            }
            _ => {}
        }
        engine.apply(f);
    }
    out
}
