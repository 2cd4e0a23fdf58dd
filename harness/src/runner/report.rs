//! What a run found, per scenario, and its two file forms: JUnit XML and a JSON report (identical
//! across runs apart from `durationMs`).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    Failed,
    Ignored,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CheckpointReport {
    pub name: String,
    pub offset_ms: Option<f64>,
    /// match, mismatch, missing, updated, error.
    pub verdict: String,
    pub golden: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff_summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Render mode: the screenshot's comparison with `<name>.png`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<ScreenshotReport>,
}

/// A checkpoint's screenshot compared with its PNG golden.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScreenshotReport {
    /// match, mismatch, missing, updated, error.
    pub verdict: String,
    pub golden: String,
    /// Pixels beyond the threshold (after masks), when the images were compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff_pixels: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff_summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<String>,
    /// The pixel diff image written beside the golden (`<name>.diff.png`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff_image: Option<String>,
    /// The mask rectangles painted on both images, as `x,y,w,h`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub masks: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ExpectReport {
    pub index: usize,
    pub description: String,
    pub passed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioReport {
    /// The trial name (`folder::scenario`).
    pub name: String,
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub mode: Option<String>,
    pub status: Status,
    pub duration_ms: f64,
    pub checkpoints: Vec<CheckpointReport>,
    pub expectations: Vec<ExpectReport>,
    /// The whole failure message, as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// Why an ignored scenario was skipped at run time (no Chromium for a browser mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Live mode: what the app did (steps, requests, console, exceptions in virtual time), and for
    /// a fix confirmation both builds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<serde_json::Value>,
}

impl ScenarioReport {
    /// The first line of the failure: what JUnit shows as the message.
    pub fn summary(&self) -> String {
        self.failure.as_deref().and_then(|f| f.lines().next()).unwrap_or("").to_string()
    }
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push_str(&format!("&#x{:x};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one testsuite, one testcase per scenario; the failure text is the diff summary.
pub fn junit_xml(reports: &[ScenarioReport]) -> String {
    let failures = reports.iter().filter(|r| r.status == Status::Failed).count();
    let skipped = reports.iter().filter(|r| r.status == Status::Ignored).count();
    let time: f64 = reports.iter().map(|r| r.duration_ms).sum::<f64>() / 1000.0;
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<testsuites tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\" time=\"{time:.3}\">\n  <testsuite name=\"reprise\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\" time=\"{time:.3}\">\n",
        reports.len(),
        reports.len()
    ));
    for r in reports {
        s.push_str(&format!(
            "    <testcase classname=\"reprise.scenarios\" name=\"{}\" file=\"{}\" time=\"{:.3}\"",
            xml_escape(&r.name),
            xml_escape(&r.path),
            r.duration_ms / 1000.0
        ));
        match r.status {
            Status::Passed => s.push_str("/>\n"),
            Status::Ignored => match &r.skipped {
                Some(why) => s.push_str(&format!(">\n      <skipped message=\"{}\"/>\n    </testcase>\n", xml_escape(why))),
                None => s.push_str(">\n      <skipped/>\n    </testcase>\n"),
            },
            Status::Failed => s.push_str(&format!(
                ">\n      <failure message=\"{}\" type=\"reprise\">{}</failure>\n    </testcase>\n",
                xml_escape(&r.summary()),
                xml_escape(r.failure.as_deref().unwrap_or(""))
            )),
        }
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}

pub fn json_report(reports: &[ScenarioReport]) -> String {
    let passed = reports.iter().filter(|r| r.status == Status::Passed).count();
    let failed = reports.iter().filter(|r| r.status == Status::Failed).count();
    let ignored = reports.iter().filter(|r| r.status == Status::Ignored).count();
    let doc = serde_json::json!({
        "reportVersion": 1,
        "passed": passed,
        "failed": failed,
        "ignored": ignored,
        "scenarios": reports,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("report serializes");
    s.push('\n');
    s
}
