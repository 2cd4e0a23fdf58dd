//! Sentry custom frames (breadcrumbs, performance spans, video) -> event drafts (sentry.md §3).

use super::mask::is_masked;
use crate::model::{CustomFrame, EventDetail, EventKind, Frame};
use serde_json::Value;

/// An event before its pointer, time and page URL are attached.
pub struct Draft {
    pub kind: EventKind,
    pub category: String,
    pub label: Option<String>,
    pub url: Option<String>,
    pub node_id: Option<i64>,
    pub selector: Option<String>,
    pub masked: bool,
    pub raw_type: i64,
    pub raw_source: Option<i64>,
    pub detail: EventDetail,
}

impl Draft {
    pub fn new(kind: EventKind, category: &str, raw_type: i64, raw_source: Option<i64>) -> Draft {
        Draft {
            kind,
            category: category.to_string(),
            label: None,
            url: None,
            node_id: None,
            selector: None,
            masked: false,
            raw_type,
            raw_source,
            detail: EventDetail::default(),
        }
    }
}

fn str_at(v: &Value, path: &str) -> Option<String> {
    v.pointer(path).and_then(Value::as_str).map(str::to_owned)
}

fn num_at(v: &Value, path: &str) -> Option<f64> {
    v.pointer(path).and_then(Value::as_f64)
}

/// Resolves a request path like `/api/x` against the page URL's origin.
pub fn absolute_url(url: &str, page: Option<&str>) -> String {
    if url.contains("://") || url.starts_with("data:") {
        return url.to_string();
    }
    let Some(page) = page else { return url.to_string() };
    let Some(scheme_end) = page.find("://") else { return url.to_string() };
    let host_end = page[scheme_end + 3..].find('/').map_or(page.len(), |i| scheme_end + 3 + i);
    let origin = &page[..host_end];
    if let Some(rest) = url.strip_prefix("//") {
        return format!("{}//{rest}", &page[..scheme_end + 1]);
    }
    if url.starts_with('/') {
        return format!("{origin}{url}");
    }
    let base_end = page[..page.find(['?', '#']).unwrap_or(page.len())].rfind('/').filter(|&i| i >= host_end);
    match base_end {
        Some(i) => format!("{}{url}", &page[..=i]),
        None => format!("{origin}/{url}"),
    }
}

pub fn custom_event(frame: &Frame, c: &CustomFrame, page: Option<&str>) -> Option<Draft> {
    let ty = frame.data.event_type();
    Some(match c {
        CustomFrame::Breadcrumb { category, message, level, data } => {
            breadcrumb(ty, category, message.as_deref(), level.as_deref(), data, page)
        }
        CustomFrame::PerformanceSpan { op, description, start, end, data } => {
            span(ty, op, description, end.0 - start.0, data, page)
        }
        CustomFrame::Video(p) => {
            let mut d = Draft::new(EventKind::Video, "video", ty, None);
            d.detail.duration_ms = num_at(p, "/duration");
            d.detail.width = num_at(p, "/width");
            d.detail.height = num_at(p, "/height");
            d.label = Some(format!("video segment {}", num_at(p, "/segmentId").unwrap_or(0.0)));
            d
        }
        CustomFrame::Options(_) => return None,
        CustomFrame::Other { tag, payload } => {
            let mut d = Draft::new(EventKind::Breadcrumb, tag, ty, None);
            d.label = str_at(payload, "/message").or_else(|| payload.as_str().map(str::to_owned));
            d
        }
    })
}

fn breadcrumb(ty: i64, category: &str, message: Option<&str>, level: Option<&str>, data: &Value, page: Option<&str>) -> Draft {
    let kind = match category {
        "navigation" => EventKind::Navigation,
        "console" => EventKind::Console,
        "ui.blur" => EventKind::Blur,
        "ui.focus" => EventKind::Focus,
        "ui.tap" => EventKind::Tap,
        "replay.hydrate-error" => EventKind::Error,
        c if c.starts_with("app.") || c.starts_with("device.") => EventKind::Mobile,
        _ => EventKind::Breadcrumb,
    };
    let mut d = Draft::new(kind, category, ty, None);
    d.detail.level = level.map(str::to_owned);
    d.detail.message = message.map(str::to_owned);
    match kind {
        EventKind::Navigation => {
            // Web navigation crumbs carry paths; mobile ones carry screen names.
            let resolve = |u: String| if u.starts_with('/') { absolute_url(&u, page) } else { u };
            d.detail.from = str_at(data, "/from").map(resolve);
            d.detail.to = str_at(data, "/to").map(resolve);
            d.url = d.detail.to.clone();
            d.label = d.detail.to.clone();
        }
        EventKind::Console => {
            if d.detail.message.is_none() {
                let args: Vec<String> = data
                    .get("arguments")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())).collect())
                    .unwrap_or_default();
                d.detail.message = Some(args.join(" "));
            }
            d.label = d.detail.message.clone();
        }
        EventKind::Error => {
            d.detail.message = Some(message.unwrap_or("hydration error").to_string());
            d.label = d.detail.message.clone();
        }
        _ => {
            // ui.click, ui.input, ui.slowClickDetected, ui.multiClick, ui.tap...: the target node.
            d.node_id = data.get("nodeId").and_then(Value::as_i64);
            d.selector = message.filter(|_| category.starts_with("ui.")).map(str::to_owned);
            let text = str_at(data, "/node/textContent").filter(|t| !t.trim().is_empty());
            d.masked = text.as_deref().is_some_and(is_masked);
            d.label = text.or_else(|| message.map(str::to_owned));
            d.detail.click_count = data.get("clickCount").and_then(Value::as_u64).map(|n| n as u32);
            d.detail.time_after_click_ms = num_at(data, "/timeAfterClickMs");
            d.detail.end_reason = str_at(data, "/endReason");
            if category == "ui.slowClickDetected" {
                d.detail.slow_click = Some(true);
                let tag = str_at(data, "/node/tagName").unwrap_or_default().to_lowercase();
                let dead = d.detail.end_reason.as_deref() == Some("timeout") && matches!(tag.as_str(), "a" | "button" | "input");
                d.detail.dead_click = Some(dead);
                d.detail.rage_click = Some(dead && d.detail.click_count.unwrap_or(0) >= 5);
            }
            if category == "ui.multiClick" {
                d.detail.multi_click = Some(true);
            }
            if category == "ui.keyDown" {
                d.detail.key = key_with_modifiers(data);
            }
            if let Some(count) = data.get("count").and_then(Value::as_u64) {
                d.detail.adds = Some(count as usize);
            }
        }
    }
    d
}

/// `Control+Shift+k` from a keyboard breadcrumb's `key` and modifier flags.
fn key_with_modifiers(data: &Value) -> Option<String> {
    let key = str_at(data, "/key").filter(|k| !k.is_empty())?;
    let mut out = String::new();
    for (flag, name) in [("ctrlKey", "Control"), ("altKey", "Alt"), ("metaKey", "Meta"), ("shiftKey", "Shift")] {
        if data.get(flag).and_then(Value::as_bool) == Some(true) {
            out.push_str(name);
            out.push('+');
        }
    }
    out.push_str(&key);
    Some(out)
}

fn span(ty: i64, op: &str, description: &str, duration: f64, data: &Value, page: Option<&str>) -> Draft {
    let duration = Some(duration).filter(|d| d.is_finite());
    let mut d;
    if op == "resource.fetch" || op == "resource.xhr" || op == "resource.http" {
        d = Draft::new(EventKind::Network, op, ty, None);
        let url = absolute_url(description, page);
        d.url = Some(url.clone());
        d.detail.method = str_at(data, "/method").or_else(|| (op == "resource.http").then(|| "GET".into()));
        d.detail.status = data.get("statusCode").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok());
        d.detail.duration_ms = duration;
        d.detail.request_size = data.pointer("/request/size").or_else(|| data.get("requestBodySize")).and_then(Value::as_u64);
        d.detail.response_size = data.pointer("/response/size").or_else(|| data.get("responseBodySize")).and_then(Value::as_u64);
        d.detail.request_body_captured = Some(data.pointer("/request/body").is_some());
        d.detail.response_body_captured = Some(data.pointer("/response/body").is_some());
        let mut warnings = Vec::new();
        for side in ["request", "response"] {
            for w in data.pointer(&format!("/{side}/_meta/warnings")).and_then(Value::as_array).into_iter().flatten() {
                if let Some(w) = w.as_str() {
                    let w = format!("{side}:{w}");
                    if !warnings.contains(&w) {
                        warnings.push(w);
                    }
                }
            }
        }
        d.detail.warnings = warnings;
        let status = d.detail.status.map_or("-".to_string(), |s| s.to_string());
        d.label = Some(format!("{} {} {status}", d.detail.method.as_deref().unwrap_or("?"), url));
        return d;
    }
    if op == "navigation.push" {
        d = Draft::new(EventKind::Navigation, op, ty, None);
        d.url = Some(description.to_string());
        d.detail.from = str_at(data, "/previous");
        d.detail.to = Some(description.to_string());
        d.label = Some(description.to_string());
        return d;
    }
    if op == "web-vital" {
        d = Draft::new(EventKind::WebVital, op, ty, None);
        d.detail.name = Some(description.to_string());
        d.detail.value = num_at(data, "/value");
        d.detail.rating = str_at(data, "/rating");
        d.label = Some(format!("{description} {}", d.detail.rating.as_deref().unwrap_or("")).trim_end().to_string());
        return d;
    }
    if op == "memory" {
        d = Draft::new(EventKind::Memory, op, ty, None);
        d.detail.used_js_heap_size = data.pointer("/memory/usedJSHeapSize").and_then(Value::as_u64);
        d.detail.total_js_heap_size = data.pointer("/memory/totalJSHeapSize").and_then(Value::as_u64);
        return d;
    }
    d = Draft::new(EventKind::Span, op, ty, None);
    d.detail.op = Some(op.to_string());
    d.detail.description = Some(description.to_string());
    d.detail.duration_ms = duration;
    d.detail.status = data.get("statusCode").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok());
    d.label = Some(description.to_string());
    d
}

#[cfg(test)]
mod tests {
    use super::absolute_url;

    #[test]
    fn request_paths_resolve_against_the_page() {
        let page = Some("http://127.0.0.1:9101/index.html#/plants");
        assert_eq!(absolute_url("/openapi.json", page), "http://127.0.0.1:9101/openapi.json");
        assert_eq!(absolute_url("api/x?y=1", page), "http://127.0.0.1:9101/api/x?y=1");
        assert_eq!(absolute_url("https://a.b/c", page), "https://a.b/c");
        assert_eq!(absolute_url("//cdn.x/y", page), "http://cdn.x/y");
        assert_eq!(absolute_url("/a", None), "/a");
    }
}
