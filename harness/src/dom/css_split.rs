//! rrweb's `applyCssSplits`: how a recorded `_cssText` with `/* rr_split */` markers is written
//! back into a `<style>`'s text children. Reproduced literally, in UTF-16 code units, including
//! its prefix search and its `0p`/`x` "errorOffset" repair (CANONICAL.md §4.7).

const MARKER: &str = "/* rr_split */";

/// The text each of `text_children` Text children receives; `None` keeps its recorded text.
pub fn apply_css_splits(css: &str, text_children: usize) -> Vec<Option<String>> {
    let mut out = vec![None; text_children];
    if text_children == 0 {
        return out;
    }
    // One piece, or one child: the first child gets the pieces joined (a UTF-16 round trip of
    // a `str` changes nothing), which is the case of nearly every style element.
    if text_children == 1 || !css.contains(MARKER) {
        out[0] = Some(css.replace(MARKER, ""));
        return out;
    }
    let mut splits: Vec<Vec<u16>> = css.split(MARKER).map(|s| s.encode_utf16().collect()).collect();
    while splits.len() > 1 && splits.len() > text_children {
        let last = splits.pop().unwrap_or_default();
        if let Some(prev) = splits.last_mut() {
            prev.extend(last);
        }
    }
    if text_children == 1 || splits.len() == 1 {
        out[0] = Some(String::from_utf16_lossy(&splits.concat()));
        if splits.len() == 1 {
            return out;
        }
    }
    let adapted: Vec<u16> = splits.concat();
    let mut start: usize = 0;
    let mut error_offset: Option<usize> = None;
    for (i, slot) in out.iter_mut().enumerate() {
        if i == splits.len() {
            break;
        }
        let mut section = splits[i].clone();
        let next = splits.get(i + 1).filter(|n| !n.is_empty());
        if let Some(next) = next {
            let mut end = start;
            let mut found = false;
            let mut end_search = next.len().min(30);
            let rest = substring(&adapted, start, adapted.len());
            while end_search > 2 {
                if let Some(pos) = index_of(&rest, &next[..end_search]) {
                    end += pos;
                    found = true;
                    break;
                }
                end_search -= 1;
            }
            if !found {
                end += section.len();
            }
            section = substring(&adapted, start, end);
            start = end;
        } else {
            section = substring(&adapted, start, adapted.len());
        }
        if let Some(off) = error_offset {
            section = substring(&section, off, section.len());
        }
        if let Some(next) = next {
            let repair = error_offset.is_some() || (section.ends_with(&[0x30, 0x70]) && next.first() == Some(&0x78));
            if repair {
                error_offset = index_of(next, &[0x7d]).map(|p| p + 1);
                if let Some(off) = error_offset {
                    section.extend_from_slice(&next[..off]);
                }
            }
        }
        *slot = Some(String::from_utf16_lossy(&section));
    }
    out
}

/// ECMAScript `String.prototype.substring`: clamps both ends and swaps them if reversed.
fn substring(s: &[u16], a: usize, b: usize) -> Vec<u16> {
    let (a, b) = (a.min(s.len()), b.min(s.len()));
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    s[a..b].to_vec()
}

fn index_of(hay: &[u16], needle: &[u16]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    let first = needle[0];
    let last_start = hay.len().checked_sub(needle.len())?;
    (0..=last_start).find(|&i| hay[i] == first && hay[i..i + needle.len()] == *needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(css: &str, n: usize, expected: &[Option<&str>]) {
        let got = apply_css_splits(css, n);
        let want: Vec<Option<String>> = expected.iter().map(|o| o.map(String::from)).collect();
        assert_eq!(got, want, "{css:?} into {n}");
    }

    #[test]
    fn splits_follow_rrweb() {
        check(".a{}/* rr_split */.b{}", 2, &[Some(".a{}"), Some(".b{}")]);
        check(".a{}/* rr_split */.b{}", 1, &[Some(".a{}.b{}")]);
        check(".a{}/* rr_split */.b{}/* rr_split */.c{}", 2, &[Some(".a{}"), Some(".b{}.c{}")]);
        check(".a{}", 3, &[Some(".a{}"), None, None]);
        check("é{}/* rr_split */.b{}/* rr_split */", 1, &[Some("é{}.b{}")]);
        // The next part's prefix occurring early moves the boundary, as in rrweb.
        check("x{}.b{}/* rr_split */.b{}", 2, &[Some("x{}"), Some(".b{}.b{}")]);
    }

    #[test]
    fn error_offset_repair() {
        check("a{width:10p/* rr_split */x}b{}", 2, &[Some("a{width:10px}"), Some("b{}")]);
    }
}
