//! Badge PDFs: the printed card a talent wears on set, with their photo, name, codes and the signed QR token the
//! presence scanners read. Two formats: A4 sheets of four badges with cut marks for office printers, and one
//! CR80 card per page for card printers. The caller passes every string already translated and formatted; this
//! module only lays them out, so it never guesses a language, a date format or a role.
//!
//! Speed matters (a whole project's badges are printed at once on a two-core laptop), so: the fonts are parsed
//! once per process and subset per document to the characters it uses, a photo that is already a plain JPEG is
//! embedded byte for byte (PDF readers decode JPEG themselves), and identical images (the agency logo on every
//! badge) are embedded once per document.

use std::collections::{BTreeSet, HashMap};
use std::io::Cursor;
use std::sync::OnceLock;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile};
use allsorts::tables::cmap::Cmap;
use allsorts::tables::{FontTableProvider, HeadTable, HheaTable, HmtxTable, MaxpTable};
use allsorts::tag;
use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageReader, Limits, RgbImage};
use printpdf::{
    Color, CurTransMat, DictItem, ExternalStream, ExternalXObject, FontId, Line, LinePoint, Mm, Op, PaintMode,
    ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Px,
    RawImage, RawImageData, RawImageFormat, Rgb, TextItem, WindingOrder, XObjectId, XObjectTransform,
};
use qrcode::{EcLevel, QrCode};
use unicode_normalization::UnicodeNormalization;

use crate::photo::{MAX_PHOTO_PIXELS, MAX_PHOTO_SIDE};

/// One badge's content, every string already translated and formatted by the caller.
#[derive(Debug, Clone, Default)]
pub struct BadgeContent {
    pub agency_name: String,
    /// PNG or JPEG bytes, any size; None = agency name only.
    pub agency_logo: Option<Vec<u8>>,
    pub production_name: String,
    pub project_name: String,
    /// e.g. "03/12/2026 – 20/12/2026"
    pub project_dates: String,
    /// Square 512 px JPEG from the photo pipeline; None = initials placeholder.
    pub photo_jpeg: Option<Vec<u8>>,
    /// "Aïssatou Ndiaye", "Joël N'Guessan", "Ngozi Ọkafọ"
    pub full_name: String,
    /// "SNF0001DKR"
    pub talent_code: String,
    /// Translated, e.g. "Figurant".
    pub talent_type: String,
    /// Role description, may be empty.
    pub role: String,
    /// e.g. "Valable du 03/12/2026 au 20/12/2026"
    pub validity: String,
    /// QR payload, ~120 base64url characters.
    pub token: String,
    /// Printed under the QR for manual entry, e.g. "K7QX-3MPA".
    pub short_code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeFormat {
    /// A4 portrait sheets of four 95 × 135 mm badges (2 × 2) with cut marks.
    A4Sheet,
    /// One 54 × 86 mm card per page (CR80 portrait), for card printers.
    Card,
}

#[derive(Debug, thiserror::Error)]
pub enum BadgeError {
    #[error("badge printing was cancelled")]
    Cancelled,
    /// A logo or photo that cannot be decoded; the message names the badge by position and talent code.
    #[error("{0}")]
    Image(String),
    /// The token is longer than the largest QR code holds (about 2,300 bytes at level M).
    #[error("badge {badge} ({talent_code}): the token is too long for a QR code")]
    TokenTooLong { badge: usize, talent_code: String },
    /// The PDF could not be assembled (an embedded font failed to load or subset); a bug, not bad input.
    #[error("the badge PDF could not be built: {0}")]
    Pdf(String),
    #[error("there are no badges to print")]
    Empty,
}

/// Lays out the badges and returns the PDF bytes. `progress(done, total)` is called after each badge;
/// returning false cancels (→ Err(BadgeError::Cancelled)).
pub fn badges_pdf(
    badges: &[BadgeContent],
    format: BadgeFormat,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Vec<u8>, BadgeError> {
    if badges.is_empty() {
        return Err(BadgeError::Empty);
    }
    let total = badges.len();
    let mut draft = Draft::new(faces()?);
    let mut pages = Vec::new();
    match format {
        BadgeFormat::A4Sheet => {
            for (sheet, group) in badges.chunks(SHEET_SLOTS.len()).enumerate() {
                let mut ops = Vec::new();
                for (slot, badge) in group.iter().enumerate() {
                    let index = sheet * SHEET_SLOTS.len() + slot;
                    let (x, y) = SHEET_SLOTS[slot];
                    let mut pen = Pen { ops: &mut ops, draft: &mut draft, x, y, page_height: A4.1 };
                    draw_sheet_badge(&mut pen, badge, index)?;
                    if !progress(index + 1, total) {
                        return Err(BadgeError::Cancelled);
                    }
                }
                draw_cut_marks(&mut ops, group.len());
                pages.push(PdfPage::new(Mm(A4.0), Mm(A4.1), ops));
            }
        }
        BadgeFormat::Card => {
            for (index, badge) in badges.iter().enumerate() {
                let mut ops = Vec::new();
                let mut pen = Pen { ops: &mut ops, draft: &mut draft, x: 0.0, y: 0.0, page_height: CARD.1 };
                draw_card(&mut pen, badge, index)?;
                if !progress(index + 1, total) {
                    return Err(BadgeError::Cancelled);
                }
                pages.push(PdfPage::new(Mm(CARD.0), Mm(CARD.1), ops));
            }
        }
    }
    draft.finish(pages)
}

// ---------------------------------------------------------------------------------------------------------------
// Layout. All lengths are millimetres from the badge's top-left corner (y downwards); font sizes are points.

/// A4 portrait, in mm.
const A4: (f32, f32) = (210.0, 297.0);
/// One badge of an A4 sheet, in mm.
const SHEET_BADGE: (f32, f32) = (95.0, 135.0);
/// Space between neighbouring badges on a sheet: each badge is cut on its own, and the cut marks of two
/// neighbours meet in this gap instead of printing onto the next badge.
const SHEET_GUTTER: f32 = 6.0;
/// Top-left corners of the four badges of a sheet, filled row by row; the 2 × 2 block is centred on the page.
const SHEET_SLOTS: [(f32, f32); 4] = {
    let left = (A4.0 - 2.0 * SHEET_BADGE.0 - SHEET_GUTTER) / 2.0;
    let top = (A4.1 - 2.0 * SHEET_BADGE.1 - SHEET_GUTTER) / 2.0;
    let right = left + SHEET_BADGE.0 + SHEET_GUTTER;
    let bottom = top + SHEET_BADGE.1 + SHEET_GUTTER;
    [(left, top), (right, top), (left, bottom), (right, bottom)]
};
/// CR80 card in portrait, in mm.
const CARD: (f32, f32) = (54.0, 85.6);

// The product's terracotta (ui/src/app.css, brand-*) and its warm greys (Tailwind stone-*).
const BRAND_700: Rgb8 = Rgb8(0x91, 0x3b, 0x20);
const BRAND_800: Rgb8 = Rgb8(0x74, 0x32, 0x1e);
const BRAND_100: Rgb8 = Rgb8(0xfa, 0xe6, 0xdc);
const BRAND_50: Rgb8 = Rgb8(0xfd, 0xf5, 0xf1);
const INK: Rgb8 = Rgb8(0x1c, 0x19, 0x17);
const MUTED: Rgb8 = Rgb8(0x57, 0x53, 0x4e);
const LINE: Rgb8 = Rgb8(0xd6, 0xd3, 0xd1);
const WHITE: Rgb8 = Rgb8(0xff, 0xff, 0xff);
const BLACK: Rgb8 = Rgb8(0x00, 0x00, 0x00);

/// Longest side a logo is embedded at: a 30 mm wide logo box at 600 dpi. Larger logos are scaled down once.
const LOGO_MAX_PX: u32 = 720;
/// Longest side a photo is embedded at; the photo pipeline's 512 px portrait passes through untouched.
const PHOTO_MAX_PX: u32 = 1024;

/// How a line of text is drawn: weight, largest and smallest size in points (a line shrinks between the two to
/// fit its width, and is cut with "…" only below the smallest), colour, and letter spacing in em.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub(crate) weight: Weight,
    pub(crate) size: f32,
    pub(crate) min: f32,
    pub(crate) color: Rgb8,
    pub(crate) tracking: f32,
}

pub(crate) const fn style(weight: Weight, size: f32, min: f32, color: Rgb8) -> Style {
    Style { weight, size, min, color, tracking: 0.0 }
}

impl Style {
    /// Letter-spaced: codes read character by character (Noto's digits are already tabular, so they align).
    const fn tracked(self, tracking: f32) -> Style {
        Style { tracking, ..self }
    }
}

fn draw_sheet_badge<'a>(pen: &mut Pen<'_, 'a>, badge: &'a BadgeContent, index: usize) -> Result<(), BadgeError> {
    const AGENCY: Style = style(Weight::Bold, 12.5, 8.0, WHITE);
    const PRODUCTION: Style = style(Weight::Bold, 12.0, 9.0, INK);
    const PROJECT: Style = style(Weight::Regular, 9.5, 7.5, INK);
    const DATES: Style = style(Weight::Regular, 8.0, 7.0, MUTED);
    const NAME: [Style; 2] = [style(Weight::Bold, 17.0, 12.0, INK), style(Weight::Bold, 12.0, 9.0, INK)];
    const CODE: Style = style(Weight::Bold, 10.5, 8.0, BRAND_800).tracked(0.08);
    const TALENT_TYPE: Style = style(Weight::Bold, 10.0, 8.0, BRAND_800).tracked(0.04);
    const ROLE: Style = style(Weight::Regular, 9.0, 9.0, INK);
    const VALIDITY: Style = style(Weight::Regular, 7.5, 7.5, MUTED);
    const SHORT_CODE: Style = style(Weight::Bold, 12.5, 9.0, INK).tracked(0.1);

    let (w, _) = SHEET_BADGE;
    let margin = 6.0;
    let inner = w - 2.0 * margin;
    let centre = w / 2.0;

    // Agency band.
    let band = 18.0;
    pen.rect(0.0, 0.0, w, band, BRAND_700);
    let mut name_x = margin;
    if let Some(logo) = &badge.agency_logo {
        let picture = pen.draft.logo(logo).map_err(|e| image_error(index, badge, "logo", e))?;
        name_x = pen.logo_chip(&picture, margin, 3.5, 11.0, 32.0) + 3.5;
    }
    pen.band_line(AGENCY, &badge.agency_name, name_x, w - margin - name_x, band / 2.0);

    // Production and project.
    pen.centred_line(PRODUCTION, &badge.production_name, centre, inner, 25.5);
    pen.centred_line(PROJECT, &badge.project_name, centre, inner, 30.5);
    pen.centred_line(DATES, &badge.project_dates, centre, inner, 34.5);

    // Photo, name and code.
    let photo = 36.0;
    pen.photo(badge, index, centre - photo / 2.0, 38.0, photo, 2.5)?;
    pen.name(NAME, &badge.full_name, centre, inner, (74.0, 85.5));
    pen.code_pill(CODE, &badge.talent_code, centre, inner, 88.5, 6.0);
    pen.line(margin, 95.0, w - margin, 95.0, 0.5, LINE);

    // Bottom: who and until when on the left, the QR code and its short code on the right. The QR's white quiet
    // zone (4 modules, about 2 mm) doubles as its margin.
    let qr = 29.0;
    let qr_x = w - 4.5 - qr;
    pen.qr(badge, index, qr_x, 96.0, qr)?;
    pen.centred_line(SHORT_CODE, &badge.short_code, qr_x + qr / 2.0, qr + 2.0, 130.5);

    let column = qr_x - margin - 1.5;
    let mut y = 102.5;
    let talent_type = pen.draft.clean(&badge.talent_type).to_uppercase();
    if !talent_type.is_empty() {
        pen.left_line(TALENT_TYPE, &talent_type, margin, column, y);
        y += 5.5;
    }
    let role = pen.draft.clean(&badge.role);
    for line in pen.draft.wrap(ROLE, &role, ROLE.size, column, 3) {
        pen.show(ROLE, ROLE.size, margin, y, &line);
        y += 4.0;
    }
    let validity = pen.draft.clean(&badge.validity);
    let lines = pen.draft.wrap(VALIDITY, &validity, VALIDITY.size, column, 2);
    let leading = 3.4;
    let mut y = 130.5 - leading * lines.len().saturating_sub(1) as f32;
    for line in lines {
        pen.show(VALIDITY, VALIDITY.size, margin, y, &line);
        y += leading;
    }
    Ok(())
}

fn draw_card<'a>(pen: &mut Pen<'_, 'a>, badge: &'a BadgeContent, index: usize) -> Result<(), BadgeError> {
    const AGENCY: Style = style(Weight::Bold, 8.0, 5.5, WHITE);
    const PRODUCTION: Style = style(Weight::Bold, 7.5, 6.0, INK);
    const PROJECT: Style = style(Weight::Regular, 5.5, 4.5, MUTED);
    const NAME: [Style; 2] = [style(Weight::Bold, 10.5, 7.5, INK), style(Weight::Bold, 7.0, 6.0, INK)];
    const CODE: Style = style(Weight::Bold, 7.0, 5.5, BRAND_800).tracked(0.08);
    const TYPE_AND_ROLE: [Style; 2] = [style(Weight::Bold, 6.0, 5.0, BRAND_800), style(Weight::Regular, 6.0, 5.0, INK)];
    const VALIDITY: Style = style(Weight::Regular, 5.2, 4.5, MUTED);
    const SHORT_CODE: Style = style(Weight::Bold, 8.5, 6.5, INK).tracked(0.1);

    let (w, _) = CARD;
    let margin = 3.5;
    let inner = w - 2.0 * margin;
    let centre = w / 2.0;

    let band = 10.0;
    pen.rect(0.0, 0.0, w, band, BRAND_700);
    let mut name_x = margin;
    if let Some(logo) = &badge.agency_logo {
        let picture = pen.draft.logo(logo).map_err(|e| image_error(index, badge, "logo", e))?;
        name_x = pen.logo_chip(&picture, margin, 1.8, 6.4, 18.0) + 2.0;
    }
    pen.band_line(AGENCY, &badge.agency_name, name_x, w - margin - name_x, band / 2.0);

    pen.centred_line(PRODUCTION, &badge.production_name, centre, inner, 14.3);
    let project = join(&pen.draft.clean(&badge.project_name), " · ", &pen.draft.clean(&badge.project_dates));
    pen.centred_line(PROJECT, &project, centre, inner, 17.6);

    let photo = 21.0;
    pen.photo(badge, index, centre - photo / 2.0, 19.8, photo, 1.6)?;
    pen.name(NAME, &badge.full_name, centre, inner, (40.8, 47.4));
    pen.code_pill(CODE, &badge.talent_code, centre, inner, 49.4, 4.0);
    pen.labelled_line(TYPE_AND_ROLE, &badge.talent_type, &badge.role, centre, inner, 54.6);
    pen.centred_line(VALIDITY, &badge.validity, centre, inner, 57.6);

    let qr = 22.0;
    pen.qr(badge, index, centre - qr / 2.0, 58.6, qr)?;
    pen.centred_line(SHORT_CODE, &badge.short_code, centre, inner, 83.0);
    Ok(())
}

/// Thin marks extending each badge edge outwards from its corners, 1 mm clear of the badge, so a guillotine or
/// a ruler finds the cut lines without any line printing on the badge itself.
fn draw_cut_marks(ops: &mut Vec<Op>, badges: usize) {
    let (gap, length) = (1.0, 2.0);
    ops.push(Op::SetOutlineColor { col: BLACK.into() });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.3) });
    for &(x, y) in SHEET_SLOTS.iter().take(badges) {
        let (w, h) = SHEET_BADGE;
        for (cx, dx) in [(x, -1.0), (x + w, 1.0)] {
            for (cy, dy) in [(y, -1.0), (y + h, 1.0)] {
                // Horizontal mark on the edge's line, then the vertical one.
                let page = |px: f32, py: f32| page_point(0.0, 0.0, A4.1, px, py);
                let horizontal = [page(cx + dx * gap, cy), page(cx + dx * (gap + length), cy)];
                let vertical = [page(cx, cy + dy * gap), page(cx, cy + dy * (gap + length))];
                for [a, b] in [horizontal, vertical] {
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![LinePoint { p: a, bezier: false }, LinePoint { p: b, bezier: false }],
                            is_closed: false,
                        },
                    });
                }
            }
        }
    }
}

fn image_error(index: usize, badge: &BadgeContent, what: &str, error: String) -> BadgeError {
    BadgeError::Image(format!("badge {} ({}): the {what} cannot be read: {error}", index + 1, badge.talent_code))
}

fn join(a: &str, separator: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (false, false) => format!("{a}{separator}{b}"),
        (false, true) => a.to_owned(),
        _ => b.to_owned(),
    }
}

const PT_PER_MM: f32 = 72.0 / 25.4;

pub(crate) fn pt(mm: f32) -> Pt {
    Pt(mm * PT_PER_MM)
}

pub(crate) fn mm(points: f32) -> f32 {
    points / PT_PER_MM
}

/// A point of a box whose top-left corner is at (`ox`, `oy`) on a page `page_height` tall, in PDF space.
pub(crate) fn page_point(ox: f32, oy: f32, page_height: f32, x: f32, y: f32) -> Point {
    Point { x: pt(ox + x), y: pt(page_height - (oy + y)) }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Rgb8(pub(crate) u8, pub(crate) u8, pub(crate) u8);

impl From<Rgb8> for Color {
    fn from(Rgb8(r, g, b): Rgb8) -> Self {
        Color::Rgb(Rgb { r: f32::from(r) / 255.0, g: f32::from(g) / 255.0, b: f32::from(b) / 255.0, icc_profile: None })
    }
}

/// A filled rectangle, `at` placing its corners (in mm) on the page.
pub(crate) fn fill_rect(
    ops: &mut Vec<Op>,
    at: impl Fn(f32, f32) -> Point,
    (x, y, w, h): (f32, f32, f32, f32),
    fill: Rgb8,
) {
    let points = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
        .iter()
        .map(|&(px, py)| LinePoint { p: at(px, py), bezier: false })
        .collect();
    ops.push(Op::SetFillColor { col: fill.into() });
    ops.push(polygon(vec![PolygonRing { points }], PaintMode::Fill));
}

/// A straight rule `width_pt` points thick.
pub(crate) fn stroke_line(ops: &mut Vec<Op>, from: Point, to: Point, width_pt: f32, color: Rgb8) {
    let points = vec![LinePoint { p: from, bezier: false }, LinePoint { p: to, bezier: false }];
    ops.push(Op::SetOutlineColor { col: color.into() });
    ops.push(Op::SetOutlineThickness { pt: Pt(width_pt) });
    ops.push(Op::DrawLine { line: Line { points, is_closed: false } });
}

/// Draws into one badge: converts badge millimetres to page points and records the characters used.
struct Pen<'p, 'a> {
    ops: &'p mut Vec<Op>,
    draft: &'p mut Draft<'a>,
    /// The badge's top-left corner on the page, in mm.
    x: f32,
    y: f32,
    page_height: f32,
}

impl<'a> Pen<'_, 'a> {
    fn point(&self, x: f32, y: f32) -> Point {
        page_point(self.x, self.y, self.page_height, x, y)
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Rgb8) {
        let (ox, oy, page_height) = (self.x, self.y, self.page_height);
        fill_rect(self.ops, |px, py| page_point(ox, oy, page_height, px, py), (x, y, w, h), fill);
    }

    /// A rectangle with quarter-circle corners of radius `r` (cubic Bézier approximation).
    fn rounded_ring(&self, x: f32, y: f32, w: f32, h: f32, r: f32) -> PolygonRing {
        let k = 0.552_284_8 * r;
        let (right, bottom) = (x + w, y + h);
        let p = |px: f32, py: f32, bezier: bool| LinePoint { p: self.point(px, py), bezier };
        PolygonRing {
            points: vec![
                p(x + r, y, false),
                p(right - r, y, false),
                p(right - r + k, y, true),
                p(right, y + r - k, true),
                p(right, y + r, false),
                p(right, bottom - r, false),
                p(right, bottom - r + k, true),
                p(right - r + k, bottom, true),
                p(right - r, bottom, false),
                p(x + r, bottom, false),
                p(x + r - k, bottom, true),
                p(x, bottom - r + k, true),
                p(x, bottom - r, false),
                p(x, y + r, false),
                p(x, y + r - k, true),
                p(x + r - k, y, true),
                p(x + r, y, false),
            ],
        }
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width_pt: f32, color: Rgb8) {
        let (from, to) = (self.point(x1, y1), self.point(x2, y2));
        stroke_line(self.ops, from, to, width_pt, color);
    }

    /// Shows one line of cleaned, fitted text with its baseline starting at (x, baseline).
    fn show(&mut self, style: Style, size: f32, x: f32, baseline: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        self.draft.used[style.weight as usize].extend(text.chars());
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(style.weight.font_id()), size: Pt(size) },
            Op::SetFillColor { col: style.color.into() },
            Op::SetCharacterSpacing { multiplier: style.tracking * size },
            Op::SetTextCursor { pos: self.point(x, baseline) },
            Op::ShowText { items: vec![TextItem::Text(text.to_owned())] },
            // Character spacing is graphics state: it would outlive this text object.
            Op::SetCharacterSpacing { multiplier: 0.0 },
            Op::EndTextSection,
        ]);
    }

    /// One line of caller text from `x`, fitted to `width`. Returns the width drawn.
    fn left_line(&mut self, style: Style, raw: &str, x: f32, width: f32, baseline: f32) -> f32 {
        let text = self.draft.clean(raw);
        let (text, size) = self.draft.fit(style, &text, width);
        self.show(style, size, x, baseline, &text);
        self.draft.measure(style, &text, size)
    }

    /// One line of caller text centred on `centre`, fitted to `width`.
    fn centred_line(&mut self, style: Style, raw: &str, centre: f32, width: f32, baseline: f32) {
        let text = self.draft.clean(raw);
        let (text, size) = self.draft.fit(style, &text, width);
        let x = centre - self.draft.measure(style, &text, size) / 2.0;
        self.show(style, size, x, baseline, &text);
    }

    /// One line of caller text from `x`, fitted to `width`, its capitals centred on `middle`.
    fn band_line(&mut self, style: Style, raw: &str, x: f32, width: f32, middle: f32) {
        let text = self.draft.clean(raw);
        let (text, size) = self.draft.fit(style, &text, width);
        self.show(style, size, x, middle + cap_height(size) / 2.0, &text);
    }

    /// The talent's name, centred between `top` and `bottom`: on one line, shrunk down to `styles[0].min`; if it
    /// is longer than that, on two lines in `styles[1]`, shrunk as needed; cut with "…" only past both.
    fn name(&mut self, styles: [Style; 2], raw: &str, centre: f32, width: f32, (top, bottom): (f32, f32)) {
        let text = self.draft.clean(raw);
        let (one_line, size) = self.draft.fit(styles[0], &text, width);
        let (style, size, lines) = if one_line == text {
            (styles[0], size, vec![one_line])
        } else {
            let style = styles[1];
            let mut size = style.size;
            loop {
                let lines = self.draft.wrap(style, &text, size, width, 2);
                if lines.join(" ") == text || size <= style.min {
                    break (style, size, lines);
                }
                size = (size - 0.5).max(style.min);
            }
        };
        let leading = mm(size) * 1.2;
        let block = cap_height(size) + leading * lines.len().saturating_sub(1) as f32;
        let mut baseline = top + (bottom - top - block) / 2.0 + cap_height(size);
        for line in lines {
            let x = centre - self.draft.measure(style, &line, size) / 2.0;
            self.show(style, size, x, baseline, &line);
            baseline += leading;
        }
    }

    /// A bold label and caller text on one line, "Figurant · Passant au marché", centred: both shrink together,
    /// then the text after the label is cut, and dropped if there is no room for it at all.
    fn labelled_line(&mut self, styles: [Style; 2], label: &str, rest: &str, centre: f32, width: f32, baseline: f32) {
        let [label_style, rest_style] = styles;
        let (label, rest) = (self.draft.clean(label), self.draft.clean(rest));
        if label.is_empty() || rest.is_empty() {
            let (style, text) = if rest.is_empty() { (label_style, label) } else { (rest_style, rest) };
            return self.centred_line(style, &text, centre, width, baseline);
        }
        let rest = format!(" · {rest}");
        let natural = self.draft.measure(label_style, &label, label_style.size)
            + self.draft.measure(rest_style, &rest, rest_style.size);
        let scale = (width / natural).min(1.0);
        let label_size = ((label_style.size * scale * 4.0).floor() / 4.0).max(label_style.min);
        let rest_size = ((rest_style.size * scale * 4.0).floor() / 4.0).max(rest_style.min);
        let label = self.draft.ellipsize(label_style, &label, label_size, width);
        let label_width = self.draft.measure(label_style, &label, label_size);
        let room = width - label_width;
        let rest = if room >= self.draft.measure(rest_style, " · M…", rest_size) {
            self.draft.ellipsize(rest_style, &rest, rest_size, room)
        } else {
            String::new()
        };
        let total = label_width + self.draft.measure(rest_style, &rest, rest_size);
        let x = centre - total / 2.0;
        self.show(label_style, label_size, x, baseline, &label);
        self.show(rest_style, rest_size, x + label_width, baseline, &rest);
    }

    /// The talent code in a tinted pill centred on (centre, middle).
    fn code_pill(&mut self, style: Style, raw: &str, centre: f32, width: f32, middle: f32, height: f32) {
        let text = self.draft.clean(raw);
        if text.is_empty() {
            return;
        }
        let padding = height * 0.6;
        let (text, size) = self.draft.fit(style, &text, width - 2.0 * padding);
        let drawn = self.draft.measure(style, &text, size);
        let pill = drawn + 2.0 * padding;
        let ring = self.rounded_ring(centre - pill / 2.0, middle - height / 2.0, pill, height, height / 2.0);
        self.ops.push(Op::SetFillColor { col: BRAND_100.into() });
        self.ops.push(polygon(vec![ring], PaintMode::Fill));
        self.show(style, size, centre - drawn / 2.0, middle + cap_height(size) / 2.0, &text);
    }

    /// The agency logo on a white rounded tile in the band, fitted into `max_width` × `height` keeping its aspect
    /// ratio. Returns the tile's right edge.
    fn logo_chip(&mut self, picture: &Picture, x: f32, y: f32, height: f32, max_width: f32) -> f32 {
        let padding = height * 0.12;
        let (box_w, box_h) = (max_width - 2.0 * padding, height - 2.0 * padding);
        let aspect = picture.width as f32 / picture.height.max(1) as f32;
        let (logo_w, logo_h) = if box_w / box_h > aspect { (box_h * aspect, box_h) } else { (box_w, box_w / aspect) };
        let chip_w = (logo_w + 2.0 * padding).max(height);
        let ring = self.rounded_ring(x, y, chip_w, height, height * 0.14);
        self.ops.push(Op::SetFillColor { col: WHITE.into() });
        self.ops.push(polygon(vec![ring], PaintMode::Fill));
        self.place(picture, x + (chip_w - logo_w) / 2.0, y + (height - logo_h) / 2.0, logo_w, logo_h);
        x + chip_w
    }

    /// Draws an image stretched to the box whose top-left corner is (x, y).
    fn place(&mut self, picture: &Picture, x: f32, y: f32, w: f32, h: f32) {
        let bottom_left = self.point(x, y + h);
        self.ops.push(Op::UseXobject {
            id: picture.id.clone(),
            transform: XObjectTransform {
                translate_x: Some(bottom_left.x),
                translate_y: Some(bottom_left.y),
                scale_x: Some(pt(w).0),
                scale_y: Some(pt(h).0),
                no_auto_scale: true,
                ..XObjectTransform::default()
            },
        });
    }

    /// The talent's photo in a rounded square, cropped to the centre if it is not square; or their initials on a
    /// tinted square when there is no photo.
    fn photo(
        &mut self,
        badge: &'a BadgeContent,
        index: usize,
        x: f32,
        y: f32,
        side: f32,
        radius: f32,
    ) -> Result<(), BadgeError> {
        let frame = self.rounded_ring(x, y, side, side, radius);
        match &badge.photo_jpeg {
            Some(bytes) => {
                let picture = self.draft.photo(bytes).map_err(|e| image_error(index, badge, "photo", e))?;
                let aspect = picture.width as f32 / picture.height.max(1) as f32;
                let (w, h) = if aspect > 1.0 { (side * aspect, side) } else { (side, side / aspect) };
                self.ops.push(Op::SaveGraphicsState);
                self.ops.push(polygon(vec![frame.clone()], PaintMode::Clip));
                self.place(&picture, x + (side - w) / 2.0, y + (side - h) / 2.0, w, h);
                self.ops.push(Op::RestoreGraphicsState);
                self.ops.push(Op::SetOutlineColor { col: LINE.into() });
                self.ops.push(Op::SetOutlineThickness { pt: Pt(0.4) });
                self.ops.push(polygon(vec![frame], PaintMode::Stroke));
            }
            None => {
                self.ops.push(Op::SetFillColor { col: BRAND_50.into() });
                self.ops.push(Op::SetOutlineColor { col: BRAND_100.into() });
                self.ops.push(Op::SetOutlineThickness { pt: Pt(0.8) });
                self.ops.push(polygon(vec![frame], PaintMode::FillStroke));
                let initials = self.draft.initials(&badge.full_name);
                let size = side * 0.36 * PT_PER_MM;
                let style = style(Weight::Bold, size, size, BRAND_700);
                let width = self.draft.measure(style, &initials, size);
                self.show(style, size, x + (side - width) / 2.0, y + side / 2.0 + cap_height(size) / 2.0, &initials);
            }
        }
        Ok(())
    }

    /// The QR code of the badge's token at level M, `side` mm wide including the 4-module quiet zone, drawn as
    /// one filled path of horizontal runs: vector-sharp at any printer resolution, and without the hairline seams
    /// that separately filled modules leave between rows on screen. A matrix scales one unit to one module, so
    /// each run is a short `x y w 1 re` of integers: a page of four codes stays a few kilobytes and is quick to
    /// write and to compress.
    fn qr(&mut self, badge: &BadgeContent, index: usize, x: f32, y: f32, side: f32) -> Result<(), BadgeError> {
        const QUIET: usize = 4;
        let code = QrCode::with_error_correction_level(badge.token.as_bytes(), EcLevel::M)
            .map_err(|_| BadgeError::TokenTooLong { badge: index + 1, talent_code: badge.talent_code.clone() })?;
        let width = code.width();
        let dark: Vec<bool> = code.into_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
        let module = pt(side / (width + 2 * QUIET) as f32).0;
        self.rect(x, y, side, side, WHITE);

        let top_left = self.point(x, y);
        self.ops.push(Op::SaveGraphicsState);
        // Module units, y downwards from the code's top-left corner (inside the quiet zone).
        let origin = (top_left.x.0 + QUIET as f32 * module, top_left.y.0 - QUIET as f32 * module);
        self.ops.push(Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw([module, 0.0, 0.0, -module, origin.0, origin.1]),
        });
        self.ops.push(Op::SetFillColor { col: BLACK.into() });
        let integer = |n: usize| DictItem::Int(n as i64);
        for (row, cells) in dark.chunks(width).enumerate() {
            let mut column = 0;
            while column < width {
                if !cells[column] {
                    column += 1;
                    continue;
                }
                let start = column;
                while column < width && cells[column] {
                    column += 1;
                }
                let value = vec![integer(start), integer(row), integer(column - start), integer(1)];
                self.ops.push(Op::Unknown { key: "re".to_owned(), value });
            }
        }
        self.ops.push(Op::Unknown { key: "f".to_owned(), value: Vec::new() });
        self.ops.push(Op::RestoreGraphicsState);
        Ok(())
    }
}

fn polygon(rings: Vec<PolygonRing>, mode: PaintMode) -> Op {
    Op::DrawPolygon { polygon: Polygon { rings, mode, winding_order: WindingOrder::NonZero } }
}

/// Height of Noto Sans capitals (0.714 em), in mm, for centring a line of text on a point.
fn cap_height(size: f32) -> f32 {
    mm(size) * 0.714
}

// ---------------------------------------------------------------------------------------------------------------
// The document being built: fonts used, images embedded.

/// An image embedded in the document, ready to be placed with `UseXobject`.
#[derive(Clone)]
struct Picture {
    id: XObjectId,
    width: u32,
    height: u32,
}

struct Draft<'a> {
    faces: &'static Faces,
    /// Characters drawn with each weight, indexed by `Weight as usize`: the fonts are cut down to these.
    used: [BTreeSet<char>; 2],
    pdf: PdfDocument,
    /// Images already embedded, by their bytes: the same logo on 500 badges is stored once.
    photos: HashMap<&'a [u8], Picture>,
    logos: HashMap<&'a [u8], Picture>,
}

impl<'a> Draft<'a> {
    fn new(faces: &'static Faces) -> Self {
        Draft {
            faces,
            used: Default::default(),
            pdf: PdfDocument::new("Badges"),
            photos: HashMap::new(),
            logos: HashMap::new(),
        }
    }

    /// Embeds a photo once per document. A complete baseline or progressive JPEG (what the photo pipeline makes)
    /// goes in byte for byte; anything else is decoded, flattened onto white and scaled down.
    fn photo(&mut self, bytes: &'a [u8]) -> Result<Picture, String> {
        if let Some(picture) = self.photos.get(bytes) {
            return Ok(picture.clone());
        }
        let picture = match jpeg_as_is(bytes).filter(|jpeg| jpeg.width.max(jpeg.height) <= PHOTO_MAX_PX) {
            Some(jpeg) => self.embed_jpeg(bytes, &jpeg),
            None => self.embed_pixels(decode_on_white(bytes, PHOTO_MAX_PX)?),
        };
        self.photos.insert(bytes, picture.clone());
        Ok(picture)
    }

    /// Embeds a logo once per document, decoded, flattened onto white and with its white margins trimmed (the
    /// logo pipeline pads logos into a white square, which would shrink a wordmark to a speck in the band).
    fn logo(&mut self, bytes: &'a [u8]) -> Result<Picture, String> {
        if let Some(picture) = self.logos.get(bytes) {
            return Ok(picture.clone());
        }
        let picture = self.embed_pixels(trim_white(decode_on_white(bytes, LOGO_MAX_PX)?));
        self.logos.insert(bytes, picture.clone());
        Ok(picture)
    }

    fn embed_jpeg(&mut self, bytes: &[u8], jpeg: &JpegInfo) -> Picture {
        let color_space: &[u8] = if jpeg.components == 1 { b"DeviceGray" } else { b"DeviceRGB" };
        let dict = [
            ("Type", DictItem::Name(b"XObject".to_vec())),
            ("Subtype", DictItem::Name(b"Image".to_vec())),
            ("Width", DictItem::Int(i64::from(jpeg.width))),
            ("Height", DictItem::Int(i64::from(jpeg.height))),
            ("ColorSpace", DictItem::Name(color_space.to_vec())),
            ("BitsPerComponent", DictItem::Int(8)),
            ("Filter", DictItem::Name(b"DCTDecode".to_vec())),
        ];
        let id = self.pdf.add_xobject(&ExternalXObject {
            stream: ExternalStream {
                dict: dict.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
                content: bytes.to_vec(),
                // Already compressed; deflating JPEG data again only costs time.
                compress: false,
            },
            width: Some(Px(jpeg.width as usize)),
            height: Some(Px(jpeg.height as usize)),
            dpi: None,
        });
        Picture { id, width: jpeg.width, height: jpeg.height }
    }

    /// Embeds decoded pixels; printpdf deflates them.
    fn embed_pixels(&mut self, pixels: RgbImage) -> Picture {
        let (width, height) = pixels.dimensions();
        let id = self.pdf.add_image(&RawImage {
            width: width as usize,
            height: height as usize,
            data_format: RawImageFormat::RGB8,
            pixels: RawImageData::U8(pixels.into_raw()),
            tag: Vec::new(),
        });
        Picture { id, width, height }
    }

    fn clean(&self, raw: &str) -> String {
        self.faces.clean(raw)
    }

    fn measure(&self, style: Style, text: &str, size: f32) -> f32 {
        self.faces.measure(style, text, size)
    }

    /// The largest size between `style.size` and `style.min` at which `text` fits `width` mm; at the smallest
    /// size, the text cut with "…" if it still does not fit.
    fn fit(&self, style: Style, text: &str, width: f32) -> (String, f32) {
        let natural = self.measure(style, text, style.size);
        if natural <= width {
            return (text.to_owned(), style.size);
        }
        // Width is proportional to size; round down to a quarter point so the shrunk line surely fits.
        let size = (style.size * width / natural * 4.0).floor() / 4.0;
        if size >= style.min {
            return (text.to_owned(), size);
        }
        (self.ellipsize(style, text, style.min, width), style.min)
    }

    fn ellipsize(&self, style: Style, text: &str, size: f32, width: f32) -> String {
        self.faces.ellipsize(style, text, size, width)
    }

    /// Greedy word wrap into at most `max_lines` lines of `width` mm; the last line takes the rest, cut with "…".
    fn wrap(&self, style: Style, text: &str, size: f32, width: f32, max_lines: usize) -> Vec<String> {
        let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        let mut lines = Vec::new();
        let mut next = 0;
        while next < words.len() && max_lines > 0 {
            if lines.len() + 1 == max_lines {
                lines.push(self.ellipsize(style, &words[next..].join(" "), size, width));
                break;
            }
            let mut line = words[next].to_owned();
            next += 1;
            while let Some(word) = words.get(next) {
                let candidate = format!("{line} {word}");
                if self.measure(style, &candidate, size) > width {
                    break;
                }
                line = candidate;
                next += 1;
            }
            lines.push(self.ellipsize(style, &line, size, width));
        }
        lines
    }

    /// First letter of the first and of the last name, upper-cased: "Joël N'Guessan" → "JN".
    fn initials(&self, full_name: &str) -> String {
        let name = self.clean(full_name);
        let words: Vec<&str> = name.split(' ').collect();
        let first_letter = |word: &&str| word.chars().find(|c| c.is_alphanumeric());
        let mut initials: String = words.first().and_then(first_letter).into_iter().collect();
        if words.len() > 1 {
            initials.extend(words.last().and_then(first_letter));
        }
        let upper: String = initials.to_uppercase();
        if upper.chars().all(|c| self.faces.bold.has(c)) { upper } else { initials }
    }

    /// Cuts each font down to the glyphs this document uses, adds the pages and serialises the PDF.
    fn finish(self, pages: Vec<PdfPage>) -> Result<Vec<u8>, BadgeError> {
        save_pdf(self.pdf, self.faces, &self.used, pages).map_err(BadgeError::Pdf)
    }
}

/// Cuts each font down to the characters `used` draws with it (indexed by `Weight as usize`), adds the pages and
/// serialises the PDF.
pub(crate) fn save_pdf(
    mut pdf: PdfDocument,
    faces: &Faces,
    used: &[BTreeSet<char>; 2],
    pages: Vec<PdfPage>,
) -> Result<Vec<u8>, String> {
    for weight in [Weight::Regular, Weight::Bold] {
        let chars = &used[weight as usize];
        if chars.is_empty() {
            continue;
        }
        let font = faces.face(weight).subset(chars)?;
        pdf.resources.fonts.map.insert(weight.font_id(), PdfFont::new(font));
    }
    pdf.with_pages(pages);
    let options = PdfSaveOptions {
        optimize: true,
        // The fonts are subset above; printpdf only subsets with its `text_layout` feature.
        subset_fonts: false,
        // "Secure" drops `Op::Unknown`, which here only carries the QR code's `re`/`f` path operators.
        secure: false,
        // Keep printpdf from re-encoding images: the JPEGs are final.
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let bytes = pdf.save(&options, &mut warnings);
    if bytes.is_empty() {
        return Err(format!("printpdf wrote nothing: {warnings:?}"));
    }
    Ok(bytes)
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// Size and colour components of a JPEG that PDF readers show as it is (DCTDecode).
struct JpegInfo {
    width: u32,
    height: u32,
    components: u8,
}

/// Reads the frame header of a JPEG that can be embedded untouched: baseline, extended or progressive Huffman
/// coding, 8 bits, greyscale or colour (not CMYK, whose Adobe inversion readers disagree on), ending with its
/// end-of-image marker (a cheap guard against a truncated file). `None` sends the bytes through the decoder.
fn jpeg_as_is(bytes: &[u8]) -> Option<JpegInfo> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let end = bytes.iter().rposition(|&b| b != 0)?;
    if end < 1 || bytes[end - 1..=end] != [0xFF, 0xD9] {
        return None;
    }
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        while *bytes.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            0x01 | 0xD0..=0xD7 => continue,
            0xD8..=0xDA => return None,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        let segment = bytes.get(at + 2..at + length.max(2))?;
        match marker {
            0xC0..=0xC2 => {
                let [precision, h1, h0, w1, w0, components, ..] = *segment else {
                    return None;
                };
                let height = u32::from(u16::from_be_bytes([h1, h0]));
                let width = u32::from(u16::from_be_bytes([w1, w0]));
                let ok = precision == 8 && width > 0 && height > 0 && matches!(components, 1 | 3);
                return ok.then_some(JpegInfo { width, height, components });
            }
            // Other frame types (lossless, 12-bit, arithmetic coding): decode them instead.
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return None,
            _ => at += length,
        }
    }
}

/// Decodes any image the photo pipeline accepts, within its size limits, composites transparency onto white (the
/// logo tile and the photo frame are white) and scales it down so its longest side is at most `max_px`.
fn decode_on_white(bytes: &[u8], max_px: u32) -> Result<RgbImage, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PHOTO_SIDE);
    limits.max_image_height = Some(MAX_PHOTO_SIDE);
    limits.max_alloc = Some(MAX_PHOTO_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| e.to_string())?;
    let (width, height) = (image.width(), image.height());
    let image = if width.max(height) > max_px {
        let scale = max_px as f32 / width.max(height) as f32;
        let (w, h) = (((width as f32 * scale).round() as u32).max(1), ((height as f32 * scale).round() as u32).max(1));
        DynamicImage::ImageRgba8(imageops::resize(&image.to_rgba8(), w, h, FilterType::Triangle))
    } else {
        image
    };
    if !image.color().has_alpha() {
        return Ok(image.to_rgb8());
    }
    let rgba = image.to_rgba8();
    Ok(RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    }))
}

/// `image` without its near-white margins (all of it if it is blank).
fn trim_white(image: RgbImage) -> RgbImage {
    let ink = |x: u32, y: u32| image.get_pixel(x, y).0.iter().any(|&c| c < 240);
    let (width, height) = image.dimensions();
    let rows: Vec<u32> = (0..height).filter(|&y| (0..width).any(|x| ink(x, y))).collect();
    let columns: Vec<u32> = (0..width).filter(|&x| (0..height).any(|y| ink(x, y))).collect();
    match (rows.first(), rows.last(), columns.first(), columns.last()) {
        (Some(&top), Some(&bottom), Some(&left), Some(&right)) => {
            imageops::crop_imm(&image, left, top, right - left + 1, bottom - top + 1).to_image()
        }
        _ => image,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Fonts: Noto Sans, cut to Latin, Latin Extended A/B/Additional, IPA, combining marks and punctuation
// (fonts/README.md), so "Aïssatou", "Ngozi Ọkafọ", "ŋ" and "ɛ" all have glyphs.

static REGULAR_TTF: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");

#[derive(Debug, Clone, Copy)]
pub(crate) enum Weight {
    Regular = 0,
    Bold = 1,
}

impl Weight {
    /// Resource name of the font in the PDF, which printpdf also writes as its /BaseFont. The six-letter tag
    /// marks a subset font (ISO 32000-1, 9.6.4), which every document's fonts are.
    pub(crate) fn font_id(self) -> FontId {
        FontId(match self {
            Weight::Regular => "TLNTRG+NotoSans-Regular".to_owned(),
            Weight::Bold => "TLNTBD+NotoSans-Bold".to_owned(),
        })
    }
}

pub(crate) struct Faces {
    regular: Face,
    bold: Face,
}

impl Faces {
    pub(crate) fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// Caller text made safe to draw: NFC (so "O" + combining dot below becomes the one glyph "Ọ"), control
    /// characters and runs of white space as one space, and any character the fonts lack as "?" rather than an
    /// empty box.
    pub(crate) fn clean(&self, raw: &str) -> String {
        let mut text = String::with_capacity(raw.len());
        for c in raw.nfc() {
            let c = if c.is_whitespace() || c.is_control() {
                ' '
            } else if self.regular.has(c) && self.bold.has(c) {
                c
            } else {
                '?'
            };
            if c == ' ' && (text.is_empty() || text.ends_with(' ')) {
                continue;
            }
            text.push(c);
        }
        text.truncate(text.trim_end().len());
        text
    }

    /// Width of `text` in mm at `size` points, letter spacing included.
    pub(crate) fn measure(&self, style: Style, text: &str, size: f32) -> f32 {
        let face = self.face(style.weight);
        let (advances, count) = text.chars().fold((0.0, 0_usize), |(sum, n), c| (sum + face.advance(c), n + 1));
        mm(size) * (advances + style.tracking * count.saturating_sub(1) as f32)
    }

    /// `text` cut to fit `width` mm with a trailing "…", never between a letter and its combining mark.
    pub(crate) fn ellipsize(&self, style: Style, text: &str, size: f32, width: f32) -> String {
        if self.measure(style, text, size) <= width {
            return text.to_owned();
        }
        let face = self.face(style.weight);
        let budget = width / mm(size) - face.advance('…');
        let mut used = 0.0;
        let mut cut = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            used += face.advance(c) + style.tracking;
            if used > budget {
                break;
            }
            let end = chars.peek().map_or(text.len(), |&(i, _)| i);
            if !chars.peek().is_some_and(|&(_, next)| is_combining(next)) {
                cut = end;
            }
        }
        format!("{}…", text[..cut].trim_end())
    }
}

/// Parses the embedded fonts on first use; they are part of the binary, so failing here is a build defect.
pub(crate) fn faces() -> Result<&'static Faces, BadgeError> {
    static FACES: OnceLock<Result<Faces, String>> = OnceLock::new();
    FACES
        .get_or_init(|| Ok(Faces { regular: Face::parse(REGULAR_TTF)?, bold: Face::parse(BOLD_TTF)? }))
        .as_ref()
        .map_err(|e| BadgeError::Pdf(format!("embedded font: {e}")))
}

/// What layout needs from a font: which glyph draws a character and how wide it is.
pub(crate) struct Face {
    ttf: &'static [u8],
    glyphs: HashMap<char, u16>,
    /// Advance width of each glyph, in em.
    advances: Vec<f32>,
}

impl Face {
    fn parse(ttf: &'static [u8]) -> Result<Face, String> {
        let error = |e: allsorts::error::ParseError| e.to_string();
        let font = ReadScope::new(ttf).read::<FontData<'_>>().map_err(error)?;
        let provider = font.table_provider(0).map_err(|e| e.to_string())?;
        let table = |t| provider.read_table_data(t).map_err(error);
        let head_data = table(tag::HEAD)?;
        let head = ReadScope::new(&head_data).read::<HeadTable>().map_err(error)?;
        let maxp_data = table(tag::MAXP)?;
        let maxp = ReadScope::new(&maxp_data).read::<MaxpTable>().map_err(error)?;
        let hhea_data = table(tag::HHEA)?;
        let hhea = ReadScope::new(&hhea_data).read::<HheaTable>().map_err(error)?;
        let hmtx_data = table(tag::HMTX)?;
        let hmtx = ReadScope::new(&hmtx_data)
            .read_dep::<HmtxTable<'_>>((usize::from(maxp.num_glyphs), usize::from(hhea.num_h_metrics)))
            .map_err(error)?;
        let units_per_em = f32::from(head.units_per_em.max(1));
        let advances = (0..maxp.num_glyphs)
            .map(|gid| hmtx.horizontal_advance(gid).map(|a| f32::from(a) / units_per_em).unwrap_or(0.0))
            .collect();

        let cmap_data = table(tag::CMAP)?;
        let cmap = ReadScope::new(&cmap_data).read::<Cmap<'_>>().map_err(error)?;
        let (_, subtable) = allsorts::font::read_cmap_subtable(&cmap).map_err(error)?.ok_or("no Unicode cmap")?;
        let mut glyphs = HashMap::new();
        subtable
            .mappings_fn(|codepoint, gid| {
                if let Some(c) = char::from_u32(codepoint).filter(|_| gid != 0) {
                    glyphs.insert(c, gid);
                }
            })
            .map_err(error)?;
        Ok(Face { ttf, glyphs, advances })
    }

    pub(crate) fn has(&self, c: char) -> bool {
        self.glyphs.contains_key(&c)
    }

    /// Advance width of `c` in em; 0 for a character the font lacks (`clean` replaces those beforehand).
    pub(crate) fn advance(&self, c: char) -> f32 {
        self.glyphs.get(&c).and_then(|&gid| self.advances.get(usize::from(gid))).copied().unwrap_or(0.0)
    }

    /// The font cut down to `chars` (plus .notdef), with a Unicode cmap so printpdf maps text to glyphs and
    /// writes the ToUnicode map that lets readers copy and search the text.
    pub(crate) fn subset(&self, chars: &BTreeSet<char>) -> Result<ParsedFont, String> {
        let mut gids: Vec<u16> =
            std::iter::once(0).chain(chars.iter().filter_map(|c| self.glyphs.get(c).copied())).collect();
        gids.sort_unstable();
        gids.dedup();
        let font = ReadScope::new(self.ttf).read::<FontData<'_>>().map_err(|e| e.to_string())?;
        let provider = font.table_provider(0).map_err(|e| e.to_string())?;
        let bytes = allsorts::subset::subset(&provider, &gids, &SubsetProfile::Pdf, CmapTarget::Unicode)
            .map_err(|e| format!("subsetting: {e}"))?;
        let mut warnings = Vec::new();
        ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or_else(|| format!("subset font unreadable: {warnings:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn draft() -> Draft<'static> {
        Draft::new(faces().expect("the embedded fonts parse"))
    }

    #[rstest]
    #[case::decomposed_dot_below("Ngozi O\u{323}kafo\u{323}", "Ngozi Ọkafọ")]
    #[case::whitespace_runs("  Joël \t\n N'Guessan ", "Joël N'Guessan")]
    #[case::missing_glyph("Abebe አበበ", "Abebe ???")]
    #[case::african_letters("ŋ ɛ ɔ ƙ ɓ ɗ", "ŋ ɛ ɔ ƙ ɓ ɗ")]
    fn clean_normalises_and_replaces_what_the_font_cannot_draw(#[case] raw: &str, #[case] expected: &str) {
        assert_eq!(draft().clean(raw), expected);
    }

    const NAME: Style = style(Weight::Bold, 17.0, 10.0, INK);
    const ROLE: Style = style(Weight::Regular, 9.0, 9.0, INK);

    #[test]
    fn fit_shrinks_before_it_truncates_and_never_overflows() {
        let draft = draft();
        let (text, size) = draft.fit(NAME, "Aïssatou Ndiaye", 83.0);
        assert_eq!((text.as_str(), size), ("Aïssatou Ndiaye", 17.0), "a usual name keeps the full size");

        let long = "Oluwaseun Adebayo-Ogunleye Okonkwo";
        let (text, size) = draft.fit(NAME, long, 83.0);
        assert!((10.0..17.0).contains(&size), "a longer name shrinks first ({size})");
        assert_eq!(text, long, "and stays whole while the minimum size is not reached");
        assert!(draft.measure(NAME, &text, size) <= 83.0);

        let longer = long.repeat(3);
        let (text, size) = draft.fit(NAME, &longer, 83.0);
        assert_eq!(size, 10.0);
        assert!(text.ends_with('…'), "past the minimum size the name is cut with an ellipsis: {text}");
        assert!(draft.measure(NAME, &text, size) <= 83.0, "and the cut text fits");
    }

    #[test]
    fn letter_spacing_counts_in_the_width() {
        let draft = draft();
        let plain = draft.measure(NAME, "K7QX-3MPA", 12.0);
        let tracked = draft.measure(NAME.tracked(0.1), "K7QX-3MPA", 12.0);
        let expected = 8.0 * 0.1 * mm(12.0);
        assert!((tracked - plain - expected).abs() < 1e-3, "eight gaps of 0.1 em between nine characters");
        let cut = draft.ellipsize(NAME.tracked(0.1), &"K7QX-3MPA".repeat(4), 12.0, 40.0);
        assert!(draft.measure(NAME.tracked(0.1), &cut, 12.0) <= 40.0, "{cut}");
    }

    #[test]
    fn ellipsis_never_separates_a_letter_from_its_combining_mark() {
        let draft = draft();
        // "ẹ́" has no precomposed form: ẹ + U+0301 survives NFC.
        let text = draft.clean(&"ẹ\u{301}".repeat(40));
        for width in (4..30).map(|w| w as f32) {
            let cut = draft.ellipsize(ROLE, &text, 9.0, width);
            let before_ellipsis = cut.trim_end_matches('…');
            assert!(before_ellipsis.ends_with('\u{301}') || before_ellipsis.is_empty(), "cut at {width} mm: {cut:?}");
            assert!(draft.measure(ROLE, &cut, 9.0) <= width);
        }
    }

    #[test]
    fn wrap_keeps_to_the_line_limit_and_the_width() {
        let draft = draft();
        let role = "Passant au marché, scène 12 : achète des mangues et discute avec la vendeuse pendant la prise";
        let lines = draft.wrap(ROLE, role, 9.0, 50.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'), "the rest does not fit three lines: {lines:?}");
        assert!(lines.iter().all(|l| draft.measure(ROLE, l, 9.0) <= 50.0), "{lines:?}");
        assert!(draft.wrap(ROLE, "", 9.0, 50.0, 3).is_empty(), "an empty role draws nothing");
    }

    #[rstest]
    #[case("Joël N'Guessan", "JN")]
    #[case("Ngozi Ọkafọ", "NỌ")]
    #[case("Aïssatou", "A")]
    #[case("'Ibrahim  Ba", "IB")]
    #[case("", "")]
    fn initials_take_the_first_and_last_names(#[case] name: &str, #[case] expected: &str) {
        assert_eq!(draft().initials(name), expected);
    }

    #[test]
    fn logos_lose_their_white_margins() {
        // Like the logo pipeline's output: a wordmark centred in a white square.
        let padded = RgbImage::from_fn(512, 512, |x, y| {
            let ink = (100..412).contains(&x) && (220..292).contains(&y);
            if ink { image::Rgb([145, 59, 32]) } else { image::Rgb([255, 255, 255]) }
        });
        assert_eq!(trim_white(padded).dimensions(), (312, 72));
        let blank = RgbImage::from_pixel(10, 10, image::Rgb([255, 255, 255]));
        assert_eq!(trim_white(blank).dimensions(), (10, 10), "a blank logo is kept rather than emptied");
    }

    #[test]
    fn jpeg_header_is_read_without_decoding() {
        let image = DynamicImage::ImageRgb8(RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8, y as u8, 7])));
        let mut jpeg = Cursor::new(Vec::new());
        image.write_to(&mut jpeg, image::ImageFormat::Jpeg).expect("encode");
        let jpeg = jpeg.into_inner();
        let info = jpeg_as_is(&jpeg).expect("a baseline JPEG is embedded as it is");
        assert_eq!((info.width, info.height, info.components), (40, 30, 3));
        assert!(jpeg_as_is(&jpeg[..jpeg.len() - 10]).is_none(), "a truncated JPEG goes to the decoder");
        assert!(jpeg_as_is(b"\xFF\xD8\xFF").is_none());
        assert!(jpeg_as_is(b"not a jpeg at all").is_none());
    }
}
