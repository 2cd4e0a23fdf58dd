//! Pre-2020 recordings: adds with a `-1` neighbour are built but parked until an add naming
//! them as `previousId`/`nextId` arrives (rrweb's `legacy_missingNodeRetryMap`). Kept until the
//! next full snapshot. The resolution is rrweb's recursion, run on an explicit stack.

use super::arena::{Dom, DomResult};
use super::node::Idx;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parked {
    pub node: Idx,
    pub id: i64,
    pub previous_id: Option<i64>,
    pub next_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Legacy {
    pub parked: BTreeMap<i64, Parked>,
}

fn truthy(v: Option<i64>) -> Option<i64> {
    v.filter(|&x| x != 0)
}

/// rrweb's `legacy_resolveMissingNode`: `target` was just inserted; parked nodes it names as
/// previous (inserted before it) or next (after it) are inserted too, transitively. Deletions
/// hit both the batch-local map and the replayer's map.
pub fn resolve(dom: &mut Dom<'_>, local: &mut Legacy, global: &mut Legacy, parent: Idx, target: Parked) -> DomResult {
    struct Step {
        target: Parked,
        prev: Option<Parked>,
        next: Option<Parked>,
        stage: u8,
    }
    let lookup = |m: &Legacy, id: Option<i64>| truthy(id).and_then(|i| m.parked.get(&i).copied());
    let (prev, next) = (lookup(local, target.previous_id), lookup(local, target.next_id));
    if prev.is_none() && next.is_none() {
        return Ok(());
    }
    let mut stack = vec![Step { prev, next, target, stage: 0 }];
    while let Some(step) = stack.last_mut() {
        if step.stage == 0 {
            step.stage = 1;
            if let Some(p) = step.prev {
                let t = step.target.node;
                dom.insert_before(parent, p.node, Some(t))?;
                local.parked.remove(&p.id);
                global.parked.remove(&p.id);
                if truthy(p.previous_id).is_some() || truthy(p.next_id).is_some() {
                    let s = Step { prev: lookup(local, p.previous_id), next: lookup(local, p.next_id), target: p, stage: 0 };
                    stack.push(s);
                }
                continue;
            }
        }
        let step = stack.pop().expect("non-empty");
        if let Some(n) = step.next {
            let after = dom.next_sibling(step.target.node);
            dom.insert_before(parent, n.node, after)?;
            local.parked.remove(&n.id);
            global.parked.remove(&n.id);
            if truthy(n.previous_id).is_some() || truthy(n.next_id).is_some() {
                stack.push(Step { prev: lookup(local, n.previous_id), next: lookup(local, n.next_id), target: n, stage: 0 });
            }
        }
    }
    Ok(())
}
