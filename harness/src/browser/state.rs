//! State that HTML cannot carry (scroll positions, typed values, checked boxes), applied to the
//! loaded page before capture. Page scripts are disabled, but DevTools evaluation still runs: the
//! changes are applied by a function evaluated in an isolated world, which shares the DOM with the
//! page but none of its JavaScript globals.

use serde_json::{json, Value};

use super::render::ElementBox;

/// An element of the rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElementRef {
    /// The element with `data-reprise-id="<id>"`: the DOM engine's sanitized HTML marks every
    /// element with the rrweb node id it came from.
    RrId(u64),
    /// Any CSS selector; the first match is used.
    Selector(String),
}

impl ElementRef {
    fn selector(&self) -> String {
        match self {
            ElementRef::RrId(id) => format!("[data-reprise-id=\"{id}\"]"),
            ElementRef::Selector(s) => s.clone(),
        }
    }
}

/// One change to apply after load, before capture.
#[derive(Debug, Clone, PartialEq)]
pub enum StateChange {
    /// Scroll the window to (x, y) CSS pixels.
    WindowScroll { x: f64, y: f64 },
    /// Scroll an element's own scroll box to (left, top).
    Scroll { target: ElementRef, x: f64, y: f64 },
    /// Set the value of an input, textarea or select (the property, as typing would).
    Value { target: ElementRef, value: String },
    /// Check or uncheck a checkbox or radio button.
    Checked { target: ElementRef, checked: bool },
}

impl StateChange {
    /// Values first (they can change layout), then element scrolls, then the window.
    fn rank(&self) -> u8 {
        match self {
            StateChange::Value { .. } | StateChange::Checked { .. } => 0,
            StateChange::Scroll { .. } => 1,
            StateChange::WindowScroll { .. } => 2,
        }
    }

    fn to_json(&self) -> Value {
        match self {
            StateChange::WindowScroll { x, y } => json!({"kind": "windowScroll", "x": x, "y": y}),
            StateChange::Scroll { target, x, y } => {
                json!({"kind": "scroll", "selector": target.selector(), "x": x, "y": y})
            }
            StateChange::Value { target, value } => {
                json!({"kind": "value", "selector": target.selector(), "value": value})
            }
            StateChange::Checked { target, checked } => {
                json!({"kind": "checked", "selector": target.selector(), "checked": checked})
            }
        }
    }
}

/// Waits for fonts, applies the changes in a stable order, then makes the frame still: every
/// animation and transition is finished (or cancelled when it never ends) and the text caret is
/// transparent; last, measures the boxes of the `measure` selectors. Resolves to `{warnings,
/// boxes}` (warnings: missing elements, clamped scrolls, selectors that match nothing).
const PREPARE: &str = r#"async (changes, measure) => {
  const warnings = [];
  try { await document.fonts.ready; } catch (e) { warnings.push('fonts: ' + e); }
  for (const c of changes) {
    if (c.kind === 'windowScroll') {
      window.scrollTo(c.x, c.y);
      if (Math.abs(window.scrollX - c.x) >= 1 || Math.abs(window.scrollY - c.y) >= 1)
        warnings.push(`window scroll (${c.x}, ${c.y}) ended at (${window.scrollX}, ${window.scrollY})`);
      continue;
    }
    let el = null;
    try { el = document.querySelector(c.selector); } catch (e) { warnings.push(`bad selector ${c.selector}: ${e.message}`); continue; }
    if (!el) { warnings.push(`no element matches ${c.selector}`); continue; }
    if (c.kind === 'scroll') {
      el.scrollLeft = c.x; el.scrollTop = c.y;
      if (Math.abs(el.scrollLeft - c.x) >= 1 || Math.abs(el.scrollTop - c.y) >= 1)
        warnings.push(`${c.selector} scroll (${c.x}, ${c.y}) ended at (${el.scrollLeft}, ${el.scrollTop})`);
    } else if (c.kind === 'value') {
      if (!('value' in el)) { warnings.push(`${c.selector} has no value`); continue; }
      el.value = c.value;
    } else if (c.kind === 'checked') {
      if (!('checked' in el)) { warnings.push(`${c.selector} cannot be checked`); continue; }
      el.checked = c.checked;
    }
  }
  const still = new CSSStyleSheet();
  still.replaceSync('*, *::before, *::after { caret-color: transparent !important; }');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, still];
  for (const a of document.getAnimations()) {
    try { a.finish(); } catch (e) { a.cancel(); }
  }
  const boxes = [];
  for (const selector of measure) {
    let found = [];
    try { found = document.querySelectorAll(selector); } catch (e) { warnings.push(`bad selector ${selector}: ${e.message}`); continue; }
    if (found.length === 0) { warnings.push(`no element matches ${selector}`); continue; }
    for (const el of found) {
      const r = el.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0) continue;
      const x = Math.floor(r.left), y = Math.floor(r.top);
      boxes.push({ selector, x, y, width: Math.ceil(r.right) - x, height: Math.ceil(r.bottom) - y });
    }
  }
  return { warnings, boxes };
}"#;

/// The expression that prepares the page with `changes` and measures `measure`, for
/// `Runtime.evaluate`.
pub(crate) fn prepare_expression(changes: &[StateChange], measure: &[String]) -> String {
    let mut ordered: Vec<&StateChange> = changes.iter().collect();
    ordered.sort_by_key(|c| c.rank());
    let json = Value::Array(ordered.iter().map(|c| c.to_json()).collect());
    let measure = Value::from(measure.to_vec());
    format!("({PREPARE})({json}, {measure})")
}

/// Reads what the prepare function resolved to: warnings, then boxes.
pub(crate) fn prepared(value: &Value) -> (Vec<String>, Vec<ElementBox>) {
    let warnings = value["warnings"]
        .as_array()
        .map(|a| a.iter().filter_map(|w| w.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let boxes = value["boxes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|b| {
                    Some(ElementBox {
                        selector: b["selector"].as_str()?.to_string(),
                        x: b["x"].as_f64()? as i64,
                        y: b["y"].as_f64()? as i64,
                        width: b["width"].as_f64()?.max(0.0) as u32,
                        height: b["height"].as_f64()?.max(0.0) as u32,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    (warnings, boxes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rr_ids_become_attribute_selectors_and_order_is_stable() {
        let expr = prepare_expression(&[
            StateChange::WindowScroll { x: 0.0, y: 40.0 },
            StateChange::Scroll { target: ElementRef::RrId(12), x: 0.0, y: 5.0 },
            StateChange::Value { target: ElementRef::Selector("#q".into()), value: "a\"b".into() },
            StateChange::Checked { target: ElementRef::RrId(3), checked: true },
        ], &[]);
        let args = expr.rsplit_once(")(").unwrap().1.trim_end_matches(", [])");
        let parsed: Value = serde_json::from_str(args).unwrap();
        let kinds: Vec<&str> =
            parsed.as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["value", "checked", "scroll", "windowScroll"]);
        assert_eq!(parsed[0]["value"], "a\"b");
        assert_eq!(parsed[1]["selector"], "[data-reprise-id=\"3\"]");
    }

    #[test]
    fn prepared_values_are_read_leniently() {
        let value = json!({"warnings": ["no element matches .x"], "boxes": [
            {"selector": ".clock", "x": -3, "y": 10, "width": 40, "height": 12},
            {"selector": ".bad", "x": 0}
        ]});
        let (warnings, boxes) = prepared(&value);
        assert_eq!(warnings, ["no element matches .x"]);
        assert_eq!(boxes, [ElementBox { selector: ".clock".into(), x: -3, y: 10, width: 40, height: 12 }]);
        assert_eq!(prepared(&Value::Null), (vec![], vec![]));
    }
}
