//! Sets and maps keyed by meta index (a slot of `Dom::metas`): a bit per index for the question
//! every freed node asks ("is this meta pinned, or a style element's?"), a hash map behind it.

use super::node::NIL;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Indices up to this many get a bit; larger ones (never seen, meta slots are dense) are
/// hashed, so no index can make the bitmap large.
const DENSE: u32 = 1 << 24;

/// A multiply, not SipHash, whose resistance to chosen keys buys nothing for indices the
/// arena hands out itself.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IndexHasher(u64);

impl Hasher for IndexHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Build = BuildHasherDefault<IndexHasher>;

#[derive(Debug, Clone, Default)]
pub(crate) struct MetaSet {
    bits: Vec<u64>,
    sparse: HashSet<u32, Build>,
    len: usize,
}

impl MetaSet {
    pub(crate) fn insert(&mut self, m: u32) -> bool {
        let new = if m < DENSE && m != NIL {
            let (w, b) = ((m / 64) as usize, 1u64 << (m % 64));
            if w >= self.bits.len() {
                self.bits.resize(w + 1, 0);
            }
            let new = self.bits[w] & b == 0;
            self.bits[w] |= b;
            new
        } else {
            self.sparse.insert(m)
        };
        self.len += usize::from(new);
        new
    }

    pub(crate) fn remove(&mut self, m: &u32) -> bool {
        let m = *m;
        let had = if m < DENSE && m != NIL {
            let (w, b) = ((m / 64) as usize, 1u64 << (m % 64));
            match self.bits.get_mut(w) {
                Some(x) if *x & b != 0 => {
                    *x &= !b;
                    true
                }
                _ => false,
            }
        } else {
            self.sparse.remove(&m)
        };
        self.len -= usize::from(had);
        had
    }

    pub(crate) fn contains(&self, m: &u32) -> bool {
        let m = *m;
        if m < DENSE && m != NIL {
            self.bits.get((m / 64) as usize).is_some_and(|x| x & (1u64 << (m % 64)) != 0)
        } else {
            self.sparse.contains(&m)
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A map whose keys are also in a `MetaSet`, so that a miss costs one bit test.
#[derive(Debug, Clone)]
pub(crate) struct MetaMap<V> {
    map: HashMap<u32, V, Build>,
    /// A superset of the map's keys (`entry` marks its key before the caller fills it).
    keys: MetaSet,
}

impl<V> Default for MetaMap<V> {
    fn default() -> Self {
        MetaMap { map: HashMap::default(), keys: MetaSet::default() }
    }
}

impl<V> MetaMap<V> {
    pub(crate) fn entry(&mut self, k: u32) -> Entry<'_, u32, V> {
        self.keys.insert(k);
        self.map.entry(k)
    }

    pub(crate) fn get(&self, k: &u32) -> Option<&V> {
        if self.keys.contains(k) {
            self.map.get(k)
        } else {
            None
        }
    }

    pub(crate) fn insert(&mut self, k: u32, v: V) -> Option<V> {
        self.keys.insert(k);
        self.map.insert(k, v)
    }

    pub(crate) fn remove(&mut self, k: &u32) -> Option<V> {
        if !self.keys.remove(k) {
            return None;
        }
        self.map.remove(k)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_and_maps_of_any_index() {
        let mut s = MetaSet::default();
        for m in [0, 63, 64, 1000, DENSE, NIL] {
            assert!(!s.contains(&m));
            assert!(s.insert(m));
            assert!(!s.insert(m));
            assert!(s.contains(&m));
        }
        assert!(!s.contains(&65));
        for m in [0, 63, 64, 1000, DENSE, NIL] {
            assert!(s.remove(&m));
            assert!(!s.remove(&m));
        }
        assert!(s.is_empty());
        let mut map: MetaMap<Vec<u32>> = MetaMap::default();
        map.entry(7).or_default().push(1);
        map.entry(7).or_default().push(2);
        map.insert(NIL, vec![3]);
        assert_eq!((map.get(&7), map.get(&8), map.get(&NIL)), (Some(&vec![1, 2]), None, Some(&vec![3])));
        assert_eq!(map.remove(&7), Some(vec![1, 2]));
        assert_eq!((map.remove(&7), map.get(&7)), (None, None));
        assert!(!map.is_empty());
        map.remove(&NIL);
        assert!(map.is_empty());
    }
}
