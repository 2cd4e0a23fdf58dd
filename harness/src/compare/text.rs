//! Line diff of canonical DOM text, trimmed to what a failure message can show.

use similar::{ChangeTag, TextDiff as Similar};

#[derive(Debug, Clone, PartialEq)]
pub struct TextDiff {
    pub added: usize,
    pub removed: usize,
    /// A unified diff (`-` expected, `+` actual) with `context` lines around changes, cut after
    /// `max_lines` lines.
    pub unified: String,
    /// 1-based line number in the actual text of the first change.
    pub first_change: Option<usize>,
}

impl TextDiff {
    pub fn summary(&self) -> String {
        format!("{} line(s) differ (+{} -{})", self.added.max(self.removed), self.added, self.removed)
    }
}

pub fn diff_text(expected: &str, actual: &str, context: usize, max_lines: usize) -> TextDiff {
    let diff = Similar::from_lines(expected, actual);
    let (mut added, mut removed, mut first_change) = (0, 0, None);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => {
                added += 1;
                if first_change.is_none() {
                    first_change = change.new_index().map(|i| i + 1);
                }
            }
            ChangeTag::Delete => {
                removed += 1;
                if first_change.is_none() {
                    first_change = change.old_index().map(|i| i + 1);
                }
            }
            ChangeTag::Equal => {}
        }
    }
    let full = diff.unified_diff().context_radius(context).header("golden", "actual").to_string();
    let mut unified: String = full.lines().take(max_lines).map(|l| format!("{l}\n")).collect();
    let total = full.lines().count();
    if total > max_lines {
        unified.push_str(&format!("... {} more diff line(s)\n", total - max_lines));
    }
    TextDiff { added, removed, unified, first_change }
}

#[cfg(test)]
mod tests {
    use super::diff_text;

    #[test]
    fn counts_and_trims() {
        let d = diff_text("a\nb\nc\n", "a\nB\nc\nd\n", 1, 100);
        assert_eq!((d.added, d.removed), (2, 1));
        assert!(d.unified.contains("-b\n") && d.unified.contains("+B\n"));
        assert_eq!(d.first_change, Some(2));
        let long: String = (0..100).map(|i| format!("{i}\n")).collect();
        let d = diff_text("", &long, 3, 10);
        assert!(d.unified.contains("more diff line(s)"));
        assert!(diff_text("x\n", "x\n", 3, 10).unified.is_empty());
    }
}
