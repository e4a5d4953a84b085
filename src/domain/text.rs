//! Bilingual text (Vietnamese first, English second) and the UI language choice.
//! Pure data: the domain never decides which language is shown, it only carries both.

use serde::{Deserialize, Serialize};

/// The language a person reads the app in. Vietnamese is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag, used for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Parses a stored tag; anything unknown falls back to Vietnamese.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }
}

/// A string in both languages. English may be empty; then Vietnamese is shown.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Text {
    pub vi: String,
    #[serde(default)]
    pub en: String,
}

impl Text {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Text {
        Text { vi: vi.into(), en: en.into() }
    }

    /// The text in `lang`, falling back to Vietnamese when no English is given.
    pub fn get(&self, lang: Lang) -> &str {
        pick(&self.vi, &self.en, lang)
    }
}

/// `en` in English when it is given, else `vi`.
pub fn pick<'a>(vi: &'a str, en: &'a str, lang: Lang) -> &'a str {
    match lang {
        Lang::En if !en.trim().is_empty() => en,
        _ => vi,
    }
}

/// The part in `lang` of a text written "<Vietnamese> / <English>" (the server's guard writes its
/// reasons so, and so are the reasons a stored record is kept apart); a text in another form is
/// returned as it is.
pub fn in_lang(text: &str, lang: Lang) -> &str {
    match (text.split_once(" / "), lang) {
        (Some((vi, _)), Lang::Vi) => vi,
        (Some((_, en)), Lang::En) => en,
        (None, _) => text,
    }
}

/// Orders names as people read them: runs of digits by their value, so "Phường 2" comes before
/// "Phường 11"; the rest by code point.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> impl Iterator<Item = (bool, &str)> {
        let mut rest = s;
        std::iter::from_fn(move || {
            let first = rest.chars().next()?;
            let digit = first.is_ascii_digit();
            let end = rest.find(|c: char| c.is_ascii_digit() != digit).unwrap_or(rest.len());
            let (chunk, tail) = rest.split_at(end);
            rest = tail;
            Some((digit, chunk))
        })
    }
    let (mut x, mut y) = (chunks(a), chunks(b));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some((true, p)), Some((true, q))) => {
                let (p, q) = (p.trim_start_matches('0'), q.trim_start_matches('0'));
                let o = p.len().cmp(&q.len()).then_with(|| p.cmp(q));
                if o.is_ne() {
                    return o;
                }
            }
            (Some((_, p)), Some((_, q))) => {
                let o = p.cmp(q);
                if o.is_ne() {
                    return o;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{fold, natural_cmp};

    #[test]
    fn folding_drops_case_tone_shape_and_punctuation() {
        assert_eq!(fold("  Chức danh "), "chuc_danh");
        assert_eq!(fold("Nhóm 3"), "nhom_3");
        assert_eq!(fold("Đạt!!"), "dat");
        assert_eq!(fold("Vùng khó khăn"), "vung_kho_khan");
        assert_eq!(fold("Ho\u{300}a"), fold("Hoà"), "NFD folds like NFC");
        assert_eq!(fold("Hòa"), fold("Hoà"));
        assert_eq!(fold("Ư Ơ Ă Â Ê Ô"), "u_o_a_a_e_o");
        assert_eq!(fold("--a--b--"), "a_b");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn numbers_in_names_sort_by_value() {
        let mut v = ["Phường 11", "Phường 2", "Xã An", "Phường 1", "Phường 02a", "Phường 2b"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["Phường 1", "Phường 2", "Phường 02a", "Phường 2b", "Phường 11", "Xã An"]);
    }
}

/// A key under which two spellings of one Vietnamese name compare equal: case, spacing, NFC
/// or NFD, and the old or new placement of the tone mark ("Hoà" and "Hòa", "Thuỷ" and "Thủy").
/// Letters keep their shape (ă â ê ô ơ ư đ differ from a e o u d); each word keeps its tone.
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for word in s.split_whitespace() {
        let mut base = String::with_capacity(word.len());
        let mut tone = 0u8;
        for c in word.chars() {
            // ASCII letters and digits are most of a name: no table look-up for them.
            if c.is_ascii() {
                base.push(c.to_ascii_lowercase());
                continue;
            }
            match c {
                '\u{300}' => tone = 1,
                '\u{301}' => tone = 2,
                '\u{309}' => tone = 3,
                '\u{303}' => tone = 4,
                '\u{323}' => tone = 5,
                // Shape marks in NFD: breve, circumflex, horn, on the letter before.
                '\u{306}' | '\u{302}' | '\u{31b}' => {
                    if let Some(prev) = base.pop() {
                        base.push(match (prev, c) {
                            ('a', '\u{306}') => 'ă',
                            ('a', '\u{302}') => 'â',
                            ('e', '\u{302}') => 'ê',
                            ('o', '\u{302}') => 'ô',
                            ('o', '\u{31b}') => 'ơ',
                            ('u', '\u{31b}') => 'ư',
                            (p, _) => p,
                        });
                    }
                }
                c => {
                    for lower in c.to_lowercase() {
                        match toned_vowel(lower) {
                            Some((shaped, t)) => {
                                base.push(shaped);
                                if t > 0 {
                                    tone = t;
                                }
                            }
                            None => base.push(lower),
                        }
                    }
                }
            }
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&base);
        if tone > 0 {
            out.push(char::from(b'0' + tone));
        }
    }
    out
}

/// Lower-case ASCII form of Vietnamese text, for matching headers, ids and typed values
/// ("Chức danh" → "chuc_danh", "Nhóm 3" → "nhom_3"): case, NFC or NFD, tone and shape go (ă â → a,
/// đ → d); any run of other characters becomes one "_". Names that must keep their letters'
/// shape and tone compare by `name_key` instead.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        // Combining marks (text in NFD: "a" + U+0300) fold away like the precomposed letters.
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        let c = match (c, toned_vowel(c)) {
            ('đ', _) => 'd',
            (_, Some((shaped, _))) => match shaped {
                'ă' | 'â' => 'a',
                'ê' => 'e',
                'ô' | 'ơ' => 'o',
                'ư' => 'u',
                v => v,
            },
            (c, None) => c,
        };
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// A lower-case Vietnamese vowel → (the vowel with its shape but no tone, tone 0–5), by binary
/// search in a table built once.
fn toned_vowel(c: char) -> Option<(char, u8)> {
    use std::sync::OnceLock;
    // Each shaped vowel and its five toned forms: grave, acute, hook, tilde, dot below.
    const VOWELS: [&str; 12] = [
        "aàáảãạ",
        "ăằắẳẵặ",
        "âầấẩẫậ",
        "eèéẻẽẹ",
        "êềếểễệ",
        "iìíỉĩị",
        "oòóỏõọ",
        "ôồốổỗộ",
        "ơờớởỡợ",
        "uùúủũụ",
        "ưừứửữự",
        "yỳýỷỹỵ",
    ];
    static TABLE: OnceLock<Vec<(char, char, u8)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t: Vec<(char, char, u8)> = VOWELS
            .iter()
            .flat_map(|v| {
                let base = v.chars().next().unwrap_or('a');
                v.chars().enumerate().map(move |(i, c)| (c, base, i as u8))
            })
            .collect();
        t.sort_unstable_by_key(|e| e.0);
        t
    });
    table.binary_search_by_key(&c, |e| e.0).ok().map(|i| (table[i].1, table[i].2))
}

#[cfg(test)]
mod name_key_tests {
    use super::name_key;

    #[test]
    fn spellings_of_one_name_match_and_other_names_do_not() {
        assert_eq!(name_key("Xã Hoà Bình"), name_key("Xã Hòa Bình"));
        assert_eq!(name_key("  xã  HÒA bình "), name_key("Xã Hoà Bình"));
        assert_eq!(name_key("Thuỷ"), name_key("Thủy"));
        // NFD (macOS, some exports): "Hòa" as o + U+0300 + a; "Vĩnh" as i + U+0303.
        assert_eq!(name_key("Ho\u{300}a Bi\u{300}nh"), name_key("Hòa Bình"));
        assert_eq!(name_key("Vi\u{303}nh Tra\u{323}ch"), name_key("Vĩnh Trạch"));
        assert_eq!(name_key("Pho\u{31b}\u{301}c"), name_key("Phớc"));
        assert_ne!(name_key("Hòa Bình"), name_key("Hoa Bình"));
        assert_ne!(name_key("Hòa"), name_key("Hóa"));
        assert_ne!(name_key("Cô"), name_key("Cơ"));
        assert_ne!(name_key("Đông"), name_key("Dông"));
    }
}

/// A count with its thousands grouped as a reader of `lang` writes them: "2.079" in Vietnamese
/// (where "2,079" is a decimal), "2,079" in English.
pub fn group_digits(n: u64, lang: Lang) -> String {
    let sep = if lang == Lang::Vi { '.' } else { ',' };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod group_digits_tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_the_way_each_language_reads_them() {
        assert_eq!(group_digits(0, Lang::Vi), "0");
        assert_eq!(group_digits(999, Lang::Vi), "999");
        assert_eq!(group_digits(2079, Lang::Vi), "2.079");
        assert_eq!(group_digits(2079, Lang::En), "2,079");
        assert_eq!(group_digits(1_234_567, Lang::Vi), "1.234.567");
        assert_eq!(group_digits(100_000, Lang::En), "100,000");
    }
}
