//! CSSOM state that the canonical text leaves out (CANONICAL.md §6) but a rendering needs:
//! rules inserted and deleted through `insertRule`/`deleteRule` (StyleSheetRule), declarations
//! changed inside rules (StyleDeclaration), and constructed sheets adopted by documents and
//! shadow roots (AdoptedStyleSheet). Kept as ordered top-level rule lists; operations on nested
//! rules (inside @media/@supports) are counted as not applied.

use super::arena::Dom;
use super::node::Idx;
use super::style_decl::{self, StyleOp};
use crate::model::{AdoptedStyleSheet, StyleDeclaration, StyleSheetRule};
use std::collections::HashMap;

/// One stylesheet's rules as the CSSOM holds them after the recorded operations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub rules: Vec<String>,
    /// Operations that target nested rules, which this model does not split out.
    pub unapplied: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Sheets {
    /// Sheets of `<style>` elements changed through the CSSOM, by node index.
    pub elements: HashMap<u32, Sheet>,
    /// Constructed sheets by rrweb `styleId`.
    pub constructed: HashMap<i64, Sheet>,
    /// Adopted sheet ids by host: a document or a shadow host (node index).
    pub adopted: HashMap<u32, Vec<i64>>,
}

/// Splits CSS text into its top-level rules (statements end at `;` outside blocks).
pub fn split_rules(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut quote, mut comment) = (0i32, 0usize, None::<u8>, false);
    let b = css.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if comment {
            if c == b'*' && b.get(i + 1) == Some(&b'/') {
                comment = false;
                i += 1;
            }
        } else if let Some(q) = quote {
            if c == b'\\' {
                i += 1;
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    comment = true;
                    i += 1;
                }
                b'"' | b'\'' => quote = Some(c),
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth <= 0 {
                        depth = 0;
                        push_rule(&mut out, &css[start..=i]);
                        start = i + 1;
                    }
                }
                b';' if depth == 0 => {
                    push_rule(&mut out, &css[start..=i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        i += 1;
    }
    push_rule(&mut out, &css[start..]);
    out
}

fn push_rule(out: &mut Vec<String>, s: &str) {
    let t = s.trim();
    let only_comment = t.len() >= 4 && t.starts_with("/*") && t.ends_with("*/") && !t[2..t.len() - 2].contains("*/");
    if !t.is_empty() && !only_comment {
        out.push(t.to_string());
    }
}

impl Sheet {
    fn from_text(css: &str) -> Sheet {
        Sheet { rules: split_rules(css), unapplied: 0 }
    }

    fn apply_rule_event(&mut self, e: &StyleSheetRule) {
        for (rule, index) in &e.adds {
            match index.as_ref().map(|i| i.0.as_slice()) {
                None => self.rules.insert(0, rule.clone()),
                Some([i]) => {
                    let at = (*i as usize).min(self.rules.len());
                    self.rules.insert(at, rule.clone());
                }
                Some(_) => self.unapplied += 1,
            }
        }
        for index in &e.removes {
            match index.0.as_slice() {
                [i] if (*i as usize) < self.rules.len() => {
                    self.rules.remove(*i as usize);
                }
                [_] => {}
                _ => self.unapplied += 1,
            }
        }
        for text in [&e.replace, &e.replace_sync].into_iter().flatten() {
            *self = Sheet::from_text(text);
        }
    }

    fn apply_declaration(&mut self, e: &StyleDeclaration) {
        let [i] = e.index.as_slice() else {
            self.unapplied += 1;
            return;
        };
        let Some(rule) = self.rules.get_mut(*i as usize) else { return };
        let (Some(open), Some(close)) = (rule.find('{'), rule.rfind('}')) else { return };
        let (selector, block) = (rule[..open].trim().to_string(), rule[open + 1..close].to_string());
        let ops: Vec<StyleOp<'_>> = match (&e.set, &e.remove) {
            (Some((p, v, prio)), _) => vec![StyleOp { property: p, value: v.as_deref(), priority: prio.as_deref().unwrap_or("") }],
            (None, Some(p)) => vec![StyleOp { property: p, value: None, priority: "" }],
            (None, None) => return,
        };
        if let Some(decls) = style_decl::restyle(&block, &ops) {
            *rule = if decls.is_empty() { format!("{selector} {{ }}") } else { format!("{selector} {{ {decls} }}") };
        }
    }
}

/// The sheet a StyleSheetRule/StyleDeclaration event targets, created on first use; `None`
/// when rrweb would find no sheet (unknown id, not a style element, unknown styleId).
fn target<'a>(dom: &'a mut Dom<'_>, id: Option<i64>, style_id: Option<i64>) -> Option<&'a mut Sheet> {
    if let Some(sid) = style_id.filter(|&s| s != 0) {
        return dom.sheets.constructed.get_mut(&sid);
    }
    let n = dom.get(id.filter(|&i| i != 0)?)?;
    if !dom.node(n).is_html("style") {
        return None;
    }
    let text = dom.child_text(n);
    Some(dom.sheets.elements.entry(n.0).or_insert_with(|| Sheet::from_text(&text)))
}

pub fn apply_rule_event(dom: &mut Dom<'_>, e: &StyleSheetRule) {
    if let Some(sheet) = target(dom, e.id, e.style_id) {
        sheet.apply_rule_event(e);
    }
}

pub fn apply_declaration(dom: &mut Dom<'_>, e: &StyleDeclaration) {
    if let Some(sheet) = target(dom, e.id, e.style_id) {
        sheet.apply_declaration(e);
    }
}

pub fn apply_adopted(dom: &mut Dom<'_>, e: &AdoptedStyleSheet) {
    let Some(host) = dom.get(e.id) else { return };
    for (style_id, rules) in &e.styles {
        let mut sheet = Sheet::default();
        for (rule, index) in rules {
            let at = index.map_or(0, |i| (i as usize).min(sheet.rules.len()));
            sheet.rules.insert(at, rule.clone());
        }
        dom.sheets.constructed.insert(*style_id, sheet);
    }
    let is_host = dom.shadow_root(host).is_some() || matches!(dom.node(host).data, super::node::Data::Document { .. });
    if is_host {
        let ids: Vec<i64> = e.style_ids.iter().copied().filter(|s| dom.sheets.constructed.contains_key(s)).collect();
        dom.sheets.adopted.insert(host.0, ids);
    }
}

/// A style element's text changed: the browser re-parses it and CSSOM edits are gone.
pub fn text_changed(dom: &mut Dom<'_>, style: Idx) {
    if !dom.sheets.elements.is_empty() {
        dom.sheets.elements.remove(&style.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_rules() {
        assert_eq!(
            split_rules("@import url(a.css); a{b:c} @media (x){ d{e:f} }  /* c */ g{h:\"}\"}"),
            vec!["@import url(a.css);", "a{b:c}", "@media (x){ d{e:f} }", "/* c */ g{h:\"}\"}"]
        );
    }
}
