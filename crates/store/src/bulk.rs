//! Multi-row INSERTs: many rows of one table written by one statement, so that a large import pays the
//! driver's per-statement round trip once per few hundred rows rather than once per row. `write_rows!`
//! expands once per backend like `on_pool!`, and builds each statement with `sqlx::QueryBuilder::push_values`,
//! which writes each backend's placeholders (`$1` for PostgreSQL; anonymous `?` for SQLite, which would
//! otherwise look numbered ones up in a list at a cost that grows with the square of their number).

/// One value of a row, typed so that a NULL still binds as its column's type (PostgreSQL checks).
#[derive(Clone, Debug)]
pub(crate) enum V {
    /// Text (or NULL text).
    T(Option<String>),
    /// A 64-bit integer (or NULL).
    I(Option<i64>),
    /// A boolean (or NULL).
    B(Option<bool>),
    /// Bytes (or NULL).
    Bytes(Option<Vec<u8>>),
}

impl From<String> for V {
    fn from(s: String) -> Self {
        V::T(Some(s))
    }
}
impl From<&str> for V {
    fn from(s: &str) -> Self {
        V::T(Some(s.to_string()))
    }
}
impl From<&String> for V {
    fn from(s: &String) -> Self {
        V::T(Some(s.clone()))
    }
}
impl From<Option<String>> for V {
    fn from(s: Option<String>) -> Self {
        V::T(s)
    }
}
impl From<Option<&str>> for V {
    fn from(s: Option<&str>) -> Self {
        V::T(s.map(str::to_string))
    }
}
impl From<&Option<String>> for V {
    fn from(s: &Option<String>) -> Self {
        V::T(s.clone())
    }
}
impl From<i64> for V {
    fn from(i: i64) -> Self {
        V::I(Some(i))
    }
}
impl From<Option<i64>> for V {
    fn from(i: Option<i64>) -> Self {
        V::I(i)
    }
}
impl From<bool> for V {
    fn from(b: bool) -> Self {
        V::B(Some(b))
    }
}
impl From<Option<bool>> for V {
    fn from(b: Option<bool>) -> Self {
        V::B(b)
    }
}

/// Rows for one table, written by as few statements as the drivers' limits on bound values allow.
#[derive(Debug)]
pub(crate) struct Rows {
    /// `INSERT INTO t (a, b, c)`: the statement up to `VALUES`.
    head: &'static str,
    cols: usize,
    vals: Vec<V>,
}

/// Bound values per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_VALUES: usize = 32_000;

/// Rows per statement at most: an import's batch of reports, so that a table with a row per report is written
/// by the same statement batch after batch (prepared once and kept), and a full statement stays small.
const MAX_ROWS: usize = crate::import::BATCH;

impl Rows {
    pub(crate) fn new(head: &'static str, cols: usize) -> Self {
        Rows {
            head,
            cols,
            vals: Vec::new(),
        }
    }

    /// Add one row; it must have exactly as many values as the table has columns here.
    pub(crate) fn push<const N: usize>(&mut self, row: [V; N]) {
        assert_eq!(N, self.cols, "a row of {} has {N} values", self.head);
        self.vals.extend(row);
    }

    pub(crate) fn len(&self) -> usize {
        self.vals.len() / self.cols
    }

    /// How the rows are split into statements: (rows in the statement, whether it is worth preparing once
    /// and keeping). A full statement recurs batch after batch (keep it prepared); a remainder rarely does.
    pub(crate) fn statements(&self) -> Vec<(usize, bool)> {
        let per = (MAX_VALUES / self.cols).clamp(1, MAX_ROWS);
        let mut out = vec![];
        let mut left = self.len();
        while left > 0 {
            let n = left.min(per);
            left -= n;
            out.push((n, n == per || n == 1));
        }
        out
    }

    /// The statement up to `VALUES`, the number of columns, and the values row after row.
    pub(crate) fn into_parts(self) -> (&'static str, usize, std::vec::IntoIter<V>) {
        (self.head, self.cols, self.vals.into_iter())
    }
}

/// Write `Rows` on an open connection or transaction (`$c`: anything `&mut *$c` makes an executor of).
macro_rules! write_rows {
    ($c:expr, $rows:expr) => {{
        let rows: $crate::bulk::Rows = $rows;
        let statements = rows.statements();
        let (head, cols, mut vals) = rows.into_parts();
        for (n, keep) in statements {
            let mut q = sqlx::QueryBuilder::new(head);
            q.push(' ');
            q.push_values(0..n, |mut row, _| {
                for v in vals.by_ref().take(cols) {
                    match v {
                        $crate::bulk::V::T(t) => row.push_bind(t),
                        $crate::bulk::V::I(i) => row.push_bind(i),
                        $crate::bulk::V::B(b) => row.push_bind(b),
                        $crate::bulk::V::Bytes(b) => row.push_bind(b),
                    };
                }
            });
            q.build().persistent(keep).execute(&mut *$c).await?;
        }
    }};
}
pub(crate) use write_rows;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_beyond_a_statements_limit_are_split_across_statements_with_every_value_kept() {
        let mut rows = Rows::new("INSERT INTO t (a, b)", 2);
        for i in 0..1_201 {
            rows.push([V::from(i as i64), V::from(format!("row {i}"))]);
        }
        let statements = rows.statements();
        let sizes: Vec<usize> = statements.iter().map(|(n, _)| *n).collect();
        assert_eq!(sizes, vec![256, 256, 256, 256, 177]);
        assert!(
            statements[0].1 && !statements[4].1,
            "full statements are kept prepared"
        );
        let (_, cols, mut vals) = rows.into_parts();
        let V::I(Some(first_of_last)) = vals.nth(1_024 * cols).unwrap() else {
            panic!("an integer")
        };
        assert_eq!(first_of_last, 1_024);
    }
}
