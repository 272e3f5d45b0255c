//! The data folder's `exports/`: badge sheets, attendance workbooks and sign-in sheets the app writes for people to
//! print or hand on. Files are written whole or not at all, named by the app from their parts (never from input
//! paths), and handed back by their plain name only — to the system viewer or to a place chosen in the save dialog.

use std::path::{Path, PathBuf};

use talento_domain::Action;

use crate::engine::Talento;
use crate::error::{CoreError, CoreResult};

/// Writes `bytes` beside `path` and renames the file into place, so a crash never leaves half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> CoreResult<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

impl Talento {
    fn exports_dir(&self) -> PathBuf {
        self.files.dir.join("exports")
    }

    /// Where a new export goes, named from its parts with anything but letters, digits and dashes dropped (so a
    /// project code or a date never makes a path). The export itself checks the role.
    pub(crate) fn export_file(&self, parts: &[&str], extension: &str) -> CoreResult<PathBuf> {
        let dir = self.exports_dir();
        std::fs::create_dir_all(&dir)?;
        let stem: String = parts.join("-").chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        Ok(dir.join(format!("{stem}.{extension}")))
    }

    /// A file this app wrote to `exports/`, found by the file name of `path` only: never a path from outside.
    /// Badges are for those who print them; attendance files for those who keep presence.
    pub fn export_path(&mut self, path: &str) -> CoreResult<PathBuf> {
        self.require_any(&[Action::BadgesPrint, Action::PresenceView])?;
        let name = Path::new(path).file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let plain = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            && !name.starts_with('.');
        let file = self.exports_dir().join(name);
        if !plain || !file.is_file() {
            return Err(CoreError::NotFound);
        }
        Ok(file)
    }

    /// Copies an export to where the person chose in the system's save dialog.
    pub fn save_export_as(&mut self, path: &str, destination: &Path) -> CoreResult<()> {
        let source = self.export_path(path)?;
        write_atomically(destination, &std::fs::read(source)?)
    }
}
