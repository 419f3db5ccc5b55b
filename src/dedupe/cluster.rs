//! Grouping likely pairs into clusters of one person, guarded against chaining.
//!
//! Plain connected components chain: A~B and B~C put A and C together even when A and C
//! are plainly two people (Jon Smith ~ J. Smith ~ Jane Smith). Here likely pairs are taken
//! strongest first, and two clusters join only when the pairs across them agree on the
//! whole: their average score is at least "possible", none of them is evidence of two
//! people (a score below zero) and none is marked "not a duplicate". Pairs blocking never
//! produced are scored on the spot for that check.
//!
//! Requiring *every* pair across to reach "possible" (complete linkage) split real groups
//! of messy records: a sign-up with only a name and a city has little in common with
//! another copy that has only an email and a birth date, yet both match the full record.
//! What separates two people is evidence against, not a lack of evidence for.

use super::score::score_value;
use super::table::Table;
use std::collections::{HashMap, HashSet};

/// Clusters never grow past this; a bigger group is almost certainly a data problem
/// (a shared test address) better reviewed pair by pair.
pub const MAX_CLUSTER: usize = 50;

/// Groups rows. `likely` are (row a, row b, score) at or above the likely threshold;
/// `known` holds every scored pair's score (keyed smaller row first); `forbidden` the
/// pairs a person marked "not a duplicate"; two groups join only when their pairs score
/// `possible` or more on average. Returns each cluster's rows (two or more), sorted,
/// clusters in order of their smallest row.
pub fn clusters(
    table: &Table,
    likely: &[(usize, usize, f32)],
    known: &HashMap<(usize, usize), f32>,
    forbidden: &HashSet<(usize, usize)>,
    possible: f32,
) -> Vec<Vec<usize>> {
    let mut order: Vec<&(usize, usize, f32)> = likely.iter().collect();
    order.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let mut of: HashMap<usize, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &&(a, b, _) in &order {
        let ga = *of.entry(a).or_insert_with(|| {
            groups.push(vec![a]);
            groups.len() - 1
        });
        let gb = *of.entry(b).or_insert_with(|| {
            groups.push(vec![b]);
            groups.len() - 1
        });
        if ga == gb || groups[ga].len() + groups[gb].len() > MAX_CLUSTER {
            continue;
        }
        let (mut total, mut count) = (0.0, 0.0);
        let compatible = groups[ga].iter().all(|&x| {
            groups[gb].iter().all(|&y| {
                let key = (x.min(y), x.max(y));
                if forbidden.contains(&key) {
                    return false;
                }
                let s = known
                    .get(&key)
                    .copied()
                    .unwrap_or_else(|| score_value(table, key.0, key.1));
                total += s;
                count += 1.0;
                s >= 0.0
            })
        }) && total / count >= possible;
        if !compatible {
            continue;
        }
        let (keep, gone) = if groups[ga].len() >= groups[gb].len() {
            (ga, gb)
        } else {
            (gb, ga)
        };
        let moved = std::mem::take(&mut groups[gone]);
        for &row in &moved {
            of.insert(row, keep);
        }
        groups[keep].extend(moved);
    }
    let mut out: Vec<Vec<usize>> = groups.into_iter().filter(|g| g.len() >= 2).collect();
    for g in &mut out {
        g.sort_unstable();
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::score::POSSIBLE;
    use crate::dedupe::table::RawContact;

    #[test]
    fn a_chain_through_an_initial_does_not_join_two_people() {
        let mut t = Table::new();
        for (first, last) in [("Jon", "Smith"), ("J", "Smith"), ("Jane", "Smith")] {
            t.push(&RawContact {
                first_name: Some(first.into()),
                last_name: Some(last.into()),
                ..RawContact::default()
            });
        }
        // Pretend both links to the initial are likely; Jon vs Jane is not.
        let likely = [(0, 1, 20.0), (1, 2, 19.0)];
        let known = HashMap::from([((0, 2), 1.0)]);
        let groups = clusters(&t, &likely, &known, &HashSet::new(), POSSIBLE);
        assert_eq!(groups, vec![vec![0, 1]]);
    }

    #[test]
    fn a_sparse_copy_joins_its_group_through_the_full_record() {
        let t = Table::new();
        // 0 is the full record; 1 has only a name and a city, 2 only an email and a birth
        // date: 1 and 2 share little, but nothing says they are two people.
        let likely = [(0, 1, 20.0), (0, 2, 18.0)];
        let known = HashMap::from([((0, 1), 20.0), ((0, 2), 18.0), ((1, 2), 2.0)]);
        assert_eq!(
            clusters(&t, &likely, &known, &HashSet::new(), POSSIBLE),
            vec![vec![0, 1, 2]]
        );
        // Evidence against (different birth dates, say) keeps them apart.
        let known = HashMap::from([((0, 1), 20.0), ((0, 2), 18.0), ((1, 2), -3.0)]);
        assert_eq!(
            clusters(&t, &likely, &known, &HashSet::new(), POSSIBLE),
            vec![vec![0, 1]]
        );
    }

    #[test]
    fn a_not_duplicate_decision_splits_a_cluster() {
        let t = Table::new();
        let likely = [(0, 1, 20.0), (1, 2, 20.0)];
        let known = HashMap::from([((0, 1), 20.0), ((1, 2), 20.0), ((0, 2), 20.0)]);
        let forbidden = HashSet::from([(0, 2)]);
        assert_eq!(
            clusters(&t, &likely, &known, &forbidden, POSSIBLE),
            vec![vec![0, 1]]
        );
        assert_eq!(
            clusters(&t, &likely, &known, &HashSet::new(), POSSIBLE),
            vec![vec![0, 1, 2]]
        );
    }
}
