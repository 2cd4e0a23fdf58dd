//! The auth token: held in a type that cannot be printed, so no `{:?}` or message shows it.

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, PartialEq, Eq)]
pub struct AuthToken(String);

impl AuthToken {
    /// The `Authorization` header value.
    pub(super) fn header(&self) -> String {
        format!("Bearer {}", self.0)
    }

    /// Replaces every occurrence of the token in `text` (a server may echo a request back).
    pub(super) fn scrub(&self, text: &str) -> String {
        if self.0.is_empty() {
            text.to_owned()
        } else {
            text.replace(&self.0, "[token]")
        }
    }
}

impl FromStr for AuthToken {
    type Err = Error;
    fn from_str(s: &str) -> Result<AuthToken> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Error::Usage("the auth token is empty".into()));
        }
        if !s.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Usage("the auth token holds characters that cannot be sent in an HTTP header".into()));
        }
        Ok(AuthToken(s.to_owned()))
    }
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthToken([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_itself() {
        let t: AuthToken = "sntrys_secret".parse().unwrap();
        assert!(!format!("{t:?}").contains("secret"));
        assert_eq!(t.scrub("echo sntrys_secret!"), "echo [token]!");
        assert!("a b".parse::<AuthToken>().is_err());
        assert!(" ".parse::<AuthToken>().is_err());
    }
}
