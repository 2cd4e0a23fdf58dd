//! gzip / zlib detection and inflation, and Sentry's packed blob layout (sentry.md §1.2).

use crate::error::{Error, Location, Result};
use std::io::Read;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zlib,
}

/// Recognizes a gzip member or a zlib stream by its header bytes.
pub fn sniff(bytes: &[u8]) -> Option<Compression> {
    match bytes {
        [0x1f, 0x8b, ..] => Some(Compression::Gzip),
        [cmf, flg, ..] if cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0 => {
            Some(Compression::Zlib)
        }
        _ => None,
    }
}

/// Inflates `bytes` if (and as long as) they are compressed; plain bytes come back unchanged.
pub fn inflate_all(mut bytes: Vec<u8>, loc: &Location) -> Result<Vec<u8>> {
    // Two layers at most: e.g. a gzip file that holds a zlib blob.
    for _ in 0..2 {
        let Some(kind) = sniff(&bytes) else { return Ok(bytes) };
        bytes = inflate(&bytes, kind, loc)?;
    }
    Ok(bytes)
}

pub fn inflate(bytes: &[u8], kind: Compression, loc: &Location) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() * 6);
    let res = match kind {
        Compression::Gzip => flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out),
        Compression::Zlib => flate2::read::ZlibDecoder::new(bytes).read_to_end(&mut out),
    };
    let name = match kind {
        Compression::Gzip => "gzip",
        Compression::Zlib => "zlib",
    };
    match res {
        Ok(_) => {
            // The buffer grew by doubling; the recording keeps it, so drop the slack now.
            out.shrink_to_fit();
            Ok(out)
        }
        Err(e) => Err(Error::input(
            loc.clone(),
            format!("corrupt or truncated {name} data ({e}) after {} bytes of output", out.len()),
        )),
    }
}

/// Splits a Sentry packed blob: `0x00` + rrweb JSON, or `0x01` + u32 BE video length + video +
/// rrweb JSON. Anything else is returned unchanged with no video.
pub fn unpack(bytes: Vec<u8>, loc: &Location) -> Result<(Option<Vec<u8>>, Vec<u8>)> {
    match bytes.first() {
        Some(0x00) => Ok((None, bytes[1..].to_vec())),
        Some(0x01) => {
            if bytes.len() < 5 {
                return Err(Error::input(loc.clone().byte(1), "packed blob ends inside its video length"));
            }
            let len = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]) as usize;
            let end = 5usize.checked_add(len).filter(|&e| e <= bytes.len()).ok_or_else(|| {
                Error::input(
                    loc.clone().byte(1),
                    format!("packed blob declares {len} video bytes but only {} follow", bytes.len() - 5),
                )
            })?;
            Ok((Some(bytes[5..end].to_vec()), bytes[end..].to_vec()))
        }
        _ => Ok((None, bytes)),
    }
}

/// UTF-8 text, or an error naming the first bad byte.
pub fn into_text(bytes: Vec<u8>, loc: &Location) -> Result<String> {
    String::from_utf8(bytes).map(super::surrogates::replace_lone_surrogates).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Error::input(loc.clone().byte(at as u64), "not UTF-8 text (and not a known binary format)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::{GzEncoder, ZlibEncoder};
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn sniffs_and_inflates_both_wrappers() {
        let loc = Location::file("t");
        let z = zlib(b"[1]");
        assert_eq!(sniff(&z), Some(Compression::Zlib));
        assert_eq!(inflate_all(z, &loc).unwrap(), b"[1]");
        let mut g = GzEncoder::new(Vec::new(), flate2::Compression::default());
        g.write_all(b"[2]").unwrap();
        assert_eq!(inflate_all(g.finish().unwrap(), &loc).unwrap(), b"[2]");
        assert_eq!(sniff(b"[]"), None);
        assert_eq!(sniff(b"{\"a\":1}"), None);
    }

    #[test]
    fn truncated_streams_are_errors() {
        let z = zlib(&vec![b'a'; 10_000]);
        let cut = &z[..z.len() / 2];
        assert!(inflate(cut, Compression::Zlib, &Location::file("t")).is_err());
    }

    #[test]
    fn packed_blobs_split_video_and_json() {
        let loc = Location::file("t");
        let mut b = vec![1, 0, 0, 0, 3, 9, 9, 9];
        b.extend_from_slice(b"[]");
        let (video, json) = unpack(b, &loc).unwrap();
        assert_eq!(video.unwrap(), vec![9, 9, 9]);
        assert_eq!(json, b"[]");
        assert!(unpack(vec![1, 0, 0, 1, 0, 1], &loc).is_err());
        assert_eq!(unpack(vec![0, b'[', b']'], &loc).unwrap().1, b"[]");
    }
}
