//! Dispatching one step: the target is found in the live page from its locators (js/tools.js),
//! then the browser's own input pipeline does the rest: mouse presses at the element's centre
//! (a disabled button ignores them, as for a user), text typed as the difference from the live
//! value with `Input.insertText` (the app's `input` listeners fire), keys as key events.

use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::input::{
    DispatchKeyEventParams, DispatchKeyEventType, DispatchMouseEventParams, DispatchMouseEventType, InsertTextParams,
    MouseButton,
};
use chromiumoxide::types::Command;
use serde_json::{json, Value};

use super::result::StepRecord;
use super::session::Session;
use crate::browser::launch::cdp_error;
use crate::model::Offset;
use crate::scenario::{Action, Button, Locator, Step};
use crate::{Error, Result};

impl Session {
    /// Replays `step` (the `index`th, from 1) at the current virtual time.
    pub(crate) async fn dispatch(&mut self, index: usize, step: &Step, limit: Duration) -> Result<StepRecord> {
        self.cdp_ms = 0.0;
        let mut record = StepRecord {
            offset_ms: step.offset_ms,
            pointer: step.pointer,
            description: step.describe(),
            locator: None,
            note: None,
            cdp_ms: 0.0,
        };
        match &step.action {
            Action::Viewport { width, height } => {
                let started = Instant::now();
                self.set_viewport((*width, *height)).await?;
                self.cdp_ms += started.elapsed().as_secs_f64() * 1000.0;
            }
            Action::Navigate { url } => {
                let here = self.evaluate_main("location.href").await?;
                if here.as_str().is_some_and(|h| h.split('#').next() == url.split('#').next()) {
                    record.note = Some("the app was already there".into());
                } else {
                    let target = self.net.lock().unwrap_or_else(|p| p.into_inner()).app.relocate(url);
                    self.navigate(&target, limit).await?;
                }
            }
            _ => self.act(index, step, &mut record).await?,
        }
        record.cdp_ms = self.cdp_ms;
        Ok(record)
    }

    async fn act(&mut self, index: usize, step: &Step, record: &mut StepRecord) -> Result<()> {
        let locators: Option<Vec<Value>> = step.target.as_ref().map(|t| t.locators.iter().map(locator_json).collect());
        let mut args = json!({ "locators": locators });
        match &step.action {
            Action::Click { .. } => args["kind"] = "click".into(),
            Action::Focus => args["kind"] = "focus".into(),
            Action::Key { .. } => args["kind"] = "key".into(),
            Action::Scroll { x, y } => {
                args["kind"] = "scroll".into();
                args["x"] = (*x).into();
                args["y"] = (*y).into();
            }
            Action::Input { text, checked, .. } => {
                args["kind"] = "input".into();
                args["text"] = text.clone().into();
                args["checked"] = (*checked).into();
            }
            Action::Viewport { .. } | Action::Navigate { .. } => unreachable!("dispatched above"),
        }
        if let Some(target) = &step.target {
            if target.locators.is_empty() {
                return Err(Error::Usage(format!(
                    "step {index} ({} at {}, segment {}, frame {}): the recording does not say which element node #{} was, so it cannot be found in the live page",
                    step.describe(),
                    Offset(step.offset_ms),
                    step.pointer.segment,
                    step.pointer.frame,
                    target.node_id
                )));
            }
        }
        let found = self.tools(&format!("__reprise.act({args})")).await?;
        if !found["found"].as_bool().unwrap_or(false) {
            return Err(self.missing_target(index, step, &found).await);
        }
        if let (Some(target), Some(i)) = (&step.target, found["index"].as_u64()) {
            let locator = &target.locators[i as usize];
            let count = found["count"].as_u64().unwrap_or(1);
            record.locator = Some(if count > 1 { format!("{locator} (first of {count})") } else { locator.to_string() });
        }
        if found["scrolled"].as_bool() == Some(true) {
            record.note = Some("the element was outside the viewport: scrolled into view".into());
        }
        let point = (found["x"].as_f64(), found["y"].as_f64());
        match &step.action {
            Action::Click { button, click_count } => {
                let (Some(x), Some(y)) = point else { return Ok(()) };
                if found["disabled"].as_bool() == Some(true) {
                    record.note = Some("the element is disabled: the press does nothing".into());
                }
                self.press(x, y, *button, *click_count).await?;
            }
            Action::Input { text, .. } => match found["mode"].as_str() {
                Some("text") => {
                    let value = found["value"].as_str().unwrap_or("");
                    self.type_text(value, text).await?;
                }
                Some("checked") => {
                    if let (Some(x), Some(y)) = point {
                        self.press(x, y, Button::Left, 1).await?;
                    }
                }
                Some("select") => {}
                _ => record.note = Some(format!("a <{}> takes no text: the input was skipped", found["tag"].as_str().unwrap_or("?"))),
            },
            Action::Key { key } => self.key(key).await?,
            _ => {}
        }
        Ok(())
    }

    async fn missing_target(&mut self, index: usize, step: &Step, found: &Value) -> Error {
        let url = self.evaluate_main("location.href").await.ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let tried: Vec<String> = match &step.target {
            Some(t) => t
                .locators
                .iter()
                .zip(found["tried"].as_array().cloned().unwrap_or_default())
                .map(|(l, n)| format!("`{l}` ({} matches)", n.as_u64().unwrap_or(0)))
                .collect(),
            None => Vec::new(),
        };
        Error::Usage(format!(
            "step {index} ({} at {}, segment {}, frame {}): the target is missing from the live page {url}; selectors tried: {}",
            step.describe(),
            Offset(step.offset_ms),
            step.pointer.segment,
            step.pointer.frame,
            tried.join(", ")
        ))
    }

    async fn send<C: Command>(&mut self, cmd: C, doing: &str) -> Result<()> {
        let started = Instant::now();
        let r = self.cdp.execute(cmd).await;
        self.cdp_ms += started.elapsed().as_secs_f64() * 1000.0;
        r.map(drop).map_err(|e| self.gone_or(cdp_error(doing, e)))
    }

    /// A press and release at (x, y). No separate move: on the headless shell a move waits for the
    /// next frame, while the press itself brings the pointer there (hover and boundary events).
    async fn press(&mut self, x: f64, y: f64, button: Button, click_count: u32) -> Result<()> {
        let button = match button {
            Button::Left => MouseButton::Left,
            Button::Right => MouseButton::Right,
        };
        for kind in [DispatchMouseEventType::MousePressed, DispatchMouseEventType::MouseReleased] {
            let event = DispatchMouseEventParams::builder()
                .r#type(kind)
                .x(x)
                .y(y)
                .button(button.clone())
                .buttons(if button == MouseButton::Left { 1 } else { 2 })
                .click_count(i64::from(click_count))
                .build()
                .map_err(Error::Environment)?;
            self.send(event, "pressing the mouse").await?;
        }
        Ok(())
    }

    /// Turns the live value into `text` the way a user would: typing the new end, deleting the
    /// old end, or typing over a selection (js/tools.js placed the caret or selected all).
    async fn type_text(&mut self, value: &str, text: &str) -> Result<()> {
        if let Some(rest) = text.strip_prefix(value) {
            if !rest.is_empty() {
                self.send(InsertTextParams::new(rest), "typing").await?;
            }
        } else if value.starts_with(text) {
            for _ in 0..value.chars().count() - text.chars().count() {
                self.key("Backspace").await?;
            }
        } else if text.is_empty() {
            self.key("Backspace").await?;
        } else {
            self.send(InsertTextParams::new(text), "typing").await?;
        }
        Ok(())
    }

    /// `Enter`, `Tab`, `Control+a`, `x`: a key down and up, with the text a printable key types.
    pub(crate) async fn key(&mut self, spec: &str) -> Result<()> {
        let (mods, key) = match spec.rsplit_once('+') {
            Some((m, k)) if !k.is_empty() => (m, k),
            _ => ("", spec),
        };
        let mut modifiers = 0i64;
        for m in mods.split('+').filter(|m| !m.is_empty()) {
            modifiers |= match m {
                "Alt" => 1,
                "Control" => 2,
                "Meta" => 4,
                "Shift" => 8,
                _ => 0,
            };
        }
        let (code, vk, text) = key_info(key);
        let typing = text.is_some() && modifiers & !8 == 0;
        let mut down = DispatchKeyEventParams::builder()
            .r#type(if typing { DispatchKeyEventType::KeyDown } else { DispatchKeyEventType::RawKeyDown })
            .key(key)
            .code(code.clone())
            .windows_virtual_key_code(vk)
            .native_virtual_key_code(vk)
            .modifiers(modifiers);
        if let (true, Some(t)) = (typing, &text) {
            down = down.text(t.clone()).unmodified_text(t.clone());
        }
        self.send(down.build().map_err(Error::Environment)?, "pressing a key").await?;
        let up = DispatchKeyEventParams::builder()
            .r#type(DispatchKeyEventType::KeyUp)
            .key(key)
            .code(code)
            .windows_virtual_key_code(vk)
            .native_virtual_key_code(vk)
            .modifiers(modifiers)
            .build()
            .map_err(Error::Environment)?;
        self.send(up, "releasing a key").await
    }
}

fn locator_json(l: &Locator) -> Value {
    match l {
        Locator::Css(css) => json!({ "css": css }),
        Locator::Text { tag, text } => json!({ "tag": tag, "text": text }),
    }
}

/// (code, Windows virtual key code, text) of a DOM key name.
fn key_info(key: &str) -> (String, i64, Option<String>) {
    let named = |code: &str, vk: i64, text: Option<&str>| (code.to_string(), vk, text.map(str::to_string));
    match key {
        "Enter" => named("Enter", 13, Some("\r")),
        "Tab" => named("Tab", 9, None),
        "Escape" => named("Escape", 27, None),
        "Backspace" => named("Backspace", 8, None),
        "Delete" => named("Delete", 46, None),
        "ArrowLeft" => named("ArrowLeft", 37, None),
        "ArrowUp" => named("ArrowUp", 38, None),
        "ArrowRight" => named("ArrowRight", 39, None),
        "ArrowDown" => named("ArrowDown", 40, None),
        "Home" => named("Home", 36, None),
        "End" => named("End", 35, None),
        "PageUp" => named("PageUp", 33, None),
        "PageDown" => named("PageDown", 34, None),
        " " => named("Space", 32, Some(" ")),
        k if k.chars().count() == 1 => {
            let c = k.chars().next().unwrap_or(' ');
            let upper = c.to_ascii_uppercase();
            let code = if c.is_ascii_alphabetic() {
                format!("Key{upper}")
            } else if c.is_ascii_digit() {
                format!("Digit{c}")
            } else {
                String::new()
            };
            let vk = if c.is_ascii_alphanumeric() { upper as i64 } else { 0 };
            (code, vk, Some(k.to_string()))
        }
        other => (other.to_string(), 0, None),
    }
}

#[cfg(test)]
mod tests {
    use super::key_info;

    #[test]
    fn keys() {
        assert_eq!(key_info("Enter"), ("Enter".into(), 13, Some("\r".into())));
        assert_eq!(key_info("k"), ("KeyK".into(), 75, Some("k".into())));
        assert_eq!(key_info("7"), ("Digit7".into(), 55, Some("7".into())));
        assert_eq!(key_info("F5"), ("F5".into(), 0, None));
    }
}
