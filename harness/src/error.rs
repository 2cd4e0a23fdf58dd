//! The library's one error type. Every input error says where: file, segment, frame or byte.

use std::fmt;
use std::path::PathBuf;

/// Where in the input something went wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub segment: Option<u32>,
    pub frame: Option<u32>,
    pub byte: Option<u64>,
    /// Extra context such as `envelope item 2` or `window abc`.
    pub detail: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Location {
        Location { file: file.into(), ..Location::default() }
    }
    pub fn segment(mut self, segment: u32) -> Location {
        self.segment = Some(segment);
        self
    }
    pub fn frame(mut self, frame: u32) -> Location {
        self.frame = Some(frame);
        self
    }
    pub fn byte(mut self, byte: u64) -> Location {
        self.byte = Some(byte);
        self
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Location {
        self.detail = Some(detail.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(d) = &self.detail {
            write!(f, ": {d}")?;
        }
        if let Some(s) = self.segment {
            write!(f, ": segment {s}")?;
        }
        if let Some(fr) = self.frame {
            write!(f, ", frame {fr}")?;
        }
        if let Some(b) = self.byte {
            write!(f, " (byte {b})")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // The cause is in the message, not chained as a source: `{:#}` would print it twice.
    #[error("{path}: {cause}")]
    Io { path: PathBuf, cause: std::io::Error },
    /// Input that cannot be read as what it claims to be.
    #[error("{location}: {message}")]
    Input { location: Location, message: String },
    /// A request that makes no sense (bad offset, unknown kind, no such node...).
    #[error("{0}")]
    Usage(String),
    /// A browser, network or other environment failure.
    #[error("{0}")]
    Environment(String),
}

impl Error {
    pub fn input(location: Location, message: impl Into<String>) -> Error {
        Error::Input { location, message: message.into() }
    }
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), cause: source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
