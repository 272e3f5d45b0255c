//! The shell's one piece of state: this laptop's [`Talento`] engine behind a mutex, or the start-up error that kept
//! it from opening (shown by the UI's start-up error screen, translated).

use std::path::Path;
use std::sync::Mutex;

use talento_core::prefs::Prefs;
use talento_core::{AppError, CoreError, CoreResult, Options, Talento};
use talento_domain::Locale;

#[derive(Debug)]
pub struct AppState {
    engine: Mutex<Result<Talento, (CoreError, Locale)>>,
    /// Set by `cancel_badges` while a badge PDF is being laid out outside the engine's lock.
    pub badge_cancel: std::sync::atomic::AtomicBool,
    /// Held for a whole sync (its store steps release the engine between server calls): an automatic sync and a
    /// button press never run two syncs at once; the second waits, then finds little left to do.
    pub sync_running: Mutex<()>,
}

impl AppState {
    pub fn open(dir: &Path) -> Self {
        let engine = Talento::open(dir, Options::default())
            .map_err(|e| (e, Prefs::load(&talento_core::paths::DataFiles::new(dir).prefs()).locale));
        if let Err((e, _)) = &engine {
            tracing::error!(error = %e, "cannot open the local store");
        }
        Self {
            engine: Mutex::new(engine),
            badge_cancel: std::sync::atomic::AtomicBool::new(false),
            sync_running: Mutex::new(()),
        }
    }

    /// The language errors are shown in.
    pub fn locale(&self) -> Locale {
        let guard = self.engine.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match &*guard {
            Ok(talento) => talento.locale(),
            Err((_, locale)) => *locale,
        }
    }

    /// Runs one core call and translates its error into the user's language.
    pub fn with<T>(&self, call: impl FnOnce(&mut Talento) -> CoreResult<T>) -> Result<T, AppError> {
        let mut guard = self.engine.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match &mut *guard {
            Ok(talento) => call(talento).map_err(|e| e.to_app_error(talento.locale())),
            Err((e, locale)) => Err(e.to_app_error(*locale)),
        }
    }
}
