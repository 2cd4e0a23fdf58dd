//! Just enough MessagePack to read a `replay_video` item: a map of string keys to binary (or
//! string) values, in any of the legal widths. Other value types are skipped.

use crate::error::{Error, Location, Result};

#[derive(Debug, PartialEq)]
pub enum Scalar<'a> {
    Bytes(&'a [u8]),
    Other,
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    loc: &'a Location,
}

impl<'a> Reader<'a> {
    fn err(&self, msg: impl Into<String>) -> Error {
        Error::input(self.loc.clone().byte(self.pos as u64), format!("MessagePack: {}", msg.into()))
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or_else(|| {
            self.err(format!("needs {n} more bytes but only {} remain", self.buf.len() - self.pos))
        })?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn uint(&mut self, width: usize) -> Result<usize> {
        let b = self.take(width)?;
        Ok(b.iter().fold(0usize, |acc, &x| (acc << 8) | usize::from(x)))
    }
    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    /// Reads one value; strings and binaries come back as bytes, everything else is skipped.
    fn value(&mut self, depth: usize) -> Result<Scalar<'a>> {
        if depth > 64 {
            return Err(self.err("nested too deeply"));
        }
        let tag = self.byte()?;
        let skip_items = |r: &mut Reader<'a>, n: usize| -> Result<Scalar<'a>> {
            for _ in 0..n {
                r.value(depth + 1)?;
            }
            Ok(Scalar::Other)
        };
        match tag {
            0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => Ok(Scalar::Other),
            0xa0..=0xbf => {
                let n = usize::from(tag & 0x1f);
                Ok(Scalar::Bytes(self.take(n)?))
            }
            0xd9 | 0xc4 => {
                let n = self.uint(1)?;
                Ok(Scalar::Bytes(self.take(n)?))
            }
            0xda | 0xc5 => {
                let n = self.uint(2)?;
                Ok(Scalar::Bytes(self.take(n)?))
            }
            0xdb | 0xc6 => {
                let n = self.uint(4)?;
                Ok(Scalar::Bytes(self.take(n)?))
            }
            0xcc | 0xd0 => self.take(1).map(|_| Scalar::Other),
            0xcd | 0xd1 => self.take(2).map(|_| Scalar::Other),
            0xce | 0xd2 | 0xca => self.take(4).map(|_| Scalar::Other),
            0xcf | 0xd3 | 0xcb => self.take(8).map(|_| Scalar::Other),
            0xd4 => self.take(2).map(|_| Scalar::Other),
            0xd5 => self.take(3).map(|_| Scalar::Other),
            0xd6 => self.take(5).map(|_| Scalar::Other),
            0xd7 => self.take(9).map(|_| Scalar::Other),
            0xd8 => self.take(17).map(|_| Scalar::Other),
            0xc7 => {
                let n = self.uint(1)?;
                self.take(n + 1).map(|_| Scalar::Other)
            }
            0xc8 => {
                let n = self.uint(2)?;
                self.take(n + 1).map(|_| Scalar::Other)
            }
            0xc9 => {
                let n = self.uint(4)?;
                self.take(n + 1).map(|_| Scalar::Other)
            }
            0x90..=0x9f => skip_items(self, usize::from(tag & 0x0f)),
            0xdc => {
                let n = self.uint(2)?;
                skip_items(self, n)
            }
            0xdd => {
                let n = self.uint(4)?;
                skip_items(self, n)
            }
            0x80..=0x8f => skip_items(self, 2 * usize::from(tag & 0x0f)),
            0xde => {
                let n = self.uint(2)?;
                skip_items(self, 2 * n)
            }
            0xdf => {
                let n = self.uint(4)?;
                skip_items(self, 2 * n)
            }
            0xc1 => Err(self.err("reserved byte 0xc1")),
        }
    }
}

/// True when the bytes start like a MessagePack map.
pub fn looks_like_map(bytes: &[u8]) -> bool {
    matches!(bytes.first(), Some(0x81..=0x8f | 0xde | 0xdf))
}

/// Reads a top-level map and returns its string-keyed byte values in order.
pub fn read_map<'a>(buf: &'a [u8], loc: &'a Location) -> Result<Vec<(String, &'a [u8])>> {
    let mut r = Reader { buf, pos: 0, loc };
    let tag = r.byte()?;
    let n = match tag {
        0x80..=0x8f => usize::from(tag & 0x0f),
        0xde => r.uint(2)?,
        0xdf => r.uint(4)?,
        _ => return Err(r.err(format!("expected a map, found byte 0x{tag:02x}"))),
    };
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let key_at = r.pos;
        let key = match r.value(0)? {
            Scalar::Bytes(k) => String::from_utf8_lossy(k).into_owned(),
            Scalar::Other => {
                r.pos = key_at;
                return Err(r.err("map key is not a string"));
            }
        };
        if let Scalar::Bytes(v) = r.value(0)? {
            out.push((key, v));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_java_cocoa_layout_and_other_widths() {
        let mut b = vec![0x83];
        for (k, v) in [("replay_event", &b"{}"[..]), ("replay_recording", b"x"), ("replay_video", b"mp4")] {
            b.push(0xd9);
            b.push(k.len() as u8);
            b.extend_from_slice(k.as_bytes());
            b.push(0xc6);
            b.extend_from_slice(&(v.len() as u32).to_be_bytes());
            b.extend_from_slice(v);
        }
        let loc = Location::file("t");
        let m = read_map(&b, &loc).unwrap();
        assert_eq!(m[2], ("replay_video".to_string(), &b"mp4"[..]));
        // fixstr key, bin8 value
        let small = [0x81, 0xa1, b'k', 0xc4, 2, b'h', b'i'];
        assert_eq!(read_map(&small, &loc).unwrap()[0].1, b"hi");
    }

    #[test]
    fn truncation_is_an_error() {
        let b = [0x81, 0xa1, b'k', 0xc6, 0, 0, 0, 9, 1];
        let loc = Location::file("t");
        assert!(read_map(&b, &loc).is_err());
        assert!(read_map(&[0x81], &loc).is_err());
    }
}
