//! A minimal Excel workbook writer, pure: one sheet of text and number cells, the header row
//! frozen and filterable, packed in a ZIP with stored (uncompressed) entries and CRC-32. Enough
//! for Excel, LibreOffice and Google Sheets to open the results with Vietnamese intact, at a
//! few kilobytes of wasm instead of a general XLSX crate and a deflate encoder.

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

/// A workbook of one sheet named `sheet` (at most 31 characters, no `[]:*?/\`), its first row
/// `header` in bold and frozen, then `rows`.
pub fn workbook(sheet: &str, header: &[&str], rows: &[Vec<Cell>], widths: &[u8]) -> Vec<u8> {
    let name: String =
        sheet.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\')).take(31).collect();
    let cols = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
    let last = format!("{}{}", column(cols - 1), rows.len() + 1);
    let mut sheet_xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#,
    ));
    if !widths.is_empty() {
        sheet_xml.push_str("<cols>");
        for (i, w) in widths.iter().enumerate() {
            sheet_xml
                .push_str(&format!(r#"<col min="{n}" max="{n}" width="{w}" customWidth="1"/>"#, n = i + 1));
        }
        sheet_xml.push_str("</cols>");
    }
    sheet_xml.push_str("<sheetData>");
    let head: Vec<Cell> = header.iter().map(|h| Cell::Text(h.to_string())).collect();
    for (r, row) in std::iter::once(&head).chain(rows).enumerate() {
        sheet_xml.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column(c), r + 1);
            let style = if r == 0 { r#" s="1""# } else { "" };
            match cell {
                Cell::Number(v) if v.is_finite() => {
                    sheet_xml.push_str(&format!(r#"<c r="{at}"{style}><v>{v}</v></c>"#))
                }
                Cell::Number(_) => {}
                Cell::Text(s) if s.is_empty() => {}
                // Inline strings are never formulas; still neutralised as the CSV is, so a
                // cell copied out of the sheet does not become one.
                Cell::Text(s) => sheet_xml.push_str(&format!(
                    r#"<c r="{at}"{style} t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    escape(&crate::domain::csv::neutralise(s))
                )),
            }
        }
        sheet_xml.push_str("</row>");
    }
    sheet_xml.push_str(&format!(r#"</sheetData><autoFilter ref="A1:{last}"/></worksheet>"#));

    let workbook_xml = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
            r#"<sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets>"#,
            r#"<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'{}'!$A$1:${}</definedName></definedNames>"#,
            r#"</workbook>"#
        ),
        escape(&name),
        escape(&name.replace('\'', "''")),
        last.trim_end_matches(char::is_numeric).to_string() + "$" + &(rows.len() + 1).to_string(),
    );
    let files: [(&str, &str); 6] = [
        (
            "[Content_Types].xml",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
                r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
                r#"<Default Extension="xml" ContentType="application/xml"/>"#,
                r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
                r#"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
                r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
                r#"</Types>"#
            ),
        ),
        (
            "_rels/.rels",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
                r#"</Relationships>"#
            ),
        ),
        ("xl/workbook.xml", &workbook_xml),
        (
            "xl/_rels/workbook.xml.rels",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
                r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
                r#"</Relationships>"#
            ),
        ),
        (
            "xl/styles.xml",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
                r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#,
                r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
                r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
                r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
                r#"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#,
                r#"</styleSheet>"#
            ),
        ),
        ("xl/worksheets/sheet1.xml", &sheet_xml),
    ];
    zip_stored(&files)
}

/// The spreadsheet name of column `i` (0 → A, 25 → Z, 26 → AA).
pub fn column(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// XML text: `&`, `<`, `>`, `"` escaped; control characters XML 1.0 forbids dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The CRC-32 (IEEE 802.3, as ZIP uses) of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A ZIP archive of `files` stored without compression (method 0), names in UTF-8. The date is
/// fixed (1980-01-01) so that the same table gives the same bytes.
pub fn zip_stored(files: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for (name, body) in files {
        let (name, body) = (name.as_bytes(), body.as_bytes());
        let (crc, size, offset) = (crc32(body), body.len() as u32, out.len() as u32);
        // Local file header.
        le32(&mut out, 0x0403_4b50);
        le16(&mut out, 20); // version needed
        le16(&mut out, 0x0800); // UTF-8 names
        le16(&mut out, 0); // stored
        le16(&mut out, 0); // time
        le16(&mut out, 0x21); // date 1980-01-01
        le32(&mut out, crc);
        le32(&mut out, size);
        le32(&mut out, size);
        le16(&mut out, name.len() as u16);
        le16(&mut out, 0);
        out.extend_from_slice(name);
        out.extend_from_slice(body);
        // Its central directory entry.
        le32(&mut central, 0x0201_4b50);
        le16(&mut central, 20); // made by
        le16(&mut central, 20);
        le16(&mut central, 0x0800);
        le16(&mut central, 0);
        le16(&mut central, 0);
        le16(&mut central, 0x21);
        le32(&mut central, crc);
        le32(&mut central, size);
        le32(&mut central, size);
        le16(&mut central, name.len() as u16);
        le16(&mut central, 0); // extra
        le16(&mut central, 0); // comment
        le16(&mut central, 0); // disk
        le16(&mut central, 0); // internal attributes
        le32(&mut central, 0); // external attributes
        le32(&mut central, offset);
        central.extend_from_slice(name);
    }
    let (at, len) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    le32(&mut out, 0x0605_4b50);
    le16(&mut out, 0);
    le16(&mut out, 0);
    le16(&mut out, files.len() as u16);
    le16(&mut out, files.len() as u16);
    le32(&mut out, len);
    le32(&mut out, at);
    le16(&mut out, 0);
    out
}
