//! The printable sign-in sheet of a shoot day: A4 portrait, the agency, project, day and call time on top of every
//! page, then the roster as a table (number, name, code, role, time in, time out, a box to sign), page numbers at
//! the bottom. It is the paper fallback at the gate and the record talents sign. The caller passes every string
//! already translated and formatted; the fonts are the badges' embedded Noto Sans, subset to what the sheet uses, so
//! names like "Ngozi Ọkafọ" print and can be searched and copied from the PDF.

use std::collections::BTreeSet;

use printpdf::{Mm, Op, PdfDocument, PdfFontHandle, PdfPage, Point, Pt, TextItem};

use crate::badge::{Faces, Rgb8, Style, Weight, faces, fill_rect, page_point, save_pdf, stroke_line, style};

/// One sheet's content, every string already translated and formatted by the caller.
#[derive(Debug, Clone, Default)]
pub struct SignInSheet {
    pub agency_name: String,
    /// e.g. "Feuille d’émargement"
    pub title: String,
    pub production_name: String,
    /// e.g. "Le Chant du Fleuve · SNFSI001"
    pub project: String,
    /// e.g. "Jour : 03/12/2026 · Convocation : 07:30 · Lieu : Saint-Louis"
    pub details: String,
    pub columns: SignInColumns,
    pub rows: Vec<SignInRow>,
    /// The footer, with `{page}` and `{pages}` replaced: e.g. "Page {page} sur {pages}".
    pub page_label: String,
}

/// The table's column headers.
#[derive(Debug, Clone, Default)]
pub struct SignInColumns {
    pub number: String,
    pub name: String,
    pub code: String,
    pub role: String,
    pub time_in: String,
    pub time_out: String,
    pub signature: String,
}

/// One talent's line; times already recorded are printed, the others left blank to fill in by hand.
#[derive(Debug, Clone, Default)]
pub struct SignInRow {
    pub name: String,
    pub code: String,
    pub role: String,
    pub time_in: String,
    pub time_out: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// The PDF could not be assembled (an embedded font failed to load or subset); a bug, not bad input.
    #[error("the sign-in sheet could not be built: {0}")]
    Pdf(String),
}

/// A4 portrait, in mm.
const PAGE: (f32, f32) = (210.0, 297.0);
const MARGIN: f32 = 12.0;
const TABLE_TOP: f32 = 50.0;
const HEADER_ROW: f32 = 8.0;
/// Tall enough to sign in.
const ROW: f32 = 11.0;
const FOOTER: f32 = 287.0;
/// Rows per page: what fits between the table header and the footer.
pub const ROWS_PER_PAGE: usize = ((FOOTER - 6.0 - TABLE_TOP - HEADER_ROW) / ROW) as usize;
/// Left edges of the columns (number, name, code, role, in, out, signature) and the table's right edge.
const COLUMNS: [f32; 8] = [MARGIN, 21.0, 71.0, 99.0, 134.0, 150.0, 166.0, PAGE.0 - MARGIN];

// The layout's promises, checked when the crate compiles.
const _: () = assert!(ROWS_PER_PAGE >= 18, "a page holds a useful number of talents");
const _: () = assert!(TABLE_TOP + HEADER_ROW + ROW * (ROWS_PER_PAGE as f32) < FOOTER, "rows end above the footer");
const _: () = assert!(COLUMNS[7] - COLUMNS[6] >= 30.0, "the signature box is wide enough to sign in");

const INK: Rgb8 = Rgb8(0x1c, 0x19, 0x17);
const MUTED: Rgb8 = Rgb8(0x57, 0x53, 0x4e);
const LINE: Rgb8 = Rgb8(0xa8, 0xa2, 0x9e);
const BRAND: Rgb8 = Rgb8(0x91, 0x3b, 0x20);
const BAND: Rgb8 = Rgb8(0xfa, 0xe6, 0xdc);

/// How a line of text is drawn: the badges' style at one fixed size.
const fn font(weight: Weight, size: f32, color: Rgb8) -> Style {
    style(weight, size, size, color)
}

fn point(x: f32, y: f32) -> Point {
    page_point(0.0, 0.0, PAGE.1, x, y)
}

/// Draws one page and records the characters used per weight, so the fonts can be cut down to them.
struct Page<'f> {
    faces: &'f Faces,
    used: &'f mut [BTreeSet<char>; 2],
    ops: Vec<Op>,
}

impl Page<'_> {
    fn width(&self, font: Style, text: &str) -> f32 {
        self.faces.measure(font, text, font.size)
    }

    /// `raw` cleaned and cut with "…" to fit `width` mm.
    fn fitted(&self, font: Style, raw: &str, width: f32) -> String {
        self.faces.ellipsize(font, &self.faces.clean(raw), font.size, width)
    }

    fn text(&mut self, font: Style, x: f32, baseline: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        self.used[font.weight as usize].extend(text.chars());
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(font.weight.font_id()), size: Pt(font.size) },
            Op::SetFillColor { col: font.color.into() },
            Op::SetTextCursor { pos: point(x, baseline) },
            Op::ShowText { items: vec![TextItem::Text(text.to_owned())] },
            Op::EndTextSection,
        ]);
    }

    /// One line of caller text from `x`, cut to `width`.
    fn cell(&mut self, font: Style, x: f32, width: f32, baseline: f32, raw: &str) {
        let text = self.fitted(font, raw, width);
        self.text(font, x, baseline, &text);
    }

    /// One line of caller text ending at `right`, cut to `width`.
    fn right(&mut self, font: Style, right: f32, width: f32, baseline: f32, raw: &str) {
        let text = self.fitted(font, raw, width);
        let x = right - self.width(font, &text);
        self.text(font, x, baseline, &text);
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Rgb8) {
        fill_rect(&mut self.ops, point, (x, y, w, h), fill);
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width_pt: f32, color: Rgb8) {
        stroke_line(&mut self.ops, point(x1, y1), point(x2, y2), width_pt, color);
    }

    /// The header every page repeats: agency and title, production, project, day details, table headers.
    fn header(&mut self, sheet: &SignInSheet) {
        let full = PAGE.0 - 2.0 * MARGIN;
        self.cell(font(Weight::Bold, 14.0, INK), MARGIN, full * 0.55, 19.0, &sheet.agency_name);
        self.right(font(Weight::Bold, 14.0, BRAND), PAGE.0 - MARGIN, full * 0.43, 19.0, &sheet.title);
        self.cell(font(Weight::Regular, 10.0, MUTED), MARGIN, full, 26.5, &sheet.production_name);
        self.cell(font(Weight::Bold, 12.0, INK), MARGIN, full, 33.5, &sheet.project);
        self.cell(font(Weight::Regular, 10.0, INK), MARGIN, full, 40.5, &sheet.details);
        self.line(MARGIN, 44.5, PAGE.0 - MARGIN, 44.5, 1.0, BRAND);
        self.rect(MARGIN, TABLE_TOP, full, HEADER_ROW, BAND);
        let c = &sheet.columns;
        let titles = [&c.number, &c.name, &c.code, &c.role, &c.time_in, &c.time_out, &c.signature];
        for (i, title) in titles.into_iter().enumerate() {
            let (x, next) = (COLUMNS[i], COLUMNS[i + 1]);
            self.cell(font(Weight::Bold, 8.5, INK), x + 1.2, next - x - 2.4, TABLE_TOP + 5.4, title);
        }
    }

    fn row(&mut self, number: usize, row: &SignInRow, top: f32) {
        let baseline = top + ROW / 2.0 + 1.3;
        let texts = [number.to_string(), row.name.clone(), row.code.clone(), row.role.clone()];
        for (i, text) in texts.iter().enumerate() {
            let (x, next) = (COLUMNS[i], COLUMNS[i + 1]);
            let weight = if i == 1 { Weight::Bold } else { Weight::Regular };
            let rgb = if i == 0 { MUTED } else { INK };
            self.cell(font(weight, 9.0, rgb), x + 1.2, next - x - 2.4, baseline, text);
        }
        for (i, text) in [(4, &row.time_in), (5, &row.time_out)] {
            self.cell(
                font(Weight::Regular, 9.0, INK),
                COLUMNS[i] + 1.2,
                COLUMNS[i + 1] - COLUMNS[i] - 2.4,
                baseline,
                text,
            );
        }
        self.line(MARGIN, top + ROW, PAGE.0 - MARGIN, top + ROW, 0.5, LINE);
    }

    /// Vertical rules from the table header to the last row, so times and signatures have their boxes.
    fn grid(&mut self, rows: usize) {
        let bottom = TABLE_TOP + HEADER_ROW + ROW * rows as f32;
        for x in COLUMNS {
            self.line(x, TABLE_TOP, x, bottom, 0.5, LINE);
        }
        self.line(MARGIN, TABLE_TOP, PAGE.0 - MARGIN, TABLE_TOP, 0.5, LINE);
    }

    fn footer(&mut self, sheet: &SignInSheet, page: usize, pages: usize) {
        let label = sheet.page_label.replace("{page}", &page.to_string()).replace("{pages}", &pages.to_string());
        let small = font(Weight::Regular, 8.0, MUTED);
        let text = self.fitted(small, &label, PAGE.0 - 2.0 * MARGIN);
        let x = (PAGE.0 - self.width(small, &text)) / 2.0;
        self.text(small, x, FOOTER + 3.0, &text);
    }
}

/// Lays out the sheet and returns the PDF bytes: as many pages as the roster needs (one at least), each with the
/// header repeated and its page number.
pub fn signin_pdf(sheet: &SignInSheet) -> Result<Vec<u8>, SignInError> {
    let faces = faces().map_err(|e| SignInError::Pdf(e.to_string()))?;
    let mut used: [BTreeSet<char>; 2] = Default::default();
    let chunks: Vec<&[SignInRow]> =
        if sheet.rows.is_empty() { vec![&[]] } else { sheet.rows.chunks(ROWS_PER_PAGE).collect() };
    let pages = chunks.len();
    let mut pdf_pages = Vec::with_capacity(pages);
    for (index, rows) in chunks.into_iter().enumerate() {
        let mut page = Page { faces, used: &mut used, ops: Vec::new() };
        page.header(sheet);
        for (i, row) in rows.iter().enumerate() {
            page.row(index * ROWS_PER_PAGE + i + 1, row, TABLE_TOP + HEADER_ROW + ROW * i as f32);
        }
        page.grid(rows.len());
        page.footer(sheet, index + 1, pages);
        pdf_pages.push(PdfPage::new(Mm(PAGE.0), Mm(PAGE.1), page.ops));
    }
    save_pdf(PdfDocument::new(&sheet.title), faces, &used, pdf_pages).map_err(SignInError::Pdf)
}
