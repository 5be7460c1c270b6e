//! Small-number suppression for the figures shown to the oversight board: no count from 1 to 4 may be shown,
//! nor be worked out from the counts that are shown.
//!
//! The figures are a table with a row per BCU and a force total per column, and within each row
//! `received = open + closed`. Hiding a small count alone is not enough: the force total less the other
//! BCUs, or `received − open`, would give it back. So after the small counts (primary suppression), more
//! cells are hidden (secondary suppression) until no column and no row relation has exactly one hidden cell:
//! in a column, the smallest other count above zero; in a row, the smaller of the other two of received,
//! open and closed. Zeros are shown (a zero says nothing about a person). Force totals are hidden only when
//! they are small themselves.

/// The measures of one BCU's row, in the order shown.
pub const MEASURES: usize = 7;
/// Where received, open and closed sit in a row (`received = open + closed`).
pub const RECEIVED: usize = 0;
/// See [`RECEIVED`].
pub const OPEN: usize = 1;
/// See [`RECEIVED`].
pub const CLOSED: usize = 5;

/// Whether a count is small enough to identify someone.
pub fn is_small(n: i64) -> bool {
    (1..5).contains(&n)
}

/// The figures to show: each BCU's row and the force totals, hidden cells as `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// One row per BCU, in the order given.
    pub rows: Vec<[Option<i64>; MEASURES]>,
    /// The force total of each measure.
    pub totals: [Option<i64>; MEASURES],
}

/// Hide every small count, and whatever else would let one be worked out (the force totals are part of the
/// table: each column sums to its total, and each row, totals included, has `received = open + closed`).
pub fn suppress(rows: &[[i64; MEASURES]]) -> Shown {
    let totals: [i64; MEASURES] = std::array::from_fn(|c| rows.iter().map(|r| r[c]).sum());
    // The table with the totals as its last row.
    let table: Vec<[i64; MEASURES]> = rows.iter().copied().chain([totals]).collect();
    let last = rows.len();
    let mut hidden: Vec<[bool; MEASURES]> = table.iter().map(|r| r.map(is_small)).collect();
    loop {
        let mut changed = false;
        // Each column: the BCUs' counts add up to the total, so exactly one hidden cell could be worked out.
        for c in 0..MEASURES {
            if (0..=last).filter(|&r| hidden[r][c]).count() == 1 {
                // Hide the smallest other count of a BCU (above zero if there is one), else the total.
                let next = (0..last)
                    .filter(|&r| !hidden[r][c])
                    .min_by_key(|&r| (table[r][c] == 0, table[r][c]))
                    .unwrap_or(last);
                hidden[next][c] = true;
                changed = true;
            }
        }
        // Each row: received = open + closed.
        for (r, row) in table.iter().enumerate() {
            let trio = [RECEIVED, OPEN, CLOSED];
            if trio.iter().filter(|&&c| hidden[r][c]).count() == 1 {
                let next = trio
                    .iter()
                    .copied()
                    .filter(|&c| !hidden[r][c])
                    .min_by_key(|&c| row[c])
                    .expect("two others are shown");
                hidden[r][next] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let show = |r: usize| -> [Option<i64>; MEASURES] {
        std::array::from_fn(|c| (!hidden[r][c]).then_some(table[r][c]))
    };
    Shown {
        rows: (0..last).map(show).collect(),
        totals: show(last),
    }
}

/// A single list of counts with its total (late clocks by reason code): small counts hidden, and while exactly
/// one count of the list and its total is hidden, the smallest other count above zero (else the total) too, so
/// that the total less the shown counts never gives a hidden one back.
pub fn suppress_list(counts: &[i64]) -> (Vec<Option<i64>>, Option<i64>) {
    let total: i64 = counts.iter().sum();
    let all: Vec<i64> = counts.iter().copied().chain([total]).collect();
    let last = counts.len();
    let mut hidden: Vec<bool> = all.iter().map(|&n| is_small(n)).collect();
    while hidden.iter().filter(|&&h| h).count() == 1 {
        let next = (0..last)
            .filter(|&i| !hidden[i])
            .min_by_key(|&i| (all[i] == 0, all[i]))
            .unwrap_or(last);
        if hidden[next] {
            break;
        }
        hidden[next] = true;
    }
    let show = |i: usize| (!hidden[i]).then_some(all[i]);
    ((0..last).map(show).collect(), show(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_hides_its_small_counts_and_one_more_so_the_total_gives_none_away() {
        let (shown, total) = suppress_list(&[12, 3, 0, 7]);
        assert_eq!(
            shown,
            [Some(12), None, Some(0), None],
            "3 is small; 7 hides it from the total"
        );
        assert_eq!(total, Some(22));
        let (shown, total) = suppress_list(&[9, 6]);
        assert_eq!(
            (shown, total),
            (vec![Some(9), Some(6)], Some(15)),
            "nothing small, nothing hidden"
        );
        let (shown, total) = suppress_list(&[2, 0]);
        assert_eq!(
            (shown, total),
            (vec![None, Some(0)], None),
            "a small total is hidden with its count"
        );
        let (shown, total) = suppress_list(&[2, 2, 20]);
        assert_eq!(
            shown,
            [None, None, Some(20)],
            "two hidden counts cannot be told apart"
        );
        assert_eq!(total, Some(24));
    }

    /// No column (BCUs and total) and no row (totals included) has exactly one hidden cell, and no small
    /// count is shown.
    fn nothing_can_be_worked_out(rows: &[[i64; MEASURES]]) -> Shown {
        let shown = suppress(rows);
        let all: Vec<[Option<i64>; MEASURES]> =
            shown.rows.iter().copied().chain([shown.totals]).collect();
        for c in 0..MEASURES {
            let hidden = all.iter().filter(|r| r[c].is_none()).count();
            assert_ne!(
                hidden, 1,
                "column {c} of {rows:?} gives its one hidden cell away"
            );
        }
        for (r, row) in all.iter().enumerate() {
            let hidden = [RECEIVED, OPEN, CLOSED]
                .iter()
                .filter(|&&c| row[c].is_none())
                .count();
            assert_ne!(
                hidden, 1,
                "row {r} of {rows:?} gives received, open or closed away"
            );
            for v in row.iter().flatten() {
                assert!(!is_small(*v), "a small count is never shown: {rows:?}");
            }
        }
        shown
    }

    #[test]
    fn a_small_count_is_hidden_and_so_is_the_next_smallest_in_its_column() {
        let rows = [
            [40, 10, 2, 20, 3, 30, 0],
            [25, 20, 6, 4, 0, 5, 0],
            [60, 30, 9, 25, 5, 30, 7],
        ];
        let shown = nothing_can_be_worked_out(&rows);
        assert_eq!(shown.rows[1][3], None, "4 is small");
        assert_eq!(
            shown.rows[0][3], None,
            "20, the next smallest, hides it from the total"
        );
        assert_eq!(shown.rows[2][3], Some(25));
        assert_eq!(shown.totals[3], Some(49));
    }

    #[test]
    fn closed_cannot_be_had_as_received_less_open() {
        let rows = [[12, 9, 0, 0, 0, 3, 0], [30, 10, 0, 0, 0, 20, 0]];
        let shown = nothing_can_be_worked_out(&rows);
        assert_eq!(shown.rows[0][CLOSED], None);
        assert!(shown.rows[0][RECEIVED].is_none() || shown.rows[0][OPEN].is_none());
    }

    #[test]
    fn with_one_bcu_a_hidden_count_hides_its_total() {
        let rows = [[20, 17, 0, 0, 0, 3, 0]];
        let shown = nothing_can_be_worked_out(&rows);
        assert_eq!(shown.totals[CLOSED], None);
    }

    #[test]
    fn zeros_are_shown_and_tables_without_small_counts_are_untouched() {
        let rows = [[0, 0, 0, 0, 0, 0, 0], [50, 20, 5, 10, 6, 30, 0]];
        let shown = suppress(&rows);
        assert_eq!(shown.rows[0], [Some(0); MEASURES]);
        assert_eq!(shown.rows[1], rows[1].map(Some));
        assert_eq!(shown.totals, rows[1].map(Some));
    }

    #[test]
    fn no_generated_table_gives_a_hidden_count_away() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: i64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as i64
        };
        for _ in 0..5_000 {
            let bcus = 1 + next(6) as usize;
            let rows: Vec<[i64; MEASURES]> = (0..bcus)
                .map(|_| {
                    let open = next(12);
                    let closed = next(12);
                    [
                        open + closed,
                        open,
                        next(6),
                        next(9),
                        next(7),
                        closed,
                        next(5),
                    ]
                })
                .collect();
            nothing_can_be_worked_out(&rows);
        }
    }
}
