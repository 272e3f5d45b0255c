//! Where a laptop's data lives: `TALENTO_DATA_DIR` when set (tests, portable installs), else the platform's data
//! directory (`~/.local/share/talento` on Linux). Resolved once, at the edge, and passed in.

use std::path::{Path, PathBuf};

pub const DATA_DIR_ENV: &str = "TALENTO_DATA_DIR";

pub fn resolve_data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("africa", "Talento", "Talento").map(|p| p.data_dir().to_path_buf())
}

/// The files of one laptop's store.
#[derive(Debug, Clone)]
pub struct DataFiles {
    pub dir: PathBuf,
}

impl DataFiles {
    pub fn new(dir: &Path) -> Self {
        Self { dir: dir.to_path_buf() }
    }
    pub fn database(&self) -> PathBuf {
        self.dir.join("talento.db")
    }
    pub fn key_file(&self) -> PathBuf {
        self.dir.join("keys.json")
    }
    pub fn prefs(&self) -> PathBuf {
        self.dir.join("prefs.json")
    }
    /// The database and its WAL side files.
    pub fn database_files(&self) -> [PathBuf; 3] {
        let db = self.database();
        [db.clone(), db.with_extension("db-wal"), db.with_extension("db-shm")]
    }
}
