//! rrweb's id mirror: rrweb id -> node. Dense for the ids recorders produce (small positive
//! integers), sparse for anything else, so hostile ids cost no memory.

use super::node::NIL;
use std::collections::HashMap;

use crate::model::DENSE_IDS as DENSE_LIMIT;

#[derive(Debug, Clone, Default)]
pub struct Mirror {
    dense: Vec<u32>,
    sparse: HashMap<i64, u32>,
    len: usize,
}

impl Mirror {
    pub fn get(&self, id: i64) -> Option<u32> {
        if (0..DENSE_LIMIT).contains(&id) {
            match self.dense.get(id as usize) {
                Some(&v) if v != NIL => Some(v),
                _ => None,
            }
        } else {
            self.sparse.get(&id).copied()
        }
    }

    pub fn set(&mut self, id: i64, idx: u32) {
        if (0..DENSE_LIMIT).contains(&id) {
            let i = id as usize;
            if i >= self.dense.len() {
                self.dense.resize(i + 1, NIL);
            }
            if self.dense[i] == NIL {
                self.len += 1;
            }
            self.dense[i] = idx;
        } else if self.sparse.insert(id, idx).is_none() {
            self.len += 1;
        }
    }

    pub fn remove(&mut self, id: i64) {
        if (0..DENSE_LIMIT).contains(&id) {
            if let Some(v) = self.dense.get_mut(id as usize) {
                if *v != NIL {
                    *v = NIL;
                    self.len -= 1;
                }
            }
        } else if self.sparse.remove(&id).is_some() {
            self.len -= 1;
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every (id, node) pair, ascending by id.
    pub fn entries(&self) -> Vec<(i64, u32)> {
        let mut out: Vec<(i64, u32)> =
            self.dense.iter().enumerate().filter(|(_, &v)| v != NIL).map(|(i, &v)| (i as i64, v)).collect();
        out.extend(self.sparse.iter().map(|(&k, &v)| (k, v)));
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_ids() {
        let mut m = Mirror::default();
        m.set(5, 1);
        m.set(-3, 2);
        m.set(1 << 40, 3);
        assert_eq!((m.get(5), m.get(-3), m.get(1 << 40), m.get(6)), (Some(1), Some(2), Some(3), None));
        assert_eq!(m.len(), 3);
        m.remove(5);
        m.remove(5);
        m.remove(-3);
        assert_eq!((m.get(5), m.len()), (None, 1));
    }
}
