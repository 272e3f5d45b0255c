//! Badge PDFs as a printer and a scanner see them: each PDF is rendered by poppler (`pdftoppm`, as a print
//! preview would), every QR code is read back with rqrr and must give exactly its badge's token, and poppler's
//! `pdftotext`, `pdfinfo`, `pdffonts` and `pdfimages` check the text, page count, fonts and images. Poppler comes
//! from the poppler-utils package, which scripts/install-deps.sh installs.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use image::{DynamicImage, GrayImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use talento_documents::{BadgeContent, BadgeError, BadgeFormat, badges_pdf};

const NAMES: [&str; 5] = ["Aïssatou Ndiaye", "Joël N'Guessan", "Ngozi Ọkafọ", "Kwame Ŋɔɔ Mɛnsah", "Fatou Diop"];

/// A portrait like the photo pipeline's: a square 512 px JPEG, with some grain so it weighs what a face does.
fn photo_jpeg(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761) | 1;
    let image = RgbImage::from_fn(512, 512, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state % 20) as u8;
        let (dx, dy) = (x as f32 - 256.0, y as f32 - 220.0);
        let base = if dx * dx + dy * dy < 110.0 * 110.0 { [150, 100, 70] } else { [90, 150, 190] };
        Rgb(base.map(|c: u8| c.saturating_add(grain)))
    });
    encode(DynamicImage::ImageRgb8(image), ImageFormat::Jpeg)
}

/// An agency logo with transparency, as agencies upload them.
fn logo_png() -> Vec<u8> {
    let image = RgbaImage::from_fn(600, 240, |x, y| {
        let (dx, dy) = (x as f32 - 120.0, y as f32 - 120.0);
        if dx * dx + dy * dy < 100.0 * 100.0 { Rgba([204, 94, 54, 255]) } else { Rgba([0, 0, 0, 0]) }
    });
    encode(DynamicImage::ImageRgba8(image), ImageFormat::Png)
}

fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, format).expect("encode fixture");
    bytes.into_inner()
}

/// The n-th badge of a test set: every other one with a logo, every third one without a photo, and a token that
/// differs from every other badge's so a QR code drawn on the wrong badge is caught.
fn badge(n: usize) -> BadgeContent {
    BadgeContent {
        agency_name: "Sahel Casting & Figuration".into(),
        agency_logo: n.is_multiple_of(2).then(logo_png),
        production_name: "Les Enfants du Fleuve".into(),
        project_name: "Saison 2 — Tournage Saint-Louis".into(),
        project_dates: "03/12/2026 – 20/12/2026".into(),
        photo_jpeg: (n % 3 != 2).then(|| photo_jpeg(n as u32)),
        full_name: NAMES[n % NAMES.len()].into(),
        talent_code: format!("SNF{:04}DKR", n + 1),
        talent_type: "Figurant".into(),
        role: "Passant au marché, scène 12".into(),
        validity: "Valable du 03/12/2026 au 20/12/2026".into(),
        token: format!(
            "AQHpQ3b0xkq9Z2cP1mZ3rD4vYwABAAAAZx1s8AAAAABpAAAAAQKkqgYv2Wm8C0nq5pZC1N6rQ0vR8mX3bq3u1d3b7QfH8mWk-{n:03}"
        ),
        short_code: format!("K7QX-3M{n:02}"),
    }
}

fn pdf(badges: &[BadgeContent], format: BadgeFormat) -> Vec<u8> {
    badges_pdf(badges, format, &mut |_, _| true).expect("valid badges make a PDF")
}

/// Runs a poppler tool and returns its standard output; fails with the fix when poppler is missing.
fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{tool}` ({e}): install poppler-utils with scripts/install-deps.sh"));
    assert!(output.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("poppler prints UTF-8")
}

/// A PDF written to a temporary directory, for the poppler tools.
struct PdfFile {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl PdfFile {
    fn new(bytes: &[u8]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("badges.pdf");
        std::fs::write(&path, bytes).expect("write PDF");
        PdfFile { dir, path }
    }

    fn path(&self) -> &str {
        self.path.to_str().expect("UTF-8 temp path")
    }

    fn info(&self, key: &str) -> String {
        let info = poppler("pdfinfo", &[self.path()]);
        let line =
            info.lines().find(|l| l.starts_with(&format!("{key}:"))).unwrap_or_else(|| panic!("{key} in {info}"));
        line[key.len() + 1..].trim().to_owned()
    }

    fn pages(&self) -> usize {
        self.info("Pages").parse().expect("page count")
    }

    fn text(&self) -> String {
        poppler("pdftotext", &["-enc", "UTF-8", self.path(), "-"])
    }

    /// Every page rendered in grey at 200 dpi, as a print preview would.
    fn render(&self) -> Vec<GrayImage> {
        let prefix = self.dir.path().join("page");
        poppler("pdftoppm", &["-r", "200", "-gray", "-png", self.path(), prefix.to_str().expect("UTF-8")]);
        let mut pages: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("list renders")
            .map(|entry| entry.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .collect();
        // pdftoppm pads page numbers to the width of the last one, so names sort in page order.
        pages.sort();
        pages.iter().map(|p| load_grey(p)).collect()
    }
}

fn load_grey(path: &Path) -> GrayImage {
    image::open(path).expect("pdftoppm writes PNG").into_luma8()
}

/// The texts of all QR codes found in a region of a rendered page.
fn scan(page: &GrayImage, (x, y, w, h): (u32, u32, u32, u32)) -> Vec<String> {
    let region = image::imageops::crop_imm(page, x, y, w, h).to_image();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
        region.get_pixel(x as u32, y as u32).0[0]
    });
    prepared.detect_grids().iter().filter_map(|grid| grid.decode().ok().map(|(_, text)| text)).collect()
}

/// The four badge slots of a rendered A4 sheet, row by row: the page cut in quarters.
fn quarters(page: &GrayImage) -> [(u32, u32, u32, u32); 4] {
    let (w, h) = (page.width() / 2, page.height() / 2);
    [(0, 0, w, h), (w, 0, w, h), (0, h, w, h), (w, h, w, h)]
}

#[test]
fn three_badges_share_one_sheet_and_each_qr_code_scans_to_its_own_token() {
    let badges: Vec<_> = (0..3).map(badge).collect();
    let file = PdfFile::new(&pdf(&badges, BadgeFormat::A4Sheet));
    assert_eq!(file.pages(), 1, "three badges fit on one sheet of four");
    assert!(file.info("Page size").contains("(A4)"), "sheets are A4: {}", file.info("Page size"));

    let pages = file.render();
    let slots = quarters(&pages[0]);
    for (n, badge) in badges.iter().enumerate() {
        assert_eq!(scan(&pages[0], slots[n]), [badge.token.as_str()], "slot {n} holds badge {n}'s QR code, readable");
    }
    assert!(scan(&pages[0], slots[3]).is_empty(), "the fourth slot stays empty");

    let text = file.text();
    for badge in &badges {
        for expected in [&badge.full_name, &badge.talent_code, &badge.short_code] {
            assert!(
                text.contains(expected.as_str()),
                "the PDF text should contain {expected:?}: the fonts must \
                                                      embed these glyphs with a ToUnicode map\n{text}"
            );
        }
    }
}

#[test]
fn a_fifth_badge_starts_a_second_sheet() {
    let badges: Vec<_> = (0..5).map(badge).collect();
    let file = PdfFile::new(&pdf(&badges, BadgeFormat::A4Sheet));
    assert_eq!(file.pages(), 2, "four badges per sheet, then a new sheet");
    let pages = file.render();
    assert_eq!(pages.len(), 2);
    let slots = quarters(&pages[1]);
    assert_eq!(scan(&pages[1], slots[0]), [badges[4].token.as_str()], "badge 5 opens sheet 2");
    assert!(slots[1..].iter().all(|&slot| scan(&pages[1], slot).is_empty()), "the rest of sheet 2 is blank");
    assert!(file.text().contains("Kwame Ŋɔɔ Mɛnsah"), "ŋ, ɔ and ɛ render as text, not boxes");
}

#[test]
fn card_format_prints_one_cr80_card_per_page() {
    let badges: Vec<_> = (0..3).map(badge).collect();
    let file = PdfFile::new(&pdf(&badges, BadgeFormat::Card));
    assert_eq!(file.pages(), 3, "one card per page for card printers");
    let size = file.info("Page size");
    assert!(size.starts_with("153.071 x 242.646 pts"), "a CR80 card is 54 × 85.6 mm, got {size}");

    let pages = file.render();
    for (page, badge) in pages.iter().zip(&badges) {
        let whole = (0, 0, page.width(), page.height());
        assert_eq!(scan(page, whole), [badge.token.as_str()], "each card carries its own readable QR code");
    }
    let text = file.text();
    for name in &NAMES[..3] {
        assert!(text.contains(name), "{name:?} should be in the card text:\n{text}");
    }
}

#[test]
fn fonts_are_embedded_as_subsets_with_unicode_maps() {
    let file = PdfFile::new(&pdf(&[badge(0)], BadgeFormat::Card));
    let fonts = poppler("pdffonts", &[file.path()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "Noto Sans regular and bold:\n{fonts}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        // name, type (2 words), encoding, emb, sub, uni, object id, generation
        assert_eq!(columns[4..7], ["yes", "yes", "yes"], "embedded, subset and with ToUnicode:\n{fonts}");
    }
}

#[test]
fn the_same_logo_on_every_badge_is_embedded_once_and_photos_stay_jpeg() {
    let badges: Vec<_> = (0..6).map(|n| BadgeContent { agency_logo: Some(logo_png()), ..badge(n) }).collect();
    let file = PdfFile::new(&pdf(&badges, BadgeFormat::A4Sheet));
    let list = poppler("pdfimages", &["-list", file.path()]);
    let images: Vec<Vec<&str>> = list.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(images.len(), 6 + 4, "six logos and four photos drawn (badges 3 and 6 have none):\n{list}");
    // Columns: page num type width height color comp bpc enc interp object ID ...
    let (photos, logos): (Vec<_>, Vec<_>) = images.iter().partition(|columns| columns[8] == "jpeg");
    assert_eq!(photos.len(), 4, "photos are embedded as the JPEGs they are, not re-encoded:\n{list}");
    assert!(photos.iter().all(|columns| columns[3..5] == ["512", "512"]), "at their own size:\n{list}");
    let logo_objects: std::collections::BTreeSet<&str> = logos.iter().map(|columns| columns[10]).collect();
    assert_eq!(logo_objects.len(), 1, "one embedded logo serves every badge:\n{list}");
}

#[test]
fn overlong_text_shrinks_or_is_cut_but_never_leaves_its_badge() {
    let long = "Wolof Pulaar Sérère Mandinka Soninké Diola Bambara Haoussa Yoruba Igbo Ewe Fon Twi ".repeat(4);
    let unbroken = "Ọ".repeat(80);
    let badges: Vec<_> = (0..4)
        .map(|n| BadgeContent {
            agency_name: long.clone(),
            production_name: long.clone(),
            project_name: long.clone(),
            project_dates: unbroken.clone(),
            full_name: if n % 2 == 0 { long.clone() } else { unbroken.clone() },
            talent_code: unbroken.clone(),
            talent_type: long.clone(),
            role: long.clone(),
            validity: long.clone(),
            short_code: unbroken.clone(),
            ..badge(n)
        })
        .collect();
    for (format, slots) in [
        (BadgeFormat::A4Sheet, vec![(7.0, 10.5), (108.0, 10.5), (7.0, 151.5), (108.0, 151.5)]),
        (BadgeFormat::Card, vec![(0.0, 0.0)]),
    ] {
        let (w, h) = if format == BadgeFormat::Card { (54.0, 85.6) } else { (95.0, 135.0) };
        let file = PdfFile::new(&pdf(&badges, format));
        let bbox = poppler("pdftotext", &["-bbox", file.path(), "-"]);
        let mut words = 0;
        let pt = |mm: f64| mm * 72.0 / 25.4;
        for page in bbox.split("<page ").skip(1) {
            for word in page.split("<word ").skip(1) {
                let attribute = |name: &str| -> f64 {
                    let start = word.find(&format!("{name}=\"")).expect("bbox attribute") + name.len() + 2;
                    word[start..].split('"').next().expect("value").parse().expect("number")
                };
                let (x0, y0, x1, y1) = (attribute("xMin"), attribute("yMin"), attribute("xMax"), attribute("yMax"));
                let inside = slots.iter().any(|&(sx, sy)| {
                    x0 >= pt(sx) - 0.5 && x1 <= pt(sx + w) + 0.5 && y0 >= pt(sy) - 0.5 && y1 <= pt(sy + h) + 0.5
                });
                assert!(
                    inside,
                    "{format:?}: a word at ({x0:.1}, {y0:.1})–({x1:.1}, {y1:.1}) pt lies outside every \
                                 badge: {}",
                    word.split('>').nth(1).unwrap_or_default()
                );
                words += 1;
            }
        }
        assert!(words > 40, "{format:?}: the long texts were drawn ({words} words)");
        assert!(file.text().contains('…'), "{format:?}: what does not fit is cut with an ellipsis");
    }
}

#[test]
fn an_unreadable_photo_or_logo_is_an_image_error_naming_the_badge() {
    let png_signature_then_garbage = [b"\x89PNG\r\n\x1a\n".as_slice(), &[7; 64]].concat();
    for broken in [b"not an image".to_vec(), png_signature_then_garbage, b"\xFF\xD8\xFF\xE0garbage".to_vec()] {
        let photo = BadgeContent { photo_jpeg: Some(broken.clone()), ..badge(0) };
        match badges_pdf(&[badge(1), photo], BadgeFormat::A4Sheet, &mut |_, _| true) {
            Err(BadgeError::Image(message)) => {
                assert!(message.contains("SNF0001DKR"), "the message names the talent code: {message}")
            }
            other => panic!("a broken photo must be an image error, not {other:?}"),
        }
        let logo = BadgeContent { agency_logo: Some(broken), ..badge(1) };
        assert!(
            matches!(badges_pdf(&[logo], BadgeFormat::Card, &mut |_, _| true), Err(BadgeError::Image(_))),
            "a broken logo must be an image error"
        );
    }
}

#[test]
fn progress_counts_every_badge_and_false_cancels() {
    let badges: Vec<_> = (0..5).map(badge).collect();
    let mut calls = Vec::new();
    pdf(&badges, BadgeFormat::Card);
    badges_pdf(&badges, BadgeFormat::A4Sheet, &mut |done, total| {
        calls.push((done, total));
        true
    })
    .expect("pdf");
    assert_eq!(calls, (1..=5).map(|done| (done, 5)).collect::<Vec<_>>(), "one report per badge, in order");

    let mut calls = 0;
    let cancelled = badges_pdf(&badges, BadgeFormat::Card, &mut |done, _| {
        calls += 1;
        done < 2
    });
    assert!(matches!(cancelled, Err(BadgeError::Cancelled)), "false from progress cancels: {cancelled:?}");
    assert_eq!(calls, 2, "no badge is laid out after the cancel");
}

#[test]
fn no_badges_or_an_oversized_token_is_refused() {
    assert!(matches!(badges_pdf(&[], BadgeFormat::A4Sheet, &mut |_, _| true), Err(BadgeError::Empty)));
    let oversized = BadgeContent { token: "A".repeat(5_000), ..badge(0) };
    assert!(
        matches!(badges_pdf(&[oversized], BadgeFormat::Card, &mut |_, _| true), Err(BadgeError::TokenTooLong { .. })),
        "a token no QR code can hold is an error, not a panic"
    );
}
