//! String interning for one load. Tag names, attribute names and short values repeat hundreds of
//! thousands of times in a recording; while a load runs, each distinct short string is
//! allocated once and shared. The table lives only as long as the load (a guard clears it), so a
//! long-running process keeps nothing between recordings.

use crate::model::Str;
use std::cell::RefCell;
use std::collections::HashSet;

/// Strings longer than this are rarely repeated (text, CSS, data URLs): not worth a lookup.
const MAX_INTERNED: usize = 48;

thread_local! {
    static TABLE: RefCell<Option<HashSet<Str>>> = const { RefCell::new(None) };
}

/// Interning is on for this thread while a `Session` lives.
pub struct Session {
    outer: bool,
}

impl Session {
    pub fn start() -> Session {
        let outer = TABLE.with(|t| {
            let mut t = t.borrow_mut();
            let outer = t.is_none();
            if outer {
                *t = Some(HashSet::new());
            }
            outer
        });
        Session { outer }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.outer {
            TABLE.with(|t| *t.borrow_mut() = None);
            super::wire::release_pools();
        }
    }
}

/// The shared copy of `s` during a load; a fresh one otherwise or when `s` is long.
pub fn intern(s: &str) -> Str {
    if s.len() > MAX_INTERNED {
        return Str::new(s);
    }
    TABLE.with(|t| match t.borrow_mut().as_mut() {
        Some(table) => match table.get(s) {
            Some(hit) => hit.clone(),
            None => {
                let v = Str::new(s);
                table.insert(v.clone());
                v
            }
        },
        None => Str::new(s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_within_a_session_only() {
        let (a, b) = {
            let _s = Session::start();
            (intern("class"), intern("class"))
        };
        assert!(Str::ptr_eq(&a, &b));
        let c = intern("class");
        assert!(!Str::ptr_eq(&a, &c), "no table outside a session");
        let long = "x".repeat(MAX_INTERNED + 1);
        let _s = Session::start();
        assert!(!Str::ptr_eq(&intern(&long), &intern(&long)));
        TABLE.with(|t| assert_eq!(t.borrow().as_ref().map(|t| t.len()), Some(0)));
    }
}
