//! Render mode: a DOM state as Chromium shows it. The DOM engine's sanitized HTML is served at the
//! recording's URL, in the recording's viewport, with the state HTML cannot carry (window and
//! element scrolls, typed values, checked boxes) applied by rrweb id; scripts never run and no
//! request leaves the page.

use crate::browser::{Browser, ElementRef, RenderOptions, Rendered, RequestPolicy, StateChange, Viewport};
use crate::dom::{html_document, state, Data, Dom};
use crate::error::{Error, Result};

/// The viewport used when the recording has no Meta or ViewportResize before the instant.
pub const DEFAULT_VIEWPORT: Viewport = Viewport { width: 1280, height: 800 };

/// The URL the document is served at when the recording has no Meta with a page URL.
pub const DEFAULT_URL: &str = "http://reprise.invalid/";

/// Everything Chromium needs to show one DOM state. Pure data, derived from the DOM alone.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderPlan {
    /// The sanitized static document (docs/dom.md).
    pub html: String,
    /// The page URL of the last Meta: relative URLs and the origin resolve against it.
    pub url: String,
    /// The viewport of the last Meta or ViewportResize, in CSS pixels.
    pub viewport: Viewport,
    /// Scrolls, values and checked states, by rrweb id (`data-reprise-id` in the HTML).
    pub state: Vec<StateChange>,
}

impl RenderPlan {
    /// The plan for `dom`, in the recording's own viewport (`DEFAULT_VIEWPORT` without one).
    pub fn of(dom: &Dom<'_>) -> RenderPlan {
        let viewport = dom.viewport.and_then(|(w, h)| Some(Viewport { width: pixels(w)?, height: pixels(h)? }));
        RenderPlan {
            html: html_document(dom),
            url: dom.href.clone().filter(|u| u.starts_with("http://") || u.starts_with("https://")).unwrap_or_else(|| DEFAULT_URL.into()),
            viewport: viewport.unwrap_or(DEFAULT_VIEWPORT),
            state: state_changes(dom),
        }
    }

    /// Renders the plan on `browser`, measuring the boxes of `measure` (mask selectors). Every
    /// request but the document is answered with a neutral stand-in; a request that reached the
    /// network stack without being answered locally is an error.
    pub fn render(&self, browser: &Browser, measure: &[String]) -> Result<Rendered> {
        let rendered = browser.render_html(&self.html, &self.url, self.viewport, &self.options(measure))?;
        if let Some(escaped) = rendered.escaped().next() {
            return Err(Error::Environment(format!(
                "a request left the page while rendering {}: {} {}",
                self.url, escaped.method, escaped.url
            )));
        }
        Ok(rendered)
    }

    /// The browser options of this plan (for rendering on a `Page` of one's own): its state, the
    /// neutral request policy and the boxes to measure.
    pub fn options(&self, measure: &[String]) -> RenderOptions {
        RenderOptions {
            state: self.state.clone(),
            policy: RequestPolicy::Neutral,
            measure: measure.to_vec(),
            ..RenderOptions::default()
        }
    }
}

/// A recorded size in CSS pixels as a whole viewport size, if it is a sensible one.
fn pixels(v: f64) -> Option<u32> {
    let v = v.round();
    (1.0..=16384.0).contains(&v).then_some(v as u32)
}

/// The state of the top document's elements that the static HTML does not show by itself:
/// scroll positions always, and values and checked states as properties (the HTML carries them as
/// attributes, which a page could override). Shadow trees and iframe documents are not reachable
/// by selector from the top document and are left as their HTML shows them.
fn state_changes(dom: &Dom<'_>) -> Vec<StateChange> {
    let mut changes = Vec::new();
    let top = dom.top();
    if dom.mirrored_id(top).is_none() {
        return changes;
    }
    if let Some((x, y)) = state(dom, top).scroll {
        changes.push(StateChange::WindowScroll { x, y });
    }
    dom.walk_light(top, |dom, n| {
        let (Some(id), Some(element)) = (dom.mirrored_id(n), dom.element(n)) else {
            return matches!(dom.node(n).data, Data::Document { .. });
        };
        let Ok(id) = u64::try_from(id) else { return true };
        let target = || ElementRef::RrId(id);
        let st = state(dom, n);
        let tag = dom.meta(n).and_then(|m| m.tag()).unwrap_or("");
        let file = tag == "input" && element.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("file"));
        if let Some(value) = st.value.filter(|_| !file) {
            changes.push(StateChange::Value { target: target(), value });
        }
        if st.checked {
            changes.push(StateChange::Checked { target: target(), checked: true });
        }
        if let Some((x, y)) = st.scroll {
            changes.push(StateChange::Scroll { target: target(), x, y });
        }
        // The HTML drops these elements with their content.
        !matches!(tag, "script" | "noscript" | "template" | "object" | "embed")
    });
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{load_bytes, LoadOptions};

    /// A page at 800x600 with a scrolled window, a scrolled box, a typed input and a checked box.
    const RECORDING: &str = r#"[
      {"type":4,"data":{"href":"http://shop.example/cart?x=1#top","width":800,"height":600},"timestamp":1000},
      {"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[
        {"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[
          {"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[
            {"type":2,"id":4,"tagName":"div","attributes":{"style":"height:50px;overflow:auto"},"childNodes":[]},
            {"type":2,"id":5,"tagName":"input","attributes":{"type":"text"},"childNodes":[]},
            {"type":2,"id":6,"tagName":"input","attributes":{"type":"checkbox"},"childNodes":[]}
          ]}]}]},"initialOffset":{"left":0,"top":120}},"timestamp":1001},
      {"type":3,"data":{"source":3,"id":4,"x":0,"y":30},"timestamp":1002},
      {"type":3,"data":{"source":5,"id":5,"text":"ada","isChecked":false},"timestamp":1003},
      {"type":3,"data":{"source":5,"id":6,"text":"on","isChecked":true},"timestamp":1004},
      {"type":3,"data":{"source":4,"width":1024,"height":700},"timestamp":1005}
    ]"#;

    #[test]
    fn the_plan_carries_url_viewport_and_state() {
        let rec = load_bytes(RECORDING.as_bytes().to_vec(), "plan.json", &LoadOptions::default()).unwrap();
        let early = RenderPlan::of(&crate::dom::state_at(&rec, 1004.5));
        assert_eq!(early.url, "http://shop.example/cart?x=1#top");
        assert_eq!(early.viewport, Viewport { width: 800, height: 600 });
        assert!(early.html.contains("data-reprise-id=\"5\""));
        assert_eq!(
            early.state,
            [
                StateChange::WindowScroll { x: 0.0, y: 120.0 },
                StateChange::Scroll { target: ElementRef::RrId(4), x: 0.0, y: 30.0 },
                StateChange::Value { target: ElementRef::RrId(5), value: "ada".into() },
                StateChange::Checked { target: ElementRef::RrId(6), checked: true },
            ]
        );
        let late = RenderPlan::of(&crate::dom::state_at(&rec, 2000.0));
        assert_eq!(late.viewport, Viewport { width: 1024, height: 700 });
        let empty = RenderPlan::of(&Dom::new());
        assert_eq!((empty.url.as_str(), empty.viewport, empty.state.len()), (DEFAULT_URL, DEFAULT_VIEWPORT, 0));
    }
}
