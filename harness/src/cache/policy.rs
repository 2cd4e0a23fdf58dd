//! When a cached bundle may be served without asking the server: Sentry never changes a stored
//! segment, and a replay whose last activity is more than an hour older than the fetch has ended
//! (sessions last at most 60 minutes), so such a complete bundle is final.

use crate::model::Timestamp;

/// How long after its last segment a replay is taken as finished.
pub const SETTLE_MS: f64 = 60.0 * 60.0 * 1000.0;

/// Whether a complete bundle fetched at `fetched_at` of a replay last active at `finished_at` can
/// no longer change on the server.
pub fn is_final(finished_at: Option<Timestamp>, fetched_at: Option<Timestamp>) -> bool {
    match (finished_at, fetched_at) {
        (Some(end), Some(fetched)) => fetched.0 - end.0 >= SETTLE_MS,
        _ => false,
    }
}

/// Parses an RFC 3339 / ISO 8601 date-time as Sentry writes it: `2026-11-21T14:42:28.139Z`,
/// `2022-07-25T17:39:52+00:00`, or without a zone (read as UTC).
pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    let (date, rest) = s.split_once(['T', 't', ' '])?;
    let mut d = date.splitn(3, '-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: u32 = d.next()?.parse().ok()?;
    let day: u32 = d.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(zone_at);
    let mut t = time.splitn(3, ':');
    let hour: i64 = t.next()?.parse().ok()?;
    let minute: i64 = t.next()?.parse().ok()?;
    let seconds: f64 = t.next().unwrap_or("0").parse().ok()?;
    let offset_min: i64 = match zone {
        "" | "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (h, m) = z[1..].split_once(':').unwrap_or((&z[1..z.len().min(3)], z.get(3..).unwrap_or("0")));
            sign * (h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
        }
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 - offset_min * 60;
    Some(Timestamp(secs as f64 * 1000.0 + (seconds * 1000.0).round()))
}

/// Howard Hinnant's civil-to-days algorithm (proleptic Gregorian calendar).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sentry_dates() {
        let t = |s: &str| parse_rfc3339(s).map(|t| t.0);
        assert_eq!(t("2026-11-21T14:42:28.139Z"), Some(1795272148139.0));
        assert_eq!(t("2026-11-21T15:42:28.139+01:00"), Some(1795272148139.0));
        assert_eq!(t("2026-11-21T14:42:28"), Some(1795272148000.0));
        assert_eq!(t("1970-01-01T00:00:00-00:30"), Some(1_800_000.0));
        assert_eq!(t("2000-02-29T00:00:00Z"), Some(951782400000.0));
        assert_eq!(t("yesterday"), None);
        assert_eq!(t("2026-13-01T00:00:00Z"), None);
        for ms in [0.0, 951782400000.0, 1795272148139.0] {
            assert_eq!(t(&Timestamp(ms).rfc3339()), Some(ms));
        }
    }

    #[test]
    fn only_replays_idle_for_an_hour_at_fetch_time_are_final() {
        let end = Some(Timestamp(1_000_000_000_000.0));
        assert!(is_final(end, Some(Timestamp(1_000_000_000_000.0 + SETTLE_MS))));
        assert!(!is_final(end, Some(Timestamp(1_000_000_000_000.0 + 60_000.0))));
        assert!(!is_final(None, Some(Timestamp(2e12))));
    }
}
