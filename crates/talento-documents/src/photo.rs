//! Talent photos: turns whatever a phone, camera or scanner produced into the two square JPEGs Talento stores — a
//! 512 px portrait for profiles and badges and a 128 px thumbnail for lists — with the metadata (EXIF GPS position,
//! camera serial, …) dropped by re-encoding. Uploads are untrusted: the format is recognised from the bytes, never a
//! file name, and size limits are checked from the header before any pixel is decoded, so a crafted "decompression
//! bomb" is refused in microseconds instead of taking the laptop's memory.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::error::{DecodingError, ImageFormatHint};
use image::imageops::{self, FilterType};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};

/// Largest upload accepted (10 MiB): a full-resolution phone JPEG is 3–6 MB.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
/// Largest decoded size (40 megapixels): above any phone camera, and at most 160 MB of pixels once decoded.
pub const MAX_PHOTO_PIXELS: u64 = 40_000_000;
/// Longest side accepted, whatever the pixel count, so a 1 × 40,000,000 strip is refused too.
pub const MAX_PHOTO_SIDE: u32 = 12_000;
/// Side of the portrait shown on profiles and printed on badges.
pub const PORTRAIT_SIDE: u32 = 512;
/// Side of the thumbnail shown in lists and search results.
pub const THUMBNAIL_SIDE: u32 = 128;
/// JPEG quality of both outputs: no visible artefacts on faces, about 40 KB for a portrait.
pub const JPEG_QUALITY: u8 = 85;

/// Decoder allocations allowed (the pixels of the largest accepted photo at 16 bits per RGBA channel, plus room).
const MAX_DECODE_ALLOC: u64 = 384 * 1024 * 1024;

/// A square to keep, in pixels of the photo as displayed (after its EXIF orientation is applied), which is what
/// the UI shows while the user drags and zooms the 1:1 frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crop {
    pub x: u32,
    pub y: u32,
    pub size: u32,
}

/// The formats accepted, recognised from the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoFormat {
    Jpeg,
    Png,
    WebP,
    /// Only the first frame of an animation is kept.
    Gif,
}

/// One re-encoded JPEG and its SHA-256, under which the store files it.
#[derive(Clone, PartialEq, Eq)]
pub struct EncodedJpeg {
    pub bytes: Vec<u8>,
    /// Width and height in pixels (the image is square).
    pub side: u32,
    /// SHA-256 of `bytes`, lowercase hex.
    pub sha256: String,
}

impl std::fmt::Debug for EncodedJpeg {
    // The bytes themselves would drown any log or assertion message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncodedJpeg")
            .field("len", &self.bytes.len())
            .field("side", &self.side)
            .field("sha256", &self.sha256)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedPhoto {
    pub format: PhotoFormat,
    /// Width of the source as displayed, after its EXIF orientation: the space [`Crop`] is expressed in.
    pub source_width: u32,
    /// Height of the source as displayed, after its EXIF orientation.
    pub source_height: u32,
    /// The square that was kept: the caller's, or the centred one chosen when none was given.
    pub crop: Crop,
    /// [`PORTRAIT_SIDE`] px square.
    pub portrait: EncodedJpeg,
    /// [`THUMBNAIL_SIDE`] px square.
    pub thumbnail: EncodedJpeg,
}

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is empty")]
    Empty,
    #[error("the photo is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: usize },
    /// Not JPEG, PNG, WebP or GIF, whatever the file was called.
    #[error("the file is not a JPEG, PNG, WebP or GIF image")]
    UnsupportedFormat,
    #[error("the photo is {width} × {height} pixels; at most {max_pixels} pixels and {max_side} per side are accepted")]
    TooManyPixels { width: u32, height: u32, max_pixels: u64, max_side: u32 },
    #[error("the {}-pixel square at ({}, {}) does not fit in the {width} × {height} photo", crop.size, crop.x, crop.y)]
    InvalidCrop { crop: Crop, width: u32, height: u32 },
    /// The header announced a supported format but the data is truncated or damaged.
    #[error("the image is damaged or truncated")]
    Unreadable(#[source] ImageError),
    /// Encoding a JPEG in memory failed; not expected for any input, reported rather than panicking.
    #[error("the photo could not be re-encoded")]
    Encoding(#[source] ImageError),
}

/// Validates, orients, crops and re-encodes an uploaded photo. `crop` is a square in the oriented photo; `None`
/// keeps the largest centred square.
pub fn process_photo(bytes: &[u8], crop: Option<Crop>) -> Result<ProcessedPhoto, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge { max_bytes: MAX_PHOTO_BYTES });
    }
    let (format, image_format) = sniff(bytes)?;

    // Dimensions come from the header alone; the pixel limits are checked on them before anything is decoded.
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.limits(decode_limits(None));
    let mut decoder = reader.into_decoder().map_err(PhotoError::Unreadable)?;
    let (raw_width, raw_height) = decoder.dimensions();
    check_pixel_count(raw_width, raw_height)?;
    decoder.set_limits(decode_limits(Some(MAX_PHOTO_SIDE))).map_err(PhotoError::Unreadable)?;

    // A damaged EXIF block should not cost the user their photo: it is then shown as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = oriented_size(orientation, raw_width, raw_height);
    let crop = match crop {
        Some(crop) => check_crop(crop, width, height)?,
        None => centred_square(width, height),
    };

    let raw = DynamicImage::from_decoder(decoder).map_err(PhotoError::Unreadable)?;
    // Crop in the stored image and orient only the square: rotating a whole 12-megapixel photo costs more than the
    // rest of the work together.
    let (raw_x, raw_y) = crop_origin_in_raw(crop, orientation, raw_width, raw_height);
    let mut square = raw.crop_imm(raw_x, raw_y, crop.size, crop.size);
    drop(raw);
    square.apply_orientation(orientation);
    let square = flatten_onto_white(square);

    let portrait_pixels = downscale(&square, PORTRAIT_SIDE);
    let thumbnail_pixels = downscale(&portrait_pixels, THUMBNAIL_SIDE);
    Ok(ProcessedPhoto {
        format,
        source_width: width,
        source_height: height,
        crop,
        portrait: encode_jpeg(&portrait_pixels)?,
        thumbnail: encode_jpeg(&thumbnail_pixels)?,
    })
}

/// Side of the square a production's or the agency's logo is fitted into.
pub const LOGO_SIDE: u32 = 512;

/// Validates and re-encodes a logo: the whole image, fitted (never cropped) into a [`LOGO_SIDE`] px white square,
/// so a wide wordmark keeps its letters. Same format sniffing and size limits as [`process_photo`].
pub fn process_logo(bytes: &[u8]) -> Result<EncodedJpeg, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge { max_bytes: MAX_PHOTO_BYTES });
    }
    let (_, image_format) = sniff(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.limits(decode_limits(None));
    let mut decoder = reader.into_decoder().map_err(PhotoError::Unreadable)?;
    let (width, height) = decoder.dimensions();
    check_pixel_count(width, height)?;
    decoder.set_limits(decode_limits(Some(MAX_PHOTO_SIDE))).map_err(PhotoError::Unreadable)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(PhotoError::Unreadable)?;
    image.apply_orientation(orientation);
    let rgb = flatten_onto_white(image);
    // Fitted both ways: a small logo is enlarged to the square as well, so every logo prints at the same size.
    let scale = f64::from(LOGO_SIDE) / f64::from(rgb.width().max(rgb.height()).max(1));
    let w = ((f64::from(rgb.width()) * scale).round() as u32).clamp(1, LOGO_SIDE);
    let h = ((f64::from(rgb.height()) * scale).round() as u32).clamp(1, LOGO_SIDE);
    let fitted =
        if (w, h) == (rgb.width(), rgb.height()) { rgb } else { imageops::resize(&rgb, w, h, FilterType::Lanczos3) };
    let mut canvas = RgbImage::from_pixel(LOGO_SIDE, LOGO_SIDE, image::Rgb([255, 255, 255]));
    imageops::overlay(&mut canvas, &fitted, i64::from((LOGO_SIDE - w) / 2), i64::from((LOGO_SIDE - h) / 2));
    encode_jpeg(&canvas)
}

fn sniff(bytes: &[u8]) -> Result<(PhotoFormat, ImageFormat), PhotoError> {
    let format = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => PhotoFormat::Jpeg,
        Ok(ImageFormat::Png) => PhotoFormat::Png,
        Ok(ImageFormat::WebP) => PhotoFormat::WebP,
        Ok(ImageFormat::Gif) => PhotoFormat::Gif,
        _ => return Err(PhotoError::UnsupportedFormat),
    };
    let image_format = match format {
        PhotoFormat::Jpeg => ImageFormat::Jpeg,
        PhotoFormat::Png => ImageFormat::Png,
        PhotoFormat::WebP => ImageFormat::WebP,
        PhotoFormat::Gif => ImageFormat::Gif,
    };
    Ok((format, image_format))
}

fn decode_limits(max_side: Option<u32>) -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = max_side;
    limits.max_image_height = max_side;
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    limits
}

fn check_pixel_count(width: u32, height: u32) -> Result<(), PhotoError> {
    let pixels = u64::from(width) * u64::from(height);
    if width > MAX_PHOTO_SIDE || height > MAX_PHOTO_SIDE || pixels > MAX_PHOTO_PIXELS {
        return Err(PhotoError::TooManyPixels {
            width,
            height,
            max_pixels: MAX_PHOTO_PIXELS,
            max_side: MAX_PHOTO_SIDE,
        });
    }
    if pixels == 0 {
        // Decoders refuse empty images, but one would leave nothing to crop: call it damaged rather than panic.
        return Err(PhotoError::Unreadable(ImageError::Decoding(DecodingError::new(
            ImageFormatHint::Unknown,
            "the image has no pixels",
        ))));
    }
    Ok(())
}

/// Quarter-turn orientations swap width and height.
fn oriented_size(orientation: Orientation, width: u32, height: u32) -> (u32, u32) {
    match orientation {
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH => {
            (height, width)
        }
        Orientation::NoTransforms
        | Orientation::Rotate180
        | Orientation::FlipHorizontal
        | Orientation::FlipVertical => (width, height),
    }
}

fn check_crop(crop: Crop, width: u32, height: u32) -> Result<Crop, PhotoError> {
    let fits = |start: u32, limit: u32| start.checked_add(crop.size).is_some_and(|end| end <= limit);
    if crop.size == 0 || !fits(crop.x, width) || !fits(crop.y, height) {
        return Err(PhotoError::InvalidCrop { crop, width, height });
    }
    Ok(crop)
}

fn centred_square(width: u32, height: u32) -> Crop {
    let size = width.min(height);
    Crop { x: (width - size) / 2, y: (height - size) / 2, size }
}

/// Where the pixel shown at (x, y) is stored, for a stored image of `width` × `height`.
fn raw_position(orientation: Orientation, x: u32, y: u32, width: u32, height: u32) -> (u32, u32) {
    match orientation {
        Orientation::NoTransforms => (x, y),
        Orientation::Rotate90 => (y, height - 1 - x),
        Orientation::Rotate180 => (width - 1 - x, height - 1 - y),
        Orientation::Rotate270 => (width - 1 - y, x),
        Orientation::FlipHorizontal => (width - 1 - x, y),
        Orientation::FlipVertical => (x, height - 1 - y),
        Orientation::Rotate90FlipH => (y, x),
        Orientation::Rotate270FlipH => (width - 1 - y, height - 1 - x),
    }
}

/// The top-left corner, in the stored image, of the square that shows as `crop` once oriented. Every orientation
/// maps a square onto a square, so it is the smaller coordinates of its two opposite corners.
fn crop_origin_in_raw(crop: Crop, orientation: Orientation, width: u32, height: u32) -> (u32, u32) {
    let last = crop.size - 1;
    let (ax, ay) = raw_position(orientation, crop.x, crop.y, width, height);
    let (bx, by) = raw_position(orientation, crop.x + last, crop.y + last, width, height);
    (ax.min(bx), ay.min(by))
}

/// JPEG has no transparency: transparent parts of a PNG, WebP or GIF become white, as they looked in the browser,
/// not the black their hidden colour channels often hold.
fn flatten_onto_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (out, pixel) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = pixel.0;
        let alpha = u16::from(a);
        out.0 = [r, g, b].map(|channel| ((u16::from(channel) * alpha + 255 * (255 - alpha) + 127) / 255) as u8);
    }
    rgb
}

/// Resizes a square image to `side`. Large reductions first halve the image by averaging 2 × 2 blocks while it
/// stays at least twice the target, then finish with Lanczos3: the same sharpness as Lanczos3 all the way for a
/// fraction of the time (its kernel widens with the reduction ratio).
fn downscale(image: &RgbImage, side: u32) -> RgbImage {
    let mut current: Option<RgbImage> = None;
    while current.as_ref().unwrap_or(image).width() >= 4 * side {
        current = Some(halve(current.as_ref().unwrap_or(image)));
    }
    let source = current.as_ref().unwrap_or(image);
    if source.width() == side && source.height() == side {
        return source.clone();
    }
    imageops::resize(source, side, side, FilterType::Lanczos3)
}

/// Averages each 2 × 2 block into one pixel (a trailing odd row or column is dropped).
fn halve(image: &RgbImage) -> RgbImage {
    let mut half = RgbImage::new(image.width() / 2, image.height() / 2);
    let stride = image.width() as usize * 3;
    let source = image.as_raw();
    for (y, row) in half.rows_mut().enumerate() {
        let top = &source[2 * y * stride..][..stride];
        let bottom = &source[(2 * y + 1) * stride..][..stride];
        for (x, out) in row.enumerate() {
            let left = 6 * x;
            out.0 = [0, 1, 2].map(|c| {
                let sum = u16::from(top[left + c])
                    + u16::from(top[left + 3 + c])
                    + u16::from(bottom[left + c])
                    + u16::from(bottom[left + 3 + c]);
                ((sum + 2) / 4) as u8
            });
        }
    }
    half
}

/// Encodes a baseline JPEG. The encoder writes only a JFIF header: nothing of the source's metadata survives.
fn encode_jpeg(image: &RgbImage) -> Result<EncodedJpeg, PhotoError> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY).encode_image(image).map_err(PhotoError::Encoding)?;
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    Ok(EncodedJpeg { bytes, side: image.width(), sha256 })
}

/// Encodes raw RGB pixels (`width × height × 3` bytes) as a JPEG at [`JPEG_QUALITY`]: for synthetic photos in
/// benchmarks and tests.
pub fn encode_rgb_jpeg(width: u32, height: u32, rgb: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let image = RgbImage::from_raw(width, height, rgb.to_vec()).ok_or(PhotoError::Empty)?;
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(&image).map_err(PhotoError::Encoding)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, Rgba, RgbaImage};
    use rstest::rstest;

    const RED: Rgb<u8> = Rgb([230, 20, 20]);
    const BLUE: Rgb<u8> = Rgb([20, 20, 230]);

    fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Cursor::new(Vec::new());
        image.write_to(&mut bytes, format).expect("encode fixture");
        bytes.into_inner()
    }

    /// A smooth photo-like gradient, different in each channel so orientation mistakes show.
    fn gradient(width: u32, height: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
            Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, ((x + y) * 127 / (width + height)) as u8])
        }))
    }

    /// Left half red, right half blue.
    fn red_left_blue_right(width: u32, height: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, _| if x < width / 2 { RED } else { BLUE }))
    }

    /// An EXIF APP1 segment holding only an Orientation tag, written as a camera would: "Exif\0\0", then a
    /// big-endian TIFF header and one IFD with one SHORT entry.
    fn exif_segment(orientation: u16) -> Vec<u8> {
        let mut tiff = b"MM\x00\x2A\x00\x00\x00\x08".to_vec(); // byte order, magic 42, first IFD at offset 8
        tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
        tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // tag: Orientation
        tiff.extend_from_slice(&3u16.to_be_bytes()); // type: SHORT
        tiff.extend_from_slice(&1u32.to_be_bytes()); // count
        tiff.extend_from_slice(&orientation.to_be_bytes());
        tiff.extend_from_slice(&[0, 0]); // the value field is 4 bytes, left-aligned
        tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
        let payload = [&b"Exif\0\0"[..], &tiff].concat();
        let length = u16::try_from(payload.len() + 2).expect("a short segment");
        [&[0xFF, 0xE1][..], &length.to_be_bytes(), &payload].concat()
    }

    /// Encodes `image` as JPEG and inserts an EXIF orientation right after the start-of-image marker.
    fn jpeg_with_orientation(image: &DynamicImage, orientation: u16) -> Vec<u8> {
        let jpeg = encode(image, ImageFormat::Jpeg);
        assert_eq!(jpeg[..2], [0xFF, 0xD8], "a JPEG starts with SOI");
        [&jpeg[..2], &exif_segment(orientation), &jpeg[2..]].concat()
    }

    /// The markers of a JPEG's segments before its image data.
    fn header_markers(jpeg: &[u8]) -> Vec<u8> {
        let mut markers = Vec::new();
        let mut at = 2;
        while at + 4 <= jpeg.len() && jpeg[at] == 0xFF {
            let marker = jpeg[at + 1];
            markers.push(marker);
            if marker == 0xDA {
                break; // start of scan: entropy-coded data follows
            }
            at += 2 + usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        }
        markers
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let length = u32::try_from(data.len()).expect("a small chunk");
        let crc = crc32(&[&kind[..], data].concat());
        [&length.to_be_bytes()[..], kind, data, &crc.to_be_bytes()].concat()
    }

    /// A PNG whose header announces `width` × `height` RGB pixels, followed by a few bytes of image data that
    /// would never fill it: what a decompression bomb looks like to a decoder that trusts the header.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let ihdr = [&width.to_be_bytes()[..], &height.to_be_bytes(), &[8, 2, 0, 0, 0]].concat();
        [
            &b"\x89PNG\r\n\x1a\n"[..],
            &png_chunk(b"IHDR", &ihdr),
            &png_chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00]),
            &png_chunk(b"IEND", &[]),
        ]
        .concat()
    }

    fn decode_jpeg(jpeg: &EncodedJpeg) -> RgbImage {
        image::load_from_memory_with_format(&jpeg.bytes, ImageFormat::Jpeg)
            .expect("the output should be a JPEG")
            .into_rgb8()
    }

    fn is_red(pixel: &Rgb<u8>) -> bool {
        pixel.0[0] > 180 && pixel.0[2] < 80
    }

    fn is_blue(pixel: &Rgb<u8>) -> bool {
        pixel.0[2] > 180 && pixel.0[0] < 80
    }

    #[test]
    fn a_wide_logo_is_fitted_whole_not_cropped() {
        let logo = process_logo(&encode(&red_left_blue_right(400, 100), ImageFormat::Png)).expect("a PNG logo");
        let pixels = decode_jpeg(&logo);
        assert_eq!(pixels.dimensions(), (LOGO_SIDE, LOGO_SIDE));
        assert!(is_red(pixels.get_pixel(10, 256)), "the logo's left edge survives, {:?}", pixels.get_pixel(10, 256));
        assert!(is_blue(pixels.get_pixel(500, 256)), "and its right edge, {:?}", pixels.get_pixel(500, 256));
        assert!(pixels.get_pixel(256, 20).0.iter().all(|c| *c > 240), "the margin above is white padding");
        assert!(matches!(process_logo(b"not an image"), Err(PhotoError::UnsupportedFormat)));
    }

    #[test]
    fn a_landscape_jpeg_gives_a_centred_512_portrait_and_128_thumbnail() {
        let photo =
            process_photo(&encode(&gradient(640, 480), ImageFormat::Jpeg), None).expect("a plain JPEG is accepted");
        assert_eq!(photo.format, PhotoFormat::Jpeg);
        assert_eq!((photo.source_width, photo.source_height), (640, 480));
        assert_eq!(photo.crop, Crop { x: 80, y: 0, size: 480 }, "without a crop the largest centred square is kept");
        for (output, side) in [(&photo.portrait, 512), (&photo.thumbnail, 128)] {
            assert_eq!(output.side, side);
            assert_eq!(decode_jpeg(output).dimensions(), (side, side));
            assert_eq!(
                output.sha256,
                format!("{:x}", Sha256::digest(&output.bytes)),
                "the hash names the stored file, so it must be the hash of exactly these bytes"
            );
            assert_eq!(output.sha256.len(), 64, "SHA-256 is 64 hex digits");
        }
    }

    #[test]
    fn exif_orientation_6_turns_the_photo_a_quarter_clockwise() {
        // A phone held upright stores a landscape sensor image tagged "rotate 90° clockwise to display".
        let stored = red_left_blue_right(200, 100);
        let photo = process_photo(&jpeg_with_orientation(&stored, 6), None).expect("accepted");
        assert_eq!(
            (photo.source_width, photo.source_height),
            (100, 200),
            "the UI crops the upright photo, so it must be told the upright size"
        );
        let portrait = decode_jpeg(&photo.portrait);
        assert!(
            is_red(portrait.get_pixel(256, 64)),
            "turned clockwise, the stored left half (red) ends on top, got {:?}",
            portrait.get_pixel(256, 64)
        );
        assert!(
            is_blue(portrait.get_pixel(256, 448)),
            "and the stored right half (blue) at the bottom, got {:?}",
            portrait.get_pixel(256, 448)
        );
    }

    #[rstest]
    fn cropping_the_stored_image_then_orienting_equals_orienting_then_cropping(
        #[values(1, 2, 3, 4, 5, 6, 7, 8)] exif: u8,
    ) {
        let orientation = Orientation::from_exif(exif).expect("1 to 8 are valid EXIF orientations");
        // Noise-like pixels so any misplaced pixel shows; non-square so width/height mix-ups show.
        let (width, height) = (37, 23);
        let stored = DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
            Rgb([(x * 7 + y * 13) as u8, (x * y) as u8, (x ^ y) as u8])
        }));
        let mut upright = stored.clone();
        upright.apply_orientation(orientation);
        let (ow, oh) = oriented_size(orientation, width, height);
        assert_eq!((ow, oh), (upright.width(), upright.height()));

        for crop in [
            Crop { x: 0, y: 0, size: 5 },
            Crop { x: ow - 9, y: 2, size: 9 },
            Crop { x: 3, y: oh - 11, size: 11 },
            centred_square(ow, oh),
        ] {
            let expected = upright.crop_imm(crop.x, crop.y, crop.size, crop.size);
            let (rx, ry) = crop_origin_in_raw(crop, orientation, width, height);
            let mut actual = stored.crop_imm(rx, ry, crop.size, crop.size);
            actual.apply_orientation(orientation);
            assert_eq!(
                actual.to_rgb8(),
                expected.to_rgb8(),
                "orientation {exif}, {crop:?}: the square cut from the stored image must show what the user framed"
            );
        }
    }

    #[test]
    fn an_explicit_crop_keeps_the_framed_square() {
        // Four coloured quadrants; the user frames the top-right one.
        let quadrants = DynamicImage::ImageRgb8(RgbImage::from_fn(400, 300, |x, y| match (x < 200, y < 150) {
            (true, true) => Rgb([240, 240, 240]),
            (false, true) => BLUE,
            (true, false) => RED,
            (false, false) => Rgb([20, 200, 20]),
        }));
        let crop = Crop { x: 220, y: 10, size: 120 };
        let photo = process_photo(&encode(&quadrants, ImageFormat::Png), Some(crop)).expect("accepted");
        assert_eq!(photo.crop, crop);
        let portrait = decode_jpeg(&photo.portrait);
        for (x, y) in [(10, 10), (256, 256), (500, 500)] {
            assert!(
                is_blue(portrait.get_pixel(x, y)),
                "only the framed blue quadrant should be kept, got {:?} at ({x}, {y})",
                portrait.get_pixel(x, y)
            );
        }
    }

    #[test]
    fn outputs_carry_no_metadata_from_the_source() {
        let source = jpeg_with_orientation(&gradient(300, 300), 1);
        assert!(header_markers(&source).contains(&0xE1), "the fixture has an EXIF APP1 segment");
        let photo = process_photo(&source, None).expect("accepted");
        for output in [&photo.portrait, &photo.thumbnail] {
            let markers = header_markers(&output.bytes);
            assert!(
                !markers.contains(&0xE1),
                "no APP1 (EXIF, XMP) segment may survive: it can hold the GPS position of a talent's home; \
                 markers were {markers:x?}"
            );
            assert!(!output.bytes.windows(6).any(|w| w == b"Exif\0\0"), "no EXIF block anywhere in the output");
        }
    }

    #[test]
    fn the_format_comes_from_the_bytes_whatever_the_upload_was_called() {
        // The API takes no file name on purpose: a PNG uploaded as "photo.jpg" (or "cv.pdf") is read as a PNG.
        let png = encode(&gradient(64, 48), ImageFormat::Png);
        let photo = process_photo(&png, None).expect("a PNG is accepted");
        assert_eq!(photo.format, PhotoFormat::Png);
        assert_eq!((photo.source_width, photo.source_height), (64, 48));
    }

    #[test]
    fn a_gif_keeps_its_first_frame() {
        use image::codecs::gif::GifEncoder;
        use image::{Delay, Frame};
        let frame = |colour: Rgb<u8>| {
            let [r, g, b] = colour.0;
            Frame::from_parts(
                RgbaImage::from_pixel(40, 40, Rgba([r, g, b, 255])),
                0,
                0,
                Delay::from_numer_denom_ms(100, 1),
            )
        };
        let mut gif = Vec::new();
        GifEncoder::new(&mut gif).encode_frames([frame(RED), frame(BLUE)]).expect("encode GIF");
        let photo = process_photo(&gif, None).expect("an animated GIF is accepted");
        assert_eq!(photo.format, PhotoFormat::Gif);
        let portrait = decode_jpeg(&photo.portrait);
        assert!(
            is_red(portrait.get_pixel(256, 256)),
            "the first (red) frame is the photo, got {:?}",
            portrait.get_pixel(256, 256)
        );
    }

    #[test]
    fn a_webp_is_accepted() {
        let webp = encode(&gradient(90, 120), ImageFormat::WebP);
        let photo = process_photo(&webp, None).expect("a WebP is accepted");
        assert_eq!(photo.format, PhotoFormat::WebP);
        assert_eq!(photo.crop, Crop { x: 0, y: 15, size: 90 });
    }

    #[test]
    fn transparent_parts_become_white() {
        let clear = DynamicImage::ImageRgba8(RgbaImage::from_pixel(32, 32, Rgba([0, 0, 0, 0])));
        let photo = process_photo(&encode(&clear, ImageFormat::Png), None).expect("accepted");
        let pixel = *decode_jpeg(&photo.portrait).get_pixel(100, 100);
        assert!(
            pixel.0.iter().all(|&c| c > 245),
            "a transparent background should look white as in the browser, not black: {pixel:?}"
        );
    }

    #[rstest]
    #[case::text(b"Nom: Aminata Diallo\nTaille: 172 cm\n".to_vec())]
    #[case::pdf(b"%PDF-1.7\n1 0 obj".to_vec())]
    #[case::bmp([&b"BM"[..], &[0; 52]].concat())]
    #[case::tiff(b"II*\x00\x08\x00\x00\x00".to_vec())]
    fn other_content_is_unsupported(#[case] bytes: Vec<u8>) {
        assert!(
            matches!(process_photo(&bytes, None), Err(PhotoError::UnsupportedFormat)),
            "only JPEG, PNG, WebP and GIF are photos"
        );
    }

    #[test]
    fn empty_and_oversized_uploads_are_refused_before_decoding() {
        assert!(matches!(process_photo(b"", None), Err(PhotoError::Empty)));
        let mut big = encode(&gradient(16, 16), ImageFormat::Png);
        big.resize(11 * 1024 * 1024, 0);
        assert!(
            matches!(process_photo(&big, None), Err(PhotoError::TooLarge { max_bytes: MAX_PHOTO_BYTES })),
            "an 11 MB upload is over the 10 MiB limit even with a valid header"
        );
    }

    #[rstest]
    #[case::bomb(50_000, 50_000)]
    #[case::too_many_pixels_with_sides_in_range(7_000, 7_000)]
    #[case::too_wide_strip(12_001, 1)]
    fn oversized_dimensions_are_refused_from_the_header(#[case] width: u32, #[case] height: u32) {
        // 50,000² RGB would be 7.5 GB decoded: the refusal must come from the header, before any allocation.
        let started = std::time::Instant::now();
        let result = process_photo(&png_claiming(width, height), None);
        assert!(
            matches!(
                result,
                Err(PhotoError::TooManyPixels { width: w, height: h, .. }) if (w, h) == (width, height)
            ),
            "{width} × {height} must be refused as too many pixels, got {result:?}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "refusing from the header takes microseconds; decoding would take far longer"
        );
    }

    #[rstest]
    #[case::past_the_right_edge(Crop { x: 600, y: 0, size: 100 })]
    #[case::past_the_bottom(Crop { x: 0, y: 400, size: 100 })]
    #[case::larger_than_the_photo(Crop { x: 0, y: 0, size: 481 })]
    #[case::empty(Crop { x: 10, y: 10, size: 0 })]
    #[case::overflowing(Crop { x: u32::MAX, y: 0, size: 2 })]
    fn a_crop_outside_the_photo_is_refused(#[case] crop: Crop) {
        let jpeg = encode(&gradient(640, 480), ImageFormat::Jpeg);
        assert!(
            matches!(
                process_photo(&jpeg, Some(crop)),
                Err(PhotoError::InvalidCrop { crop: c, width: 640, height: 480 }) if c == crop
            ),
            "{crop:?} does not fit in 640 × 480"
        );
    }

    #[test]
    fn a_crop_is_checked_against_the_upright_size() {
        // Stored 200 × 100 with orientation 6: shown 100 × 200, so a 100-pixel square at y = 100 fits.
        let jpeg = jpeg_with_orientation(&red_left_blue_right(200, 100), 6);
        let photo = process_photo(&jpeg, Some(Crop { x: 0, y: 100, size: 100 })).expect("fits upright");
        assert!(
            is_blue(decode_jpeg(&photo.portrait).get_pixel(256, 256)),
            "the lower half of the upright photo is the stored right half"
        );
        assert!(matches!(
            process_photo(&jpeg, Some(Crop { x: 100, y: 0, size: 100 })),
            Err(PhotoError::InvalidCrop { width: 100, height: 200, .. })
        ));
    }

    #[test]
    fn a_truncated_photo_is_unreadable() {
        let jpeg = encode(&gradient(64, 64), ImageFormat::Jpeg);
        assert!(
            matches!(process_photo(&jpeg[..jpeg.len() / 2], None), Err(PhotoError::Unreadable(_))),
            "half a JPEG must be reported as damaged"
        );
    }

    #[test]
    fn large_reductions_stay_faithful() {
        // 1100 → 550 by 2 × 2 averaging, then Lanczos3 to 128: a flat colour must stay exactly that colour.
        let flat = RgbImage::from_pixel(1100, 1100, Rgb([12, 150, 240]));
        let small = downscale(&flat, THUMBNAIL_SIDE);
        assert_eq!(small.dimensions(), (THUMBNAIL_SIDE, THUMBNAIL_SIDE));
        assert!(small.pixels().all(|p| *p == Rgb([12, 150, 240])), "averaging must not shift colours");
    }

    /// A 1-megapixel phone-like JPEG (smooth gradients plus sensor-like noise), tagged orientation 6.
    fn one_megapixel_jpeg() -> Vec<u8> {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let image = RgbImage::from_fn(1155, 866, |x, y| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let noise = (seed % 24) as u32;
            Rgb([
                ((x * 200 / 1155) + noise) as u8,
                ((y * 200 / 866) + noise) as u8,
                (((x + y) * 100 / 2021) + noise) as u8,
            ])
        });
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&image).expect("encode fixture");
        [&jpeg[..2], &exif_segment(6), &jpeg[2..]].concat()
    }

    #[test]
    #[ignore = "timing: cargo test --release -p talento-documents -- --ignored --nocapture"]
    fn one_megapixel_jpeg_is_processed_within_150_ms() {
        let jpeg = one_megapixel_jpeg();
        let mut times = Vec::new();
        for _ in 0..9 {
            let started = std::time::Instant::now();
            process_photo(&jpeg, None).expect("accepted");
            times.push(started.elapsed());
        }
        times.sort();
        let median = times[times.len() / 2];
        eprintln!(
            "1 MP JPEG ({} KB): median {median:?}, min {:?}, max {:?}",
            jpeg.len() / 1024,
            times[0],
            times[times.len() - 1]
        );
        if !cfg!(debug_assertions) {
            assert!(
                median <= std::time::Duration::from_millis(150),
                "registration at a casting day must not wait on photos: {median:?}"
            );
        }
    }
}
