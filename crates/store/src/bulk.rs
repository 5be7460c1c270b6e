//! Multi-row INSERTs: many rows of one table written by one statement, so that a large import pays the
//! driver's per-statement round trip once per few hundred rows rather than once per row. `write_rows!`
//! expands once per backend like `on_pool!`.
//!
//! Placeholders differ: PostgreSQL numbers them (`$1`); SQLite is given anonymous `?`, because it looks
//! a named or numbered placeholder up in a list, which makes a statement with thousands of them cost time
//! in proportion to the square of their number.

/// How a backend writes placeholders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// `?` (SQLite).
    Question,
    /// `$1`, `$2` … (PostgreSQL).
    Numbered,
}

/// The placeholder style of a connection's backend.
pub(crate) trait Dialect {
    const STYLE: Style;
}
impl Dialect for sqlx::SqliteConnection {
    const STYLE: Style = Style::Question;
}
impl Dialect for sqlx::PgConnection {
    const STYLE: Style = Style::Numbered;
}

/// The placeholder style of the connection `c` is.
pub(crate) fn style<C: Dialect>(_: &C) -> Style {
    C::STYLE
}

/// `(…), (…)`: `rows` groups of `width` placeholders; numbered ones start at `first`.
pub(crate) fn placeholders(style: Style, rows: usize, width: usize, first: usize) -> String {
    let mut out = String::with_capacity(rows * width * 6);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..width {
            if c > 0 {
                out.push_str(", ");
            }
            match style {
                Style::Question => out.push('?'),
                Style::Numbered => {
                    out.push('$');
                    out.push_str(&(first + r * width + c).to_string());
                }
            }
        }
        out.push(')');
    }
    out
}

/// One value of a row, typed so that a NULL still binds as its column's type (PostgreSQL checks).
#[derive(Clone, Debug)]
pub(crate) enum V {
    /// Text (or NULL text).
    T(Option<String>),
    /// A 64-bit integer (or NULL).
    I(Option<i64>),
    /// A boolean (or NULL).
    B(Option<bool>),
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

    /// The statements that write these rows: (SQL, whether it is worth preparing once and keeping, values).
    pub(crate) fn statements(self, style: Style) -> Vec<(String, bool, Vec<V>)> {
        let per = (MAX_VALUES / self.cols).clamp(1, MAX_ROWS);
        let mut out = vec![];
        let mut left = self.len();
        let mut vals = self.vals.into_iter();
        while left > 0 {
            let n = left.min(per);
            left -= n;
            let sql = format!(
                "{} VALUES {}",
                self.head,
                placeholders(style, n, self.cols, 1)
            );
            // A full statement recurs batch after batch (keep it prepared); a remainder rarely does.
            out.push((
                sql,
                n == per || n == 1,
                vals.by_ref().take(n * self.cols).collect(),
            ));
        }
        out
    }
}

/// Write `Rows` on an open connection or transaction (`$c`: anything `&mut *$c` makes an executor of).
macro_rules! write_rows {
    ($c:expr, $rows:expr) => {{
        let rows: $crate::bulk::Rows = $rows;
        for (sql, keep, vals) in rows.statements($crate::bulk::style(&*$c)) {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(keep);
            for v in vals {
                q = match v {
                    $crate::bulk::V::T(t) => q.bind(t),
                    $crate::bulk::V::I(i) => q.bind(i),
                    $crate::bulk::V::B(b) => q.bind(b),
                };
            }
            q.execute(&mut *$c).await?;
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
        let statements = rows.statements(Style::Numbered);
        let sizes: Vec<usize> = statements.iter().map(|(_, _, v)| v.len() / 2).collect();
        assert_eq!(sizes, vec![256, 256, 256, 256, 177]);
        assert!(statements[0].0.ends_with("($511, $512)"));
        assert!(statements[0].1 && !statements[4].1);
        let V::I(Some(first_of_last)) = statements[4].2[0] else {
            panic!("an integer")
        };
        assert_eq!(first_of_last, 1_024);
    }

    #[test]
    fn sqlite_statements_use_anonymous_placeholders() {
        let mut rows = Rows::new("INSERT INTO t (a, b)", 2);
        rows.push([V::from(1), V::from("x")]);
        rows.push([V::from(2), V::from("y")]);
        let statements = rows.statements(Style::Question);
        assert_eq!(
            statements[0].0,
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }
}
