//! The replay plan of live mode: the recording's interactions as steps, each with its offset, its
//! kind and value, and its target (an rrweb node id with candidate locators, named from the DOM
//! at that instant). Pure: the browser module dispatches the steps.

use crate::model::{Event, EventKind, FrameData, Pointer, Recording, Timestamp};
use std::collections::{BTreeMap, BTreeSet};

/// How far apart a click and the `dblclick` that follows it may be: the browser fires `click`,
/// `click`, `dblclick` for one double click, so the second click is replayed as a press with
/// `clickCount` 2 (which makes the browser fire the `dblclick` itself).
const DOUBLE_CLICK_MS: f64 = 500.0;

/// Everything live mode needs from a recording, before any browser exists.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayPlan {
    /// The first page (the first Meta frame's URL).
    pub url: String,
    /// The first viewport, in CSS pixels.
    pub viewport: (u32, u32),
    /// The recording's start, which becomes the page's clock (`Date.now()`) at offset 0.
    pub start: Timestamp,
    pub steps: Vec<Step>,
    /// What could not be planned, or will be replayed approximately.
    pub warnings: Vec<String>,
}

/// One interaction, replayed at `offset_ms` of virtual time.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub offset_ms: f64,
    /// The frame it came from.
    pub pointer: Pointer,
    pub action: Action,
    /// The element acted on; `None` for the window (scrolls), the viewport and navigations.
    pub target: Option<Target>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A press and release at the element's centre. `click_count` 2 is the second press of a
    /// double click.
    Click { button: Button, click_count: u32 },
    /// Focus moved to the element (by Tab, or by a press that the next click completes).
    Focus,
    /// The element's value after a keystroke (typed as the difference from the live value), or
    /// its checked state for checkboxes and radio buttons (changed by a click).
    Input { text: String, checked: bool, masked: bool },
    /// A key press (`Enter`, `Tab`, `Control+k`), from Sentry's keyboard breadcrumbs.
    Key { key: String },
    /// Scroll of the element, or of the window when the step has no target.
    Scroll { x: f64, y: f64 },
    Viewport { width: u32, height: u32 },
    /// A full page load to another URL.
    Navigate { url: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    Left,
    Right,
}

/// The element a step acts on, as the recording knew it.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub node_id: i64,
    /// Ways to find it in the live page, best first.
    pub locators: Vec<Locator>,
    /// Its visible text or accessible name at that moment.
    pub label: Option<String>,
}

/// One way to find an element in the live page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Locator {
    /// A CSS selector.
    Css(String),
    /// The first element with this tag whose text (whitespace collapsed) equals `text`.
    Text { tag: String, text: String },
}

impl std::fmt::Display for Locator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Locator::Css(s) => f.write_str(s),
            Locator::Text { tag, text } => write!(f, "{tag} with text {text:?}"),
        }
    }
}

/// Names a node of the recording at an instant. The DOM engine implements it; live mode does
/// not care how. Calls come in time order.
pub trait TargetResolver {
    fn target(&mut self, node_id: i64, at: Timestamp) -> Option<Target>;
}

impl Step {
    /// `click on #q`, `input "fern" into #q`, `scroll window to (0, 400)`: for logs and errors.
    pub fn describe(&self) -> String {
        let on = || match &self.target {
            Some(t) => match (t.locators.first(), &t.label) {
                (Some(l), _) => l.to_string(),
                (None, Some(label)) => format!("{label:?} (node #{})", t.node_id),
                (None, None) => format!("node #{}", t.node_id),
            },
            None => "the window".to_string(),
        };
        match &self.action {
            Action::Click { button: Button::Right, .. } => format!("right click on {}", on()),
            Action::Click { click_count: 2, .. } => format!("second click of a double click on {}", on()),
            Action::Click { .. } => format!("click on {}", on()),
            Action::Focus => format!("focus {}", on()),
            Action::Input { text, masked: true, .. } => format!("input of masked text ({} chars) into {}", text.chars().count(), on()),
            Action::Input { text, checked, .. } => format!("input {text:?} (checked {checked}) into {}", on()),
            Action::Key { key } => format!("key {key} on {}", on()),
            Action::Scroll { x, y } => format!("scroll {} to ({x}, {y})", on()),
            Action::Viewport { width, height } => format!("viewport {width}x{height}"),
            Action::Navigate { url } => format!("navigate to {url}"),
        }
    }
}

/// Plans the interactions of `events` (normalized from `rec`) up to `until_ms`, naming targets
/// with `resolver`.
pub fn plan(rec: &Recording, events: &[Event], until_ms: f64, resolver: &mut dyn TargetResolver) -> ReplayPlan {
    let metas: Vec<(&str, f64, f64)> = rec
        .frames
        .iter()
        .filter_map(|f| match &f.data {
            FrameData::Meta { href, width, height } if !href.is_empty() => Some((href.as_str(), *width, *height)),
            _ => None,
        })
        .collect();
    let (url, w, h) = metas.first().copied().unwrap_or(("", 1280.0, 800.0));
    let documents: BTreeSet<i64> = rec
        .frames
        .iter()
        .filter_map(|f| match &f.data {
            FrameData::FullSnapshot { node, .. } => Some(node.id),
            _ => None,
        })
        .collect();
    let mut out = ReplayPlan {
        url: url.to_string(),
        viewport: (pixels(w), pixels(h)),
        start: rec.start(),
        steps: Vec::new(),
        warnings: Vec::new(),
    };
    let mut page = url.to_string();
    for e in events.iter().filter(|e| e.offset_ms <= until_ms) {
        let at = Timestamp(rec.start().0 + e.offset_ms);
        let pointer = Pointer::new(e.segment_id, e.frame_index);
        let action = match (e.kind, e.category.as_str()) {
            (EventKind::Click, "rrweb.dblclick") => {
                if fold_double_click(&mut out.steps, e) {
                    continue;
                }
                Action::Click { button: Button::Left, click_count: 2 }
            }
            (EventKind::Click, "rrweb.contextmenu") => Action::Click { button: Button::Right, click_count: 1 },
            (EventKind::Click | EventKind::Tap, c) if c.starts_with("rrweb.") => Action::Click { button: Button::Left, click_count: 1 },
            (EventKind::Focus, "rrweb.focus") => Action::Focus,
            (EventKind::Input, _) => Action::Input {
                text: e.detail.text.clone().unwrap_or_default(),
                checked: e.detail.checked.unwrap_or(false),
                masked: e.masked,
            },
            (EventKind::Breadcrumb, "ui.keyDown") => match &e.detail.key {
                Some(key) => Action::Key { key: key.clone() },
                None => continue,
            },
            (EventKind::Scroll, _) => Action::Scroll { x: e.detail.x.unwrap_or(0.0), y: e.detail.y.unwrap_or(0.0) },
            (EventKind::Viewport, _) => Action::Viewport {
                width: pixels(e.detail.width.unwrap_or(w)),
                height: pixels(e.detail.height.unwrap_or(h)),
            },
            (EventKind::Navigation, "rrweb.meta") => {
                // Sentry takes a new snapshot (with a Meta frame) every few minutes on the same
                // page: only a new URL is a navigation.
                let Some(to) = e.url.clone() else { continue };
                if same_page(&to, &page) {
                    continue;
                }
                page = to.clone();
                if out.steps.is_empty() && out.url.is_empty() {
                    out.url = to;
                    continue;
                }
                Action::Navigate { url: to }
            }
            _ => continue,
        };
        let window_scroll = matches!(action, Action::Scroll { .. }) && e.node_id.is_none_or(|id| documents.contains(&id));
        let target = match &action {
            Action::Viewport { .. } | Action::Navigate { .. } => None,
            _ if window_scroll => None,
            _ => {
                let Some(id) = e.node_id else {
                    out.warnings.push(format!("{} at {:.0} ms (segment {}, frame {}): no target node; skipped", e.category, e.offset_ms, e.segment_id, e.frame_index));
                    continue;
                };
                Some(resolver.target(id, at).unwrap_or(Target { node_id: id, locators: Vec::new(), label: None }))
            }
        };
        if let Action::Input { masked: true, .. } = action {
            out.warnings.push(format!(
                "input at {:.0} ms (segment {}, frame {}) was masked by the recorder: the asterisks are typed as recorded",
                e.offset_ms, e.segment_id, e.frame_index
            ));
        }
        out.steps.push(Step { offset_ms: e.offset_ms, pointer, action, target });
    }
    out
}

/// Turns the click just before a `dblclick` on the same node into the second press of a double
/// click. False when there is no such click (the dblclick is then replayed on its own).
fn fold_double_click(steps: &mut [Step], dbl: &Event) -> bool {
    let Some(last) = steps.iter_mut().rev().find(|s| matches!(s.action, Action::Click { .. })) else { return false };
    let same_node = last.target.as_ref().map(|t| t.node_id) == dbl.node_id;
    let close = dbl.offset_ms - last.offset_ms <= DOUBLE_CLICK_MS;
    match &mut last.action {
        Action::Click { button: Button::Left, click_count } if same_node && close && *click_count == 1 => {
            *click_count = 2;
            true
        }
        _ => false,
    }
}

fn pixels(v: f64) -> u32 {
    if v.is_finite() && v >= 1.0 {
        v.round().min(16_384.0) as u32
    } else {
        1
    }
}

fn same_page(a: &str, b: &str) -> bool {
    let strip = |u: &str| u.split('#').next().unwrap_or(u).trim_end_matches('/').to_string();
    strip(a) == strip(b)
}

/// Names targets from what Sentry's breadcrumbs said about each node (their CSS path and text):
/// enough for Sentry recordings when no DOM is at hand, and a fallback after the DOM's own names.
#[derive(Debug, Clone, Default)]
pub struct BreadcrumbTargets {
    seen: BTreeMap<i64, (Vec<String>, Option<String>)>,
}

impl BreadcrumbTargets {
    pub fn new(events: &[Event]) -> BreadcrumbTargets {
        let mut seen: BTreeMap<i64, (Vec<String>, Option<String>)> = BTreeMap::new();
        for e in events {
            let (Some(id), Some(sel)) = (e.node_id, e.selector.as_ref()) else { continue };
            let entry = seen.entry(id).or_default();
            if !entry.0.contains(sel) {
                entry.0.push(sel.clone());
            }
            if entry.1.is_none() && !e.masked {
                entry.1 = e.label.clone().filter(|l| l != sel);
            }
        }
        BreadcrumbTargets { seen }
    }

    /// The locators a breadcrumb path implies: the id of its last part, its test id, name or
    /// aria-label, its text, then the whole path.
    pub fn locators(&self, node_id: i64) -> Vec<Locator> {
        let Some((paths, label)) = self.seen.get(&node_id) else { return Vec::new() };
        let mut out = Vec::new();
        for path in paths {
            let last = path.rsplit(['>', ' ']).find(|p| !p.is_empty()).unwrap_or(path);
            let tag: String = last.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            if let Some(id) = id_of(last) {
                out.push(Locator::Css(format!("#{id}")));
            }
            for (name, value) in attributes_of(last) {
                if matches!(name.as_str(), "data-testid" | "data-test-id" | "data-cy" | "aria-label" | "name") {
                    let t = if name == "name" || name == "aria-label" { tag.as_str() } else { "" };
                    out.push(Locator::Css(format!("{t}[{name}=\"{value}\"]")));
                }
            }
            if let (Some(label), false) = (label, tag.is_empty()) {
                out.push(Locator::Text { tag: tag.clone(), text: label.clone() });
            }
            out.push(Locator::Css(path.clone()));
        }
        dedup(out)
    }
}

impl TargetResolver for BreadcrumbTargets {
    fn target(&mut self, node_id: i64, _at: Timestamp) -> Option<Target> {
        let locators = self.locators(node_id);
        if locators.is_empty() {
            return None;
        }
        Some(Target { node_id, locators, label: self.seen.get(&node_id).and_then(|s| s.1.clone()) })
    }
}

/// Keeps the first of each locator, in order.
pub fn dedup(locators: Vec<Locator>) -> Vec<Locator> {
    let mut seen = BTreeSet::new();
    locators.into_iter().filter(|l| seen.insert(l.clone())).collect()
}

/// `q` in `input#q[type="search"]`.
fn id_of(compound: &str) -> Option<&str> {
    let start = compound.find('#')? + 1;
    let rest = &compound[start..];
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
    let id = &rest[..end];
    (!id.is_empty() && !id.starts_with(|c: char| c.is_ascii_digit())).then_some(id)
}

/// `[name="value"]` pairs of a compound selector.
fn attributes_of(compound: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = compound;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else { break };
        let inner = &rest[open + 1..open + close];
        if let Some((name, value)) = inner.split_once('=') {
            let value = value.trim_matches('"');
            if !value.contains('"') {
                out.push((name.to_string(), value.to_string()));
            }
        }
        rest = &rest[open + close + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EventDetail;

    fn ev(offset: f64, kind: EventKind, category: &str, node: Option<i64>) -> Event {
        Event {
            replay_id: None,
            segment_id: 0,
            frame_index: offset as u32,
            offset_ms: offset,
            timestamp: String::new(),
            kind,
            category: category.into(),
            label: None,
            url: None,
            node_id: node,
            selector: None,
            raw_type: 3,
            raw_source: None,
            masked: false,
            detail: EventDetail::default(),
            raw: None,
        }
    }

    fn recording() -> Recording {
        let text = r#"[{"type":4,"data":{"href":"http://127.0.0.1:9202/","width":1280,"height":800},"timestamp":1000},
            {"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[]},"initialOffset":{"top":0,"left":0}},"timestamp":1001}]"#;
        crate::ingest::load_bytes(text.as_bytes().to_vec(), "t.json", &crate::ingest::LoadOptions::default()).unwrap()
    }

    struct Named;
    impl TargetResolver for Named {
        fn target(&mut self, node_id: i64, _at: Timestamp) -> Option<Target> {
            Some(Target { node_id, locators: vec![Locator::Css(format!("#n{node_id}"))], label: None })
        }
    }

    #[test]
    fn click_click_dblclick_is_one_click_and_one_double_press() {
        let rec = recording();
        let mut input = ev(40.0, EventKind::Input, "rrweb.input", Some(7));
        input.detail.text = Some("fe".into());
        let mut scroll = ev(50.0, EventKind::Scroll, "rrweb.scroll", Some(1));
        scroll.detail.y = Some(300.0);
        let events = vec![
            ev(10.0, EventKind::Focus, "rrweb.focus", Some(9)),
            ev(11.0, EventKind::Focus, "ui.focus", Some(9)),
            ev(20.0, EventKind::Click, "rrweb.click", Some(9)),
            ev(30.0, EventKind::Click, "rrweb.click", Some(9)),
            ev(32.0, EventKind::Click, "rrweb.dblclick", Some(9)),
            input,
            scroll,
            ev(60.0, EventKind::Blur, "rrweb.blur", Some(9)),
            ev(9000.0, EventKind::Click, "rrweb.click", Some(9)),
        ];
        let p = plan(&rec, &events, 1000.0, &mut Named);
        assert_eq!((p.url.as_str(), p.viewport, p.start.0), ("http://127.0.0.1:9202/", (1280, 800), 1000.0));
        let got: Vec<String> = p.steps.iter().map(|s| format!("{} {}", s.offset_ms, s.describe())).collect();
        assert_eq!(
            got,
            [
                "10 focus #n9",
                "20 click on #n9",
                "30 second click of a double click on #n9",
                "40 input \"fe\" (checked false) into #n7",
                "50 scroll the window to (0, 300)",
            ]
        );
    }

    #[test]
    fn breadcrumb_paths_give_ids_test_ids_names_and_text() {
        let mut crumb = ev(1.0, EventKind::Breadcrumb, "ui.click", Some(92));
        crumb.selector = Some("body > main.card > form#address-step > button#place-order[type=\"submit\"]".into());
        crumb.label = Some("Place order".into());
        let mut input = ev(2.0, EventKind::Breadcrumb, "ui.input", Some(61));
        input.selector = Some("main.card > form > input[name=\"name\"][data-testid=\"name\"]".into());
        let t = BreadcrumbTargets::new(&[crumb, input]);
        let show = |id| t.locators(id).iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(
            show(92),
            ["#place-order", "button with text \"Place order\"", "body > main.card > form#address-step > button#place-order[type=\"submit\"]"]
        );
        assert_eq!(show(61), ["input[name=\"name\"]", "[data-testid=\"name\"]", "main.card > form > input[name=\"name\"][data-testid=\"name\"]"]);
        assert!(show(5).is_empty());
    }
}
