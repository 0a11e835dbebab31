//! Any CSV export as a workbook (one sheet; numbers as numbers), and a computation's steps as a
//! CSV table — so every table the lab shows downloads as CSV and XLSX.

use hkb_rules::Step;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The UTF-8 byte order mark: spreadsheet programs then read Chinese text correctly.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A workbook with one sheet holding the CSV's rows: the first row bold, cells that read as
/// numbers written as numbers.
pub fn csv_to_xlsx(csv_bytes: &[u8], sheet: &str) -> Result<Vec<u8>, XlsxError> {
    let bytes = csv_bytes.strip_prefix(BOM).unwrap_or(csv_bytes);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name(sheet)?;
    let bold = Format::new().set_bold();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    for (i, rec) in r.records().enumerate() {
        let Ok(rec) = rec else { continue };
        let row = u32::try_from(i).unwrap_or(u32::MAX);
        for (j, cell) in rec.iter().enumerate() {
            let col = u16::try_from(j).unwrap_or(u16::MAX);
            match cell.parse::<f64>() {
                Ok(x) if i > 0 && x.is_finite() => {
                    ws.write_number(row, col, x)?;
                }
                _ if i == 0 => {
                    ws.write_string_with_format(row, col, cell, &bold)?;
                }
                _ => {
                    ws.write_string(row, col, cell)?;
                }
            }
        }
    }
    ws.autofit();
    wb.save_to_buffer()
}

/// A computation's steps: key, label in both languages, detail, amount (HK$).
pub fn steps_csv(w: &mut dyn std::io::Write, steps: &[Step]) -> Result<(), csv::Error> {
    let mut c = csv::Writer::from_writer(w);
    c.write_record([
        "key",
        "label_en",
        "label_zh",
        "detail_en",
        "detail_zh",
        "amount_hkd",
    ])?;
    for s in steps {
        let (de, dz) = s
            .detail
            .as_ref()
            .map_or((String::new(), String::new()), |d| {
                (d.en.to_string(), d.zh.to_string())
            });
        c.write_record([
            s.key.to_string(),
            s.label.en.to_string(),
            s.label.zh.to_string(),
            de,
            dz,
            s.amount
                .map(|m| format!("{:.2}", m.to_f64()))
                .unwrap_or_default(),
        ])?;
    }
    c.flush()?;
    Ok(())
}
