//! QR codes for badges and device enrollment, as a PNG for the screen and as an SVG for print (it scales to any
//! badge size without blur). Both are black on white with the 4-module quiet zone the standard asks for, at
//! error-correction level M: a worn or creased badge still scans, and a ~120-character signed token stays small
//! enough for phone cameras and USB scanners.

use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the symbol on every side, as ISO/IEC 18004 requires for readers to find it.
pub const QUIET_ZONE_MODULES: usize = 4;

/// Largest module size [`qr_png`] accepts. The largest QR code (177 modules plus the quiet zone) is then a
/// 5,920-pixel square: plenty for print, and a bound on memory whatever the caller passes.
pub const MAX_MODULE_PX: u32 = 32;

#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// More data than the largest QR code holds at level M (about 2,300 bytes).
    #[error("the text is too long for a QR code ({len} bytes)")]
    TooLong { len: usize },
    #[error("a QR module must be 1 to {max} pixels wide, not {module_px}")]
    InvalidModuleSize { module_px: u32, max: u32 },
    /// Any other refusal of the encoder; not reachable with automatic version selection, kept so nothing panics.
    #[error("the QR encoder refused the text")]
    Encoder(#[source] qrcode::types::QrError),
    #[error("PNG encoding of the QR code failed")]
    Png(#[source] image::ImageError),
}

/// Renders `text` as a PNG QR code (8-bit greyscale), each module `module_px` pixels wide.
pub fn qr_png(text: &str, module_px: u32) -> Result<Vec<u8>, QrError> {
    if !(1..=MAX_MODULE_PX).contains(&module_px) {
        return Err(QrError::InvalidModuleSize { module_px, max: MAX_MODULE_PX });
    }
    let symbol = Symbol::encode(text)?;
    // At most 185 modules of at most 32 px: the side always fits a u32 and the pixels a few tens of megabytes.
    let side = symbol.side as u32 * module_px;
    let module_px = module_px as usize;

    let mut pixels = Vec::with_capacity(side as usize * side as usize);
    let mut row = Vec::with_capacity(side as usize);
    for y in 0..symbol.side {
        row.clear();
        for x in 0..symbol.side {
            let value = if symbol.is_dark(x, y) { 0 } else { 255 };
            row.extend(std::iter::repeat_n(value, module_px));
        }
        for _ in 0..module_px {
            pixels.extend_from_slice(&row);
        }
    }

    let mut png = Vec::new();
    // Rows of a QR code repeat exactly, which the Up filter turns into zeros; fast compression is then near optimal.
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Up)
        .write_image(&pixels, side, side, image::ExtendedColorType::L8)
        .map_err(QrError::Png)?;
    Ok(png)
}

/// Renders `text` as an SVG QR code: one `<path>` whose sub-paths are horizontal runs of dark modules, in a
/// `viewBox` of one unit per module (quiet zone included) and no fixed size, so the caller sets the printed size.
pub fn qr_svg(text: &str) -> Result<String, QrError> {
    let symbol = Symbol::encode(text)?;
    let side = symbol.side;
    let mut path = String::new();
    for y in 0..side {
        let mut x = 0;
        while x < side {
            if !symbol.is_dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < side && symbol.is_dark(x, y) {
                x += 1;
            }
            let run = x - start;
            path.push_str(&format!("M{start} {y}h{run}v1h-{run}z"));
        }
    }
    // crispEdges keeps renderers from anti-aliasing the seams between runs into grey hairlines.
    Ok(format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" shape-rendering="crispEdges">"#,
            r##"<rect width="{side}" height="{side}" fill="#fff"/>"##,
            r##"<path fill="#000" d="{path}"/>"##,
            "</svg>"
        ),
        side = side,
        path = path
    ))
}

/// The module grid of a QR code with its quiet zone around it.
struct Symbol {
    /// Modules per side, quiet zone included.
    side: usize,
    /// Modules per side of the code alone.
    code_width: usize,
    colors: Vec<Color>,
}

impl Symbol {
    fn encode(text: &str) -> Result<Self, QrError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| match e {
            qrcode::types::QrError::DataTooLong => QrError::TooLong { len: text.len() },
            other => QrError::Encoder(other),
        })?;
        let code_width = code.width();
        Ok(Symbol { side: code_width + 2 * QUIET_ZONE_MODULES, code_width, colors: code.into_colors() })
    }

    /// Whether the module at (x, y), counted from the outer corner of the quiet zone, is dark.
    fn is_dark(&self, x: usize, y: usize) -> bool {
        let (Some(cx), Some(cy)) = (x.checked_sub(QUIET_ZONE_MODULES), y.checked_sub(QUIET_ZONE_MODULES)) else {
            return false;
        };
        cx < self.code_width && cy < self.code_width && self.colors[cy * self.code_width + cx] == Color::Dark
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    /// Decodes the first QR code found in a greyscale image, as a phone or a badge scanner would.
    fn scan(width: usize, height: usize, luma: impl Fn(usize, usize) -> u8) -> (u16, String) {
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, luma);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "exactly one QR code should be found");
        let (meta, content) = grids[0].decode().expect("the QR code should decode");
        (meta.ecc_level, content)
    }

    const BADGE_TOKEN: &str = "AQHpQ3b0xkq9Z2cP1mZ3rD4vYwABAAAAZx1s8AAAAABpAAAAAQKkqgYv2Wm8C0nq5pZC1N6rQ0vR8mX3\
                               bq3u1d3b7QfH8mWkRkE9u6JtCq3YxQ2E0bq9QWxg";

    #[rstest]
    #[case::short("TAL-0001")]
    #[case::signed_badge_token(BADGE_TOKEN)]
    #[case::accented_name("Aïssatou Ndiaye — Saint-Louis")]
    #[case::empty("")]
    fn png_decodes_back_to_the_same_text_at_level_m(#[case] text: &str) {
        let png = qr_png(text, 4).expect("encode");
        let image = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
            .expect("the output should be a PNG")
            .into_luma8();
        let (ecc_level, decoded) =
            scan(image.width() as usize, image.height() as usize, |x, y| image.get_pixel(x as u32, y as u32).0[0]);
        assert_eq!(decoded, text, "the scanned text must be exactly what was encoded");
        // rqrr reports the raw format bits, where M is 0 (L=1, M=0, Q=3, H=2).
        assert_eq!(ecc_level, 0, "badges use error-correction level M");
    }

    #[test]
    fn png_has_a_white_quiet_zone_of_four_modules() {
        let module_px = 3;
        let png = qr_png("TAL-0001", module_px).expect("encode");
        let image = image::load_from_memory(&png).expect("decode").into_luma8();
        let code_width = QrCode::with_error_correction_level("TAL-0001", EcLevel::M).expect("encode").width() as u32;
        assert_eq!(
            image.width(),
            (code_width + 8) * module_px,
            "the image should be the code plus 4 modules each side, times the module size"
        );
        let quiet = 4 * module_px;
        for (x, y, pixel) in image.enumerate_pixels() {
            let inside = (quiet..image.width() - quiet).contains(&x) && (quiet..image.height() - quiet).contains(&y);
            if !inside {
                assert_eq!(pixel.0[0], 255, "the quiet zone must be white at ({x}, {y})");
            }
        }
        assert_eq!(
            image.get_pixel(quiet, quiet).0[0],
            0,
            "the finder pattern's corner should start right after the quiet zone"
        );
    }

    #[rstest]
    #[case(0)]
    #[case(MAX_MODULE_PX + 1)]
    fn png_refuses_a_module_size_out_of_range(#[case] module_px: u32) {
        assert!(
            matches!(qr_png("x", module_px), Err(QrError::InvalidModuleSize { .. })),
            "a zero or huge module size must be refused, not panic or allocate gigabytes"
        );
    }

    #[test]
    fn text_longer_than_the_largest_qr_code_is_refused() {
        let text = "A".repeat(5_000);
        assert!(
            matches!(qr_png(&text, 1), Err(QrError::TooLong { len: 5_000 })),
            "a version 40 code at level M holds well under 5,000 bytes"
        );
        assert!(matches!(qr_svg(&text), Err(QrError::TooLong { .. })));
    }

    /// Reads back the module grid from our SVG: checks it is well-formed XML, then paints each `M x y h n` run.
    fn rasterise_svg(svg: &str) -> (usize, Vec<bool>) {
        let document = roxmltree::Document::parse(svg).expect("the SVG should be well-formed XML");
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        let view_box = root.attribute("viewBox").expect("a viewBox lets the SVG scale");
        let numbers: Vec<usize> = view_box.split(' ').map(|n| n.parse().expect("viewBox numbers")).collect();
        assert_eq!(numbers[..2], [0, 0], "the viewBox should start at the origin");
        assert_eq!(numbers[2], numbers[3], "a QR code is square");
        assert!(
            root.attribute("width").is_none(),
            "no fixed size, so the SVG fills whatever box the badge layout gives it"
        );
        let side = numbers[2];
        let paths: Vec<_> = root.children().filter(|n| n.has_tag_name("path")).collect();
        assert_eq!(paths.len(), 1, "one path for all dark modules, not one element per module");
        let d = paths[0].attribute("d").expect("path data");

        let mut dark = vec![false; side * side];
        for run in d.split('z').filter(|s| !s.is_empty()) {
            let rest = run.strip_prefix('M').expect("each run starts with M");
            let (x, rest) = rest.split_once(' ').expect("x then y");
            let (y, rest) = rest.split_once('h').expect("then h");
            let (n, _) = rest.split_once('v').expect("then v");
            let (x, y, n): (usize, usize, usize) =
                (x.parse().expect("x"), y.parse().expect("y"), n.parse().expect("n"));
            for cell in &mut dark[y * side + x..y * side + x + n] {
                *cell = true;
            }
        }
        (side, dark)
    }

    #[test]
    fn svg_is_well_formed_scalable_and_scans_back() {
        let svg = qr_svg(BADGE_TOKEN).expect("encode");
        let (side, dark) = rasterise_svg(&svg);
        let module_px = 4;
        let px = side * module_px;
        let (_, decoded) = scan(px, px, |x, y| if dark[(y / module_px) * side + x / module_px] { 0 } else { 255 });
        assert_eq!(decoded, BADGE_TOKEN, "the SVG must draw the same code as the PNG, decodable by a scanner");
    }
}
