//! rrweb wire shapes, deserialized straight into model types. Nothing outside `ingest` sees them.
//! Nodes and attributes have hand-written visitors: attribute order must survive, value types
//! vary (string, number, boolean, null, style object), and fields come in any order.

use crate::model::{AttrValue, Node, NodeKind, StyleValue};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

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
                let mut children: Vec<Node> = Vec::new();
                let mut tag_name: Option<String> = None;
                let mut attributes: Vec<(String, AttrValue)> = Vec::new();
                let mut text: Option<String> = None;
                let (mut name, mut public_id, mut system_id) = (None, None, None);
                let mut compat_mode: Option<String> = None;
                let mut root_id: Option<i64> = None;
                let (mut shadow_host, mut shadow, mut svg, mut style, mut block, mut custom) =
                    (false, false, false, false, false, false);
                while let Some(key) = map.next_key::<NodeField>()? {
                    match key {
                        NodeField::Type => ty = Some(map.next_value()?),
                        NodeField::Id => id = Some(map.next_value::<Number>()?.0),
                        NodeField::ChildNodes => {
                            let list: Option<Vec<WireNode>> = map.next_value()?;
                            children = list.unwrap_or_default().into_iter().map(|w| w.0).collect();
                            children.shrink_to_fit();
                        }
                        NodeField::TagName => tag_name = map.next_value()?,
                        NodeField::Attributes => {
                            attributes = map.next_value::<Option<Attributes>>()?.map(|a| a.0).unwrap_or_default()
                        }
                        NodeField::TextContent => text = map.next_value()?,
                        NodeField::Name => name = map.next_value()?,
                        NodeField::PublicId => public_id = map.next_value()?,
                        NodeField::SystemId => system_id = map.next_value()?,
                        NodeField::CompatMode => compat_mode = map.next_value()?,
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
                    1 => NodeKind::DocumentType {
                        name: name.unwrap_or_default(),
                        public_id: public_id.unwrap_or_default(),
                        system_id: system_id.unwrap_or_default(),
                    },
                    2 => NodeKind::Element {
                        tag_name: tag_name.ok_or_else(|| de::Error::missing_field("tagName"))?,
                        attributes,
                        is_svg: svg,
                        need_block: block,
                        is_custom: custom,
                    },
                    3 => NodeKind::Text { text: text.unwrap_or_default(), is_style: style },
                    4 => NodeKind::CData { text: text.unwrap_or_default() },
                    5 => NodeKind::Comment { text: text.unwrap_or_default() },
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

/// An attribute map in recorded order.
pub struct Attributes(pub Vec<(String, AttrValue)>);

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Attributes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an attribute object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Attributes, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, WireAttrValue>()? {
                    out.push((k, v.0));
                }
                // Recordings hold hundreds of thousands of attribute lists: no slack.
                out.shrink_to_fit();
                Ok(Attributes(out))
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
                Ok(WireAttrValue(AttrValue::Str(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(WireAttrValue(AttrValue::Str(v)))
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
                while let Some((k, v)) = map.next_entry::<String, WireStyleValue>()? {
                    out.push((k, v.0));
                }
                Ok(WireAttrValue(AttrValue::Style(out)))
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
    pub texts: Vec<WireText>,
    #[serde(default)]
    pub attributes: Vec<WireAttributeMutation>,
    #[serde(default)]
    pub removes: Vec<WireRemove>,
    #[serde(default)]
    pub adds: Vec<WireAdd>,
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
