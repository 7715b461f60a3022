//! 排序: one sort for every list the app orders.
//!
//! Each `sort_by` or `sort_by_key` on another type (or with another closure) compiles its own
//! copy of the standard library's sort, about 4 KB of wasm each, and the app sorts a dozen kinds
//! of list. Here the sort itself runs once, on positions, through a `dyn` comparison: one copy
//! for everything. Equal items keep their order (the result of a stable sort).

use std::cmp::Ordering;

/// Sorts `items` by `compare`, equal items keeping their order (as `slice::sort_by`).
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = {
        let items: &[T] = items;
        sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]))
    };
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `items` by `key`, equal keys keeping their order (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The positions of `0..n` in sorted order; ties by position, so an unstable sort gives the
/// stable order.
#[inline(never)]
fn sorted_positions(n: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..n).collect();
    positions.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
    positions
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_keys_keep_their_order() {
        let mut v = vec![(2, "a"), (1, "b"), (2, "c"), (1, "d"), (0, "e")];
        sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(0, "e"), (1, "b"), (1, "d"), (2, "a"), (2, "c")]);
    }

    proptest! {
        /// The same order as the standard library's stable sort, on lists with many ties.
        #[test]
        fn same_as_the_standard_stable_sort(v in proptest::collection::vec((0u8..5, any::<u16>()), 0..60)) {
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            let mut std = v;
            std.sort_by_key(|p| std::cmp::Reverse(p.0));
            prop_assert_eq!(ours, std);
        }
    }
}
