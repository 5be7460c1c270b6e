//! Safeguard's categories for known images (A, B, C, not indecent, uncategorised) and the configurable table
//! that maps a hash set's own category numbers or labels onto them. Numbers without a mapping are kept as
//! `other(n)`: the UK's numbering is not public, so Safeguard never guesses it.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

/// The category of a known image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Category A (most serious).
    A,
    /// Category B.
    B,
    /// Category C.
    C,
    /// Known, and not indecent.
    NotIndecent,
    /// Known, not yet categorised.
    Uncategorised,
    /// A number from the source that no mapping names.
    Other(i64),
}

impl Category {
    /// How much the category weighs when a file has several matches: A first, not indecent last.
    pub fn severity(self) -> u8 {
        match self {
            Category::A => 5,
            Category::B => 4,
            Category::C => 3,
            Category::Other(_) => 2,
            Category::Uncategorised => 1,
            Category::NotIndecent => 0,
        }
    }

    /// The key used in reports: `A`, `B`, `C`, `not_indecent`, `uncategorised` or `other`.
    pub fn report_key(self) -> &'static str {
        match self {
            Category::A => "A",
            Category::B => "B",
            Category::C => "C",
            Category::NotIndecent => "not_indecent",
            Category::Uncategorised => "uncategorised",
            Category::Other(_) => "other",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Category::Other(n) => write!(f, "other({n})"),
            c => f.write_str(c.report_key()),
        }
    }
}

/// Text that names no category.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a category (A, B, C, not indecent, uncategorised or other(n))")]
pub struct ParseCategoryError(pub String);

impl FromStr for Category {
    type Err = ParseCategoryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        if let Some(n) = lower
            .strip_prefix("other(")
            .and_then(|r| r.strip_suffix(')'))
        {
            return n
                .trim()
                .parse()
                .map(Category::Other)
                .map_err(|_| ParseCategoryError(s.into()));
        }
        let t = lower.replace(['_', '-'], " ");
        let t = t.strip_prefix("category ").unwrap_or(&t);
        Ok(match t {
            "a" => Category::A,
            "b" => Category::B,
            "c" => Category::C,
            "not indecent" | "notindecent" | "ignorable" => Category::NotIndecent,
            "uncategorised" | "uncategorized" | "" => Category::Uncategorised,
            _ => return Err(ParseCategoryError(s.into())),
        })
    }
}

/// A line of a category map that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CategoryMapError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A table from a source's category numbers or labels to Safeguard categories.
#[derive(Debug, Clone, Default)]
pub struct CategoryMap(HashMap<String, Category>);

impl CategoryMap {
    /// Reads a map: one `source = category` pair a line (`,` or `:` also separate), `#` comments. For example
    /// `1 = A`, `2 = B`, `3 = C`, `4 = not indecent`, `0 = uncategorised`.
    pub fn parse(text: &str) -> Result<CategoryMap, CategoryMapError> {
        let mut map = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw
                .split('#')
                .next()
                .unwrap_or("")
                .trim()
                .trim_start_matches('\u{feff}');
            if line.is_empty() {
                continue;
            }
            let err = |message: String| CategoryMapError {
                line: i + 1,
                message,
            };
            let (from, to) = line
                .split_once(['=', ',', ':'])
                .ok_or_else(|| err(format!("expected `source = category`, got {line:?}")))?;
            let to: Category = to
                .parse()
                .map_err(|e: ParseCategoryError| err(e.to_string()))?;
            map.insert(from.trim().to_ascii_lowercase(), to);
        }
        Ok(CategoryMap(map))
    }

    /// Whether the map names `raw` (a number it does not name counts as `other(n)`).
    pub fn names(&self, raw: &SourceCategory) -> bool {
        self.0.contains_key(&raw.key())
    }

    /// Whether the map names nothing (no map was given).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The Safeguard category of a source's category: mapped if the table names it, otherwise a number is
    /// `other(n)`, a label must itself name a category, and no category is uncategorised.
    pub fn map(&self, raw: Option<&SourceCategory>) -> Result<Category, ParseCategoryError> {
        let Some(raw) = raw else {
            return Ok(Category::Uncategorised);
        };
        if let Some(c) = self.0.get(&raw.key()) {
            return Ok(*c);
        }
        match raw {
            SourceCategory::Number(n) => Ok(Category::Other(*n)),
            SourceCategory::Label(l) => l.parse(),
        }
    }
}

/// A category as a hash set wrote it: a number or a label (intake's `RawCategory`; media does not depend on
/// intake, the command line converts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceCategory {
    /// A number.
    Number(i64),
    /// A label.
    Label(String),
}

impl SourceCategory {
    fn key(&self) -> String {
        match self {
            SourceCategory::Number(n) => n.to_string(),
            SourceCategory::Label(l) => l.trim().to_ascii_lowercase(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unmapped_number_is_kept_as_other() {
        let map = CategoryMap::default();
        assert_eq!(
            map.map(Some(&SourceCategory::Number(7))),
            Ok(Category::Other(7))
        );
        assert_eq!(map.map(None), Ok(Category::Uncategorised));
    }

    #[test]
    fn a_map_file_maps_numbers_and_labels() {
        let map = CategoryMap::parse("# UK\n1 = A\n2=B\n3: C\nIgnorable, not indecent\n").unwrap();
        assert_eq!(map.map(Some(&SourceCategory::Number(2))), Ok(Category::B));
        assert_eq!(
            map.map(Some(&SourceCategory::Label("ignorable".into()))),
            Ok(Category::NotIndecent)
        );
        assert_eq!(
            map.map(Some(&SourceCategory::Label("c".into()))),
            Ok(Category::C)
        );
    }

    #[test]
    fn a_bad_map_line_names_its_line() {
        let err = CategoryMap::parse("1 = A\n2 = Z\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn categories_print_and_parse_back() {
        for c in [
            Category::A,
            Category::NotIndecent,
            Category::Uncategorised,
            Category::Other(-3),
        ] {
            assert_eq!(c.to_string().parse::<Category>(), Ok(c));
        }
    }
}
