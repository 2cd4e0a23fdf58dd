//! `--segments`: which segments to fetch, as `0-9` or `3,5,7-8`.

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// A set of segment ids as sorted, merged, inclusive ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentSet(Vec<(u32, u32)>);

impl SegmentSet {
    pub fn contains(&self, id: u32) -> bool {
        self.0.iter().any(|&(a, b)| a <= id && id <= b)
    }

    pub fn max(&self) -> u32 {
        self.0.last().map_or(0, |r| r.1)
    }

    /// How many segments the set holds.
    pub fn len(&self) -> u64 {
        self.0.iter().map(|&(a, b)| u64::from(b - a) + 1).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().flat_map(|&(a, b)| a..=b)
    }
}

impl FromStr for SegmentSet {
    type Err = Error;
    fn from_str(s: &str) -> Result<SegmentSet> {
        let bad = |part: &str| Error::Usage(format!("`{part}` in `{s}` is not a segment or range (e.g. 0-9 or 3,5,7-8)"));
        let num = |t: &str, part: &str| t.trim().parse::<u32>().map_err(|_| bad(part));
        let mut ranges = Vec::new();
        for part in s.split(',') {
            let range = match part.split_once('-') {
                Some((a, b)) => (num(a, part)?, num(b, part)?),
                None => (num(part, part)?, num(part, part)?),
            };
            if range.0 > range.1 {
                return Err(bad(part));
            }
            ranges.push(range);
        }
        ranges.sort();
        let mut merged: Vec<(u32, u32)> = Vec::new();
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        Ok(SegmentSet(merged))
    }
}

impl fmt::Display for SegmentSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, &(a, b)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            if a == b {
                write!(f, "{a}")?;
            } else {
                write!(f, "{a}-{b}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_merges_ranges() {
        let s: SegmentSet = "7-8,3,5,4".parse().unwrap();
        assert_eq!(s.to_string(), "3-5,7-8");
        assert!(s.contains(4) && !s.contains(6) && s.contains(8));
        assert_eq!(s.max(), 8);
        assert_eq!(s.len(), 5);
        assert_eq!("0-4294967295".parse::<SegmentSet>().unwrap().len(), 1 << 32);
        assert_eq!(s.ids().collect::<Vec<_>>(), [3, 4, 5, 7, 8]);
        assert_eq!("0-9".parse::<SegmentSet>().unwrap().to_string(), "0-9");
        for bad in ["", "a", "3-", "5-2", "1,,2", "-1"] {
            assert!(bad.parse::<SegmentSet>().is_err(), "{bad}");
        }
    }
}
