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
    /// Where spliced blocks are written before they become shared text.
    scratch: String,
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

/// A memoized block after CSSOM operations, when `set_in` would only give new values to
/// properties the block has, without priority.
pub(super) enum Spliced<'r> {
    Unchanged,
    /// `serialize` of the new declarations: the memoized text with the values replaced (a
    /// memoized block has no box to fold). The entry now holds it.
    Changed(Text<'r>),
    /// Anything else: removals, new properties, priorities, shorthands, unstable values, more
    /// than `EDITS` operations, no entry.
    Other,
}

/// The most operations `splice` takes on (compact mutations carry one or two).
const EDITS: usize = 4;

impl<'r> StyleMemo<'r> {
    fn entry<'a>(slots: &'a [Option<Entry<'r>>], node: u32, text: &str) -> Option<&'a Entry<'r>> {
        let e = slots.get(node as usize % SLOTS)?.as_ref()?;
        // The entry holds its text alive, so no other live text can start at the same address.
        let same = e.node == node && !text.is_empty() && e.text.len() == text.len() && std::ptr::eq(e.text.as_ptr(), text.as_ptr());
        same.then_some(e)
    }

    /// Where the declarations of `text` are, if it is the text last memoized for this node.
    pub(super) fn get(&self, node: u32, text: &str) -> Option<&[Span]> {
        Self::entry(&self.slots, node, text).map(|e| &e.spans[..])
    }

    pub(super) fn put(&mut self, node: u32, text: Text<'r>, spans: Vec<Span>) {
        if self.slots.is_empty() {
            self.slots.resize_with(SLOTS, || None);
        }
        self.slots[node as usize % SLOTS] = Some(Entry { node, text, spans });
    }

    /// The block of `text`, memoized for this node, after `ops`, when `Spliced` can tell it
    /// without declarations. A changed block replaces the entry's text, its spans shifted.
    pub(super) fn splice(&mut self, node: u32, text: &str, ops: &[StyleOp<'_>]) -> Spliced<'r> {
        let StyleMemo { slots, scratch: out } = self;
        let Some(entry) = Self::entry(slots, node, text) else { return Spliced::Other };
        if ops.len() > EDITS {
            return Spliced::Other;
        }
        let spans = &entry.spans;
        let slice = |(at, len): (u32, u32)| text.get(at as usize..at as usize + len as usize);
        let mut values: [(usize, Cow<'_, str>); EDITS] = Default::default();
        let mut changed = false;
        for (i, op) in ops.iter().enumerate() {
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
            let current = match values[..i].iter().rposition(|(j, _)| *j == k) {
                Some(at) => Some(&*values[at].1),
                None => slice(spans[k].value),
            };
            changed |= current != Some(&*d.value);
            values[i] = (k, d.value);
        }
        if !changed {
            return Spliced::Unchanged;
        }
        let values = &values[..ops.len()];
        let last = |k: usize| values.iter().rev().find(|(j, _)| *j == k).map(|(_, v)| &**v);
        out.clear();
        let mut copied = 0usize;
        for (k, s) in spans.iter().enumerate() {
            let Some(value) = last(k) else { continue };
            let at = s.value.0 as usize;
            let Some(before) = text.get(copied..at) else { return Spliced::Other };
            out.push_str(before);
            out.push_str(value);
            copied = at + s.value.1 as usize;
        }
        let Some(rest) = text.get(copied..) else { return Spliced::Other };
        out.push_str(rest);
        if u32::try_from(out.len()).is_err() {
            return Spliced::Other;
        }
        // The same layout with the new lengths: every offset stays within the new text.
        let edits: [Option<(usize, u32)>; EDITS] = std::array::from_fn(|i| values.get(i).map(|(k, v)| (*k, v.len() as u32)));
        let new_text = Text::owned(out.as_str());
        let Some(Some(entry)) = slots.get_mut(node as usize % SLOTS) else { return Spliced::Other };
        let mut shift = 0i64;
        for (k, s) in entry.spans.iter_mut().enumerate() {
            let new_len = edits.iter().rev().flatten().find(|(j, _)| *j == k).map_or(s.value.1, |&(_, len)| len);
            s.name.0 = (i64::from(s.name.0) + shift) as u32;
            s.value.0 = (i64::from(s.value.0) + shift) as u32;
            shift += i64::from(new_len) - i64::from(s.value.1);
            s.value.1 = new_len;
        }
        entry.text = new_text.clone();
        Spliced::Changed(new_text)
    }
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
    let plain = |s: &str| !s.bytes().any(|b| matches!(b, b';' | b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'\\'));
    if plain(name) && plain(value) {
        return true;
    }
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
