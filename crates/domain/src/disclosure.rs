//! Small-number suppression for the figures shown to the oversight board: no count from 1 to 4 may be shown,
//! nor be worked out from the counts that are shown.
//!
//! Any table of counts is cells and the sums that tie them: each column of BCUs adds up to the force total,
//! within a BCU's row `received = open + closed`, a trend's months add up to the period's total. Hiding a
//! small count alone is not enough: a total less the other cells of its sum would give it back. So after the
//! small counts (primary suppression), more cells are hidden (secondary suppression) until no sum has exactly
//! one hidden cell: the smallest other part above zero (else the smallest part, else the total). Zeros are
//! shown (a zero says nothing about a person). Totals are hidden only when they are small themselves or when
//! nothing else can protect a hidden part.
//!
//! [`suppress_table`] is the rule for any shape; [`suppress`] (the BCU table of seven measures) and
//! [`suppress_list`] (one list and its total) are that rule on their shapes, and [`Grid`] builds the sums of
//! a table with rows, columns and totals.

/// One sum that ties cells of a table together: `cells[total] = Σ cells[parts]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sum {
    /// The cell holding the total.
    pub total: usize,
    /// The cells it adds up.
    pub parts: Vec<usize>,
}

/// Hide every small count of `cells`, and then, while any sum has exactly one hidden cell, one more of its
/// cells, so that no hidden count can be had from the counts shown. Gives each cell, `None` where hidden.
pub fn suppress_table(cells: &[i64], sums: &[Sum]) -> Vec<Option<i64>> {
    suppress_table_knowing(cells, sums, &vec![false; cells.len()])
}

/// As [`suppress_table`], for a reader who already knows some cells (a BCU lead's own BCU): those are shown
/// as they are, never hidden, and count as shown when deciding what else must be hidden, so that what they
/// know never gives away a hidden count of anyone else's.
pub fn suppress_table_knowing(cells: &[i64], sums: &[Sum], known: &[bool]) -> Vec<Option<i64>> {
    assert_eq!(known.len(), cells.len(), "one flag per cell");
    let mut hidden: Vec<bool> = cells
        .iter()
        .zip(known)
        .map(|(&n, &k)| !k && is_small(n))
        .collect();
    loop {
        let mut changed = false;
        for sum in sums {
            let members = || sum.parts.iter().copied().chain([sum.total]);
            if members().filter(|&i| hidden[i]).count() != 1 {
                continue;
            }
            let next = sum
                .parts
                .iter()
                .copied()
                .filter(|&i| !hidden[i] && !known[i])
                .min_by_key(|&i| (cells[i] == 0, cells[i], i))
                .unwrap_or(sum.total);
            if hidden[next] || known[next] {
                continue;
            }
            hidden[next] = true;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    cells
        .iter()
        .zip(hidden)
        .map(|(&n, h)| (!h).then_some(n))
        .collect()
}

/// A table of `rows` × `columns` counts with a total row below (each column's sum) and, if `row_totals`, a
/// total column on the right (each row's sum, the grand total at the bottom right): its cells in reading order
/// and its sums, for [`suppress_table`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    /// Rows of counts, not counting the total row.
    pub rows: usize,
    /// Columns of counts, not counting the total column.
    pub columns: usize,
    /// Whether each row has a total on its right.
    pub row_totals: bool,
}

impl Grid {
    /// Columns including the total column.
    fn width(&self) -> usize {
        self.columns + usize::from(self.row_totals)
    }

    /// The index of a cell (`row == rows` is the total row, `column == columns` the total column).
    pub fn at(&self, row: usize, column: usize) -> usize {
        row * self.width() + column
    }

    /// Every sum of the grid.
    pub fn sums(&self) -> Vec<Sum> {
        let mut sums = Vec::new();
        for c in 0..self.width() {
            sums.push(Sum {
                total: self.at(self.rows, c),
                parts: (0..self.rows).map(|r| self.at(r, c)).collect(),
            });
        }
        if self.row_totals {
            for r in 0..=self.rows {
                sums.push(Sum {
                    total: self.at(r, self.columns),
                    parts: (0..self.columns).map(|c| self.at(r, c)).collect(),
                });
            }
        }
        sums
    }

    /// Suppress `rows` (each `columns` long), totals computed here; gives the rows shown and the total row,
    /// each with its total on the right if the grid has one.
    pub fn suppress(&self, rows: &[Vec<i64>]) -> (Vec<Vec<Option<i64>>>, Vec<Option<i64>>) {
        self.suppress_knowing(rows, None)
    }

    /// As [`Grid::suppress`], for a reader who knows one row already (their own BCU's): it is shown whole.
    pub fn suppress_knowing(
        &self,
        rows: &[Vec<i64>],
        known_row: Option<usize>,
    ) -> (Vec<Vec<Option<i64>>>, Vec<Option<i64>>) {
        assert_eq!(rows.len(), self.rows, "one row of counts per row");
        let mut cells = Vec::with_capacity((self.rows + 1) * self.width());
        for row in rows {
            assert_eq!(row.len(), self.columns, "one count per column");
            cells.extend(row);
            if self.row_totals {
                cells.push(row.iter().sum());
            }
        }
        for c in 0..self.width() {
            let column: i64 = (0..self.rows).map(|r| cells[self.at(r, c)]).sum();
            cells.push(column);
        }
        let known: Vec<bool> = (0..cells.len())
            .map(|i| Some(i / self.width()) == known_row)
            .collect();
        let shown = suppress_table_knowing(&cells, &self.sums(), &known);
        let mut chunks = shown.chunks(self.width()).map(<[Option<i64>]>::to_vec);
        let body: Vec<_> = chunks.by_ref().take(self.rows).collect();
        (body, chunks.next().unwrap_or_default())
    }
}

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
    let grid = Grid {
        rows: rows.len(),
        columns: MEASURES,
        row_totals: false,
    };
    let totals: [i64; MEASURES] = std::array::from_fn(|c| rows.iter().map(|r| r[c]).sum());
    let cells: Vec<i64> = rows.iter().chain([&totals]).flatten().copied().collect();
    let mut sums = grid.sums();
    for r in 0..=rows.len() {
        sums.push(Sum {
            total: grid.at(r, RECEIVED),
            parts: vec![grid.at(r, OPEN), grid.at(r, CLOSED)],
        });
    }
    let shown = suppress_table(&cells, &sums);
    let row =
        |r: usize| -> [Option<i64>; MEASURES] { std::array::from_fn(|c| shown[grid.at(r, c)]) };
    Shown {
        rows: (0..rows.len()).map(row).collect(),
        totals: row(rows.len()),
    }
}

/// A single list of counts with its total (late clocks by reason code): small counts hidden, and while exactly
/// one count of the list and its total is hidden, the smallest other count above zero (else the total) too, so
/// that the total less the shown counts never gives a hidden one back.
pub fn suppress_list(counts: &[i64]) -> (Vec<Option<i64>>, Option<i64>) {
    let grid = Grid {
        rows: counts.len(),
        columns: 1,
        row_totals: false,
    };
    let (rows, total) = grid.suppress(&counts.iter().map(|&n| vec![n]).collect::<Vec<_>>());
    (rows.into_iter().map(|r| r[0]).collect(), total[0])
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

    #[test]
    fn a_trend_of_months_by_bcu_with_its_totals_gives_no_hidden_count_away() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |m: i64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as i64
        };
        for _ in 0..2_000 {
            let grid = Grid {
                rows: 1 + next(5) as usize,
                columns: 1 + next(12) as usize,
                row_totals: true,
            };
            let rows: Vec<Vec<i64>> = (0..grid.rows)
                .map(|_| (0..grid.columns).map(|_| next(3) * next(9)).collect())
                .collect();
            let (body, totals) = grid.suppress(&rows);
            let all: Vec<&Vec<Option<i64>>> = body.iter().chain([&totals]).collect();
            for row in &all {
                assert_eq!(row.len(), grid.columns + 1);
                assert_ne!(
                    row.iter().filter(|c| c.is_none()).count(),
                    1,
                    "a row of {rows:?} gives its one hidden cell away"
                );
                for v in row.iter().flatten() {
                    assert!(!is_small(*v), "a small count is never shown: {rows:?}");
                }
            }
            for c in 0..=grid.columns {
                assert_ne!(
                    all.iter().filter(|r| r[c].is_none()).count(),
                    1,
                    "column {c} of {rows:?} gives its one hidden cell away"
                );
            }
            for (r, row) in rows.iter().enumerate() {
                for (c, n) in row.iter().enumerate() {
                    if let Some(shown) = body[r][c] {
                        assert_eq!(shown, *n, "a count shown is the count");
                    }
                }
            }
        }
    }

    #[test]
    fn months_of_one_bcu_hide_a_small_month_and_the_next_smallest_so_the_period_total_gives_none_away()
     {
        let grid = Grid {
            rows: 1,
            columns: 3,
            row_totals: true,
        };
        let (body, totals) = grid.suppress(&[vec![30, 2, 12]]);
        assert_eq!(body[0], [Some(30), None, None, Some(44)]);
        assert_eq!(totals, [Some(30), None, None, Some(44)]);
    }

    #[test]
    fn a_reader_sees_their_own_bcu_whole_and_cannot_work_out_anyone_elses_hidden_count() {
        let grid = Grid {
            rows: 3,
            columns: 2,
            row_totals: false,
        };
        // Column 0: the reader's BCU has 2, another 3: both small; the reader sees their own 2.
        let rows = [vec![2, 40], vec![3, 10], vec![30, 12]];
        let (body, totals) = grid.suppress_knowing(&rows, Some(0));
        assert_eq!(body[0], [Some(2), Some(40)], "their own BCU, whole");
        assert_eq!(body[1][0], None, "another BCU's 3 stays hidden");
        assert_eq!(
            body[2][0], None,
            "and the next smallest with it, or total less own would give it back"
        );
        assert_eq!(totals[0], Some(35));
    }
}
