//! The typed heart of reprise: recordings, frames, serialized DOM nodes, normalized events and the
//! pointers and times that tie them back to the evidence. Pure data: no I/O, no wire formats.

mod event;
mod exchange;
mod frame;
mod node;
mod pointer;
mod recording;
mod str;
mod time;

pub use exchange::{path_and_query, Exchange};
pub use event::{Event, EventDetail, EventKind, RawJson};
pub use frame::{
    AdoptedStyleSheet, AttributeMutation, CustomFrame, Frame, FrameData, Incremental, InputData,
    MediaInteraction, MouseInteraction, MousePosition, Mutation, NodeAdd, NodeRemove, RuleIndex,
    ScrollData, StyleDeclaration, StyleSheetRule, TextMutation,
};
pub use node::{builds_plainly, DENSE_IDS, plain_attributes, rrweb_tag, valid_element_name, AttrValue, Doctype, Node, NodeKind, StyleValue};
pub use str::Str;
pub use pointer::Pointer;
pub use recording::{
    ErrorEvent, Recording, ReplayMeta, SegmentInfo, SourceFormat, Span, Video, Warning,
};
pub use time::{Offset, Timestamp};
