//! Parsing selector lists: compounds of type, `#id`, `.class`, `[attr op value i]` and pseudo
//! classes, joined by descendant, `>`, `+` and `~` combinators, in comma lists.

use crate::error::{Error, Result};

/// A parsed selector list: matches an element if any of its complex selectors does.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector(pub(crate) Vec<Complex>);

/// Compounds right to left: `parts[0]` is the subject; `parts[i].1` is the combinator that
/// links `parts[i]` to `parts[i + 1]` (its left neighbour).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Complex {
    pub parts: Vec<(Compound, Combinator)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Combinator {
    Descendant,
    Child,
    Adjacent,
    Sibling,
    /// Placeholder for the leftmost compound.
    None,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Compound {
    /// Lower-cased tag name; None for `*` or no type.
    pub tag: Option<String>,
    pub simples: Vec<Simple>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Simple {
    Id(String),
    Class(String),
    Attr { name: String, op: AttrOp, value: String, case_insensitive: bool },
    Nth { of_type: bool, from_end: bool, a: i64, b: i64 },
    Not(Selector),
    Checked,
    Root,
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttrOp {
    Exists,
    Equals,
    Prefix,
    Suffix,
    Substring,
    Word,
    DashMatch,
}

const MAX_NESTING: usize = 8;
const MAX_COMPOUNDS: usize = 64;

struct Parser<'a> {
    s: &'a [char],
    i: usize,
    src: &'a str,
}

fn err(src: &str, msg: impl std::fmt::Display) -> Error {
    Error::Usage(format!("bad selector `{src}`: {msg} (see docs/selectors.md)"))
}

/// Parses a selector list such as `form input[name=email], #submit`.
pub fn parse(src: &str) -> Result<Selector> {
    let chars: Vec<char> = src.chars().collect();
    let mut p = Parser { s: &chars, i: 0, src };
    let sel = p.list(0)?;
    p.ws();
    if p.i < chars.len() {
        return Err(err(src, format!("unexpected `{}`", chars[p.i])));
    }
    Ok(sel)
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) -> bool {
        let start = self.i;
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
        self.i > start
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn list(&mut self, depth: usize) -> Result<Selector> {
        if depth > MAX_NESTING {
            return Err(err(self.src, "nesting too deep"));
        }
        let mut out = vec![self.complex(depth)?];
        loop {
            self.ws();
            if !self.eat(',') {
                break;
            }
            out.push(self.complex(depth)?);
        }
        Ok(Selector(out))
    }

    fn complex(&mut self, depth: usize) -> Result<Complex> {
        self.ws();
        let mut left_to_right: Vec<(Combinator, Compound)> = vec![(Combinator::None, self.compound(depth)?)];
        loop {
            let had_ws = self.ws();
            let comb = match self.peek() {
                Some('>') => Combinator::Child,
                Some('+') => Combinator::Adjacent,
                Some('~') => Combinator::Sibling,
                Some(',') | Some(')') | None => break,
                Some(_) if had_ws => Combinator::Descendant,
                Some(c) => return Err(err(self.src, format!("unexpected `{c}`"))),
            };
            if comb != Combinator::Descendant {
                self.i += 1;
                self.ws();
            }
            left_to_right.push((comb, self.compound(depth)?));
            if left_to_right.len() > MAX_COMPOUNDS {
                return Err(err(self.src, "too many compounds"));
            }
        }
        // Right to left, each compound with the combinator towards its left neighbour.
        let n = left_to_right.len();
        let mut parts = Vec::with_capacity(n);
        for k in (0..n).rev() {
            let comb = if k == 0 { Combinator::None } else { left_to_right[k].0 };
            parts.push((left_to_right[k].1.clone(), comb));
        }
        Ok(Complex { parts })
    }

    fn compound(&mut self, depth: usize) -> Result<Compound> {
        let mut c = Compound::default();
        if self.eat('*') {
        } else if self.peek().is_some_and(|ch| ch.is_alphabetic() || ch == '_' || ch == '-' || ch == '\\' || !ch.is_ascii()) {
            c.tag = Some(self.ident()?.to_lowercase());
        }
        loop {
            match self.peek() {
                Some('#') => {
                    self.i += 1;
                    c.simples.push(Simple::Id(self.ident()?));
                }
                Some('.') => {
                    self.i += 1;
                    c.simples.push(Simple::Class(self.ident()?));
                }
                Some('[') => {
                    self.i += 1;
                    c.simples.push(self.attr()?);
                }
                Some(':') => {
                    self.i += 1;
                    let simple = self.pseudo(depth, &mut c.simples)?;
                    c.simples.push(simple);
                }
                _ => break,
            }
        }
        if c.tag.is_none() && c.simples.is_empty() && self.s.get(self.i.wrapping_sub(1)) != Some(&'*') {
            return Err(err(self.src, match self.peek() {
                Some(ch) => format!("expected a selector at `{ch}`"),
                None => "expected a selector at the end".into(),
            }));
        }
        Ok(c)
    }

    fn ident(&mut self) -> Result<String> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '\\' {
                self.i += 1;
                let hex: String = self.s[self.i..].iter().take(6).take_while(|c| c.is_ascii_hexdigit()).collect();
                if !hex.is_empty() {
                    self.i += hex.len();
                    out.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or('\u{fffd}'));
                    if self.peek() == Some(' ') {
                        self.i += 1;
                    }
                } else if let Some(ch) = self.peek() {
                    out.push(ch);
                    self.i += 1;
                }
            } else if c.is_alphanumeric() || c == '-' || c == '_' || !c.is_ascii() {
                out.push(c);
                self.i += 1;
            } else {
                break;
            }
        }
        if out.is_empty() {
            return Err(err(self.src, "expected a name"));
        }
        Ok(out)
    }

    fn string_or_ident(&mut self) -> Result<String> {
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.i += 1;
                let mut out = String::new();
                loop {
                    match self.peek() {
                        None => return Err(err(self.src, "unterminated string")),
                        Some(c) if c == q => {
                            self.i += 1;
                            return Ok(out);
                        }
                        Some('\\') => {
                            self.i += 1;
                            if let Some(c) = self.peek() {
                                out.push(c);
                                self.i += 1;
                            }
                        }
                        Some(c) => {
                            out.push(c);
                            self.i += 1;
                        }
                    }
                }
            }
            _ => self.ident(),
        }
    }

    fn attr(&mut self) -> Result<Simple> {
        self.ws();
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || matches!(c, '=' | ']' | '^' | '$' | '*' | '~' | '|') {
                break;
            }
            name.push(c);
            self.i += 1;
        }
        if name.is_empty() {
            return Err(err(self.src, "expected an attribute name"));
        }
        self.ws();
        let op = match self.peek() {
            Some(']') => {
                self.i += 1;
                return Ok(Simple::Attr { name, op: AttrOp::Exists, value: String::new(), case_insensitive: false });
            }
            Some('=') => AttrOp::Equals,
            Some('^') => AttrOp::Prefix,
            Some('$') => AttrOp::Suffix,
            Some('*') => AttrOp::Substring,
            Some('~') => AttrOp::Word,
            Some('|') => AttrOp::DashMatch,
            _ => return Err(err(self.src, "expected `]` or an attribute operator")),
        };
        self.i += 1;
        if op != AttrOp::Equals && !self.eat('=') {
            return Err(err(self.src, "expected `=`"));
        }
        self.ws();
        let value = self.string_or_ident()?;
        self.ws();
        let mut case_insensitive = false;
        if matches!(self.peek(), Some('i' | 'I')) {
            case_insensitive = true;
            self.i += 1;
            self.ws();
        } else if matches!(self.peek(), Some('s' | 'S')) {
            self.i += 1;
            self.ws();
        }
        if !self.eat(']') {
            return Err(err(self.src, "expected `]`"));
        }
        Ok(Simple::Attr { name, op, value, case_insensitive })
    }

    fn pseudo(&mut self, depth: usize, out: &mut Vec<Simple>) -> Result<Simple> {
        let name = self.ident()?.to_ascii_lowercase();
        let nth = |of_type, from_end| move |a, b| Simple::Nth { of_type, from_end, a, b };
        let simple = match name.as_str() {
            "first-child" => Simple::Nth { of_type: false, from_end: false, a: 0, b: 1 },
            "last-child" => Simple::Nth { of_type: false, from_end: true, a: 0, b: 1 },
            "first-of-type" => Simple::Nth { of_type: true, from_end: false, a: 0, b: 1 },
            "last-of-type" => Simple::Nth { of_type: true, from_end: true, a: 0, b: 1 },
            "only-child" => {
                out.push(Simple::Nth { of_type: false, from_end: false, a: 0, b: 1 });
                Simple::Nth { of_type: false, from_end: true, a: 0, b: 1 }
            }
            "only-of-type" => {
                out.push(Simple::Nth { of_type: true, from_end: false, a: 0, b: 1 });
                Simple::Nth { of_type: true, from_end: true, a: 0, b: 1 }
            }
            "checked" => Simple::Checked,
            "root" => Simple::Root,
            "empty" => Simple::Empty,
            "nth-child" | "nth-last-child" | "nth-of-type" | "nth-last-of-type" => {
                let make = nth(name.ends_with("of-type"), name.contains("last"));
                if !self.eat('(') {
                    return Err(err(self.src, format!(":{name} needs an argument")));
                }
                let (a, b) = self.anb()?;
                if !self.eat(')') {
                    return Err(err(self.src, "expected `)`"));
                }
                make(a, b)
            }
            "not" => {
                if !self.eat('(') {
                    return Err(err(self.src, ":not needs an argument"));
                }
                let inner = self.list(depth + 1)?;
                self.ws();
                if !self.eat(')') {
                    return Err(err(self.src, "expected `)`"));
                }
                Simple::Not(inner)
            }
            other => return Err(err(self.src, format!("unsupported pseudo-class :{other}"))),
        };
        Ok(simple)
    }

    /// `an+b`, `odd`, `even` or an integer.
    fn anb(&mut self) -> Result<(i64, i64)> {
        self.ws();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            if c == ')' {
                break;
            }
            if !c.is_whitespace() {
                text.push(c.to_ascii_lowercase());
            }
            self.i += 1;
        }
        let bad = || err(self.src, format!("cannot read `{text}` as an+b"));
        match text.as_str() {
            "odd" => return Ok((2, 1)),
            "even" => return Ok((2, 0)),
            _ => {}
        }
        let num = |s: &str| -> Option<i64> { s.parse::<i64>().ok() };
        match text.split_once('n') {
            None => Ok((0, num(&text).ok_or_else(bad)?)),
            Some((a, b)) => {
                let a = match a {
                    "" | "+" => 1,
                    "-" => -1,
                    x => num(x).ok_or_else(bad)?,
                };
                let b = if b.is_empty() { 0 } else { num(b.strip_prefix('+').unwrap_or(b)).ok_or_else(bad)? };
                Ok((a, b))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        for ok in [
            "div",
            "*",
            "#a.b.c",
            "form > input[name=\"email\"]",
            "ul li:nth-of-type(2n+1)",
            "a[href^=http], a[href$='.pdf' i]",
            "p ~ span + b",
            "li:first-child:not(.x, #y)",
            "[data-x*=\"a b\"][class~=c][lang|=en]",
            "td:nth-child(odd):nth-last-of-type(-n+3)",
            "#\\31 23",
        ] {
            assert!(parse(ok).is_ok(), "{ok}: {:?}", parse(ok));
        }
        for bad in ["", "div >", "[x", "a:hover", "a[=b]", ":nth-child(x)", "a,", "a b)"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(parse("#\\31 23").unwrap().0[0].parts[0].0.simples, vec![Simple::Id("123".into())]);
    }
}
