//! `REPRISE_UPDATE=auto|new|always|no` (insta's modes): what to do with a mismatch.

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateMode {
    /// Write nothing; mismatches and missing goldens fail.
    No,
    /// Write `<file>.new` beside the golden for review; the check fails.
    New,
    /// Overwrite the golden and pass.
    Always,
}

impl UpdateMode {
    /// Resolves the mode from `REPRISE_UPDATE` (or `--update`, which means `always`) and `CI`:
    /// `auto` (the default) is `no` under CI and `new` otherwise, and CI never writes at all.
    pub fn resolve(flag_update: bool, env_update: Option<&str>, ci: bool) -> Result<UpdateMode> {
        let requested = match (flag_update, env_update.map(str::trim)) {
            (true, _) => Some(UpdateMode::Always),
            (false, None | Some("" | "auto")) => None,
            (false, Some("new")) => Some(UpdateMode::New),
            (false, Some("always")) => Some(UpdateMode::Always),
            (false, Some("no")) => Some(UpdateMode::No),
            (false, Some(other)) => {
                return Err(Error::Usage(format!("REPRISE_UPDATE={other}: expected auto, new, always or no")))
            }
        };
        Ok(if ci { UpdateMode::No } else { requested.unwrap_or(UpdateMode::New) })
    }

    /// From the process environment.
    pub fn from_env(flag_update: bool) -> Result<UpdateMode> {
        let env = std::env::var("REPRISE_UPDATE").ok();
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
        UpdateMode::resolve(flag_update, env.as_deref(), ci)
    }
}

#[cfg(test)]
mod tests {
    use super::UpdateMode::*;
    use super::*;

    #[test]
    fn auto_is_new_locally_and_no_in_ci_and_ci_never_writes() {
        assert_eq!(UpdateMode::resolve(false, None, false).unwrap(), New);
        assert_eq!(UpdateMode::resolve(false, Some("auto"), true).unwrap(), No);
        assert_eq!(UpdateMode::resolve(false, Some("always"), false).unwrap(), Always);
        assert_eq!(UpdateMode::resolve(true, None, false).unwrap(), Always);
        assert_eq!(UpdateMode::resolve(true, Some("always"), true).unwrap(), No);
        assert_eq!(UpdateMode::resolve(false, Some("no"), false).unwrap(), No);
        assert!(UpdateMode::resolve(false, Some("yes"), false).is_err());
    }
}
