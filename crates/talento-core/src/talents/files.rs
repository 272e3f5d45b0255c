//! Photos, CVs and QR codes of profiles. Files arrive as base64 from the UI (never as paths), are recognised by
//! content and size-limited by talento-documents, and are stored encrypted by content hash before the profile that
//! uses them is saved ("staged"); the profile then refers to them by hash.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use talento_documents::{CvError, PhotoError, cv, photo};
use talento_domain::{Action, FieldError, FieldProblem};

use crate::attachments::{AttachmentKind, Attachments};
use crate::engine::{Talento, now_iso};
use crate::error::{CoreError, CoreResult};

/// Which picture is being added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PhotoUse {
    /// The profile photo or a gallery picture.
    Profile,
    /// A scan or photo of the ID document (personal data).
    IdDocument,
}

/// A square crop, in pixels of the photo as displayed (after EXIF orientation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
pub struct CropInput {
    pub x: u32,
    pub y: u32,
    pub size: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StagedFile {
    /// What the profile refers to.
    pub hash: String,
    /// For photos: the 128 px thumbnail's hash.
    pub thumb: Option<String>,
    pub mime: String,
}

/// A file handed back to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FileData {
    pub mime: String,
    pub extension: String,
    pub data_base64: String,
}

fn field(field: &'static str, problem: FieldProblem) -> CoreError {
    CoreError::Validation(vec![FieldError::new(field, problem)])
}

fn decode(data_base64: &str, field_name: &'static str) -> CoreResult<Vec<u8>> {
    // Base64 is 4/3 of the bytes: refuse before decoding anything far over the 10 MB limit.
    if data_base64.len() > photo::MAX_PHOTO_BYTES / 3 * 4 + 1024 {
        return Err(field(field_name, FieldProblem::FileTooLarge { max_mb: 10 }));
    }
    let payload = data_base64.split_once(";base64,").map_or(data_base64, |(_, b)| b);
    B64.decode(payload.trim()).map_err(|_| field(field_name, FieldProblem::UnreadableFile))
}

/// Why an uploaded picture was refused, as the form shows it.
fn photo_problem(error: &PhotoError) -> FieldProblem {
    match error {
        PhotoError::TooLarge { .. } => FieldProblem::FileTooLarge { max_mb: 10 },
        PhotoError::TooManyPixels { .. } => FieldProblem::ImageTooLarge,
        PhotoError::InvalidCrop { .. } => FieldProblem::InvalidCrop,
        PhotoError::Empty | PhotoError::UnsupportedFormat => FieldProblem::UnsupportedFile,
        PhotoError::Unreadable(_) | PhotoError::Encoding(_) => FieldProblem::UnreadableFile,
    }
}

/// Decodes, fits and stores a logo (a production's or the agency's) in the caller's transaction; returns its hash.
pub(crate) fn put_logo(
    tx: &rusqlite::Transaction<'_>,
    attachments: &Attachments,
    key: &[u8; crate::crypto::KEY_LEN],
    data_base64: &str,
) -> CoreResult<String> {
    let bytes = decode(data_base64, "logo")?;
    let logo = photo::process_logo(&bytes).map_err(|e| field("logo", photo_problem(&e)))?;
    attachments.put(tx, key, AttachmentKind::Logo, "image/jpeg", &logo.bytes, &now_iso())
}

impl Talento {
    /// Processes and stores a photo (crop, orientation, metadata stripped, 512 px + 128 px, encrypted).
    pub fn stage_photo(
        &mut self,
        data_base64: &str,
        crop: Option<CropInput>,
        usage: PhotoUse,
    ) -> CoreResult<StagedFile> {
        let attachments = Attachments::new(&self.files.dir);
        let unlocked = self.require(Action::TalentsEdit)?;
        let field_name = match usage {
            PhotoUse::Profile => "photo",
            PhotoUse::IdDocument => "idPhoto",
        };
        let bytes = decode(data_base64, field_name)?;
        let crop = crop.map(|c| photo::Crop { x: c.x, y: c.y, size: c.size });
        let processed = photo::process_photo(&bytes, crop).map_err(|e| field(field_name, photo_problem(&e)))?;
        let kind = match usage {
            PhotoUse::Profile => AttachmentKind::Photo,
            PhotoUse::IdDocument => AttachmentKind::IdPhoto,
        };
        let now = now_iso();
        let key = unlocked.data_key.clone();
        let tx = unlocked.store.transaction()?;
        let thumb =
            attachments.put(&tx, &key, AttachmentKind::PhotoThumb, "image/jpeg", &processed.thumbnail.bytes, &now)?;
        let hash = attachments.put(&tx, &key, kind, "image/jpeg", &processed.portrait.bytes, &now)?;
        tx.execute("UPDATE attachments SET thumb = ?1 WHERE hash = ?2", [&thumb, &hash])?;
        tx.commit()?;
        Ok(StagedFile { hash, thumb: Some(thumb), mime: "image/jpeg".into() })
    }

    /// Checks and stores a production's logo: the whole picture fitted into a white 512 px square, encrypted.
    pub fn stage_logo(&mut self, data_base64: &str) -> CoreResult<StagedFile> {
        let attachments = Attachments::new(&self.files.dir);
        let unlocked = self.require(Action::CinemaManage)?;
        let key = unlocked.data_key.clone();
        let tx = unlocked.store.transaction()?;
        let hash = put_logo(&tx, &attachments, &key, data_base64)?;
        tx.commit()?;
        Ok(StagedFile { hash, thumb: None, mime: "image/jpeg".into() })
    }

    /// Checks and stores a CV (PDF, DOCX or DOC, by content; at most 10 MB; encrypted).
    pub fn stage_cv(&mut self, data_base64: &str) -> CoreResult<StagedFile> {
        let attachments = Attachments::new(&self.files.dir);
        let unlocked = self.require(Action::TalentsEdit)?;
        let bytes = decode(data_base64, "cv")?;
        let kind = cv::detect_cv(&bytes).map_err(|e| {
            field(
                "cv",
                match e {
                    CvError::TooLarge { .. } => FieldProblem::FileTooLarge { max_mb: 10 },
                    _ => FieldProblem::UnsupportedFile,
                },
            )
        })?;
        let now = now_iso();
        let key = unlocked.data_key.clone();
        let tx = unlocked.store.transaction()?;
        let hash = attachments.put(&tx, &key, AttachmentKind::Cv, kind.mime(), &bytes, &now)?;
        tx.commit()?;
        Ok(StagedFile { hash, thumb: None, mime: kind.mime().into() })
    }

    /// A stored photo (or its thumbnail), decrypted. ID scans only for roles that may see personal data.
    pub fn read_photo(&mut self, hash: &str, thumbnail: bool) -> CoreResult<Vec<u8>> {
        let attachments = Attachments::new(&self.files.dir);
        // Presence officers compare the face at the gate with the photo, so they see photos without the registry.
        let unlocked = self.require_any(&[Action::TalentsView, Action::PresenceView])?;
        let (kind, _) = Attachments::meta(unlocked.store.conn(), hash)?.ok_or(CoreError::NotFound)?;
        match kind.as_str() {
            "photo" | "photo_thumb" | "logo" => {}
            "id_photo" if unlocked.user.role.allows(Action::PersonalDataView) => {}
            "id_photo" => return Err(CoreError::Forbidden(Action::PersonalDataView)),
            _ => return Err(CoreError::NotFound),
        }
        let wanted = if thumbnail {
            unlocked
                .store
                .conn()
                .query_row("SELECT thumb FROM attachments WHERE hash = ?1", [hash], |r| r.get::<_, Option<String>>(0))?
                .unwrap_or_else(|| hash.to_owned())
        } else {
            hash.to_owned()
        };
        attachments.get(&unlocked.data_key, &wanted)
    }

    /// A CV, decrypted, for download.
    pub fn read_cv(&mut self, hash: &str) -> CoreResult<FileData> {
        let attachments = Attachments::new(&self.files.dir);
        let unlocked = self.require(Action::TalentsView)?;
        let (kind, mime) = Attachments::meta(unlocked.store.conn(), hash)?.ok_or(CoreError::NotFound)?;
        if kind != "cv" {
            return Err(CoreError::NotFound);
        }
        let bytes = attachments.get(&unlocked.data_key, hash)?;
        let extension = match cv::detect_cv(&bytes) {
            Ok(k) => k.extension(),
            Err(_) => "bin",
        };
        Ok(FileData { mime, extension: extension.into(), data_base64: B64.encode(bytes) })
    }

    /// Writes a CV, decrypted, where the user chose in the system's save dialog; recorded in the activity log.
    pub fn export_cv(&mut self, hash: &str, destination: &std::path::Path) -> CoreResult<()> {
        let file = self.read_cv(hash)?;
        let bytes = B64.decode(file.data_base64).map_err(|e| CoreError::Internal(format!("cv: {e}")))?;
        std::fs::write(destination, bytes)?;
        let unlocked = self.require(Action::TalentsView)?;
        let actor = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        let device = crate::changelog::device_id(&tx)?;
        crate::audit::activity(
            &tx,
            &crate::audit::Activity {
                at: &now_iso(),
                user: Some(actor),
                device,
                action: "cv_exported",
                entity: "attachment",
                entity_id: Some(hash),
                details: None,
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A profile's QR code (its talent code), as SVG text or PNG bytes.
    pub fn talent_qr_svg(&mut self, id_or_code: &str) -> CoreResult<String> {
        let code = self.get_talent(id_or_code)?.code;
        talento_documents::qr_svg(&code).map_err(|e| CoreError::Internal(format!("qr: {e}")))
    }

    pub fn talent_qr_png(&mut self, id_or_code: &str, module_px: u32) -> CoreResult<Vec<u8>> {
        let code = self.get_talent(id_or_code)?.code;
        talento_documents::qr_png(&code, module_px.clamp(2, 32)).map_err(|e| CoreError::Internal(format!("qr: {e}")))
    }
}
