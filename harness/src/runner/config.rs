//! What a run needs to know: where scenarios and goldens are, how goldens update, sharding.

use crate::error::{Error, Result};
use super::shared_browser::BrowserConfig;
use crate::golden::UpdateMode;
use std::path::PathBuf;

/// `--shard i/n`: run the trials whose name hashes to `i` of `n` (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub fn parse(s: &str) -> Result<Shard> {
        let bad = || Error::Usage(format!("--shard {s}: expected i/n with 1 <= i <= n, e.g. 2/4"));
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Deterministic by name alone (FNV-1a), so adding a scenario moves no other.
    pub fn includes(&self, name: &str) -> bool {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in name.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        (h % u64::from(self.count)) as u32 == self.index - 1
    }
}

#[derive(Debug, Clone)]
pub struct RunConfig {
    pub scenarios_root: PathBuf,
    pub golden_root: PathBuf,
    /// Scenario files or folders to run instead of the whole root.
    pub paths: Vec<PathBuf>,
    pub update: UpdateMode,
    pub shard: Option<Shard>,
    pub junit: Option<PathBuf>,
    pub report_json: Option<PathBuf>,
    /// The browser shared by render scenarios.
    pub browser: BrowserConfig,
}

#[cfg(test)]
mod tests {
    use super::Shard;

    #[test]
    fn shards_partition_the_names() {
        let names: Vec<String> = (0..200).map(|i| format!("app::scenario{i}")).collect();
        let shards: Vec<Shard> = (1..=4).map(|i| Shard::parse(&format!("{i}/4")).unwrap()).collect();
        for n in &names {
            assert_eq!(shards.iter().filter(|s| s.includes(n)).count(), 1, "{n}");
        }
        assert!(shards.iter().all(|s| names.iter().filter(|n| s.includes(n)).count() > 20));
        for bad in ["0/2", "3/2", "a/b", "1", "1/0"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
