//! Naming a step's target from the DOM engine's state at that instant: its stable selector, then
//! its id, test ids, aria-label and name, then its text, then what Sentry's breadcrumbs said.

use super::steps::{dedup, BreadcrumbTargets, Locator, Target, TargetResolver};
use crate::dom::{css_ident, css_string, describe, Dom, Resolver};
use crate::model::{Event, Recording, Timestamp};

pub struct DomTargets<'r> {
    resolver: Resolver<'r>,
    breadcrumbs: BreadcrumbTargets,
}

impl<'r> DomTargets<'r> {
    pub fn new(rec: &'r Recording, events: &[Event]) -> DomTargets<'r> {
        DomTargets { resolver: Resolver::new(rec), breadcrumbs: BreadcrumbTargets::new(events) }
    }
}

impl TargetResolver for DomTargets<'_> {
    fn target(&mut self, node_id: i64, at: Timestamp) -> Option<Target> {
        let dom = self.resolver.dom_at(at);
        let (mut locators, label) = match dom.get(node_id) {
            Some(_) => from_dom(dom, node_id),
            // Created in the same millisecond as the event: the resolver applies that instant.
            None => match self.resolver.describe(node_id, at) {
                Some(d) => (vec![Locator::Css(d.selector)], d.label.filter(|_| !d.masked)),
                None => (Vec::new(), None),
            },
        };
        locators.extend(self.breadcrumbs.locators(node_id));
        let locators = dedup(locators);
        if locators.is_empty() {
            return None;
        }
        Some(Target { node_id, locators, label })
    }
}

fn from_dom(dom: &Dom<'_>, node_id: i64) -> (Vec<Locator>, Option<String>) {
    let Some(d) = describe(dom, node_id) else { return (Vec::new(), None) };
    let mut out = vec![Locator::Css(d.selector.clone())];
    let idx = dom.get(node_id);
    // A text node stands for its parent element.
    let el = idx.and_then(|i| if dom.element(i).is_some() { Some(i) } else { dom.parent(i) });
    if let Some((el, e)) = el.and_then(|i| dom.element(i).map(|e| (i, e))) {
        let tag = d.tag.to_ascii_lowercase();
        let attr = |name: &str| e.attr(name).filter(|v| !v.is_empty());
        if let Some(id) = attr("id") {
            out.push(Locator::Css(format!("#{}", css_ident(id))));
        }
        for name in ["data-testid", "data-test-id", "data-cy"] {
            if let Some(v) = attr(name) {
                out.push(Locator::Css(format!("[{name}={}]", css_string(v))));
            }
        }
        for name in ["aria-label", "name"] {
            if let Some(v) = attr(name) {
                out.push(Locator::Css(format!("{}[{name}={}]", css_ident(&tag), css_string(v))));
            }
        }
        let text = dom.text_content(el);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !d.masked && !text.is_empty() && text.chars().count() <= 80 && !tag.is_empty() {
            out.push(Locator::Text { tag, text });
        }
    }
    let label = d.label.filter(|_| !d.masked);
    (out, label)
}
