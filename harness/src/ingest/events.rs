//! rrweb event arrays (and JSONL) -> typed frames. Each event keeps a span of its original text.

use super::wire::*;
use crate::error::{Error, Location, Result};
use crate::model::{
    AdoptedStyleSheet, AttributeMutation, CustomFrame, Frame, FrameData, Incremental, InputData,
    MediaInteraction, MouseInteraction, MousePosition, Mutation, NodeAdd, NodeRemove, Pointer,
    RuleIndex, ScrollData, Span, StyleDeclaration, StyleSheetRule, TextMutation, Timestamp,
};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// A frame as decoded, before the recording-wide time normalization.
pub struct Decoded {
    pub frame: Frame,
    /// For Sentry custom frames: the payload's own time (already in ms), which wins over the
    /// outer timestamp (sentry.md §3.5).
    pub payload_time: Option<f64>,
}

/// Parses JSON that may nest arbitrarily deep without overflowing the stack.
pub fn from_str_deep<'a, T: Deserialize<'a>>(s: &'a str) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_str(s);
    de.disable_recursion_limit();
    let de = serde_stacker::Deserializer::new(&mut de);
    let value = T::deserialize(de)?;
    Ok(value)
}

/// Byte offset of `inner` inside `outer` (both must be the same allocation).
pub fn offset_in(outer: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

/// The elements of a JSON array, each as its raw text.
pub fn split_array<'a>(buf: &'a str, loc: &Location) -> Result<Vec<&'a RawValue>> {
    from_str_deep::<Vec<&RawValue>>(buf).map_err(|e| {
        let at = byte_of(buf, e.line(), e.column());
        Error::input(loc.clone().byte(at as u64), format!("not a JSON array of events: {e}"))
    })
}

/// The byte offset of a serde_json (line, column) position; both count from 1.
pub fn byte_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// Decodes every event of one segment's array. `buffer` is the index of `buf` in the recording.
pub fn decode_array(
    buf: &str,
    items: &[&RawValue],
    buffer: u32,
    segment: u32,
    loc: &Location,
) -> Result<Vec<Decoded>> {
    let mut out = Vec::with_capacity(items.len());
    for (i, raw) in items.iter().enumerate() {
        let start = offset_in(buf, raw.get());
        let span = Span { buffer, start: start as u32, end: (start + raw.get().len()) as u32 };
        let pointer = Pointer::new(segment, i as u32);
        let decoded = decode_event(raw.get(), pointer, span).map_err(|msg| {
            Error::input(loc.clone().segment(segment).frame(i as u32).byte(start as u64), msg)
        })?;
        out.push(decoded);
    }
    Ok(out)
}

/// Decodes one event; the error is a message without location (the caller adds it).
pub fn decode_event(raw: &str, pointer: Pointer, span: Span) -> Result<Decoded, String> {
    // serde would also accept `[type, timestamp]` for a struct; an rrweb event is always an object.
    if !raw.trim_start().starts_with('{') {
        return Err("not an rrweb event: expected a JSON object".into());
    }
    let ev: WireEvent = serde_json::from_str(raw).map_err(|e| format!("not an rrweb event: {e}"))?;
    if !ev.timestamp.is_finite() {
        return Err("timestamp is not a finite number".into());
    }
    let data = ev.data.map(|d| d.get()).unwrap_or("null");
    let mut payload_time = None;
    let frame_data = match ev.ty {
        0 => FrameData::DomContentLoaded,
        1 => FrameData::Load,
        2 => {
            let fs: WireFullSnapshot = from_str_deep(data).map_err(|e| format!("FullSnapshot: {e}"))?;
            let off = fs.initial_offset.unwrap_or_default();
            FrameData::FullSnapshot {
                node: fs.node.0,
                initial_offset: (off.left.unwrap_or(0.0), off.top.unwrap_or(0.0)),
            }
        }
        3 => FrameData::Incremental(decode_incremental(data)?),
        4 => {
            let m: WireMeta = serde_json::from_str(data).map_err(|e| format!("Meta: {e}"))?;
            FrameData::Meta {
                href: m.href.unwrap_or_default(),
                width: m.width.unwrap_or(0.0),
                height: m.height.unwrap_or(0.0),
            }
        }
        5 => {
            let c: WireCustom = serde_json::from_str(data).map_err(|e| format!("Custom: {e}"))?;
            let (custom, time) = decode_custom(c)?;
            payload_time = time;
            FrameData::Custom(custom)
        }
        6 => {
            let p: WirePlugin = serde_json::from_str(data).map_err(|e| format!("Plugin: {e}"))?;
            FrameData::Plugin { plugin: p.plugin, payload: p.payload }
        }
        7 => FrameData::Asset(parse_value(data)?),
        other => FrameData::Unknown { event_type: other, data: parse_value(data)? },
    };
    Ok(Decoded { frame: Frame { pointer, timestamp: Timestamp(ev.timestamp), data: frame_data, raw: span }, payload_time })
}

fn parse_value(data: &str) -> Result<Value, String> {
    from_str_deep(data).map_err(|e| e.to_string())
}

fn typed<'a, T: Deserialize<'a>>(data: &'a str, what: &str) -> Result<T, String> {
    serde_json::from_str(data).map_err(|e| format!("{what}: {e}"))
}

fn positions(data: &str, what: &str) -> Result<Vec<MousePosition>, String> {
    let p: WirePositions = typed(data, what)?;
    Ok(p.positions
        .into_iter()
        .map(|p| MousePosition { x: p.x, y: p.y, id: p.id.map(|n| n.0).unwrap_or(-1), time_offset: p.time_offset })
        .collect())
}

fn decode_incremental(data: &str) -> Result<Incremental, String> {
    let source: WireSource = typed(data, "IncrementalSnapshot")?;
    Ok(match source.source {
        0 => {
            let m: WireMutation = from_str_deep(data).map_err(|e| format!("Mutation: {e}"))?;
            Incremental::Mutation((Mutation {
                removes: m
                    .removes
                    .0
                    .into_iter()
                    .map(|r| NodeRemove { parent_id: r.parent_id.0, id: r.id.0, is_shadow: r.is_shadow.unwrap_or(false) })
                    .collect(),
                adds: m
                    .adds
                    .0
                    .into_iter()
                    .map(|a| NodeAdd {
                        parent_id: a.parent_id.0,
                        next_id: a.next_id.map(|n| n.0),
                        previous_id: a.previous_id.map(|n| n.0),
                        node: a.node.0,
                    })
                    .collect(),
                texts: m.texts.0.into_iter().map(|t| TextMutation { id: t.id.0, value: t.value }).collect(),
                attributes: m
                    .attributes
                    .0
                    .into_iter()
                    .map(|a| AttributeMutation { id: a.id.0, attributes: a.attributes.0.into_vec() })
                    .collect(),
                is_attach_iframe: m.is_attach_iframe.unwrap_or(false),
            })
            .compact())
        }
        1 => Incremental::MouseMove(positions(data, "MouseMove")?),
        2 => {
            let m: WireMouseInteraction = typed(data, "MouseInteraction")?;
            Incremental::MouseInteraction(MouseInteraction {
                kind: m.kind,
                id: m.id.map(|n| n.0).unwrap_or(-1),
                x: m.x,
                y: m.y,
                pointer_type: m.pointer_type,
            })
        }
        3 => {
            let s: WireScroll = typed(data, "Scroll")?;
            Incremental::Scroll(ScrollData { id: s.id.0, x: s.x, y: s.y })
        }
        4 => {
            let v: WireViewport = typed(data, "ViewportResize")?;
            Incremental::ViewportResize { width: v.width, height: v.height }
        }
        5 => {
            let i: WireInput = typed(data, "Input")?;
            Incremental::Input(InputData {
                id: i.id.0,
                text: i.text.unwrap_or_default(),
                is_checked: i.is_checked.unwrap_or(false),
                user_triggered: i.user_triggered,
            })
        }
        6 => Incremental::TouchMove(positions(data, "TouchMove")?),
        7 => {
            let m: WireMedia = typed(data, "MediaInteraction")?;
            Incremental::MediaInteraction(MediaInteraction {
                kind: m.kind,
                id: m.id.0,
                current_time: m.current_time,
                volume: m.volume,
                muted: m.muted,
                playback_rate: m.playback_rate,
            })
        }
        8 => {
            let s: WireStyleSheetRule = typed(data, "StyleSheetRule")?;
            Incremental::StyleSheetRule(StyleSheetRule {
                id: s.id.map(|n| n.0),
                style_id: s.style_id.map(|n| n.0),
                adds: s.adds.unwrap_or_default().into_iter().map(|a| (a.rule, a.index.map(|i| RuleIndex(i.0)))).collect(),
                removes: s.removes.unwrap_or_default().into_iter().map(|r| RuleIndex(r.index.0)).collect(),
                replace: s.replace,
                replace_sync: s.replace_sync,
            })
        }
        9 => Incremental::CanvasMutation(parse_value(data)?),
        10 => Incremental::Font(parse_value(data)?),
        11 => Incremental::Log(parse_value(data)?),
        12 => Incremental::Drag(positions(data, "Drag")?),
        13 => {
            let s: WireStyleDeclaration = typed(data, "StyleDeclaration")?;
            Incremental::StyleDeclaration(StyleDeclaration {
                id: s.id.map(|n| n.0),
                style_id: s.style_id.map(|n| n.0),
                index: s.index,
                set: s.set.map(|d| (d.property, d.value, d.priority)),
                remove: s.remove.map(|r| r.property),
            })
        }
        14 => Incremental::Selection(parse_value(data)?),
        15 => {
            let a: WireAdoptedStyleSheet = typed(data, "AdoptedStyleSheet")?;
            Incremental::AdoptedStyleSheet(AdoptedStyleSheet {
                id: a.id.0,
                styles: a
                    .styles
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| (s.style_id.0, s.rules.into_iter().map(|r| (r.rule, r.index)).collect()))
                    .collect(),
                style_ids: a.style_ids.into_iter().map(|n| n.0).collect(),
            })
        }
        16 => {
            let c: WireCustomElement = typed(data, "CustomElement")?;
            Incremental::CustomElement { define: c.define.map(|d| d.name) }
        }
        other => Incremental::Unknown { source: other, data: parse_value(data)? },
    })
}

/// Sentry's rule: a value above 9,999,999,999 is ms, otherwise seconds (sentry.md §3.5).
pub fn to_ms(t: f64) -> f64 {
    if t > 9_999_999_999.0 {
        t
    } else {
        t * 1000.0
    }
}

fn decode_custom(c: WireCustom) -> Result<(CustomFrame, Option<f64>), String> {
    let payload: Value = match c.payload {
        Some(p) => parse_value(p.get())?,
        None => Value::Null,
    };
    let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64).filter(|t| t.is_finite());
    let string = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    Ok(match c.tag.as_str() {
        "breadcrumb" => {
            let time = num(&payload, "timestamp").map(to_ms);
            let crumb = CustomFrame::Breadcrumb {
                category: string(&payload, "category").unwrap_or_default(),
                message: string(&payload, "message"),
                level: string(&payload, "level"),
                data: payload.get("data").cloned().unwrap_or(Value::Null),
            };
            (crumb, time)
        }
        "performanceSpan" => {
            let start = num(&payload, "startTimestamp").map(to_ms);
            let end = num(&payload, "endTimestamp").map(to_ms);
            let span = CustomFrame::PerformanceSpan {
                op: string(&payload, "op").unwrap_or_default(),
                description: string(&payload, "description").unwrap_or_default(),
                start: Timestamp(start.unwrap_or(f64::NAN)),
                end: Timestamp(end.or(start).unwrap_or(f64::NAN)),
                data: payload.get("data").cloned().unwrap_or(Value::Null),
            };
            (span, start)
        }
        "options" => (CustomFrame::Options(payload), None),
        "video" => (CustomFrame::Video(payload), None),
        _ => (CustomFrame::Other { tag: c.tag, payload }, None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttrValue, NodeKind, StyleValue};

    fn decode(raw: &str) -> Decoded {
        decode_event(raw, Pointer::default(), Span::default()).expect("decodes")
    }

    #[test]
    fn full_snapshot_keeps_attribute_order_and_types() {
        let d = decode(r#"{"type":2,"timestamp":5,"data":{"initialOffset":{"top":3,"left":4},"node":{"type":0,"id":1,"childNodes":[{"id":2,"type":2,"tagName":"p","attributes":{"z":"1","a":2,"b":true,"c":null},"childNodes":[]}]}}}"#);
        let FrameData::FullSnapshot { node, initial_offset } = d.frame.data else { panic!() };
        assert_eq!(initial_offset, (4.0, 3.0));
        let NodeKind::Element { attributes, .. } = &node.children[0].kind else { panic!() };
        let names: Vec<_> = attributes.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["z", "a", "b", "c"]);
        assert_eq!(attributes[1].1, AttrValue::Num(2.0));
        assert_eq!(attributes[3].1, AttrValue::Null);
    }

    #[test]
    fn a_load_shares_repeated_strings_and_sizes_lists_exactly() {
        let _load = super::super::intern::Session::start();
        let d = decode(r#"{"type":3,"timestamp":5,"data":{"source":0,"texts":[],"removes":[{"parentId":1,"id":9},{"parentId":1,"id":8},{"parentId":1,"id":7},{"parentId":1,"id":6},{"parentId":1,"id":5}],"attributes":[],"adds":[
            {"parentId":1,"nextId":null,"node":{"type":2,"id":2,"tagName":"span","attributes":{"class":"mtk1"},"childNodes":[]}},
            {"parentId":1,"nextId":null,"node":{"type":2,"id":3,"tagName":"span","attributes":{"class":"mtk1","data-x":"1","data-y":"2","data-z":"3","data-w":"4"},"childNodes":[]}},
            {"parentId":1,"nextId":null,"node":{"type":2,"id":4,"tagName":"span","attributes":{"onclick":"x()"},"childNodes":[]}}]}}"#);
        let FrameData::Incremental(Incremental::Mutation(m)) = d.frame.data else { panic!() };
        let element = |i: usize| match &m.adds[i].node.kind {
            NodeKind::Element { tag_name, attributes, plain, .. } => (tag_name.clone(), attributes.clone(), *plain),
            _ => panic!(),
        };
        let ((t0, a0, p0), (t1, a1, p1), (_, _, p2)) = (element(0), element(1), element(2));
        assert!(crate::model::Str::ptr_eq(&t0, &t1), "tag names are interned");
        assert!(crate::model::Str::ptr_eq(&a0[0].0, &a1[0].0), "attribute names are interned");
        let (AttrValue::Str(v0), AttrValue::Str(v1)) = (&a0[0].1, &a1[0].1) else { panic!() };
        assert!(crate::model::Str::ptr_eq(v0, v1), "short values are interned");
        assert_eq!(a1.len(), 5);
        assert!(p0 && p1 && !p2, "plain unless an attribute is special (on*)");
        assert_eq!((m.adds.len(), m.adds.capacity()), (3, 3), "no slack in add lists");
        assert_eq!((m.removes.len(), m.removes.capacity()), (5, 5), "no slack in remove lists");
    }

    #[test]
    fn compact_style_mutations_are_typed() {
        let d = decode(r#"{"type":3,"timestamp":5,"data":{"source":0,"texts":[],"removes":[],"adds":[],"attributes":[{"id":7,"attributes":{"style":{"color":"red","top":["1px","important"],"left":false}}}]}}"#);
        let FrameData::Incremental(Incremental::Mutation(m)) = d.frame.data else { panic!() };
        assert_eq!(
            m.attributes[0].attributes[0].1,
            AttrValue::Style(vec![
                ("color".into(), StyleValue::Set("red".into())),
                ("top".into(), StyleValue::SetWithPriority("1px".into(), "important".into())),
                ("left".into(), StyleValue::Remove),
            ]
            .into())
        );
    }

    #[test]
    fn breadcrumb_and_span_times_come_from_the_payload_in_ms() {
        let d = decode(r#"{"type":5,"timestamp":1674244206.686,"data":{"tag":"breadcrumb","payload":{"timestamp":1674244206.686,"category":"ui.blur"}}}"#);
        assert_eq!(d.payload_time, Some(1674244206686.0));
        let d = decode(r#"{"type":5,"timestamp":1658770772.902,"data":{"tag":"performanceSpan","payload":{"op":"resource.fetch","description":"/api","startTimestamp":1658770772.902,"endTimestamp":1658770773.5,"data":{}}}}"#);
        let FrameData::Custom(CustomFrame::PerformanceSpan { end, .. }) = d.frame.data else { panic!() };
        assert_eq!(end.0, 1658770773500.0);
    }

    #[test]
    fn unknown_types_and_sources_are_kept() {
        let d = decode(r#"{"type":42,"timestamp":1,"data":{"x":1}}"#);
        assert!(matches!(d.frame.data, FrameData::Unknown { event_type: 42, .. }));
        let d = decode(r#"{"type":3,"timestamp":1,"data":{"source":99,"y":2}}"#);
        assert!(matches!(d.frame.data, FrameData::Incremental(Incremental::Unknown { source: 99, .. })));
    }

    #[test]
    fn wrong_types_are_errors_not_panics() {
        for raw in [
            r#"{"type":"2","timestamp":1}"#,
            r#"{"type":2,"timestamp":"x","data":{}}"#,
            r#"{"type":2,"timestamp":1,"data":{"node":{"type":9,"id":1}}}"#,
            r#"{"type":3,"timestamp":1,"data":{"source":0,"adds":[{"parentId":1,"nextId":null}]}}"#,
            r#"[1,2]"#,
        ] {
            assert!(decode_event(raw, Pointer::default(), Span::default()).is_err(), "{raw}");
        }
    }

    #[test]
    fn very_deep_nodes_do_not_overflow_the_stack() {
        let depth = 100_000;
        let mut s = String::from(r#"{"type":2,"timestamp":1,"data":{"node":"#);
        for i in 0..depth {
            s.push_str(&format!(r#"{{"type":2,"id":{},"tagName":"div","attributes":{{}},"childNodes":["#, i + 1));
        }
        s.push_str(&"]}".repeat(depth));
        s.push_str("}}");
        let d = decode(&s);
        let FrameData::FullSnapshot { node, .. } = &d.frame.data else { panic!() };
        assert_eq!(node.count(), depth);
    }
}
