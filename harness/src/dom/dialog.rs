//! rrweb's dialog handling (`applyDialogToTopLevel`, `removeDialogFromTopLevel`): a recorded
//! `rr_open_mode` re-opens a dialog with `show()` or `showModal()`, which rewrites `open`.

use super::arena::Dom;
use super::node::{Idx, Text};

fn is_dialog(dom: &Dom<'_>, i: Idx) -> bool {
    dom.node(i).is_html("dialog")
}

/// `mutation_opens`: the attribute mutation being applied sets `open` to a string.
pub fn apply_to_top_level(dom: &mut Dom<'_>, i: Idx, mutation_opens: bool) {
    if !is_dialog(dom, i) {
        return;
    }
    let Some(e) = dom.element(i) else { return };
    let old_open = e.has_attr("open");
    let old_modal = old_open && e.modal;
    let mode = e.attr("rr_open_mode").map(str::to_owned);
    let new_open = mutation_opens || old_open;
    let new_modal = mode.as_deref() == Some("modal");
    if old_open && !((old_modal && mode.as_deref() == Some("non-modal")) || (!old_modal && new_modal)) {
        return;
    }
    if !dom.is_connected(i) {
        return;
    }
    let Some(e) = dom.element_mut(i) else { return };
    if old_open {
        e.remove_attr("open");
        e.modal = false;
    }
    if !new_open {
        return;
    }
    e.set_attr(Text::Ref("open"), Text::Ref(""));
    e.modal = new_modal;
}

/// An `open: null` attribute mutation also drops `rr_open_mode`.
pub fn remove_from_top_level(dom: &mut Dom<'_>, i: Idx) {
    if !is_dialog(dom, i) || !dom.is_connected(i) {
        return;
    }
    if let Some(e) = dom.element_mut(i) {
        e.remove_attr("open");
        e.remove_attr("rr_open_mode");
        e.modal = false;
    }
}
