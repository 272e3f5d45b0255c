//! Uploads are untrusted: whatever the bytes, `process_photo` and `detect_cv` must answer with a value or an
//! error, never a panic (which would take down the desktop app mid-registration). Valid files of every accepted
//! kind are truncated, corrupted and given random bodies behind real signatures; each result is fed to both
//! functions. A small deterministic generator keeps the run repeatable and short.

use std::io::{Cursor, Write};

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use talento_documents::{Crop, detect_cv, process_photo};

/// xorshift64: deterministic, so a failure reproduces on every machine.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, format).expect("encode fixture");
    bytes.into_inner()
}

fn photo_fixtures() -> Vec<Vec<u8>> {
    let rgb = DynamicImage::ImageRgb8(RgbImage::from_fn(24, 16, |x, y| Rgb([(x * 10) as u8, (y * 15) as u8, 90])));
    let rgba = DynamicImage::ImageRgba8(RgbaImage::from_fn(16, 24, |x, y| {
        Rgba([200, (x * 15) as u8, (y * 10) as u8, (x * y) as u8])
    }));
    vec![
        encode(&rgb, ImageFormat::Jpeg),
        encode(&rgb, ImageFormat::Png),
        encode(&rgba, ImageFormat::Png),
        encode(&rgba, ImageFormat::Gif),
        encode(&rgb, ImageFormat::WebP),
    ]
}

fn cv_fixtures() -> Vec<Vec<u8>> {
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();

    let mut docx = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for name in ["[Content_Types].xml", "_rels/.rels", "word/document.xml"] {
        docx.start_file(name, options).expect("start entry");
        docx.write_all(b"<xml/>").expect("write entry");
    }
    let docx = docx.finish().expect("finish zip").into_inner();

    let mut doc = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create OLE file");
    doc.create_stream("/WordDocument")
        .expect("create stream")
        .write_all(&[0xEC, 0xA5, 0xC1, 0x00])
        .expect("write stream");
    doc.flush().expect("flush OLE file");
    let doc = doc.into_inner().into_inner();

    vec![pdf, docx, doc]
}

/// Both functions on the same bytes, the photo with and without a crop in turn. Returns whether the photo was
/// accepted: those runs do the full resize and encode, and are what the time goes on.
fn feed(bytes: &[u8], with_crop: bool) -> bool {
    let crop = with_crop.then_some(Crop { x: 3, y: 2, size: 7 });
    let accepted = process_photo(bytes, crop).is_ok();
    let _ = detect_cv(bytes);
    accepted
}

#[test]
fn no_input_makes_photo_processing_or_cv_detection_panic() {
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    let fixtures: Vec<Vec<u8>> = photo_fixtures().into_iter().chain(cv_fixtures()).collect();
    let mut inputs: Vec<Vec<u8>> = Vec::new();

    for fixture in &fixtures {
        inputs.push(fixture.clone());
        // Truncated uploads (a dropped connection, a full disk): every length through the headers, then sampled.
        let step = (fixture.len() / 24).max(1);
        for len in (0..fixture.len().min(48)).chain((48..fixture.len()).step_by(step)) {
            inputs.push(fixture[..len].to_vec());
        }
        // Corrupted uploads: a few bytes overwritten, mostly in the headers where parsers branch.
        for _ in 0..24 {
            let mut corrupted = fixture.clone();
            for _ in 0..1 + noise.below(4) {
                let span = if noise.below(3) == 0 { corrupted.len() } else { corrupted.len().min(160) };
                let at = noise.below(span);
                corrupted[at] = noise.next() as u8;
            }
            inputs.push(corrupted);
        }
        // A real signature followed by noise.
        for _ in 0..8 {
            let keep = 4 + noise.below(fixture.len().min(48) - 4);
            let tail_len = noise.below(2_000);
            inputs.push([&fixture[..keep], &noise.bytes(tail_len)].concat());
        }
    }
    // Pure noise of many sizes.
    for len in 0..64 {
        inputs.push(noise.bytes(len * 11));
    }

    let accepted = inputs.iter().enumerate().filter(|(i, bytes)| feed(bytes, i % 2 == 1)).count();
    assert!(inputs.len() > 700, "the sweep should cover a meaningful number of inputs, got {}", inputs.len());
    assert!(
        accepted >= photo_fixtures().len(),
        "the untouched photos at least are accepted, so the sweep reaches the decoders ({accepted} accepted)"
    );
}
