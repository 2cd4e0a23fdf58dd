//! Evidence at a checkpoint: the live page's canonical DOM text (js/tools.js serializes it in an
//! isolated world, numbering nodes in document order), the answers to the expectations' selector
//! queries, and a screenshot of the frame at that instant.

use serde_json::{json, Value};

use super::result::{LiveCheckpoint, QueryResult};
use super::session::Session;
use super::spec::CheckpointSpec;
use crate::scenario::DomCapture;
use crate::{Error, Result};

/// Hides the text caret, whose blink would otherwise decide pixels.
const STILL_CARET: &str = "(() => { if (!globalThis.__repriseCaret) { const s = new CSSStyleSheet(); \
    s.replaceSync('*, *::before, *::after { caret-color: transparent !important; }'); \
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, s]; globalThis.__repriseCaret = true; } })()";

impl Session {
    pub(crate) async fn capture(&mut self, cp: &CheckpointSpec) -> Result<LiveCheckpoint> {
        let (dom, selectors) = match &cp.dom {
            DomCapture::All(true) => (true, Value::Null),
            DomCapture::All(false) => (false, Value::Null),
            DomCapture::Selectors { selectors } => (true, json!(selectors)),
        };
        let measure = if cp.screenshot { cp.masks.clone() } else { Vec::new() };
        let options = json!({ "dom": dom, "selectors": selectors, "ignore": cp.ignore, "queries": cp.queries, "measure": measure });
        let got = self.tools(&format!("__reprise.capture({options})")).await?;
        if let Some(e) = got["error"].as_str() {
            return Err(Error::Usage(format!("checkpoint `{}`: {e}", cp.name)));
        }
        let queries = cp
            .queries
            .iter()
            .map(|s| {
                let q = &got["queries"][s];
                let result = QueryResult {
                    count: q["count"].as_u64().unwrap_or(0) as usize,
                    text: q["text"].as_str().map(str::to_string),
                    value: q["value"].as_str().map(str::to_string),
                    error: q["error"].as_str().map(str::to_string),
                };
                (s.clone(), result)
            })
            .collect();
        let png = if cp.screenshot {
            self.tools(STILL_CARET).await?;
            self.frame(true).await?
        } else {
            None
        };
        Ok(LiveCheckpoint {
            name: cp.name.clone(),
            offset_ms: cp.offset_ms,
            url: got["url"].as_str().unwrap_or_default().to_string(),
            dom: got["dom"].as_str().map(str::to_string),
            png,
            boxes: crate::browser::state::prepared(&got).1,
            queries,
        })
    }
}
