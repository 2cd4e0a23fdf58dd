//! Frames: rrweb events (and Sentry custom frames) in typed form, each with its evidence pointer.
//! Payloads the DOM engine needs are typed; the rest is kept as raw JSON values.

use super::{AttrValue, Node, Pointer, Span, Str, Timestamp};
use serde_json::Value;

/// One recorded event after ingest: time normalized to epoch ms, data typed.
#[derive(Debug, Clone)]
pub struct Frame {
    pub pointer: Pointer,
    pub timestamp: Timestamp,
    pub data: FrameData,
    /// Where the frame's original JSON text lives (see `Recording::raw`).
    pub raw: Span,
}

#[derive(Debug, Clone)]
pub enum FrameData {
    DomContentLoaded,
    Load,
    FullSnapshot { node: Node, initial_offset: (f64, f64) },
    Incremental(Incremental),
    Meta { href: String, width: f64, height: f64 },
    Custom(CustomFrame),
    Plugin { plugin: String, payload: Value },
    /// rrweb 2.1+ asset events (type 7): tolerated, not interpreted.
    Asset(Value),
    /// An event type reprise does not know; counted as a warning.
    Unknown { event_type: i64, data: Value },
}

impl FrameData {
    /// rrweb's numeric EventType of this frame.
    pub fn event_type(&self) -> i64 {
        match self {
            FrameData::DomContentLoaded => 0,
            FrameData::Load => 1,
            FrameData::FullSnapshot { .. } => 2,
            FrameData::Incremental(_) => 3,
            FrameData::Meta { .. } => 4,
            FrameData::Custom(_) => 5,
            FrameData::Plugin { .. } => 6,
            FrameData::Asset(_) => 7,
            FrameData::Unknown { event_type, .. } => *event_type,
        }
    }

    /// rrweb's numeric IncrementalSource, for incremental frames.
    pub fn source(&self) -> Option<i64> {
        match self {
            FrameData::Incremental(inc) => Some(inc.source()),
            _ => None,
        }
    }
}

/// The payload of an IncrementalSnapshot (type 3), by `source`.
#[derive(Debug, Clone)]
pub enum Incremental {
    Mutation(Mutation),
    MouseMove(Vec<MousePosition>),
    MouseInteraction(MouseInteraction),
    Scroll(ScrollData),
    ViewportResize { width: f64, height: f64 },
    Input(InputData),
    TouchMove(Vec<MousePosition>),
    MediaInteraction(MediaInteraction),
    StyleSheetRule(StyleSheetRule),
    CanvasMutation(Value),
    Font(Value),
    Log(Value),
    Drag(Vec<MousePosition>),
    StyleDeclaration(StyleDeclaration),
    Selection(Value),
    AdoptedStyleSheet(AdoptedStyleSheet),
    CustomElement { define: Option<String> },
    Unknown { source: i64, data: Value },
}

impl Incremental {
    pub fn source(&self) -> i64 {
        match self {
            Incremental::Mutation(_) => 0,
            Incremental::MouseMove(_) => 1,
            Incremental::MouseInteraction(_) => 2,
            Incremental::Scroll(_) => 3,
            Incremental::ViewportResize { .. } => 4,
            Incremental::Input(_) => 5,
            Incremental::TouchMove(_) => 6,
            Incremental::MediaInteraction(_) => 7,
            Incremental::StyleSheetRule(_) => 8,
            Incremental::CanvasMutation(_) => 9,
            Incremental::Font(_) => 10,
            Incremental::Log(_) => 11,
            Incremental::Drag(_) => 12,
            Incremental::StyleDeclaration(_) => 13,
            Incremental::Selection(_) => 14,
            Incremental::AdoptedStyleSheet(_) => 15,
            Incremental::CustomElement { .. } => 16,
            Incremental::Unknown { source, .. } => *source,
        }
    }

    pub fn source_name(&self) -> &'static str {
        match self.source() {
            0 => "Mutation",
            1 => "MouseMove",
            2 => "MouseInteraction",
            3 => "Scroll",
            4 => "ViewportResize",
            5 => "Input",
            6 => "TouchMove",
            7 => "MediaInteraction",
            8 => "StyleSheetRule",
            9 => "CanvasMutation",
            10 => "Font",
            11 => "Log",
            12 => "Drag",
            13 => "StyleDeclaration",
            14 => "Selection",
            15 => "AdoptedStyleSheet",
            16 => "CustomElement",
            _ => "Unknown",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Mutation {
    pub removes: Vec<NodeRemove>,
    pub adds: Vec<NodeAdd>,
    pub texts: Vec<TextMutation>,
    pub attributes: Vec<AttributeMutation>,
    pub is_attach_iframe: bool,
}

impl Mutation {
    /// Drops the spare capacity of every list: recordings hold hundreds of thousands of adds.
    pub fn compact(mut self) -> Mutation {
        self.removes.shrink_to_fit();
        self.adds.shrink_to_fit();
        self.texts.shrink_to_fit();
        self.attributes.shrink_to_fit();
        self
    }
}

#[derive(Debug, Clone)]
pub struct NodeRemove {
    pub parent_id: i64,
    pub id: i64,
    pub is_shadow: bool,
}

#[derive(Debug, Clone)]
pub struct NodeAdd {
    pub parent_id: i64,
    pub next_id: Option<i64>,
    /// Legacy recordings only.
    pub previous_id: Option<i64>,
    pub node: Node,
}

#[derive(Debug, Clone)]
pub struct TextMutation {
    pub id: i64,
    pub value: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AttributeMutation {
    pub id: i64,
    pub attributes: Vec<(Str, AttrValue)>,
}

#[derive(Debug, Clone, Copy)]
pub struct MousePosition {
    pub x: f64,
    pub y: f64,
    pub id: i64,
    pub time_offset: f64,
}

/// `MouseInteractions`: 0 MouseUp, 1 MouseDown, 2 Click, 3 ContextMenu, 4 DblClick, 5 Focus,
/// 6 Blur, 7 TouchStart, 8 TouchMove_Departed, 9 TouchEnd, 10 TouchCancel.
#[derive(Debug, Clone, Copy)]
pub struct MouseInteraction {
    pub kind: i64,
    pub id: i64,
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub pointer_type: Option<i64>,
}

impl MouseInteraction {
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            0 => "MouseUp",
            1 => "MouseDown",
            2 => "Click",
            3 => "ContextMenu",
            4 => "DblClick",
            5 => "Focus",
            6 => "Blur",
            7 => "TouchStart",
            8 => "TouchMove_Departed",
            9 => "TouchEnd",
            10 => "TouchCancel",
            _ => "Unknown",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct ScrollData {
    pub id: i64,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone)]
pub struct InputData {
    pub id: i64,
    pub text: String,
    pub is_checked: bool,
    pub user_triggered: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct MediaInteraction {
    pub kind: i64,
    pub id: i64,
    pub current_time: Option<f64>,
    pub volume: Option<f64>,
    pub muted: Option<bool>,
    pub playback_rate: Option<f64>,
}

/// A CSSOM rule index: a plain index, or a path into nested grouping rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleIndex(pub Vec<u32>);

#[derive(Debug, Clone, Default)]
pub struct StyleSheetRule {
    pub id: Option<i64>,
    pub style_id: Option<i64>,
    pub adds: Vec<(String, Option<RuleIndex>)>,
    pub removes: Vec<RuleIndex>,
    pub replace: Option<String>,
    pub replace_sync: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct StyleDeclaration {
    pub id: Option<i64>,
    pub style_id: Option<i64>,
    pub index: Vec<u32>,
    /// (property, value (None = remove via null), priority)
    pub set: Option<(String, Option<String>, Option<String>)>,
    pub remove: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AdoptedStyleSheet {
    pub id: i64,
    /// (styleId, rules with optional index)
    pub styles: Vec<(i64, Vec<(String, Option<u32>)>)>,
    pub style_ids: Vec<i64>,
}

/// Custom events (type 5). Sentry's tags are typed; anything else keeps its payload.
#[derive(Debug, Clone)]
pub enum CustomFrame {
    Breadcrumb {
        category: String,
        message: Option<String>,
        level: Option<String>,
        data: Value,
    },
    PerformanceSpan {
        op: String,
        description: String,
        /// Epoch ms, normalized.
        start: Timestamp,
        end: Timestamp,
        data: Value,
    },
    Options(Value),
    Video(Value),
    Other { tag: String, payload: Value },
}
