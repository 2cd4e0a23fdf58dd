//! The scenario file format. Unknown keys are errors naming the key and the file.

use crate::error::{Error, Location, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A recorded session run as a test: a replay, checkpoints where evidence is captured, and
/// expectations that must hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Scenario {
    /// Editors use this to find the schema (e.g. `../docs/scenario.schema.json`).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// A short human name.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The recording, relative to this file: any source format reprise reads.
    pub replay: String,
    /// How the scenario runs: `dom` rebuilds the DOM offline (no browser). `render` and `live`
    /// drive Chromium.
    #[serde(default)]
    pub mode: Mode,
    /// Only this part of the recording matters (default: all of it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<TimeWindow>,
    /// For multi-window sources (PostHog): which browser window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_window: Option<String>,
    /// Skipped unless `--ignored` or `--include-ignored` is given.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignored: bool,
    /// Where evidence is captured and compared with golden files.
    pub checkpoints: Vec<Checkpoint>,
    /// Assertions beside the golden files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect: Vec<Expectation>,
    /// Live mode: the app under test, served by reprise from a folder or already running at a URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<App>,
    /// Live mode: the build with the bug. With `candidate`, the scenario is a fix confirmation:
    /// it passes only when the expectations fail here and hold on the candidate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<App>,
    /// Live mode: the build with the fix (see `baseline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate: Option<App>,
    /// Live mode: what a request the recording has no answer for gets: `fail` (default: answered
    /// 404 and the scenario fails), `404` (answered 404) or `abort` (a network error).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmatched: Option<Unmatched>,
    /// Live mode: a HAR file (relative to this file) whose entries answer requests, before the
    /// recording's own network spans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub har: Option<String>,
    /// Live mode: the seed of `Math.random` and `crypto.getRandomValues` in the page (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// Where the app under test comes from: exactly one of `serve` and `url`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct App {
    /// A folder, relative to the scenario file, served by reprise at the recorded origin (no
    /// server needed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serve: Option<String>,
    /// An app already running at this URL (`http://127.0.0.1:8080/`); the recorded API calls are
    /// still answered by reprise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl App {
    /// `http(s)://...` is a running app; anything else a folder.
    pub fn parse_arg(s: &str) -> App {
        if s.starts_with("http://") || s.starts_with("https://") {
            App { serve: None, url: Some(s.to_string()) }
        } else {
            App { serve: Some(s.to_string()), url: None }
        }
    }

    fn check(&self, key: &str) -> std::result::Result<(), String> {
        match (&self.serve, &self.url) {
            (Some(_), None) => Ok(()),
            (None, Some(u)) if u.starts_with("http://") || u.starts_with("https://") => Ok(()),
            (None, Some(u)) => Err(format!("`{key}.url` must start with http:// or https://, not `{u}`")),
            _ => Err(format!("`{key}` needs exactly one of `serve` (a folder) and `url`")),
        }
    }
}

impl std::fmt::Display for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.serve, &self.url) {
            (Some(folder), _) => write!(f, "{folder}"),
            (_, Some(url)) => write!(f, "{url}"),
            _ => f.write_str("(no app)"),
        }
    }
}

/// What a request without a recorded answer gets in live mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Unmatched {
    /// Answered 404 so the page can go on; the scenario fails and lists the request.
    #[default]
    #[serde(rename = "fail")]
    Fail,
    /// Answered 404; listed in the report.
    #[serde(rename = "404")]
    NotFound,
    /// Failed as a network error; listed in the report.
    #[serde(rename = "abort")]
    Abort,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Dom,
    Render,
    Live,
}

/// A span of the recording, as offsets (`01:23.5`, `83.4s`, `83421ms`, `50%`, `end`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeWindow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Unique within the scenario; names the golden files (`<name>.dom.txt`).
    pub name: String,
    /// When: an offset, or an anchor on an event plus a delay.
    pub at: At,
    /// What to capture (default: the whole document's DOM).
    #[serde(default)]
    pub capture: Capture,
    /// Volatile parts left out of the comparison.
    #[serde(default, skip_serializing_if = "Ignore::is_empty")]
    pub ignore: Ignore,
    /// Render mode: how the screenshot is compared with its golden (masks, tolerances).
    #[serde(default, skip_serializing_if = "Pixels::is_default")]
    pub pixels: Pixels,
}

/// How a checkpoint's screenshot is compared with `<name>.png` (pixelmatch's algorithm,
/// docs/diff.md). By default no pixel may differ beyond the threshold.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Pixels {
    /// CSS selectors whose elements' boxes, measured in the rendered page, are painted magenta on
    /// both images before comparing (and on the stored screenshot).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mask: Vec<String>,
    /// Pass with at most this many differing pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_diff_pixels: Option<u64>,
    /// Pass with at most this fraction (0 to 1) of differing pixels. With both tolerances, both
    /// must hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_diff_ratio: Option<f64>,
    /// Per-pixel colour tolerance, 0 to 1 (default 0.1, pixelmatch's); smaller is stricter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
}

impl Pixels {
    pub fn is_default(&self) -> bool {
        *self == Pixels::default()
    }
}

/// An offset such as `01:23.5`, or an anchor object.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum At {
    /// `01:23.5`, `83.4s`, `83421ms`, `50%`, `end`.
    Offset(String),
    Anchor(Anchor),
}

/// "The 2nd click on `#pay`", "the first response from /api/search", "the first error".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Anchor {
    /// The event kind: click, input, network, error, navigation, console, ... (docs/events.md).
    pub event: String,
    /// Which occurrence, counting from 1 (default 1).
    #[serde(default = "one")]
    pub nth: usize,
    /// Only events whose selector contains this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// Only events whose URL (request URL for network) contains this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Only events whose text contains this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
    /// Added to the event's time; negative to land just before it (`-1ms`). For network events
    /// the time is the response's arrival (start + duration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<String>,
}

fn one() -> usize {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capture {
    /// `true` for the whole document, `false` for none, or `{"selectors": [...]}`.
    #[serde(default = "DomCapture::whole")]
    pub dom: DomCapture,
    /// Render mode: capture a screenshot of the viewport and compare it with `<name>.png`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub screenshot: bool,
}

impl Default for Capture {
    fn default() -> Capture {
        Capture { dom: DomCapture::whole(), screenshot: false }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum DomCapture {
    All(bool),
    Selectors {
        /// CSS selectors (docs/selectors.md); the matching subtrees are captured.
        selectors: Vec<String>,
    },
}

impl DomCapture {
    pub fn whole() -> DomCapture {
        DomCapture::All(true)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    /// Subtrees left out entirely.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selectors: Vec<String>,
    /// Attribute names left out everywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    /// Regular expressions: matching text is replaced by `[ignored]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text: Vec<String>,
}

impl Ignore {
    pub fn is_empty(&self) -> bool {
        self.selectors.is_empty() && self.attributes.is_empty() && self.text.is_empty()
    }
}

/// One assertion. DOM assertions name a checkpoint (`at`) and a `selector` with exactly one of
/// `present`, `text`, `textMatches`, `count`, `value`; event assertions are `noConsoleError`,
/// `noErrorEvent` or `noFailedRequest` with an optional window.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Expectation {
    /// The checkpoint whose DOM is checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// The selector matches (true) or matches nothing (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<bool>,
    /// The first match's text, whitespace-collapsed and trimmed, equals this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The first match's text matches this regular expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_matches: Option<String>,
    /// The number of matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// The first match's current input value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// No console message at level error in the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_console_error: Option<TimeWindow>,
    /// No error event in the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_error_event: Option<TimeWindow>,
    /// No request answered with status >= 400 in the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_failed_request: Option<TimeWindow>,
}

impl Expectation {
    /// What the expectation checks, or why it is malformed.
    pub fn check_shape(&self) -> std::result::Result<(), String> {
        let dom = [self.present.is_some(), self.text.is_some(), self.text_matches.is_some(), self.count.is_some(), self.value.is_some()]
            .iter()
            .filter(|b| **b)
            .count();
        let ev = [self.no_console_error.is_some(), self.no_error_event.is_some(), self.no_failed_request.is_some()]
            .iter()
            .filter(|b| **b)
            .count();
        match (dom, ev) {
            (1, 0) if self.at.is_some() && self.selector.is_some() => Ok(()),
            (1, 0) => Err("a DOM expectation needs `at` (a checkpoint name) and `selector`".into()),
            (0, 1) if self.at.is_none() && self.selector.is_none() => Ok(()),
            (0, 1) => Err("`noConsoleError`/`noErrorEvent`/`noFailedRequest` take a window, not `at`/`selector`".into()),
            (0, 0) => Err("an expectation needs one of present, text, textMatches, count, value, noConsoleError, noErrorEvent, noFailedRequest".into()),
            _ => Err("an expectation checks exactly one thing; split it".into()),
        }
    }
}

// Hand-written so that a mistake inside an anchor or a selector list is reported as itself
// (`unknown field ...`), not as "did not match any variant".
impl<'de> Deserialize<'de> for At {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<At, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = At;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an offset string like \"01:23.5\" or an anchor object like {\"event\": \"click\"}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<At, E> {
                Ok(At::Offset(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> std::result::Result<At, A::Error> {
                Anchor::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(At::Anchor)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for DomCapture {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<DomCapture, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Sel {
            selectors: Vec<String>,
        }
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = DomCapture;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("true, false or {\"selectors\": [...]}")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<DomCapture, E> {
                Ok(DomCapture::All(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> std::result::Result<DomCapture, A::Error> {
                Sel::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(|s| DomCapture::Selectors { selectors: s.selectors })
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses and checks a scenario file's text.
pub fn parse(text: &str, file: &str) -> Result<Scenario> {
    let loc = || Location::file(file);
    let s: Scenario = serde_json::from_str(text).map_err(|e| Error::input(loc(), scenario_error(&e)))?;
    if s.checkpoints.is_empty() && s.expect.is_empty() {
        return Err(Error::input(loc(), "a scenario needs at least one checkpoint or expectation"));
    }
    check_live_keys(&s).map_err(|m| Error::input(loc(), m))?;
    let mut names = std::collections::HashSet::new();
    for c in &s.checkpoints {
        if c.name.is_empty() || c.name.contains(['/', '\\']) || c.name.starts_with('.') {
            return Err(Error::input(loc(), format!("checkpoint name `{}` must be a plain file name", c.name)));
        }
        if !names.insert(c.name.as_str()) {
            return Err(Error::input(loc(), format!("checkpoint name `{}` is used twice", c.name)));
        }
        for r in &c.ignore.text {
            regex::Regex::new(r).map_err(|e| Error::input(loc(), format!("checkpoint `{}`: bad ignore regex: {e}", c.name)))?;
        }
        check_pixels(c, s.mode).map_err(|m| Error::input(loc(), format!("checkpoint `{}`: {m}", c.name)))?;
    }
    for (i, e) in s.expect.iter().enumerate() {
        e.check_shape().map_err(|m| Error::input(loc(), format!("expect[{i}]: {m}")))?;
        if let Some(at) = &e.at {
            if !names.contains(at.as_str()) {
                return Err(Error::input(loc(), format!("expect[{i}]: no checkpoint named `{at}`")));
            }
        }
        if let Some(r) = &e.text_matches {
            regex::Regex::new(r).map_err(|err| Error::input(loc(), format!("expect[{i}]: bad regex: {err}")))?;
        }
    }
    Ok(s)
}

/// `app`, `baseline`, `candidate`, `unmatched`, `har` and `seed` belong to live mode, which needs
/// an app or both builds of a fix confirmation.
fn check_live_keys(s: &Scenario) -> std::result::Result<(), String> {
    let live_only = [
        ("app", s.app.is_some()),
        ("baseline", s.baseline.is_some()),
        ("candidate", s.candidate.is_some()),
        ("unmatched", s.unmatched.is_some()),
        ("har", s.har.is_some()),
        ("seed", s.seed.is_some()),
    ];
    if s.mode != Mode::Live {
        return match live_only.iter().find(|(_, set)| *set) {
            Some((key, _)) => Err(format!("`{key}` is for `\"mode\": \"live\"` scenarios")),
            None => Ok(()),
        };
    }
    for (key, app) in [("app", &s.app), ("baseline", &s.baseline), ("candidate", &s.candidate)] {
        if let Some(app) = app {
            app.check(key)?;
        }
    }
    match (&s.app, &s.baseline, &s.candidate) {
        (_, Some(_), None) | (_, None, Some(_)) => Err("a fix confirmation needs both `baseline` and `candidate`".into()),
        (None, None, None) => Err("a live scenario needs `app` ({\"serve\": folder} or {\"url\": ...}), or `baseline` and `candidate`".into()),
        _ => Ok(()),
    }
}

/// Screenshots need a browser (dom mode has none), and tolerances are fractions.
fn check_pixels(c: &Checkpoint, mode: Mode) -> std::result::Result<(), String> {
    if c.capture.screenshot && mode == Mode::Dom {
        return Err("`capture.screenshot` needs a browser: `\"mode\": \"render\"` or `\"live\"`".into());
    }
    if !c.pixels.is_default() && !c.capture.screenshot {
        return Err("`pixels` applies to screenshots: add `\"capture\": {\"screenshot\": true}`".into());
    }
    for (key, value) in [("maxDiffRatio", c.pixels.max_diff_ratio), ("threshold", c.pixels.threshold)] {
        if value.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
            return Err(format!("`pixels.{key}` must be between 0 and 1"));
        }
    }
    Ok(())
}

/// serde's message with its position, e.g. "unknown field `chekpoints`, expected one of ... at
/// line 3 column 15".
fn scenario_error(e: &serde_json::Error) -> String {
    if e.is_syntax() || e.is_eof() {
        format!("invalid JSON: {e}")
    } else {
        e.to_string()
    }
}

/// The JSON Schema of the format, generated from these types (checked in as
/// docs/scenario.schema.json; a test keeps it current).
pub fn schema() -> String {
    let schema = schemars::schema_for!(Scenario);
    let mut s = serde_json::to_string_pretty(&schema).expect("schema serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_err(text: &str, needle: &str) {
        let err = parse(text, "x.scenario.json").unwrap_err().to_string();
        assert!(err.contains(needle) && err.contains("x.scenario.json"), "{err}");
    }

    #[test]
    fn parses_offsets_anchors_and_expectations() {
        let s = parse(
            r##"{"name":"n","replay":"r.json","checkpoints":[
                {"name":"a","at":"01:23.5"},
                {"name":"b","at":{"event":"click","selector":"#pay","nth":2,"delay":"500ms"},
                 "capture":{"dom":{"selectors":["main"]}},"ignore":{"text":["\\d+ ms"]}}],
               "expect":[{"at":"b","selector":"#ok","present":true},{"noFailedRequest":{"from":"0s"}}]}"##,
            "x",
        )
        .unwrap();
        assert_eq!(s.mode, Mode::Dom);
        assert_eq!(s.checkpoints[0].at, At::Offset("01:23.5".into()));
        let At::Anchor(a) = &s.checkpoints[1].at else { panic!() };
        assert_eq!((a.nth, a.selector.as_deref()), (2, Some("#pay")));
        assert_eq!(s.checkpoints[1].capture.dom, DomCapture::Selectors { selectors: vec!["main".into()] });
        assert_eq!(s.checkpoints[0].capture.dom, DomCapture::All(true));
    }

    #[test]
    fn mistakes_name_the_key_and_the_file() {
        check_err(r#"{"name":"n","replay":"r","chekpoints":[]}"#, "unknown field `chekpoints`");
        check_err(r#"{"name":"n","replay":"r","checkpoints":[{"name":"a","at":"1s","captur":{}}]}"#, "captur");
        check_err(r#"{"name":"n","replay":"r","checkpoints":[{"name":"a","at":"1s"}],"expect":[{"at":"zz","selector":"p","present":true}]}"#, "no checkpoint named `zz`");
        check_err(r#"{"name":"n","replay":"r","checkpoints":[{"name":"a","at":"1s"}],"expect":[{"at":"a","selector":"p","present":true,"count":1}]}"#, "exactly one");
        check_err(r#"{"name":"n","replay":"r","checkpoints":[{"name":"a","at":"1s"},{"name":"a","at":"2s"}]}"#, "used twice");
        check_err(r#"{"name":"n", "#, "invalid JSON");
        check_err(r#"{"name":"n","replay":"r","checkpoints":[{"name":"a","at":{"event":"click","nht":2}}]}"#, "unknown field `nht`");
    }

    #[test]
    fn live_keys() {
        let s = parse(
            r#"{"name":"n","replay":"r","mode":"live","baseline":{"serve":"../apps/a/buggy"},"candidate":{"url":"http://127.0.0.1:1/"},
               "unmatched":"404","seed":7,"checkpoints":[{"name":"a","at":"end"}]}"#,
            "x",
        )
        .unwrap();
        assert_eq!(s.unmatched, Some(Unmatched::NotFound));
        assert_eq!(s.baseline.unwrap().serve.as_deref(), Some("../apps/a/buggy"));
        assert_eq!(App::parse_arg("https://x/"), App { serve: None, url: Some("https://x/".into()) });
        let live = |extra: &str| format!(r#"{{"name":"n","replay":"r","mode":"live",{extra}"checkpoints":[{{"name":"a","at":"end"}}]}}"#);
        check_err(&live(""), "needs `app`");
        check_err(&live(r#""app":{"serve":"a","url":"http://x"},"#), "exactly one of");
        check_err(&live(r#""app":{"url":"x.example"},"#), "must start with http");
        check_err(&live(r#""baseline":{"serve":"a"},"#), "both `baseline` and `candidate`");
        check_err(&live(r#""app":{"serve":"a"},"unmatched":"drop","#), "unknown variant `drop`");
        check_err(&live(r#""app":{"folder":"a"},"#), "unknown field `folder`");
        check_err(r#"{"name":"n","replay":"r","app":{"serve":"a"},"checkpoints":[{"name":"a","at":"end"}]}"#, "`app` is for");
    }

    #[test]
    fn render_checkpoints_take_screenshots_masks_and_tolerances() {
        let s = parse(
            r#"{"name":"n","replay":"r","mode":"render","checkpoints":[{"name":"a","at":"1s",
                "capture":{"dom":false,"screenshot":true},
                "pixels":{"mask":[".clock"],"maxDiffPixels":20,"maxDiffRatio":0.001,"threshold":0.05}}]}"#,
            "x",
        )
        .unwrap();
        let p = &s.checkpoints[0].pixels;
        assert_eq!((p.mask.as_slice(), p.max_diff_pixels, p.max_diff_ratio, p.threshold), (&[".clock".to_string()][..], Some(20), Some(0.001), Some(0.05)));
        let render = |cp: &str| format!(r#"{{"name":"n","replay":"r","mode":"render","checkpoints":[{cp}]}}"#);
        check_err(r#"{"name":"n","replay":"r","checkpoints":[{"name":"a","at":"1s","capture":{"screenshot":true}}]}"#, "needs a browser: `\"mode\": \"render\"`");
        check_err(&render(r#"{"name":"a","at":"1s","pixels":{"maxDiffPixels":3}}"#), "`pixels` applies to screenshots");
        check_err(&render(r#"{"name":"a","at":"1s","capture":{"screenshot":true},"pixels":{"threshold":2}}"#), "between 0 and 1");
        check_err(&render(r#"{"name":"a","at":"1s","capture":{"screenshot":true},"pixels":{"masks":["x"]}}"#), "unknown field `masks`");
    }

    #[test]
    fn the_checked_in_schema_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/scenario.schema.json");
        let current = std::fs::read_to_string(path).unwrap_or_default();
        if std::env::var_os("REPRISE_WRITE_SCHEMA").is_some() {
            std::fs::write(path, schema()).unwrap();
            return;
        }
        assert_eq!(current, schema(), "docs/scenario.schema.json is stale: run `REPRISE_WRITE_SCHEMA=1 cargo test -p reprise the_checked_in_schema`");
    }
}
