//! The core's messages in French and English. Every message a person can see from the core is here, so a test can
//! check that each one exists in both languages. French typography: a no-break space before « : ; ? ! ».

use talento_domain::{FieldProblem, Locale};

use crate::error::{ConflictReason, CoreError};
use crate::seeds::SeedError;

fn pick(locale: Locale, fr: String, en: String) -> String {
    match locale {
        Locale::Fr => french_spacing(&fr),
        Locale::En => en,
    }
}

/// French puts a no-break space before « : ; ? ! » so they never start a line; messages are written with plain
/// spaces and fixed here, once.
pub fn french_spacing(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' && matches!(chars.peek(), Some(':' | ';' | '?' | '!')) {
            out.push('\u{a0}');
        } else {
            out.push(c);
        }
    }
    out
}

/// Formats a waiting time the way people say it: "45 s", "3 min", "1 h 5 min".
pub fn duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}\u{a0}s"),
        60..3600 => format!("{}\u{a0}min", secs.div_ceil(60)),
        _ => format!("{}\u{a0}h\u{a0}{}\u{a0}min", secs / 3600, (secs % 3600) / 60),
    }
}

pub fn error_message(locale: Locale, error: &CoreError) -> String {
    let (fr, en): (String, String) = match error {
        CoreError::Validation(errors) if errors.len() == 1 => {
            ("Un champ est à corriger.".into(), "One field needs correcting.".into())
        }
        CoreError::Validation(errors) => (
            format!("{} champs sont à corriger.", errors.len()),
            format!("{} fields need correcting.", errors.len()),
        ),
        CoreError::InvalidCredentials => (
            "Identifiant ou mot de passe incorrect.".into(),
            "Wrong e-mail, code or password.".into(),
        ),
        CoreError::AccountLocked { retry_after_secs } => (
            format!(
                "Trop d’essais infructueux : compte verrouillé. Réessayez dans {}.",
                duration(*retry_after_secs)
            ),
            format!("Too many failed attempts: account locked. Try again in {}.", duration(*retry_after_secs)),
        ),
        CoreError::SessionExpired => (
            "Votre session a expiré après une période d’inactivité. Reconnectez-vous.".into(),
            "Your session expired after a period of inactivity. Please log in again.".into(),
        ),
        CoreError::NotAuthenticated => {
            ("Connectez-vous pour continuer.".into(), "Please log in to continue.".into())
        }
        CoreError::Forbidden(_) => (
            "Votre rôle ne permet pas cette action.".into(),
            "Your role does not allow this action.".into(),
        ),
        CoreError::NotInitialized => (
            "Cet ordinateur n’a pas encore d’agence. Lancez la première configuration.".into(),
            "This computer has no agency yet. Run the first-time setup.".into(),
        ),
        CoreError::AlreadyInitialized => (
            "Cet ordinateur est déjà configuré pour une agence.".into(),
            "This computer is already set up for an agency.".into(),
        ),
        CoreError::NotFound => ("Élément introuvable.".into(), "Not found.".into()),
        CoreError::Conflict(ConflictReason::LastAdmin) => (
            "Impossible : c’est le dernier administrateur actif de l’agence.".into(),
            "Not possible: this is the agency's last active administrator.".into(),
        ),
        CoreError::Conflict(ConflictReason::OwnAccount) => (
            "Vous ne pouvez pas désactiver votre propre compte.".into(),
            "You cannot deactivate your own account.".into(),
        ),
        CoreError::StoreCorrupted(_) => (
            "La base de données locale est illisible ou endommagée. Restaurez une sauvegarde ou contactez l’administrateur.".into(),
            "The local database is unreadable or damaged. Restore a backup or contact your administrator.".into(),
        ),
        CoreError::KeyFileCorrupted(_) => (
            "Le fichier de clés de cet ordinateur est illisible ou endommagé. Restaurez une sauvegarde ou contactez l’administrateur.".into(),
            "This computer's key file is unreadable or damaged. Restore a backup or contact your administrator.".into(),
        ),
        CoreError::Seed(e) => seed_message(e),
        CoreError::Internal(_) => (
            "Une erreur interne est survenue. Rien n’a été enregistré ; réessayez.".into(),
            "An internal error occurred. Nothing was saved; please try again.".into(),
        ),
    };
    pick(locale, fr, en)
}

fn seed_message(e: &SeedError) -> (String, String) {
    match e {
        SeedError::Missing { file } => (
            format!(
                "Données de référence manquantes : le fichier « {file} » est introuvable. Réinstallez l’application."
            ),
            format!("Reference data missing: file \"{file}\" was not found. Reinstall the application."),
        ),
        SeedError::Invalid { file, reason } => (
            format!("Données de référence invalides dans « {file} » : {reason}. Réinstallez l’application."),
            format!("Invalid reference data in \"{file}\": {reason}. Reinstall the application."),
        ),
        SeedError::Corrupted { list, expected, found } => (
            format!(
                "Données de référence endommagées ({list} : {found} lignes au lieu de {expected}, ou contenu modifié). Restaurez une sauvegarde."
            ),
            format!(
                "Reference data damaged ({list}: {found} rows instead of {expected}, or content changed). Restore a backup."
            ),
        ),
    }
}

pub fn field_problem(locale: Locale, problem: &FieldProblem) -> String {
    let (fr, en): (String, String) = match problem {
        FieldProblem::Required => ("Ce champ est obligatoire.".into(), "This field is required.".into()),
        FieldProblem::TooLong { max } => {
            (format!("{max} caractères au maximum."), format!("At most {max} characters."))
        }
        FieldProblem::TooShort { min } => {
            (format!("{min} caractères au minimum."), format!("At least {min} characters."))
        }
        FieldProblem::InvalidEmail => (
            "Adresse e-mail invalide (exemple : awa.diop@agence.sn).".into(),
            "Invalid e-mail address (for example: awa.diop@agency.com).".into(),
        ),
        FieldProblem::PasswordTooShort { min } => (
            format!("Le mot de passe doit contenir au moins {min} caractères."),
            format!("The password must be at least {min} characters long."),
        ),
        FieldProblem::PasswordTooWeak => (
            "Mot de passe trop facile à deviner : allongez-le ou mélangez des mots peu courants.".into(),
            "Password too easy to guess: make it longer or combine unusual words.".into(),
        ),
        FieldProblem::PasswordContainsPersonalInfo => (
            "Le mot de passe ne doit pas contenir votre nom ni votre e-mail.".into(),
            "The password must not contain your name or e-mail.".into(),
        ),
        FieldProblem::PasswordMismatch => {
            ("Les deux mots de passe ne correspondent pas.".into(), "The two passwords do not match.".into())
        }
        FieldProblem::EmailTaken => (
            "Cette adresse e-mail est déjà utilisée par un autre compte.".into(),
            "This e-mail address is already used by another account.".into(),
        ),
        FieldProblem::UnknownRole => ("Rôle inconnu.".into(), "Unknown role.".into()),
        FieldProblem::InvalidDate => {
            ("Date invalide (format JJ/MM/AAAA).".into(), "Invalid date (format DD/MM/YYYY).".into())
        }
        FieldProblem::DateInFuture => ("Cette date est dans le futur.".into(), "This date is in the future.".into()),
        FieldProblem::UnknownValue => {
            ("Valeur inconnue : choisissez-la dans la liste.".into(), "Unknown value: pick it from the list.".into())
        }
        FieldProblem::InvalidPhone => (
            "Numéro invalide pour ce pays (exemple : +221 77 123 45 67).".into(),
            "Invalid number for this country (for example: +221 77 123 45 67).".into(),
        ),
        FieldProblem::InvalidUrl => (
            "Adresse web invalide : elle doit commencer par https://".into(),
            "Invalid web address: it must start with https://".into(),
        ),
        FieldProblem::OutOfRange { min, max } => {
            (format!("Valeur attendue entre {min} et {max}."), format!("Expected a value between {min} and {max}."))
        }
        FieldProblem::RangeInverted => {
            ("Le minimum dépasse le maximum.".into(), "The minimum is above the maximum.".into())
        }
        FieldProblem::TooMany { max } => (format!("{max} au maximum."), format!("At most {max}.")),
        FieldProblem::ConsentRequired => (
            "Le consentement du talent est obligatoire pour l’enregistrer.".into(),
            "The talent's consent is required to register them.".into(),
        ),
        FieldProblem::MissingFile => {
            ("Fichier introuvable : ajoutez-le à nouveau.".into(), "File not found: please add it again.".into())
        }
        FieldProblem::FileTooLarge { max_mb } => {
            (format!("Fichier trop lourd : {max_mb} Mo au maximum."), format!("File too large: at most {max_mb} MB."))
        }
        FieldProblem::UnsupportedFile => (
            "Type de fichier non accepté (photos : JPEG, PNG, WebP, GIF ; CV : PDF, DOCX, DOC).".into(),
            "File type not accepted (photos: JPEG, PNG, WebP, GIF; CVs: PDF, DOCX, DOC).".into(),
        ),
        FieldProblem::ImageTooLarge => {
            ("Image trop grande (40 mégapixels au maximum).".into(), "Image too large (40 megapixels at most).".into())
        }
        FieldProblem::InvalidCrop => (
            "Le cadrage dépasse de l’image : recadrez la photo.".into(),
            "The crop goes beyond the image: crop the photo again.".into(),
        ),
        FieldProblem::UnreadableFile => {
            ("Fichier endommagé ou illisible.".into(), "The file is damaged or unreadable.".into())
        }
        FieldProblem::WrongPassword => {
            ("Mot de passe actuel incorrect.".into(), "The current password is wrong.".into())
        }
    };
    pick(locale, fr, en)
}

#[cfg(test)]
mod tests {
    use super::*;
    use talento_domain::Action;

    fn all_errors() -> Vec<CoreError> {
        vec![
            CoreError::Validation(vec![]),
            CoreError::InvalidCredentials,
            CoreError::AccountLocked { retry_after_secs: 90 },
            CoreError::SessionExpired,
            CoreError::NotAuthenticated,
            CoreError::Forbidden(Action::UsersManage),
            CoreError::NotInitialized,
            CoreError::AlreadyInitialized,
            CoreError::NotFound,
            CoreError::Conflict(ConflictReason::LastAdmin),
            CoreError::Conflict(ConflictReason::OwnAccount),
            CoreError::StoreCorrupted("x".into()),
            CoreError::KeyFileCorrupted("x".into()),
            CoreError::Seed(SeedError::Missing { file: "cities.csv".into() }),
            CoreError::Internal("secret cause".into()),
        ]
    }

    #[test]
    fn every_error_has_a_distinct_french_and_english_message() {
        for error in all_errors() {
            let fr = error_message(Locale::Fr, &error);
            let en = error_message(Locale::En, &error);
            assert!(!fr.is_empty() && !en.is_empty(), "{error:?} needs both messages");
            assert_ne!(fr, en, "{error:?}: the English message must not be the French one");
            assert!(!fr.contains("secret cause") && !en.contains("secret cause"), "internal causes are never shown");
        }
    }

    #[test]
    fn french_messages_use_a_no_break_space_before_colons() {
        let problems = [
            FieldProblem::Required,
            FieldProblem::InvalidEmail,
            FieldProblem::PasswordTooWeak,
            FieldProblem::EmailTaken,
        ];
        let errors = all_errors();
        let messages = errors
            .iter()
            .map(|e| error_message(Locale::Fr, e))
            .chain(problems.iter().map(|p| field_problem(Locale::Fr, p)));
        for fr in messages {
            for mark in [" :", " ;", " ?", " !"] {
                assert!(!fr.contains(mark), "French typography wants a no-break space before the mark: {fr:?}");
            }
        }
        assert!(error_message(Locale::Fr, &CoreError::AccountLocked { retry_after_secs: 30 }).contains("\u{a0}:"));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(45), "45\u{a0}s");
        assert_eq!(duration(61), "2\u{a0}min");
        assert_eq!(duration(3900), "1\u{a0}h\u{a0}5\u{a0}min");
    }
}
