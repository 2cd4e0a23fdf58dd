//! The declarations of the inline styles the CSSOM model wrote last, by element. Compact style
//! mutations come in runs on the same elements, and each would otherwise parse the whole block
//! the previous one wrote. An entry serves only the very text it was made for (the same
//! allocation, which it keeps alive), and is made only when parsing that text provably gives
//! back the declarations it was written from.

use super::node::Text;
use super::style_decl::{box_of, property_name, Decl, StyleOp, BOXES};
use super::style_value::normalize;
use std::borrow::Cow;
use std::fmt;

/// Entries are direct-mapped by node index: a lost entry only costs a parse.
const SLOTS: usize = 2048;

/// One declaration's place in a memoized text: (start, length) of its name and value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Span {
    name: (u32, u32),
    value: (u32, u32),
    important: bool,
}

impl Span {
    pub(super) fn decl<'a>(&self, text: &'a str) -> Option<Decl<'a>> {
        let slice = |(at, len): (u32, u32)| text.get(at as usize..at as usize + len as usize);
        Some(Decl { name: Cow::Borrowed(slice(self.name)?), value: Cow::Borrowed(slice(self.value)?), important: self.important, stable: true })
    }
}

struct Entry<'r> {
    node: u32,
    text: Text<'r>,
    spans: Vec<Span>,
}

/// A cache: cloning a `Dom` (a seek checkpoint) starts it empty.
#[derive(Default)]
pub struct StyleMemo<'r> {
    slots: Vec<Option<Entry<'r>>>,
}

impl Clone for StyleMemo<'_> {
    fn clone(&self) -> Self {
        StyleMemo::default()
    }
}

impl fmt::Debug for StyleMemo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StyleMemo({} entries)", self.slots.iter().flatten().count())
    }
}

impl<'r> StyleMemo<'r> {
    /// Where the declarations of `text` are, if it is the text last memoized for this node.
    pub(super) fn get(&self, node: u32, text: &str) -> Option<&[Span]> {
        let e = self.slots.get(node as usize % SLOTS)?.as_ref()?;
        // The entry holds its text alive, so no other live text can start at the same address.
        let same = e.node == node && !text.is_empty() && e.text.len() == text.len() && std::ptr::eq(e.text.as_ptr(), text.as_ptr());
        same.then_some(&e.spans)
    }

    pub(super) fn put(&mut self, node: u32, text: Text<'r>, spans: Vec<Span>) {
        if self.slots.is_empty() {
            self.slots.resize_with(SLOTS, || None);
        }
        self.slots[node as usize % SLOTS] = Some(Entry { node, text, spans });
    }
}

/// A memoized block after CSSOM operations, when `set_in` would only give new values to
/// properties the block has, without priority.
pub(super) enum Spliced {
    Unchanged,
    /// `serialize` of the new declarations (the memoized text with the values replaced, as no
    /// box folds), and where they are.
    Changed(String, Vec<Span>),
    /// Anything else: removals, new properties, priorities, shorthands, unstable values.
    Other,
}

/// The block of a memoized text after `ops`, when `Spliced` can tell it without declarations.
pub(super) fn splice(text: &str, spans: &[Span], ops: &[StyleOp<'_>]) -> Spliced {
    let slice = |(at, len): (u32, u32)| text.get(at as usize..at as usize + len as usize);
    let mut values: Vec<(usize, Cow<'_, str>)> = Vec::with_capacity(ops.len());
    let mut changed = false;
    for op in ops {
        let Some(raw) = op.value.map(str::trim) else { return Spliced::Other };
        let name = property_name(op.property);
        if !op.priority.is_empty() || raw.is_empty() || box_of(&name).is_some() {
            return Spliced::Other;
        }
        let Some(k) = spans.iter().position(|s| slice(s.name) == Some(&*name)) else { return Spliced::Other };
        if spans[k].important {
            return Spliced::Other;
        }
        let value = normalize(&name, raw);
        let d = Decl { name, stable: matches!(value, Cow::Borrowed(_)), value, important: false };
        if !(d.stable && stands_alone(&d)) {
            return Spliced::Other;
        }
        let current = match values.iter().rposition(|(j, _)| *j == k) {
            Some(i) => Some(&*values[i].1),
            None => slice(spans[k].value),
        };
        changed |= current != Some(&*d.value);
        values.push((k, d.value));
    }
    if !changed {
        return Spliced::Unchanged;
    }
    let mut out = String::with_capacity(text.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut new_spans = Vec::with_capacity(spans.len());
    let mut copied = 0usize;
    for (k, s) in spans.iter().enumerate() {
        let Some(value) = values.iter().rev().find(|(j, _)| *j == k).map(|(_, v)| &**v) else { continue };
        let (at, len) = (s.value.0 as usize, s.value.1 as usize);
        let Some(before) = text.get(copied..at) else { return Spliced::Other };
        out.push_str(before);
        out.push_str(value);
        copied = at + len;
    }
    let Some(rest) = text.get(copied..) else { return Spliced::Other };
    out.push_str(rest);
    // The same layout with the new lengths.
    let mut shift = 0i64;
    for (k, s) in spans.iter().enumerate() {
        let new_len = values.iter().rev().find(|(j, _)| *j == k).map_or(s.value.1 as usize, |(_, v)| v.len());
        let moved = |at: u32| u32::try_from(i64::from(at) + shift).ok();
        let (Some(name_at), Some(value_at), Ok(len)) = (moved(s.name.0), moved(s.value.0), u32::try_from(new_len)) else {
            return Spliced::Other;
        };
        new_spans.push(Span { name: (name_at, s.name.1), value: (value_at, len), important: s.important });
        shift += new_len as i64 - i64::from(s.value.1);
    }
    Spliced::Changed(out, new_spans)
}

/// Where each declaration lands in `serialize(decls)`, when parsing that text gives back exactly
/// these declarations: every one stable, written alone and in order (no four box longhands,
/// which `serialize` may fold), with unique names (as every block has).
pub(super) fn spans(decls: &[Decl<'_>]) -> Option<Vec<Span>> {
    let mut out = Vec::with_capacity(decls.len());
    let (mut at, mut longhands) = (0usize, 0);
    for (k, d) in decls.iter().enumerate() {
        if !d.stable {
            return None;
        }
        longhands += usize::from(d.name.starts_with("margin-") || d.name.starts_with("padding-"));
        if k > 0 {
            at += 1;
        }
        let name = (u32::try_from(at).ok()?, u32::try_from(d.name.len()).ok()?);
        at += d.name.len() + ": ".len();
        let value = (u32::try_from(at).ok()?, u32::try_from(d.value.len()).ok()?);
        at += d.value.len() + if d.important { " !important".len() } else { 0 } + ";".len();
        out.push(Span { name, value, important: d.important });
    }
    let folds = longhands >= 4 && BOXES.iter().any(|(_, l)| l.iter().all(|n| decls.iter().any(|d| d.name == *n)));
    (!folds).then_some(out)
}

/// Whether a declaration from a CSSOM call, whose value normalizing keeps, is stable: parsing
/// `name: value[ !important];` finds this name (trimmed, before the first colon), this value
/// (trimmed, the same `!important`), no comment, and no top-level `;` nor an open parenthesis,
/// bracket or quote at the end.
pub(super) fn stands_alone(d: &Decl<'_>) -> bool {
    let (name, value) = (&*d.name, &*d.value);
    let edges = |s: &str| s.as_bytes().first().is_some_and(u8::is_ascii_graphic) && s.as_bytes().last().is_some_and(u8::is_ascii_graphic);
    let looks_important = value.rfind('!').is_some_and(|b| value[b + 1..].trim().eq_ignore_ascii_case("important"));
    edges(name)
        && edges(value)
        && !name.contains(':')
        && box_of(name).is_none()
        && !opens_comment(name)
        && !opens_comment(value)
        && (d.important || !looks_important)
        && balanced(name, value, d.important)
}

/// `s.contains("/*")` without a substring searcher for a few bytes.
fn opens_comment(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| w == b"/*")
}

/// The split state of `parse_block` over the written declaration: no top-level `;`, and
/// nothing left open.
fn balanced(name: &str, value: &str, important: bool) -> bool {
    let tail: &[u8] = if important { b" !important" } else { b"" };
    let (mut depth, mut quote, mut skip) = (0i32, None::<u8>, false);
    for &c in name.as_bytes().iter().chain(b": ").chain(value.as_bytes()).chain(tail) {
        if skip {
            skip = false;
            continue;
        }
        match quote {
            Some(_) if c == b'\\' => skip = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b';' if depth <= 0 => return false,
                _ => {}
            },
        }
    }
    depth == 0 && quote.is_none()
}
