//! The guide ("Hướng dẫn"): a small Markdown subset read from `locales/guide.<lang>.md` into
//! blocks the UI draws as text (never as HTML). A province edits those files without touching the
//! logic; what it writes is still outside input: links go only to the app's own pages (`#/…`) or
//! to `https://`, images only to a file name beside the guide, and nothing else is interpreted.
//!
//! Syntax: `#`/`##`/`###` headings with an optional `{#id}` (else the folded title); paragraphs
//! (lines joined until a blank line); `- ` items and `1. ` items; `> ` a note; `![alt](file.png)`
//! on its own line; inline `**strong**`, `` `code` ``, `[text](target)`. A heading `## …` starts a
//! section; `<!-- … -->` lines are comments for the people who edit the file.

use crate::domain::text::fold;

/// A piece of running text.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(String),
    Code(String),
    /// A link to an app page (`#/…`, or `#id` for a guide paragraph) or to `https://`.
    Link {
        text: String,
        href: String,
    },
}

/// A block of the guide.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading { level: u8, id: String, text: String },
    Para(Vec<Inline>),
    List { ordered: bool, items: Vec<Vec<Inline>> },
    Note(Vec<Inline>),
    Image { src: String, alt: String },
}

/// The guide: its blocks in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Guide {
    pub blocks: Vec<Block>,
}

impl Guide {
    /// The headings of level 2 (the sections, for the table of contents): (id, title).
    pub fn sections(&self) -> Vec<(&str, &str)> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level: 2, id, text } => Some((id.as_str(), text.as_str())),
                _ => None,
            })
            .collect()
    }

    /// Every heading id (sections and paragraphs a "?" may point at).
    pub fn ids(&self) -> Vec<&str> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { id, .. } => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The heading with `id` and the blocks under it, up to the next heading of the same or a
    /// higher level (what the help panel shows for one term).
    pub fn part(&self, id: &str) -> Option<&[Block]> {
        let start = self.blocks.iter().position(|b| matches!(b, Block::Heading { id: h, .. } if h == id))?;
        let Block::Heading { level, .. } = self.blocks[start] else { return None };
        let end = self.blocks[start + 1..]
            .iter()
            .position(|b| matches!(b, Block::Heading { level: l, .. } if *l <= level))
            .map_or(self.blocks.len(), |i| start + 1 + i);
        Some(&self.blocks[start..end])
    }
}

/// At most this many bytes of guide text are read (a guide is tens of kilobytes).
pub const MAX_GUIDE_BYTES: usize = 512 * 1024;

/// Reads guide text. Never fails: what it does not know is kept as text.
pub fn parse(text: &str) -> Guide {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if text.len() > MAX_GUIDE_BYTES {
        let mut end = MAX_GUIDE_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        &text[..end]
    } else {
        text
    };
    let mut blocks = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let mut list: Option<(bool, Vec<Vec<Inline>>)> = None;
    let mut note: Vec<String> = Vec::new();
    let mut in_comment = false;
    let flush = |blocks: &mut Vec<Block>,
                 para: &mut Vec<String>,
                 list: &mut Option<(bool, Vec<Vec<Inline>>)>,
                 note: &mut Vec<String>| {
        if !para.is_empty() {
            blocks.push(Block::Para(inline(&para.join(" "))));
            para.clear();
        }
        if let Some((ordered, items)) = list.take() {
            blocks.push(Block::List { ordered, items });
        }
        if !note.is_empty() {
            blocks.push(Block::Note(inline(&note.join(" "))));
            note.clear();
        }
    };
    for raw in text.lines() {
        let line = raw.trim_end();
        let t = line.trim_start();
        if in_comment {
            in_comment = !t.contains("-->");
            continue;
        }
        if t.starts_with("<!--") {
            in_comment = !t.contains("-->");
            continue;
        }
        if t.is_empty() {
            flush(&mut blocks, &mut para, &mut list, &mut note);
            continue;
        }
        if let Some((level, rest)) = heading(t) {
            flush(&mut blocks, &mut para, &mut list, &mut note);
            let (title, id) = match rest.rfind("{#") {
                Some(i) if rest.ends_with('}') => {
                    (rest[..i].trim(), rest[i + 2..rest.len() - 1].trim().to_string())
                }
                _ => (rest.trim(), String::new()),
            };
            let id = if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                fold(title).replace('_', "-")
            } else {
                id
            };
            blocks.push(Block::Heading { level, id, text: title.to_string() });
            continue;
        }
        if let Some(rest) = t.strip_prefix("> ").or_else(|| (t == ">").then_some("")) {
            if !para.is_empty() || list.is_some() {
                flush(&mut blocks, &mut para, &mut list, &mut note);
            }
            note.push(rest.to_string());
            continue;
        }
        if let Some((alt, src)) = image(t) {
            flush(&mut blocks, &mut para, &mut list, &mut note);
            blocks.push(Block::Image { src, alt });
            continue;
        }
        let item = t.strip_prefix("- ").map(|r| (false, r)).or_else(|| ordered_item(t).map(|r| (true, r)));
        if let Some((ordered, rest)) = item {
            if !para.is_empty() || !note.is_empty() || list.as_ref().is_some_and(|(o, _)| *o != ordered) {
                flush(&mut blocks, &mut para, &mut list, &mut note);
            }
            list.get_or_insert_with(|| (ordered, Vec::new())).1.push(inline(rest));
            continue;
        }
        // A line indented under a list item continues it.
        if let (Some((_, items)), true) = (list.as_mut(), raw.starts_with("  ")) {
            if let Some(last) = items.last_mut() {
                last.push(Inline::Text(" ".into()));
                last.extend(inline(t));
                continue;
            }
        }
        if !note.is_empty() {
            note.push(t.to_string());
            continue;
        }
        if list.is_some() {
            flush(&mut blocks, &mut para, &mut list, &mut note);
        }
        para.push(t.to_string());
    }
    flush(&mut blocks, &mut para, &mut list, &mut note);
    Guide { blocks }
}

fn heading(t: &str) -> Option<(u8, &str)> {
    let level = t.bytes().take_while(|&b| b == b'#').count();
    (1..=3).contains(&level).then(|| t[level..].strip_prefix(' ')).flatten().map(|rest| (level as u8, rest))
}

fn ordered_item(t: &str) -> Option<&str> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && digits < 4).then(|| t[digits..].strip_prefix(". ")).flatten()
}

/// `![alt](file.png)` alone on a line, the file a plain name beside the guide.
fn image(t: &str) -> Option<(String, String)> {
    let rest = t.strip_prefix("![")?;
    let (alt, rest) = rest.split_once("](")?;
    let src = rest.strip_suffix(')')?;
    let plain = !src.is_empty()
        && src.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !src.starts_with('.')
        && [".png", ".jpg", ".jpeg", ".webp", ".svg"].iter().any(|e| src.ends_with(e));
    plain.then(|| (alt.to_string(), src.to_string()))
}

/// Whether a link target is one the guide may point at.
pub fn safe_href(href: &str) -> bool {
    (href.starts_with("#/") || href.starts_with('#') || href.starts_with("https://"))
        && !href.chars().any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
}

/// Running text with `**strong**`, `` `code` `` and `[text](target)`; an unsafe link is kept as
/// its text.
pub fn inline(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    let push_text = |out: &mut Vec<Inline>, text: &mut String| {
        if !text.is_empty() {
            out.push(Inline::Text(std::mem::take(text)));
        }
    };
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("**") {
            if let Some(end) = after.find("**") {
                push_text(&mut out, &mut text);
                out.push(Inline::Strong(after[..end].to_string()));
                rest = &after[end + 2..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix('`') {
            if let Some(end) = after.find('`') {
                push_text(&mut out, &mut text);
                out.push(Inline::Code(after[..end].to_string()));
                rest = &after[end + 1..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix('[') {
            if let Some((label, tail)) = after.split_once("](") {
                if let Some(end) = tail.find(')') {
                    let href = &tail[..end];
                    push_text(&mut out, &mut text);
                    if safe_href(href) {
                        out.push(Inline::Link { text: label.to_string(), href: href.to_string() });
                    } else {
                        out.push(Inline::Text(label.to_string()));
                    }
                    rest = &tail[end + 1..];
                    continue;
                }
            }
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    push_text(&mut out, &mut text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_subset_and_nothing_more() {
        let g = parse(
            "<!-- for editors -->\n# Hướng dẫn\n\n## Bắt đầu {#bat-dau}\n\nMở **Đánh giá**, rồi\nchọn [Tạo mới](#/new).\n\n- một\n- hai `10.500`\n  tiếp\n\n1. bước\n2. bước hai\n\n> Lưu ý: tạm tính\n\n![Màn hình](home.png)\n\n### Tạm tính\nMột đoạn.\n",
        );
        assert_eq!(g.sections(), [("bat-dau", "Bắt đầu")]);
        assert_eq!(g.ids(), ["huong-dan", "bat-dau", "tam-tinh"]);
        assert_eq!(
            g.blocks[2],
            Block::Para(vec![
                Inline::Text("Mở ".into()),
                Inline::Strong("Đánh giá".into()),
                Inline::Text(", rồi chọn ".into()),
                Inline::Link { text: "Tạo mới".into(), href: "#/new".into() },
                Inline::Text(".".into()),
            ])
        );
        assert!(
            matches!(&g.blocks[3], Block::List { ordered: false, items } if items.len() == 2 && items[1].len() == 4)
        );
        assert!(matches!(&g.blocks[4], Block::List { ordered: true, items } if items.len() == 2));
        assert_eq!(g.blocks[5], Block::Note(vec![Inline::Text("Lưu ý: tạm tính".into())]));
        assert_eq!(g.blocks[6], Block::Image { src: "home.png".into(), alt: "Màn hình".into() });
        assert_eq!(g.part("tam-tinh").map(<[Block]>::len), Some(2));
        assert_eq!(g.part("bat-dau").map(<[Block]>::len), Some(8), "a section holds its paragraphs");
    }

    #[test]
    fn outside_text_gets_no_say_over_links_images_or_markup() {
        let g = parse("[bấm](javascript:alert(1)) [x](http://a) [y](https://a.vn/b) <b>đậm</b>\n\n![a](../../etc/passwd.png)\n![b](https://x/y.png)\n");
        assert_eq!(
            g.blocks[0],
            Block::Para(vec![
                Inline::Text("bấm".into()),
                Inline::Text(") ".into()),
                Inline::Text("x".into()),
                Inline::Text(" ".into()),
                Inline::Link { text: "y".into(), href: "https://a.vn/b".into() },
                Inline::Text(" <b>đậm</b>".into()),
            ])
        );
        assert!(!g.blocks.iter().any(|b| matches!(b, Block::Image { .. })), "{:?}", g.blocks);
        // Unclosed markup is text; a huge file is cut, not refused.
        assert_eq!(inline("**không đóng"), [Inline::Text("**không đóng".into())]);
        let big = "a ".repeat(MAX_GUIDE_BYTES);
        assert!(matches!(parse(&big).blocks.as_slice(), [Block::Para(_)]));
    }
}
