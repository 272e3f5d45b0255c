//! Recognises an uploaded CV as PDF, Word 2007+ (DOCX) or Word 97–2003 (DOC) from its bytes alone, so a renamed
//! executable or spreadsheet is refused whatever it is called, and the store can file the CV with the right type.
//! Only the structure is read (a ZIP's central directory, an OLE file's directory): nothing is decompressed, so a
//! ZIP bomb costs nothing, and no document content is parsed.

use std::io::Cursor;

/// Largest CV accepted (10 MiB): a CV with a few photos is well under 5 MB.
pub const MAX_CV_BYTES: usize = 10 * 1024 * 1024;

const PDF_MAGIC: &[u8] = b"%PDF-";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CvKind {
    Pdf,
    /// Word 2007 and later (Office Open XML).
    Docx,
    /// Word 97–2003 (an OLE compound file with a `WordDocument` stream).
    Doc,
}

impl CvKind {
    /// The media type to serve or attach the CV with.
    pub fn mime(self) -> &'static str {
        match self {
            CvKind::Pdf => "application/pdf",
            CvKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            CvKind::Doc => "application/msword",
        }
    }

    /// The file extension (without the dot) to use when the CV is saved or sent.
    pub fn extension(self) -> &'static str {
        match self {
            CvKind::Pdf => "pdf",
            CvKind::Docx => "docx",
            CvKind::Doc => "doc",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CvError {
    #[error("the file is empty")]
    Empty,
    #[error("the CV is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: usize },
    /// Neither PDF, DOCX nor DOC: another ZIP (a spreadsheet, a presentation), an image, an executable…
    #[error("the file is not a PDF or Word document")]
    UnsupportedFormat,
    /// The file starts like a ZIP or an OLE file but its structure is truncated or damaged.
    #[error("the document is damaged or truncated")]
    Damaged,
    /// A Word document that carries VBA macros (.docm, or a .doc with a `Macros` storage): code nobody should
    /// open on a casting laptop. Saving it again as a plain .docx or PDF removes them.
    #[error("the Word document contains macros")]
    MacroEnabled,
    /// An Office document encrypted with a password: its content, and so its kind, cannot be read.
    #[error("the document is protected by a password")]
    PasswordProtected,
}

/// Recognises the kind of CV from its content.
pub fn detect_cv(bytes: &[u8]) -> Result<CvKind, CvError> {
    if bytes.is_empty() {
        return Err(CvError::Empty);
    }
    if bytes.len() > MAX_CV_BYTES {
        return Err(CvError::TooLarge { max_bytes: MAX_CV_BYTES });
    }
    if bytes.starts_with(PDF_MAGIC) {
        Ok(CvKind::Pdf)
    } else if bytes.starts_with(ZIP_MAGIC) {
        detect_docx(bytes)
    } else if bytes.starts_with(OLE_MAGIC) {
        detect_doc(bytes)
    } else {
        Err(CvError::UnsupportedFormat)
    }
}

/// A DOCX is a ZIP holding `[Content_Types].xml` and the main part `word/document.xml` (names from ECMA-376;
/// an XLSX or PPTX has the first but not the second).
fn detect_docx(bytes: &[u8]) -> Result<CvKind, CvError> {
    // Opening an archive reads only its central directory; no entry is decompressed.
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| CvError::Damaged)?;
    let has = |name: &str| archive.index_for_name_raw(name.as_bytes()).is_some();
    if !(has("[Content_Types].xml") && has("word/document.xml")) {
        return Err(CvError::UnsupportedFormat);
    }
    if has("word/vbaProject.bin") {
        return Err(CvError::MacroEnabled);
    }
    Ok(CvKind::Docx)
}

/// A DOC is an OLE compound file whose root holds a `WordDocument` stream (MS-DOC 2.1); Excel's has `Workbook`,
/// PowerPoint's `PowerPoint Document`. A password-protected DOCX is an OLE file too, holding `EncryptedPackage`.
fn detect_doc(bytes: &[u8]) -> Result<CvKind, CvError> {
    let file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| CvError::Damaged)?;
    if file.is_stream("/EncryptedPackage") {
        return Err(CvError::PasswordProtected);
    }
    if !file.is_stream("/WordDocument") {
        return Err(CvError::UnsupportedFormat);
    }
    if file.is_storage("/Macros") {
        return Err(CvError::MacroEnabled);
    }
    Ok(CvKind::Doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use std::io::Write;

    const MINIMAL_PDF: &str = "%PDF-1.4\n\
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n\
        trailer << /Root 1 0 R >>\n%%EOF\n";

    /// A ZIP holding the named entries (stored, not compressed: the detector never reads entry data).
    fn zip_with(entries: &[&str]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for name in entries {
            writer.start_file(*name, options).expect("start entry");
            writer.write_all(b"<xml/>").expect("write entry");
        }
        writer.finish().expect("finish zip").into_inner()
    }

    const DOCX_ENTRIES: &[&str] =
        &["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "docProps/core.xml"];

    /// An OLE compound file with the given streams at its root, and optionally storages.
    fn ole_with(streams: &[&str], storages: &[&str]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create OLE file");
        for name in streams {
            file.create_stream(format!("/{name}"))
                .expect("create stream")
                .write_all(b"\xEC\xA5 fib")
                .expect("write stream");
        }
        for name in storages {
            file.create_storage(format!("/{name}")).expect("create storage");
        }
        file.flush().expect("flush OLE file");
        file.into_inner().into_inner()
    }

    #[test]
    fn pdf_is_recognised_by_its_header() {
        assert_eq!(detect_cv(MINIMAL_PDF.as_bytes()), Ok(CvKind::Pdf));
    }

    #[test]
    fn docx_is_recognised_from_its_central_directory() {
        assert_eq!(detect_cv(&zip_with(DOCX_ENTRIES)), Ok(CvKind::Docx));
    }

    #[test]
    fn docx_with_deflated_entries_is_recognised_without_a_decompressor() {
        // Real DOCX entries are deflated. The crate is built without zip's decompressors, so flip each entry's
        // method to 8 (deflate) in the local and central headers: detection must still work, never decompressing.
        let mut bytes = zip_with(DOCX_ENTRIES);
        let mut patched = 0;
        for signature in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
            let method_offset = if signature == b"PK\x03\x04" { 8 } else { 10 };
            let starts: Vec<usize> =
                bytes.windows(4).enumerate().filter(|(_, w)| *w == signature).map(|(i, _)| i).collect();
            for start in starts {
                bytes[start + method_offset] = 8;
                patched += 1;
            }
        }
        assert_eq!(patched, 2 * DOCX_ENTRIES.len(), "each entry has a local and a central header");
        assert_eq!(detect_cv(&bytes), Ok(CvKind::Docx));
    }

    #[test]
    fn doc_is_recognised_by_its_word_document_stream() {
        let doc = ole_with(&["WordDocument", "1Table", "\u{5}SummaryInformation"], &[]);
        assert!(doc.starts_with(OLE_MAGIC), "cfb writes the OLE signature");
        assert_eq!(detect_cv(&doc), Ok(CvKind::Doc));
    }

    #[rstest]
    #[case::plain_zip(zip_with(&["photo.jpg", "notes.txt"]))]
    #[case::xlsx(zip_with(&["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]))]
    #[case::pptx(zip_with(&["[Content_Types].xml", "ppt/presentation.xml"]))]
    #[case::word_part_without_content_types(zip_with(&["word/document.xml"]))]
    #[case::xls(ole_with(&["Workbook"], &[]))]
    #[case::png(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())]
    #[case::text(b"Curriculum vitae\nAminata Diallo".to_vec())]
    #[case::pdf_header_not_at_start(b"  %PDF-1.4".to_vec())]
    fn other_files_are_unsupported(#[case] bytes: Vec<u8>) {
        assert_eq!(
            detect_cv(&bytes),
            Err(CvError::UnsupportedFormat),
            "only PDF, DOCX and DOC are CVs, whatever other container they share"
        );
    }

    #[test]
    fn macro_enabled_word_documents_are_refused() {
        let mut entries = DOCX_ENTRIES.to_vec();
        entries.push("word/vbaProject.bin");
        assert_eq!(detect_cv(&zip_with(&entries)), Err(CvError::MacroEnabled));
        assert_eq!(detect_cv(&ole_with(&["WordDocument"], &["Macros"])), Err(CvError::MacroEnabled));
    }

    #[test]
    fn password_protected_office_files_say_so() {
        let encrypted = ole_with(&["EncryptionInfo", "EncryptedPackage"], &[]);
        assert_eq!(detect_cv(&encrypted), Err(CvError::PasswordProtected));
    }

    #[rstest]
    #[case::zip_cut_short(zip_with(DOCX_ENTRIES)[..40].to_vec())]
    #[case::ole_signature_only(OLE_MAGIC.to_vec())]
    #[case::ole_header_then_garbage([OLE_MAGIC, &[0x42; 600]].concat())]
    fn truncated_containers_are_damaged(#[case] bytes: Vec<u8>) {
        assert_eq!(detect_cv(&bytes), Err(CvError::Damaged));
    }

    #[test]
    fn empty_and_oversized_files_are_refused_before_reading() {
        assert_eq!(detect_cv(b""), Err(CvError::Empty));
        let mut huge = MINIMAL_PDF.as_bytes().to_vec();
        huge.resize(MAX_CV_BYTES + 1, b' ');
        assert_eq!(
            detect_cv(&huge),
            Err(CvError::TooLarge { max_bytes: MAX_CV_BYTES }),
            "a valid PDF header does not excuse the size limit"
        );
    }

    #[rstest]
    #[case(CvKind::Pdf, "application/pdf", "pdf")]
    #[case(CvKind::Docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")]
    #[case(CvKind::Doc, "application/msword", "doc")]
    fn each_kind_has_its_registered_media_type(#[case] kind: CvKind, #[case] mime: &str, #[case] extension: &str) {
        assert_eq!(kind.mime(), mime);
        assert_eq!(kind.extension(), extension);
    }
}
