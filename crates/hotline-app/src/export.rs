//! `/export [TAG]` (product.md §6 Export): the connection's customers as a CSV and an XLSX
//! file (two jobs in General's lane, each building its file when it runs) — id, names, username, language, phone if shared, first and last contact, tags,
//! dialog count, status — with column names and statuses in the team's language.
//!
//! The CSV starts with a byte order mark (spreadsheet apps then read it as UTF-8) and
//! neutralises formulas: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return gets a leading `'`. The XLSX writes every text as a string cell, never a
//! formula. Customers are read a page at a time, in chat id order.

use std::collections::HashMap;

use hotline_core::{ConnectionId, DialogId, Status};
use hotline_i18n::{Key, Lang, tr};
use hotline_store::{ExportedCustomer, Store};
use rust_xlsxwriter::{Format, Workbook};

use crate::card::date_time;

/// Customers read per query.
const PAGE: i64 = 1_000;
/// The most rows one export holds (a worksheet takes 1,048,576 with its header).
pub const MAX_ROWS: usize = 1_000_000;
/// The columns, in order (their names come from `export-columns`).
pub const COLUMNS: usize = 11;

/// Which file an export makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Xlsx,
}

impl Kind {
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Csv => "csv",
            Kind::Xlsx => "xlsx",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Kind::Csv => "text/csv",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Kind::Csv),
            "xlsx" => Some(Kind::Xlsx),
            _ => None,
        }
    }
}

/// One file of an export.
#[derive(Debug)]
pub struct File {
    pub bytes: Vec<u8>,
    /// Customers listed.
    pub rows: usize,
    /// More customers than [`MAX_ROWS`] matched; the rest are not listed.
    pub truncated: bool,
}

/// A cell of the export.
enum Cell {
    Number(i64),
    Text(String),
}

/// The column names in `lang` (`export-columns`, comma-separated), padded to [`COLUMNS`].
pub fn column_names(lang: Lang) -> Vec<String> {
    let mut names: Vec<String> = tr(lang, Key::ExportColumns)
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    names.resize(COLUMNS, String::new());
    names
}

fn status_text(lang: Lang, c: &ExportedCustomer) -> String {
    if c.customer.unreachable.is_some() {
        return tr(lang, Key::ExportStatusUnreachable);
    }
    tr(
        lang,
        match c.status {
            Some(Status::Waiting) => Key::ExportStatusWaiting,
            Some(Status::Answered) => Key::ExportStatusAnswered,
            Some(Status::Closed) => Key::ExportStatusClosed,
            None => Key::ExportStatusNone,
        },
    )
}

fn cells(lang: Lang, c: &ExportedCustomer, tags: &HashMap<DialogId, Vec<String>>) -> Vec<Cell> {
    let k = &c.customer;
    let opt = |v: &Option<String>| Cell::Text(v.clone().unwrap_or_default());
    let tag_list = c
        .dialog
        .and_then(|d| tags.get(&d))
        .map(|t| t.join(", "))
        .unwrap_or_default();
    vec![
        Cell::Number(k.chat_id.0),
        Cell::Text(k.first_name.clone()),
        opt(&k.last_name),
        Cell::Text(
            k.username
                .as_ref()
                .map_or_else(String::new, |u| format!("@{u}")),
        ),
        opt(&k.language_code),
        opt(&k.phone),
        Cell::Text(date_time(k.first_seen)),
        Cell::Text(date_time(k.last_seen)),
        Cell::Text(tag_list),
        Cell::Number(c.openings),
        Cell::Text(status_text(lang, c)),
    ]
}

/// A CSV cell that no spreadsheet app takes for a formula.
pub fn neutralised(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Builds the `kind` file of `connection`'s customers (with `tag`: only those whose dialog
/// has it), in `lang`.
pub async fn build(
    store: &Store,
    connection: ConnectionId,
    tag: Option<i64>,
    lang: Lang,
    kind: Kind,
) -> anyhow::Result<File> {
    let mut tags: HashMap<DialogId, Vec<String>> = HashMap::new();
    for (dialog, name) in store.tags().names_by_dialog(connection).await? {
        tags.entry(dialog).or_default().push(name);
    }
    let header = column_names(lang);
    let mut out = Out::new(kind, &header)?;
    let mut rows = 0usize;
    let mut truncated = false;
    let mut after = i64::MIN;
    'pages: loop {
        let page = store
            .customers()
            .export_page(connection, tag, after, PAGE)
            .await?;
        let Some(last) = page.last() else {
            break;
        };
        after = last.customer.chat_id.0;
        for c in &page {
            if rows >= MAX_ROWS {
                truncated = true;
                break 'pages;
            }
            rows += 1;
            out.row(rows, &cells(lang, c, &tags))?;
        }
        if i64::try_from(page.len()).unwrap_or(i64::MAX) < PAGE {
            break;
        }
    }
    Ok(File {
        bytes: out.finish()?,
        rows,
        truncated,
    })
}

/// The file being written.
enum Out {
    Csv(Box<csv::Writer<Vec<u8>>>),
    Xlsx(Box<Workbook>),
}

impl Out {
    fn new(kind: Kind, header: &[String]) -> anyhow::Result<Self> {
        Ok(match kind {
            Kind::Csv => {
                // The byte order mark: spreadsheet apps then read the file as UTF-8.
                let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
                w.write_record(header)?;
                Out::Csv(Box::new(w))
            }
            Kind::Xlsx => {
                let mut book = Workbook::new();
                let sheet = book.add_worksheet();
                let bold = Format::new().set_bold();
                for (col, name) in (0u16..).zip(header) {
                    sheet.write_string_with_format(0, col, name, &bold)?;
                }
                Out::Xlsx(Box::new(book))
            }
        })
    }

    fn row(&mut self, row: usize, cells: &[Cell]) -> anyhow::Result<()> {
        match self {
            Out::Csv(w) => {
                let record: Vec<String> = cells
                    .iter()
                    .map(|c| match c {
                        Cell::Number(n) => n.to_string(),
                        Cell::Text(t) => neutralised(t),
                    })
                    .collect();
                w.write_record(&record)?;
            }
            Out::Xlsx(book) => {
                let row = u32::try_from(row)?;
                let sheet = book.worksheet_from_index(0)?;
                for (col, cell) in (0u16..).zip(cells) {
                    match cell {
                        // Telegram ids are below 2^53: a double holds them exactly.
                        Cell::Number(n) => {
                            sheet.write_number(row, col, *n as f64)?;
                        }
                        Cell::Text(t) => {
                            sheet.write_string(row, col, t)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<Vec<u8>> {
        Ok(match self {
            Out::Csv(w) => w.into_inner().map_err(|e| anyhow::anyhow!("CSV: {e}"))?,
            Out::Xlsx(mut book) => {
                book.worksheet_from_index(0)?.autofit();
                book.save_to_buffer()?
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_kept() {
        for risky in ["=1+1", "+34 600", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralised(risky).starts_with('\''), "{risky:?}");
        }
        assert_eq!(neutralised("María"), "María");
        assert_eq!(neutralised(""), "");
        assert_eq!(neutralised("a=b"), "a=b");
    }

    #[test]
    fn every_language_names_every_column() {
        for lang in Lang::ALL {
            let names = column_names(lang);
            assert_eq!(names.len(), COLUMNS);
            assert!(names.iter().all(|n| !n.is_empty()), "{lang:?}: {names:?}");
            let raw = tr(lang, Key::ExportColumns);
            assert_eq!(raw.split(',').count(), COLUMNS, "{lang:?}: {raw}");
        }
    }
}
