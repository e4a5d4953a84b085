//! JSON paths and source positions: turns a path such as `groups[0].criteria[2].id` into the
//! line and column where that value starts in the original text, so every problem in an
//! imported file can be shown where it is. Pure text scanning; no I/O.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// One step of a path into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A member name; the names the loader itself writes are static, so no allocation.
    Key(Cow<'static, str>),
    Index(usize),
}

/// A path from the document root, displayed as `groups[0].criteria[2].id` (`$` for the root).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    pub fn root() -> JsonPath {
        JsonPath(Vec::new())
    }
    pub fn key(&self, k: impl Into<Cow<'static, str>>) -> JsonPath {
        self.with(Seg::Key(k.into()))
    }
    pub fn index(&self, i: usize) -> JsonPath {
        self.with(Seg::Index(i))
    }
    /// This path and one more step, in one allocation.
    fn with(&self, seg: Seg) -> JsonPath {
        let mut v = Vec::with_capacity(self.0.len() + 1);
        v.extend_from_slice(&self.0);
        v.push(seg);
        JsonPath(v)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("$");
        }
        for (n, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if n == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The line and column of byte `offset` in `text`.
pub fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let mut line = 1u32;
    let mut line_start = 0usize;
    for (i, b) in text.as_bytes()[..offset].iter().enumerate() {
        if *b == b'\n' {
            line += 1;
            line_start = i + 1;
        }
    }
    // Count characters, not bytes, so Vietnamese text gives the column a person sees.
    let column = text.get(line_start..offset).map_or(offset - line_start, |s| s.chars().count()) as u32 + 1;
    Pos { line, column }
}

/// The deepest nesting of arrays/objects, and the byte offset where `limit` is first exceeded.
/// Works on any text (strings are skipped), so it can run before parsing.
pub fn nesting_exceeds(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Finds where each of `paths` starts in `text` (a syntactically valid JSON document).
/// Paths not present are left out of the map. One pass over the text, whatever the number of paths.
pub fn locate(text: &str, paths: &[JsonPath]) -> HashMap<JsonPath, Pos> {
    if paths.is_empty() {
        return HashMap::new();
    }
    let wanted: std::collections::HashSet<&JsonPath> = paths.iter().collect();
    let mut found: HashMap<JsonPath, usize> = HashMap::new();
    let mut scanner = Scanner { bytes: text.as_bytes(), i: 0 };
    let mut path = JsonPath::root();
    scanner.skip_ws();
    scanner.value(&mut path, &wanted, &mut found);
    found.into_iter().map(|(p, off)| (p, pos_of_offset(text, off))).collect()
}

/// The byte offset of a 1-based line and (byte) column, as serde_json reports them.
pub fn offset_of_pos(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.bytes().enumerate().filter(|(_, b)| *b == b'\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
    };
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// The path of the innermost value (or member key) whose text holds byte `offset`: where a
/// parse error points. The text may be invalid after `offset`; it must be within the nesting
/// limit (`nesting_exceeds` first), as the walk recurses once per level.
pub fn path_at(text: &str, offset: usize) -> JsonPath {
    let mut scanner = Scanner { bytes: text.as_bytes(), i: 0 };
    let mut path = JsonPath::root();
    let mut best = JsonPath::root();
    scanner.skip_ws();
    scanner.find(offset, &mut path, &mut best);
    best
}

struct Scanner<'a> {
    bytes: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    /// Walks the value at `self.i`, leaving in `best` the deepest path holding `offset`.
    /// Returns true once the scan has passed `offset` (nothing more to find).
    fn find(&mut self, offset: usize, path: &mut JsonPath, best: &mut JsonPath) -> bool {
        if self.i > offset {
            return true;
        }
        *best = path.clone();
        match self.bytes.get(self.i) {
            Some(b'{') | Some(b'[') => {
                let object = self.bytes[self.i] == b'{';
                self.i += 1;
                let mut index = 0usize;
                loop {
                    self.skip_ws();
                    if self.i > offset {
                        return true;
                    }
                    match self.bytes.get(self.i) {
                        Some(b'}') | Some(b']') => {
                            self.i += 1;
                            return self.i > offset;
                        }
                        Some(b',') => {
                            self.i += 1;
                            index += 1;
                        }
                        Some(b'"') if object => {
                            let key = self.string();
                            path.0.push(Seg::Key(key.into()));
                            if self.i > offset {
                                *best = path.clone();
                                return true;
                            }
                            self.skip_ws();
                            if self.bytes.get(self.i) == Some(&b':') {
                                self.i += 1;
                            }
                            self.skip_ws();
                            if self.find(offset, path, best) {
                                return true;
                            }
                            path.0.pop();
                            *best = path.clone();
                        }
                        Some(_) if !object => {
                            path.0.push(Seg::Index(index));
                            if self.find(offset, path, best) {
                                return true;
                            }
                            path.0.pop();
                            *best = path.clone();
                        }
                        _ => return true,
                    }
                }
            }
            Some(b'"') => {
                self.string();
                self.i > offset
            }
            Some(_) => {
                while self.i < self.bytes.len()
                    && !matches!(self.bytes[self.i], b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    self.i += 1;
                }
                self.i > offset
            }
            None => true,
        }
    }

    fn skip_ws(&mut self) {
        while self.i < self.bytes.len() && matches!(self.bytes[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn value(
        &mut self,
        path: &mut JsonPath,
        wanted: &std::collections::HashSet<&JsonPath>,
        found: &mut HashMap<JsonPath, usize>,
    ) {
        if wanted.contains(path) {
            // An object member was already recorded at its key, which is what a person looks for.
            found.entry(path.clone()).or_insert(self.i);
        }
        match self.bytes.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.i) {
                        Some(b'}') => {
                            self.i += 1;
                            return;
                        }
                        Some(b',') => {
                            self.i += 1;
                            continue;
                        }
                        Some(b'"') => {
                            let key_at = self.i;
                            let key = self.string();
                            path.0.push(Seg::Key(key.into()));
                            if wanted.contains(path) {
                                found.insert(path.clone(), key_at);
                            }
                            self.skip_ws();
                            if self.bytes.get(self.i) == Some(&b':') {
                                self.i += 1;
                            }
                            self.skip_ws();
                            self.value(path, wanted, found);
                            path.0.pop();
                        }
                        _ => return,
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut index = 0usize;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.i) {
                        Some(b']') => {
                            self.i += 1;
                            return;
                        }
                        Some(b',') => {
                            self.i += 1;
                            index += 1;
                        }
                        Some(_) => {
                            path.0.push(Seg::Index(index));
                            self.value(path, wanted, found);
                            path.0.pop();
                        }
                        None => return,
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while self.i < self.bytes.len()
                    && !matches!(self.bytes[self.i], b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    self.i += 1;
                }
            }
            None => {}
        }
    }

    /// Reads a string starting at the opening quote and returns its (unescaped enough) content.
    fn string(&mut self) -> String {
        self.i += 1;
        let start = self.i;
        let mut escaped = false;
        let mut has_escape = false;
        while self.i < self.bytes.len() {
            let b = self.bytes[self.i];
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
                has_escape = true;
            } else if b == b'"' {
                break;
            }
            self.i += 1;
        }
        let raw = &self.bytes[start..self.i.min(self.bytes.len())];
        self.i += 1;
        if has_escape {
            let quoted = [b"\"", raw, b"\""].concat();
            serde_json::from_slice::<String>(&quoted).unwrap_or_default()
        } else {
            String::from_utf8_lossy(raw).into_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_keys_and_indexes() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"ê\": 2\n}";
        let p_b = JsonPath::root().key("a").index(1).key("b");
        let p_e = JsonPath::root().key("ê");
        let p_a1 = JsonPath::root().key("a").index(1);
        let got = locate(text, &[p_b.clone(), p_e.clone(), p_a1.clone()]);
        assert_eq!(got[&p_b], Pos { line: 2, column: 13 });
        assert_eq!(got[&p_e], Pos { line: 3, column: 3 });
        assert_eq!(got[&p_a1], Pos { line: 2, column: 12 });
        assert_eq!(p_b.to_string(), "a[1].b");
    }

    #[test]
    fn path_at_finds_the_innermost_value_or_key() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c\": 2\n}";
        let at = |needle: &str| path_at(text, text.find(needle).expect("in text")).to_string();
        assert_eq!(at("\"x\""), "a[1].b");
        assert_eq!(at("1,"), "a[0]");
        assert_eq!(at("\"c\""), "c");
        assert_eq!(at("2\n"), "c");
        assert_eq!(at("\n}"), "$");
        // Invalid after the offset: still the path up to it.
        assert_eq!(path_at("{\"a\": {\"b\": tru", 14).to_string(), "a.b");
        assert_eq!(offset_of_pos(text, 2, 3), text.find("\"a\"").expect("a"));
    }

    #[test]
    fn nesting_limit_ignores_brackets_in_strings() {
        assert_eq!(nesting_exceeds(r#"{"a": "[[[[[["}"#, 2), None);
        assert_eq!(nesting_exceeds("[[[1]]]", 2), Some(2));
    }
}
