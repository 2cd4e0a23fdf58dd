//! Offsets as people write them (`01:23`, `1:02:03.5`, `83.4s`, `83421ms`, `50%`, `end`) and the
//! virtual clock they index. Never reads the machine's clock.

use crate::error::{Error, Result};
use crate::model::{Offset, Recording, Timestamp};

/// A point in a recording as requested, before it is resolved against the recording's length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimeSpec {
    Offset(Offset),
    Percent(f64),
    /// `end`: one millisecond past the last frame, so every frame is applied.
    End,
    /// `@<epoch-ms>`: an absolute timestamp.
    Absolute(Timestamp),
}

impl TimeSpec {
    pub fn parse(s: &str) -> Result<TimeSpec> {
        let s = s.trim();
        let bad = || {
            Error::Usage(format!(
                "cannot read time `{s}`: use mm:ss(.mmm), h:mm:ss, 83.4s, 83421ms, a bare number of ms, N%, end, or @<epoch ms>"
            ))
        };
        if s.eq_ignore_ascii_case("end") {
            return Ok(TimeSpec::End);
        }
        if let Some(p) = s.strip_suffix('%') {
            let v: f64 = p.trim().parse().map_err(|_| bad())?;
            return if v.is_finite() { Ok(TimeSpec::Percent(v)) } else { Err(bad()) };
        }
        if let Some(a) = s.strip_prefix('@') {
            let v: f64 = a.trim().parse().map_err(|_| bad())?;
            return if v.is_finite() { Ok(TimeSpec::Absolute(Timestamp(v))) } else { Err(bad()) };
        }
        parse_offset(s).map(TimeSpec::Offset).ok_or_else(bad)
    }

    pub fn resolve(self, recording: &Recording) -> Offset {
        match self {
            TimeSpec::Offset(o) => o,
            TimeSpec::Percent(p) => Offset(recording.duration().0 * p / 100.0),
            TimeSpec::End => Offset(recording.duration().0 + 1.0),
            TimeSpec::Absolute(t) => recording.offset_of(t),
        }
    }
}

/// Parses a duration-like offset in milliseconds. Negative offsets are allowed (`-5s`).
pub fn parse_offset(s: &str) -> Option<Offset> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let num = |t: &str| -> Option<f64> {
        let t = t.trim();
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
        t.parse::<f64>().ok().filter(|v| v.is_finite())
    };
    let ms = if let Some(v) = s.strip_suffix("ms") {
        num(v)?
    } else if let Some(v) = s.strip_suffix('s') {
        num(v)? * 1000.0
    } else if let Some(v) = s.strip_suffix('m') {
        num(v)? * 60_000.0
    } else if s.contains(':') {
        let parts: Vec<&str> = s.split(':').collect();
        if parts.len() > 3 || parts[..parts.len() - 1].iter().any(|p| p.contains('.')) {
            return None;
        }
        let mut total = 0.0;
        for p in &parts {
            total = total * 60.0 + num(p)?;
        }
        total * 1000.0
    } else {
        num(s)?
    };
    Some(Offset(if neg { -ms } else { ms }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected_ms: f64) {
        assert_eq!(parse_offset(input), Some(Offset(expected_ms)), "{input}");
    }

    #[test]
    fn offsets_in_every_documented_form() {
        check("01:20", 80_000.0);
        check("01:23.5", 83_500.0);
        check("1:02:03", 3_723_000.0);
        check("83.4s", 83_400.0);
        check("83421ms", 83_421.0);
        check("2m", 120_000.0);
        check("1500", 1500.0);
        check("-5s", -5000.0);
    }

    #[test]
    fn nonsense_is_rejected() {
        for bad in ["", "abc", "1:2:3:4", "1.5:00", "s", "ms", "1e3", "nan"] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
        assert!(TimeSpec::parse("soon").is_err());
        assert_eq!(TimeSpec::parse("50%").unwrap(), TimeSpec::Percent(50.0));
        assert_eq!(TimeSpec::parse("END").unwrap(), TimeSpec::End);
        assert_eq!(TimeSpec::parse("@1795272152214").unwrap(), TimeSpec::Absolute(Timestamp(1795272152214.0)));
    }
}
