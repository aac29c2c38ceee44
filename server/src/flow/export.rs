//! Lists as files (`GET /incidents/export`, `/persons/export`, `/safety-units/export`):
//! every record of a list in the caller's scope, as CSV or Excel, written a page at a time
//! so that a district's million incidents never sit in memory at once. The columns are the
//! list items' fields; persons are exported masked (the identity number as the list masks
//! it, no address). A text cell beginning with `=`, `+`, `-` or `@` is written with a
//! leading `'`, so that a spreadsheet program shows it rather than running it.

use std::io::Read;

use chrono::{DateTime, Utc};
use gridwork_shared::incident::Incident;
use gridwork_shared::person::PersonItem;
use gridwork_shared::safety::Unit;

use crate::flow::error::{Error, Result};
use crate::flow::stats::export_text;

/// The file an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: Option<&str>) -> Result<Format> {
        match s {
            Some("csv") => Ok(Format::Csv),
            Some("xlsx") => Ok(Format::Xlsx),
            _ => Err(Error::invalid("format", "must be csv or xlsx")),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// A cell of an exported row.
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn time(t: &DateTime<Utc>) -> Cell {
    Cell::Text(crate::core::time::fmt(*t))
}

fn maybe_time(t: &Option<DateTime<Utc>>) -> Cell {
    t.as_ref().map_or(Cell::Empty, time)
}

fn maybe<T: ToString>(v: &Option<T>) -> Cell {
    v.as_ref()
        .map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
}

fn yes(b: bool) -> Cell {
    text(if b { "true" } else { "false" })
}

/// A record a list exports: its sheet's name, its columns (the field, then the words for
/// people) and its row.
pub trait Exported {
    const SHEET: &'static str;
    const HEADS: &'static [(&'static str, &'static str)];
    fn cells(&self) -> Vec<Cell>;
}

impl Exported for Incident {
    const SHEET: &'static str = "事件 incidents";
    const HEADS: &'static [(&'static str, &'static str)] = &[
        ("id", "编号 id"),
        ("category", "类别 category"),
        ("title", "标题 title"),
        ("description", "描述 description"),
        ("lon", "经度 lon"),
        ("lat", "纬度 lat"),
        ("occurred_at", "发生时间 occurred"),
        ("severity", "紧急程度 severity"),
        ("cell_code", "网格 cell"),
        ("status", "状态 status"),
        ("level", "层级 level"),
        ("due_at", "期限 due"),
        ("overdue", "超期 overdue"),
        ("reporter_id", "上报人 reporter"),
        ("assignee_id", "承办人 assignee"),
        ("assignee_name", "承办人姓名 assignee name"),
        ("resolver_id", "处置人 resolver"),
        ("merged_into", "合并至 merged into"),
        ("conflict", "冲突 conflict"),
        ("version", "版本 version"),
        ("created_at", "上报时间 created"),
        ("updated_at", "更新时间 updated"),
        ("closed_at", "结案时间 closed"),
    ];
    fn cells(&self) -> Vec<Cell> {
        vec![
            text(self.id.to_string()),
            text(&self.category),
            text(&self.title),
            text(&self.description),
            Cell::Number(self.location.lon),
            Cell::Number(self.location.lat),
            time(&self.occurred_at),
            text(self.severity.as_str()),
            text(&self.cell_code),
            text(self.status.as_str()),
            text(self.level.as_str()),
            time(&self.due_at),
            yes(self.overdue),
            text(self.reporter_id.to_string()),
            maybe(&self.assignee_id),
            maybe(&self.assignee_name),
            maybe(&self.resolver_id),
            maybe(&self.merged_into),
            yes(self.conflict),
            Cell::Number(self.version as f64),
            time(&self.created_at),
            time(&self.updated_at),
            maybe_time(&self.closed_at),
        ]
    }
}

impl Exported for PersonItem {
    const SHEET: &'static str = "特殊人群 persons";
    // Masked: the identity number as the list shows it, and no address.
    const HEADS: &'static [(&'static str, &'static str)] = &[
        ("id", "编号 id"),
        ("category", "类别 category"),
        ("name", "姓名 name"),
        ("id_number_masked", "身份证号（脱敏） id number (masked)"),
        ("cell_code", "网格 cell"),
        ("risk_level", "风险等级 risk"),
        ("responsible_worker_id", "责任网格员 responsible worker"),
        ("active", "在册 active"),
        ("last_visit_at", "最近走访 last visit"),
        ("last_outcome", "走访结果 last outcome"),
        ("next_visit_due", "下次走访 next visit due"),
        ("overdue", "超期 overdue"),
        ("version", "版本 version"),
        ("created_at", "登记时间 created"),
        ("updated_at", "更新时间 updated"),
    ];
    fn cells(&self) -> Vec<Cell> {
        vec![
            text(self.id.to_string()),
            text(self.category.as_str()),
            text(&self.name),
            text(&self.id_number_masked),
            text(&self.cell_code),
            text(self.risk_level.as_str()),
            text(self.responsible_worker_id.to_string()),
            yes(self.active),
            maybe_time(&self.last_visit_at),
            self.last_outcome.map_or(Cell::Empty, |o| text(o.as_str())),
            maybe_time(&self.next_visit_due),
            yes(self.overdue),
            Cell::Number(self.version as f64),
            time(&self.created_at),
            time(&self.updated_at),
        ]
    }
}

impl Exported for Unit {
    const SHEET: &'static str = "安全单位 safety units";
    const HEADS: &'static [(&'static str, &'static str)] = &[
        ("id", "编号 id"),
        ("kind", "类型 kind"),
        ("name", "名称 name"),
        ("address", "地址 address"),
        ("lon", "经度 lon"),
        ("lat", "纬度 lat"),
        ("cell_code", "网格 cell"),
        ("status", "状态 status"),
        ("open_hazards", "未整改隐患 open hazards"),
        ("certification", "认定 certification"),
        ("certified_at", "认定时间 certified"),
        ("last_inspected_at", "最近检查 last inspected"),
        ("version", "版本 version"),
        ("created_at", "登记时间 created"),
        ("updated_at", "更新时间 updated"),
    ];
    fn cells(&self) -> Vec<Cell> {
        vec![
            text(self.id.to_string()),
            text(self.kind.as_str()),
            text(&self.name),
            text(&self.address),
            Cell::Number(self.location.lon),
            Cell::Number(self.location.lat),
            text(&self.cell_code),
            text(self.status.as_str()),
            Cell::Number(self.open_hazards as f64),
            text(self.certification.as_str()),
            maybe_time(&self.certified_at),
            maybe_time(&self.last_inspected_at),
            Cell::Number(self.version as f64),
            time(&self.created_at),
            time(&self.updated_at),
        ]
    }
}

/// One page of a list and the cursor of the next, as the list's rules answer.
pub type Listed<T> = (Vec<T>, Option<String>);

/// Reads one page of a list for an export, with the list's own rules (its `list`).
pub type PageReader<T> = std::sync::Arc<
    dyn Fn(
            &crate::app::state::AppState,
            &mut crate::db::DbConn,
            &crate::flow::caller::CurrentUser,
            &crate::flow::PageRequest,
        ) -> Result<Listed<T>>
        + Send
        + Sync,
>;

/// Rows of an Excel sheet at most (the format's limit, less the head); more go on to the
/// next sheet.
const SHEET_ROWS: u32 = 1_048_575;

/// Writes every page of a list, from `first` on (`next` reads the page after a cursor), as
/// the file `format`, handing its bytes to `out` as they are written; `out` answers `false`
/// when nobody takes them any more (the download was abandoned), which stops the export.
/// Answers how many records were written.
pub fn write<T: Exported>(
    format: Format,
    first: Listed<T>,
    mut next: impl FnMut(&str) -> Result<Listed<T>>,
    mut out: impl FnMut(bytes::Bytes) -> bool,
) -> Result<u64> {
    let mut page = first;
    let mut count = 0u64;
    match format {
        Format::Csv => {
            let mut head = String::from("\u{feff}");
            head.push_str(&T::HEADS.iter().map(|h| h.0).collect::<Vec<_>>().join(","));
            head.push('\n');
            if !out(head.into()) {
                return Ok(0);
            }
            loop {
                let mut chunk = String::new();
                for item in &page.0 {
                    push_csv_row(&mut chunk, &item.cells());
                    count += 1;
                }
                if !chunk.is_empty() && !out(chunk.into()) {
                    return Ok(count);
                }
                match page.1.take() {
                    Some(cursor) => page = next(&cursor)?,
                    None => return Ok(count),
                }
            }
        }
        Format::Xlsx => {
            let dir = tempfile::tempdir().map_err(|e| Error::Unexpected(e.into()))?;
            let path = dir.path().join("export.xlsx");
            let mut wb = rust_xlsxwriter::Workbook::new();
            wb.set_tempdir(dir.path()).map_err(xlsx)?;
            // The first sheet with its head, even for an export with no rows.
            let mut sheets = 1;
            add_sheet::<T>(&mut wb, sheets)?;
            let mut row = 0;
            loop {
                for item in &page.0 {
                    if row == SHEET_ROWS {
                        sheets += 1;
                        add_sheet::<T>(&mut wb, sheets)?;
                        row = 0;
                    }
                    row += 1;
                    let ws = wb.worksheet_from_index(sheets - 1).map_err(xlsx)?;
                    for (col, cell) in item.cells().iter().enumerate() {
                        let col = col as u16;
                        match cell {
                            Cell::Text(s) => {
                                ws.write(row, col, export_text(s).as_ref()).map_err(xlsx)?;
                            }
                            Cell::Number(n) => {
                                ws.write(row, col, *n).map_err(xlsx)?;
                            }
                            Cell::Empty => {}
                        }
                    }
                    count += 1;
                }
                match page.1.take() {
                    Some(cursor) => page = next(&cursor)?,
                    None => break,
                }
            }
            wb.save(&path).map_err(xlsx)?;
            drop(wb);
            let mut file = std::fs::File::open(&path).map_err(|e| Error::Unexpected(e.into()))?;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = file
                    .read(&mut buf)
                    .map_err(|e| Error::Unexpected(e.into()))?;
                if n == 0 || !out(bytes::Bytes::copy_from_slice(&buf[..n])) {
                    return Ok(count);
                }
            }
        }
    }
}

/// Adds the `n`th sheet (1-based) of an export of `T`, with its head in bold.
fn add_sheet<T: Exported>(wb: &mut rust_xlsxwriter::Workbook, n: usize) -> Result<()> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = wb.add_worksheet_with_constant_memory().map_err(xlsx)?;
    ws.set_name(sheet_name(T::SHEET, n)).map_err(xlsx)?;
    for (i, h) in T::HEADS.iter().enumerate() {
        ws.write_with_format(0, i as u16, h.1, &bold)
            .map_err(xlsx)?;
    }
    Ok(())
}

fn xlsx(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Unexpected(anyhow::anyhow!("writing an Excel export: {e}"))
}

/// The name of the `n`th sheet (1-based): the list's name, then "… 2", "… 3".
fn sheet_name(base: &str, n: usize) -> String {
    match n {
        1 => base.to_string(),
        n => format!("{base} {n}"),
    }
}

/// One CSV line: text quoted (formulas defused), numbers as they are.
fn push_csv_row(out: &mut String, cells: &[Cell]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match cell {
            Cell::Text(s) => {
                out.push('"');
                out.push_str(&export_text(s).replace('"', "\"\""));
                out.push('"');
            }
            Cell::Number(n) => out.push_str(&n.to_string()),
            Cell::Empty => {}
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        let mut out = String::new();
        push_csv_row(
            &mut out,
            &[
                text("=HYPERLINK(\"x\")"),
                Cell::Number(1.5),
                Cell::Empty,
                text("a,b"),
            ],
        );
        assert_eq!(out, "\"'=HYPERLINK(\"\"x\"\")\",1.5,,\"a,b\"\n");
    }

    #[test]
    fn sheets_after_the_first_are_numbered() {
        assert_eq!(sheet_name("事件 incidents", 1), "事件 incidents");
        assert_eq!(sheet_name("事件 incidents", 2), "事件 incidents 2");
    }
}
