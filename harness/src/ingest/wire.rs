//! rrweb wire shapes, deserialized straight into model types. Nothing outside `ingest` sees them.
//! Nodes and attributes have hand-written visitors: attribute order must survive, value types
//! vary (string, number, boolean, null, style object), and fields come in any order.

use super::intern::intern;
use crate::model::{builds_plainly, AttrValue, Doctype, Node, NodeKind, Str, StyleValue};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::cell::RefCell;
use std::fmt;
use std::thread::LocalKey;

/// `serializedNodeWithId`, built directly into a model `Node`.
pub struct WireNode(pub Node);

#[derive(Deserialize)]
#[serde(field_identifier)]
enum NodeField {
    #[serde(rename = "type")]
    Type,
    #[serde(rename = "id")]
    Id,
    #[serde(rename = "childNodes")]
    ChildNodes,
    #[serde(rename = "tagName")]
    TagName,
    #[serde(rename = "attributes")]
    Attributes,
    #[serde(rename = "textContent")]
    TextContent,
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "publicId")]
    PublicId,
    #[serde(rename = "systemId")]
    SystemId,
    #[serde(rename = "compatMode")]
    CompatMode,
    #[serde(rename = "rootId")]
    RootId,
    #[serde(rename = "isShadowHost")]
    IsShadowHost,
    #[serde(rename = "isShadow")]
    IsShadow,
    #[serde(rename = "isSVG")]
    IsSvg,
    #[serde(rename = "isStyle")]
    IsStyle,
    #[serde(rename = "needBlock")]
    NeedBlock,
    #[serde(rename = "isCustom")]
    IsCustom,
    #[serde(other)]
    Other,
}

/// A JSON value that may be absent, null, or of a lenient type; booleans recorded as `true` only.
fn opt_bool<'de, A: MapAccess<'de>>(map: &mut A) -> Result<bool, A::Error> {
    Ok(map.next_value::<Option<bool>>()?.unwrap_or(false))
}

impl<'de> Deserialize<'de> for WireNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireNode;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a serialized rrweb node object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireNode, A::Error> {
                let mut ty: Option<i64> = None;
                let mut id: Option<i64> = None;
                let mut children: Box<[Node]> = Box::new([]);
                let mut tag_name: Option<Str> = None;
                let mut attributes: Box<[(Str, AttrValue)]> = Box::new([]);
                let mut text: Option<Str> = None;
                let (mut name, mut public_id, mut system_id): (Option<Str>, Option<Str>, Option<Str>) = (None, None, None);
                let mut compat_mode: Option<Str> = None;
                let mut root_id: Option<i64> = None;
                let (mut shadow_host, mut shadow, mut svg, mut style, mut block, mut custom) =
                    (false, false, false, false, false, false);
                while let Some(key) = map.next_key::<NodeField>()? {
                    match key {
                        NodeField::Type => ty = Some(map.next_value()?),
                        NodeField::Id => id = Some(map.next_value::<Number>()?.0),
                        NodeField::ChildNodes => {
                            let list: Option<Exact<WireNode>> = map.next_value()?;
                            children = list.unwrap_or_default().0.into_iter().map(|w| w.0).collect();
                        }
                        NodeField::TagName => tag_name = map.next_value::<Option<WireStr>>()?.map(|s| s.0),
                        NodeField::Attributes => {
                            attributes = map.next_value::<Option<Attributes>>()?.map(|a| a.0).unwrap_or_default()
                        }
                        NodeField::TextContent => text = map.next_value::<Option<WireStr>>()?.map(|s| s.0),
                        NodeField::Name => name = map.next_value::<Option<WireStr>>()?.map(|s| s.0),
                        NodeField::PublicId => public_id = map.next_value::<Option<WireStr>>()?.map(|s| s.0),
                        NodeField::SystemId => system_id = map.next_value::<Option<WireStr>>()?.map(|s| s.0),
                        NodeField::CompatMode => compat_mode = map.next_value::<Option<WireStr>>()?.map(|s| s.0),
                        NodeField::RootId => root_id = map.next_value::<Option<Number>>()?.map(|n| n.0),
                        NodeField::IsShadowHost => shadow_host = opt_bool(&mut map)?,
                        NodeField::IsShadow => shadow = opt_bool(&mut map)?,
                        NodeField::IsSvg => svg = opt_bool(&mut map)?,
                        NodeField::IsStyle => style = opt_bool(&mut map)?,
                        NodeField::NeedBlock => block = opt_bool(&mut map)?,
                        NodeField::IsCustom => custom = opt_bool(&mut map)?,
                        NodeField::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let ty = ty.ok_or_else(|| de::Error::missing_field("type"))?;
                let id = id.ok_or_else(|| de::Error::missing_field("id"))?;
                let kind = match ty {
                    0 => NodeKind::Document { compat_mode },
                    1 => NodeKind::DocumentType(Box::new(Doctype {
                        name: name.unwrap_or_else(|| intern("")),
                        public_id: public_id.unwrap_or_else(|| intern("")),
                        system_id: system_id.unwrap_or_else(|| intern("")),
                    })),
                    2 => {
                        let tag_name = tag_name.ok_or_else(|| de::Error::missing_field("tagName"))?;
                        let plain = builds_plainly(&tag_name, &attributes, svg);
                        NodeKind::Element { tag_name, attributes, is_svg: svg, need_block: block, is_custom: custom, plain }
                    }
                    3 => NodeKind::Text { text: text.unwrap_or_else(|| intern("")), is_style: style },
                    4 => NodeKind::CData { text: text.unwrap_or_else(|| intern("")) },
                    5 => NodeKind::Comment { text: text.unwrap_or_else(|| intern("")) },
                    other => {
                        return Err(de::Error::custom(format_args!(
                            "unknown node type {other} (expected 0..=5)"
                        )))
                    }
                };
                Ok(WireNode(Node {
                    id,
                    kind,
                    root_id,
                    is_shadow_host: shadow_host,
                    is_shadow: shadow,
                    dead_at: u32::MAX,
                    children,
                }))
            }
        }
        d.deserialize_map(V)
    }
}

/// An rrweb id or count: an integer, accepted also when written as an integral float.
#[derive(Clone, Copy)]
pub struct Number(pub i64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer id")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                i64::try_from(v).map(Number).map_err(|_| E::custom("id out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                if v.fract() == 0.0 && v.abs() < 9.0e15 {
                    Ok(Number(v as i64))
                } else {
                    Err(E::custom(format_args!("expected an integer id, found {v}")))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON array read into a pooled scratch buffer, then moved into a Vec of exactly its length.
/// Growing each list by doubling and shrinking it afterwards would leave a freed remainder
/// behind every one of hundreds of thousands of small lists: megabytes of heap holes.
pub struct Exact<T>(pub Vec<T>);

impl<T> Default for Exact<T> {
    fn default() -> Self {
        Exact(Vec::new())
    }
}

/// Element types with a per-thread pool of scratch buffers (one per nesting level in use).
pub trait Pooled: Sized + 'static {
    fn pool() -> &'static LocalKey<RefCell<Vec<Vec<Self>>>>;
}

macro_rules! pooled {
    ($($name:ident: $t:ty),* $(,)?) => {
        thread_local! {
            $(static $name: RefCell<Vec<Vec<$t>>> = const { RefCell::new(Vec::new()) };)*
        }
        $(impl Pooled for $t {
            fn pool() -> &'static LocalKey<RefCell<Vec<Vec<$t>>>> {
                &$name
            }
        })*
        /// Frees the scratch buffers of this thread (the end of a load).
        pub fn release_pools() {
            $($name.with(|p| p.borrow_mut().clear());)*
        }
    };
}

pooled! {
    POOL_NODES: WireNode,
    POOL_ATTRS: (Str, AttrValue),
    POOL_ADDS: WireAdd,
    POOL_REMOVES: WireRemove,
    POOL_TEXTS: WireText,
    POOL_ATTR_MUTATIONS: WireAttributeMutation,
}

/// Runs `f` with an empty scratch buffer from `T`'s pool, and returns the buffer after.
fn with_scratch<T: Pooled, R>(f: impl FnOnce(&mut Vec<T>) -> R) -> R {
    let mut buf = T::pool().with(|p| p.borrow_mut().pop()).unwrap_or_default();
    let out = f(&mut buf);
    buf.clear();
    T::pool().with(|p| p.borrow_mut().push(buf));
    out
}

impl<'de, T: Deserialize<'de> + Pooled> Deserialize<'de> for Exact<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Pooled> Visitor<'de> for V<T> {
            type Value = Exact<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Exact<T>, A::Error> {
                with_scratch(|buf: &mut Vec<T>| {
                    while let Some(x) = seq.next_element()? {
                        buf.push(x);
                    }
                    // Not `mem::take`: the scratch keeps its capacity, the result gets exactly `len`.
                    #[allow(clippy::drain_collect)]
                    Ok(Exact(buf.drain(..).collect()))
                })
            }
        }
        d.deserialize_seq(V(std::marker::PhantomData))
    }
}

/// A string from the wire, interned while a load runs (see `intern`).
pub struct WireStr(pub Str);

impl<'de> Deserialize<'de> for WireStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireStr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireStr, E> {
                Ok(WireStr(intern(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// An attribute map in recorded order.
pub struct Attributes(pub Box<[(Str, AttrValue)]>);

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Attributes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an attribute object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Attributes, A::Error> {
                // Recordings hold hundreds of thousands of attribute lists: exact size, no slack.
                with_scratch(|out: &mut Vec<(Str, AttrValue)>| {
                    while let Some((k, v)) = map.next_entry::<WireStr, WireAttrValue>()? {
                        out.push((k.0, v.0));
                    }
                    Ok(Attributes(out.drain(..).collect()))
                })
            }
        }
        d.deserialize_map(V)
    }
}

struct WireAttrValue(AttrValue);

impl<'de> Deserialize<'de> for WireAttrValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireAttrValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number, boolean, null or style object")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(WireAttrValue(AttrValue::Str(intern(v))))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(WireAttrValue(AttrValue::Bool(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(WireAttrValue(AttrValue::Num(v as f64)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(WireAttrValue(AttrValue::Num(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(WireAttrValue(AttrValue::Num(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(WireAttrValue(AttrValue::Null))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(WireAttrValue(AttrValue::Null))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<WireStr, WireStyleValue>()? {
                    out.push((k.0, v.0));
                }
                Ok(WireAttrValue(AttrValue::Style(out.into_boxed_slice())))
            }
        }
        d.deserialize_any(V)
    }
}

struct WireStyleValue(StyleValue);

impl<'de> Deserialize<'de> for WireStyleValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireStyleValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a style value: string, [value, priority] or false")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(WireStyleValue(StyleValue::Set(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(WireStyleValue(StyleValue::Set(v)))
            }
            fn visit_bool<E: de::Error>(self, _v: bool) -> Result<Self::Value, E> {
                Ok(WireStyleValue(StyleValue::Remove))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(WireStyleValue(StyleValue::Remove))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let value: String = seq.next_element()?.unwrap_or_default();
                let priority: Option<String> = seq.next_element()?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(WireStyleValue(match priority {
                    Some(p) => StyleValue::SetWithPriority(value, p),
                    None => StyleValue::Set(value),
                }))
            }
        }
        d.deserialize_any(V)
    }
}

/// The envelope every rrweb event shares. `data` is kept raw and typed in a second step by type.
#[derive(Deserialize)]
pub struct WireEvent<'a> {
    #[serde(rename = "type")]
    pub ty: i64,
    pub timestamp: f64,
    #[serde(borrow, default)]
    pub data: Option<&'a serde_json::value::RawValue>,
}

#[derive(Deserialize)]
pub struct WireFullSnapshot {
    pub node: WireNode,
    #[serde(rename = "initialOffset", default)]
    pub initial_offset: Option<WireOffset>,
}

#[derive(Deserialize, Default)]
pub struct WireOffset {
    #[serde(default)]
    pub top: Option<f64>,
    #[serde(default)]
    pub left: Option<f64>,
}

#[derive(Deserialize)]
pub struct WireMeta {
    #[serde(default)]
    pub href: Option<String>,
    #[serde(default)]
    pub width: Option<f64>,
    #[serde(default)]
    pub height: Option<f64>,
}

#[derive(Deserialize)]
pub struct WireSource {
    pub source: i64,
}

#[derive(Deserialize)]
pub struct WireMutation {
    #[serde(default)]
    pub texts: Exact<WireText>,
    #[serde(default)]
    pub attributes: Exact<WireAttributeMutation>,
    #[serde(default)]
    pub removes: Exact<WireRemove>,
    #[serde(default)]
    pub adds: Exact<WireAdd>,
    #[serde(rename = "isAttachIframe", default)]
    pub is_attach_iframe: Option<bool>,
}

#[derive(Deserialize)]
pub struct WireText {
    pub id: Number,
    pub value: Option<String>,
}

#[derive(Deserialize)]
pub struct WireAttributeMutation {
    pub id: Number,
    pub attributes: Attributes,
}

#[derive(Deserialize)]
pub struct WireRemove {
    #[serde(rename = "parentId")]
    pub parent_id: Number,
    pub id: Number,
    #[serde(rename = "isShadow", default)]
    pub is_shadow: Option<bool>,
}

#[derive(Deserialize)]
pub struct WireAdd {
    #[serde(rename = "parentId")]
    pub parent_id: Number,
    #[serde(rename = "nextId", default)]
    pub next_id: Option<Number>,
    #[serde(rename = "previousId", default)]
    pub previous_id: Option<Number>,
    pub node: WireNode,
}

#[derive(Deserialize)]
pub struct WirePositions {
    #[serde(default)]
    pub positions: Vec<WirePosition>,
}

#[derive(Deserialize)]
pub struct WirePosition {
    #[serde(default)]
    pub x: f64,
    #[serde(default)]
    pub y: f64,
    #[serde(default)]
    pub id: Option<Number>,
    #[serde(rename = "timeOffset", default)]
    pub time_offset: f64,
}

#[derive(Deserialize)]
pub struct WireMouseInteraction {
    #[serde(rename = "type")]
    pub kind: i64,
    #[serde(default)]
    pub id: Option<Number>,
    #[serde(default)]
    pub x: Option<f64>,
    #[serde(default)]
    pub y: Option<f64>,
    #[serde(rename = "pointerType", default)]
    pub pointer_type: Option<i64>,
}

#[derive(Deserialize)]
pub struct WireScroll {
    pub id: Number,
    #[serde(default)]
    pub x: f64,
    #[serde(default)]
    pub y: f64,
}

#[derive(Deserialize)]
pub struct WireViewport {
    pub width: f64,
    pub height: f64,
}

#[derive(Deserialize)]
pub struct WireInput {
    pub id: Number,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(rename = "isChecked", default)]
    pub is_checked: Option<bool>,
    #[serde(rename = "userTriggered", default)]
    pub user_triggered: Option<bool>,
}

#[derive(Deserialize)]
pub struct WireMedia {
    #[serde(rename = "type")]
    pub kind: i64,
    pub id: Number,
    #[serde(rename = "currentTime", default)]
    pub current_time: Option<f64>,
    #[serde(default)]
    pub volume: Option<f64>,
    #[serde(default)]
    pub muted: Option<bool>,
    #[serde(rename = "playbackRate", default)]
    pub playback_rate: Option<f64>,
}

/// A rule index: a number, or a path of numbers into nested grouping rules.
pub struct WireIndex(pub Vec<u32>);

impl<'de> Deserialize<'de> for WireIndex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            One(u32),
            Path(Vec<u32>),
        }
        // Untagged is acceptable here: the shape is tiny and the error names the field.
        Ok(WireIndex(match Either::deserialize(d)? {
            Either::One(i) => vec![i],
            Either::Path(p) => p,
        }))
    }
}

#[derive(Deserialize)]
pub struct WireRuleAdd {
    pub rule: String,
    #[serde(default)]
    pub index: Option<WireIndex>,
}

#[derive(Deserialize)]
pub struct WireRuleRemove {
    pub index: WireIndex,
}

#[derive(Deserialize)]
pub struct WireStyleSheetRule {
    #[serde(default)]
    pub id: Option<Number>,
    #[serde(rename = "styleId", default)]
    pub style_id: Option<Number>,
    #[serde(default)]
    pub adds: Option<Vec<WireRuleAdd>>,
    #[serde(default)]
    pub removes: Option<Vec<WireRuleRemove>>,
    #[serde(default)]
    pub replace: Option<String>,
    #[serde(rename = "replaceSync", default)]
    pub replace_sync: Option<String>,
}

#[derive(Deserialize)]
pub struct WireDeclSet {
    pub property: String,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub priority: Option<String>,
}

#[derive(Deserialize)]
pub struct WireDeclRemove {
    pub property: String,
}

#[derive(Deserialize)]
pub struct WireStyleDeclaration {
    #[serde(default)]
    pub id: Option<Number>,
    #[serde(rename = "styleId", default)]
    pub style_id: Option<Number>,
    #[serde(default)]
    pub index: Vec<u32>,
    #[serde(default)]
    pub set: Option<WireDeclSet>,
    #[serde(default)]
    pub remove: Option<WireDeclRemove>,
}

#[derive(Deserialize)]
pub struct WireAdoptedRule {
    pub rule: String,
    #[serde(default)]
    pub index: Option<u32>,
}

#[derive(Deserialize)]
pub struct WireAdoptedStyle {
    #[serde(rename = "styleId")]
    pub style_id: Number,
    #[serde(default)]
    pub rules: Vec<WireAdoptedRule>,
}

#[derive(Deserialize)]
pub struct WireAdoptedStyleSheet {
    pub id: Number,
    #[serde(default)]
    pub styles: Option<Vec<WireAdoptedStyle>>,
    #[serde(rename = "styleIds", default)]
    pub style_ids: Vec<Number>,
}

#[derive(Deserialize)]
pub struct WireCustomElement {
    #[serde(default)]
    pub define: Option<WireDefine>,
}

#[derive(Deserialize)]
pub struct WireDefine {
    pub name: String,
}

#[derive(Deserialize)]
pub struct WireCustom<'a> {
    pub tag: String,
    #[serde(borrow, default)]
    pub payload: Option<&'a serde_json::value::RawValue>,
}

#[derive(Deserialize)]
pub struct WirePlugin {
    pub plugin: String,
    #[serde(default)]
    pub payload: serde_json::Value,
}
