//! Document work that needs heavy codecs but no database, no network and no file-system path: badge PDFs
//! ([`badge`]), sign-in sheets ([`signin`]), badge QR codes ([`qr`]), talent photos ([`photo`]) and CV recognition
//! ([`cv`]). Every function takes and returns bytes, so the desktop engine decides where they are stored (encrypted,
//! named by content hash) and these codecs stay out of it.

pub mod badge;
pub mod cv;
pub mod photo;
pub mod qr;
pub mod signin;

pub use badge::{BadgeContent, BadgeError, BadgeFormat, badges_pdf};
pub use cv::{CvError, CvKind, detect_cv};
pub use photo::{Crop, EncodedJpeg, PhotoError, PhotoFormat, ProcessedPhoto, process_photo};
pub use qr::{QrError, qr_png, qr_svg};
