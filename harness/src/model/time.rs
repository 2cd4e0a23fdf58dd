//! Time as the crate sees it: absolute timestamps in epoch milliseconds, and offsets in
//! milliseconds since the recording's first frame. Units are normalized once, in `ingest`.

use std::fmt;

/// Milliseconds since the Unix epoch (fractional values are kept: Sentry writes them).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Timestamp(pub f64);

/// Milliseconds since the first frame of a recording.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Offset(pub f64);

impl Timestamp {
    pub fn ms(self) -> f64 {
        self.0
    }

    /// RFC 3339 in UTC with millisecond precision, e.g. `2026-11-21T14:41:32.645Z`.
    /// Sub-millisecond fractions are truncated toward the earlier millisecond.
    pub fn rfc3339(self) -> String {
        let total_ms = self.0.floor() as i64;
        let ms = total_ms.rem_euclid(1000);
        let secs = total_ms.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
            sod / 3600,
            (sod / 60) % 60,
            sod % 60
        )
    }
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl Offset {
    pub fn ms(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Offset {
    /// `mm:ss.mmm`, or `h:mm:ss.mmm` past an hour: the form people read in a table.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.0 < 0.0;
        let total = self.0.abs().round() as u64;
        let (ms, s) = (total % 1000, total / 1000);
        let (sec, min, h) = (s % 60, (s / 60) % 60, s / 3600);
        let sign = if neg { "-" } else { "" };
        if h > 0 {
            write!(f, "{sign}{h}:{min:02}:{sec:02}.{ms:03}")
        } else {
            write!(f, "{sign}{min:02}:{sec:02}.{ms:03}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_known_instants() {
        assert_eq!(Timestamp(0.0).rfc3339(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Timestamp(1795272092645.9).rfc3339(), "2026-11-21T14:41:32.645Z");
        assert_eq!(Timestamp(951782400000.0).rfc3339(), "2000-02-29T00:00:00.000Z");
        assert_eq!(Timestamp(-1.0).rfc3339(), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn offsets_display_as_clock_times() {
        assert_eq!(Offset(83_421.0).to_string(), "01:23.421");
        assert_eq!(Offset(3_723_004.0).to_string(), "1:02:03.004");
        assert_eq!(Offset(-1500.0).to_string(), "-00:01.500");
    }
}
