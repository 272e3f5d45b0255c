//! The core's messages in French and English. Every message a person can see from the core is here, so a test can
//! check that each one exists in both languages. French typography: a no-break space before « : ; ? ! ».

use talento_domain::{FieldProblem, Locale};

use crate::error::{ConflictReason, CoreError, SyncError};
use crate::seeds::SeedError;
use crate::sync::{ReportIssue, SkipReason};

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
        CoreError::Conflict(ConflictReason::ProjectArchived) => (
            "Ce projet est archivé : désarchivez-le pour le modifier.".into(),
            "This project is archived: unarchive it to change it.".into(),
        ),
        CoreError::Conflict(ConflictReason::NoSigningKey) => (
            "Cet ordinateur ne détient pas de clé de signature des badges. Un administrateur peut en créer une (Admin › Badges › Nouvelle clé).".into(),
            "This computer holds no badge signing key. An administrator can create one (Admin › Badges › New key).".into(),
        ),
        CoreError::Conflict(ConflictReason::NobodyToBadge) => (
            "Aucun talent sur la distribution de ce projet : ajoutez des talents avant d’imprimer les badges.".into(),
            "Nobody is cast in this project yet: add talents before printing badges.".into(),
        ),
        CoreError::Conflict(ConflictReason::NotCorrectable) => (
            "Seule une entrée ou une sortie peut être corrigée : corrigez le passage lui-même.".into(),
            "Only a check-in or a check-out can be corrected: correct the scan itself.".into(),
        ),
        CoreError::Conflict(ConflictReason::ProvisionalCodesExhausted) => (
            "100 000 codes provisoires attendent déjà leur numéro définitif : synchronisez avant d’en créer d’autres.".into(),
            "100,000 provisional codes are already waiting for their final number: sync before creating more.".into(),
        ),
        CoreError::Cancelled => ("Opération annulée : rien n’a été enregistré.".into(), "Cancelled: nothing was saved.".into()),
        CoreError::StoreCorrupted(_) => (
            "La base de données locale est illisible ou endommagée. Restaurez une sauvegarde ou contactez l’administrateur.".into(),
            "The local database is unreadable or damaged. Restore a backup or contact your administrator.".into(),
        ),
        CoreError::KeyFileCorrupted(_) => (
            "Le fichier de clés de cet ordinateur est illisible ou endommagé. Restaurez une sauvegarde ou contactez l’administrateur.".into(),
            "This computer's key file is unreadable or damaged. Restore a backup or contact your administrator.".into(),
        ),
        CoreError::Seed(e) => seed_message(e),
        CoreError::Sync(e) => sync_message(e),
        CoreError::Internal(_) => (
            "Une erreur interne est survenue. Rien n’a été enregistré ; réessayez.".into(),
            "An internal error occurred. Nothing was saved; please try again.".into(),
        ),
    };
    pick(locale, fr, en)
}

fn sync_message(e: &SyncError) -> (String, String) {
    match e {
        SyncError::NotEnrolled => (
            "Cet ordinateur n’est pas encore relié au serveur de l’agence : enrôlez-le d’abord (adresse du serveur et jeton).".into(),
            "This computer is not linked to the agency's server yet: enroll it first (server address and token).".into(),
        ),
        SyncError::AlreadyEnrolled => (
            "Cet ordinateur est déjà relié au serveur de l’agence.".into(),
            "This computer is already linked to the agency's server.".into(),
        ),
        SyncError::Unreachable(_) => (
            "Serveur injoignable : vérifiez la connexion. Rien n’est perdu ; les modifications attendent sur cet ordinateur.".into(),
            "Server unreachable: check the connection. Nothing is lost; changes wait on this computer.".into(),
        ),
        SyncError::ProtocolMismatch(_) => (
            "Cette version de l’application ne parle pas la même langue que le serveur : mettez l’application à jour pour synchroniser. Rien n’est perdu ; les modifications attendent sur cet ordinateur.".into(),
            "This version of the app does not speak the server's sync protocol: update the app to sync again. Nothing is lost; changes wait on this computer.".into(),
        ),
        SyncError::DeviceRevoked => (
            "Cet ordinateur a été révoqué par un administrateur : ses données personnelles ont été effacées et il ne se synchronise plus.".into(),
            "This computer was revoked by an administrator: its personal data was wiped and it no longer syncs.".into(),
        ),
        SyncError::TokenInvalid => (
            "Jeton d’enrôlement inconnu, déjà utilisé ou expiré : demandez-en un nouveau à l’administrateur.".into(),
            "Unknown, used or expired enrollment token: ask the administrator for a new one.".into(),
        ),
        SyncError::Unauthorized => (
            "Le serveur ne reconnaît plus cet ordinateur : demandez à l’administrateur de l’enrôler à nouveau.".into(),
            "The server no longer recognises this computer: ask the administrator to enroll it again.".into(),
        ),
        SyncError::ScopeExhausted => (
            "Le serveur n’a plus de numéro de code à attribuer dans cette série : contactez l’administrateur.".into(),
            "The server has no code number left to grant in this series: contact the administrator.".into(),
        ),
        SyncError::NoProgress { .. } => (
            "Le serveur n’a rien accepté de nouveau : la synchronisation s’est arrêtée. Rien n’est perdu ; réessayez plus tard.".into(),
            "The server accepted nothing new: the sync stopped. Nothing is lost; try again later.".into(),
        ),
        SyncError::Refused { code, .. } => (
            format!("Le serveur a refusé la synchronisation (code « {code} »). Rien n’est perdu ; contactez l’administrateur si cela continue."),
            format!("The server refused to sync (code “{code}”). Nothing is lost; contact the administrator if it goes on."),
        ),
    }
}

/// One issue of a sync report, as `talento sync` prints it (the Sync screen translates its own).
pub fn sync_issue(issue: &ReportIssue, locale: Locale) -> String {
    let (fr, en) = match issue {
        ReportIssue::Unreachable => sync_message(&SyncError::Unreachable(String::new())),
        ReportIssue::ProtocolMismatch => sync_message(&SyncError::ProtocolMismatch(String::new())),
        ReportIssue::Unauthorized => sync_message(&SyncError::Unauthorized),
        ReportIssue::DeviceRevoked => sync_message(&SyncError::DeviceRevoked),
        ReportIssue::NoProgress => sync_message(&SyncError::NoProgress { acked: 0, sent: 0 }),
        ReportIssue::Refused { code } => {
            sync_message(&SyncError::Refused { code: code.clone(), message: String::new() })
        }
        ReportIssue::Failed => (
            "La synchronisation s’est arrêtée sur cet ordinateur. Rien n’est perdu ; réessayez.".into(),
            "The sync stopped on this computer. Nothing is lost; try again.".into(),
        ),
        ReportIssue::ScopeExhausted { scope } => (
            format!("Plus aucun numéro à attribuer dans la série {scope}."),
            format!("No number left to grant in series {scope}."),
        ),
        ReportIssue::LeaseRefused { scope } => (
            format!("Le serveur a refusé d’attribuer des numéros dans la série {scope}."),
            format!("The server refused to grant numbers in series {scope}."),
        ),
        ReportIssue::CodeStaysProvisional { code } => (
            format!("Aucun numéro disponible pour rendre définitif le code {code} : il reste provisoire."),
            format!("No number available to make code {code} final: it stays provisional."),
        ),
    };
    pick(locale, fr, en)
}

/// Why a received change was not applied, as `talento sync` prints it.
pub fn skip_reason(reason: &SkipReason, locale: Locale) -> String {
    let (fr, en) = match reason {
        SkipReason::UnknownTable => (
            "table inconnue de cette version (une version plus récente ?)".into(),
            "a table this version does not know (a newer version?)".into(),
        ),
        SkipReason::UnknownColumns { columns } => {
            let columns = columns.join(", ");
            (
                format!("champs inconnus de cette version ignorés : {columns}"),
                format!("fields this version does not know were skipped: {columns}"),
            )
        }
        SkipReason::BadTimestamp => ("horodatage illisible".into(), "unreadable timestamp".into()),
        SkipReason::NotApplied => (
            "non appliquée sur cet ordinateur (détails dans le journal)".into(),
            "not applied on this computer (details in the log)".into(),
        ),
        SkipReason::AccountConflict => (
            "compte non repris : son e-mail ou son code est déjà celui d’un autre compte de cet ordinateur".into(),
            "account not taken: its e-mail or code already belongs to another account on this computer".into(),
        ),
    };
    pick(locale, fr, en)
}

/// Why the server set a change aside (`SetAsideReason`'s code), as `talento sync` prints it.
pub fn set_aside_reason(code: &str, locale: Locale) -> String {
    let (fr, en) = match code {
        "too_large" => ("trop volumineuse", "too large"),
        "malformed" => ("mal formée", "malformed"),
        "wrong_device" => ("d’un autre ordinateur", "from another computer"),
        "bad_timestamp" => ("horodatage illisible", "unreadable timestamp"),
        "bad_target" => ("table ou identifiant refusé", "table or id refused"),
        other => (other, other),
    };
    pick(locale, fr.into(), en.into())
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

/// Why a badge does not let its bearer in, for the officer at the gate.
pub fn badge_rejection(locale: Locale, rejection: talento_domain::badge::BadgeRejection) -> String {
    use talento_domain::badge::BadgeRejection as R;
    let (fr, en) = match rejection {
        R::Malformed => (
            "Ce code n’est pas un badge Talento (illisible ou incomplet).",
            "This code is not a Talento badge (unreadable or incomplete).",
        ),
        R::UnknownKey => (
            "Badge signé par une clé inconnue : autre agence, ou clé pas encore synchronisée.",
            "Badge signed by an unknown key: another agency, or a key not synced yet.",
        ),
        R::BadSignature => (
            "Signature invalide : ce badge a été modifié ou falsifié.",
            "Invalid signature: this badge was altered or forged.",
        ),
        R::KeyRevoked => (
            "Badge signé par une clé révoquée : il n’est plus valable.",
            "Badge signed by a revoked key: it is no longer valid.",
        ),
        R::Revoked => (
            "Badge révoqué (perdu, remplacé ou talent retiré du projet).",
            "Badge revoked (lost, replaced, or talent removed from the project).",
        ),
        R::Expired => {
            ("Badge expiré : sa période de validité est passée.", "Badge expired: its validity period is over.")
        }
        R::NotYetValid => (
            "Badge pas encore valable : sa période de validité n’a pas commencé.",
            "Badge not valid yet: its validity period has not started.",
        ),
    };
    pick(locale, fr.into(), en.into())
}

/// What a valid badge proves, in one line.
pub fn badge_valid(locale: Locale, talent: Option<&str>, project: Option<&str>, until: &str) -> String {
    let (fr, en) = match (talent, project) {
        (Some(t), Some(p)) => {
            (format!("Badge valide : {t}, {p}, jusqu’au {until}."), format!("Valid badge: {t}, {p}, until {until}."))
        }
        _ => (
            format!("Badge valide jusqu’au {until} (talent ou projet pas encore synchronisé sur cet ordinateur)."),
            format!("Valid badge until {until} (talent or project not synced to this computer yet)."),
        ),
    };
    pick(locale, fr, en)
}

/// The validity line printed on badges.
pub fn badge_validity(locale: Locale, from: &str, until: &str) -> String {
    pick(locale, format!("Valable du {from} au {until}"), format!("Valid from {from} to {until}"))
}

/// The gate screen's line after a scan. `name` is None for a talent not synced to this laptop yet.
pub fn scan_message(
    locale: Locale,
    action: crate::presence::dto::ScanAction,
    name: Option<&str>,
    time: &str,
    off_roster: bool,
) -> String {
    use crate::presence::dto::ScanAction as A;
    let name_fr = name.unwrap_or("Talent pas encore synchronisé");
    let name_en = name.unwrap_or("Talent not synced yet");
    let (fr, en) = match (action, off_roster) {
        (A::CheckedIn, false) => (format!("Entrée : {name_fr}, {time}."), format!("Checked in: {name_en}, {time}.")),
        (A::CheckedIn, true) => (
            format!("Entrée hors distribution : {name_fr}, {time}."),
            format!("Checked in off the roster: {name_en}, {time}."),
        ),
        (A::CheckedOut, _) => (format!("Sortie : {name_fr}, {time}."), format!("Checked out: {name_en}, {time}.")),
        (A::AlreadyComplete, _) => (
            format!("{name_fr} est déjà entré·e et sorti·e aujourd’hui : rien n’est enregistré."),
            format!("{name_en} already checked in and out today: nothing recorded."),
        ),
        (A::DoubleRead, _) => (
            format!("Lecture en double ignorée : {name_fr} vient d’être scanné·e."),
            format!("Double read ignored: {name_en} was just scanned."),
        ),
        (A::NeedsAdmission, _) => (
            format!("{name_fr} n’est pas sur la distribution de ce projet : admettre avec un motif ?"),
            format!("{name_en} is not on this project's roster: admit with a reason?"),
        ),
        (A::Refused, _) => ("Badge refusé.".to_owned(), "Badge refused.".to_owned()),
    };
    pick(locale, fr, en)
}

/// A valid badge shown at the gate of the wrong project.
pub fn scan_other_project(locale: Locale, project: &str) -> String {
    pick(
        locale,
        format!("Badge d’un autre projet ({project}) : il n’ouvre pas ce plateau."),
        format!("Badge for another project ({project}): it does not admit to this set."),
    )
}

/// A talent's state on a day, as a word.
pub fn attendance_status(locale: Locale, status: crate::presence::dto::AttendanceStatus) -> String {
    use crate::presence::dto::AttendanceStatus as S;
    let (fr, en) = match status {
        S::Expected => ("Attendu·e", "Expected"),
        S::Present => ("Présent·e", "Present"),
        S::Left => ("Parti·e", "Left"),
        S::Absent => ("Absent·e", "Absent"),
    };
    pick(locale, fr.into(), en.into())
}

/// Yes or no in a cell.
pub fn yes_no(locale: Locale, yes: bool) -> String {
    let (fr, en) = if yes { ("Oui", "Yes") } else { ("Non", "No") };
    pick(locale, fr.into(), en.into())
}

/// A label and its value on one line, `Jour : 03/12/2026` / `Day: 03/12/2026`.
pub fn labelled(locale: Locale, label: &str, value: &str) -> String {
    pick(locale, format!("{label} : {value}"), format!("{label}: {value}"))
}

/// A printed page's footer, `{page}` and `{pages}` filled in by the layout.
pub fn page_of_pages(locale: Locale) -> String {
    pick(locale, "Page {page} sur {pages}".into(), "Page {page} of {pages}".into())
}

/// Words of the attendance workbook and the sign-in sheet, by key.
pub fn attendance_label(locale: Locale, key: &str) -> String {
    let (fr, en) = match key {
        "summary" => ("Résumé", "Summary"),
        "date" => ("Date", "Date"),
        "code" => ("Code", "Code"),
        "name" => ("Nom", "Name"),
        "role" => ("Rôle", "Role"),
        "type" => ("Type", "Type"),
        "status" => ("Statut", "Status"),
        "in" => ("Arrivée", "In"),
        "out" => ("Départ", "Out"),
        "late" => ("En retard", "Late"),
        "late_minutes" => ("Retard (min)", "Late (min)"),
        "hours" => ("Heures", "Hours"),
        "double_reads" => ("Lectures doubles", "Double reads"),
        "duplicate" => ("Doublon", "Duplicate"),
        "note" => ("Remarque", "Note"),
        "days_present" => ("Jours présents", "Days present"),
        "total_hours" => ("Heures totales", "Total hours"),
        "late_count" => ("Retards", "Times late"),
        "signature" => ("Signature", "Signature"),
        "sign_in_sheet" => ("Feuille d’émargement", "Sign-in sheet"),
        "call_time" => ("Convocation", "Call time"),
        "location" => ("Lieu", "Location"),
        "day" => ("Jour", "Day"),
        "number" => ("N°", "No."),
        "off_roster" => ("Hors distribution", "Off the roster"),
        _ => ("", ""),
    };
    pick(locale, fr.into(), en.into())
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
        FieldProblem::InvalidTime => (
            "Heure invalide (format HH:MM, par exemple 07:30).".into(),
            "Invalid time (format HH:MM, for example 07:30).".into(),
        ),
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
            CoreError::Conflict(ConflictReason::ProjectArchived),
            CoreError::Conflict(ConflictReason::NoSigningKey),
            CoreError::Conflict(ConflictReason::NobodyToBadge),
            CoreError::Conflict(ConflictReason::NotCorrectable),
            CoreError::Conflict(ConflictReason::ProvisionalCodesExhausted),
            CoreError::Cancelled,
            CoreError::Sync(SyncError::NotEnrolled),
            CoreError::Sync(SyncError::AlreadyEnrolled),
            CoreError::Sync(SyncError::Unreachable("x".into())),
            CoreError::Sync(SyncError::ProtocolMismatch("x".into())),
            CoreError::Sync(SyncError::DeviceRevoked),
            CoreError::Sync(SyncError::TokenInvalid),
            CoreError::Sync(SyncError::Unauthorized),
            CoreError::Sync(SyncError::ScopeExhausted),
            CoreError::Sync(SyncError::NoProgress { acked: 1, sent: 2 }),
            CoreError::Sync(SyncError::Refused { code: "x".into(), message: "y".into() }),
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
    fn every_badge_rejection_has_both_messages() {
        use talento_domain::badge::BadgeRejection as R;
        let all = [R::Malformed, R::UnknownKey, R::BadSignature, R::KeyRevoked, R::Revoked, R::Expired, R::NotYetValid];
        let mut seen = std::collections::HashSet::new();
        for r in all {
            let (fr, en) = (badge_rejection(Locale::Fr, r), badge_rejection(Locale::En, r));
            assert_ne!(fr, en, "{r:?} needs its own English message");
            assert!(seen.insert(fr.clone()), "{r:?}: each reason reads differently so the officer knows what to do");
            assert!(!fr.contains(" :"), "French typography: {fr:?}");
        }
    }

    #[test]
    fn every_scan_message_has_both_languages_and_french_typography() {
        use crate::presence::dto::{AttendanceStatus as S, ScanAction as A};
        let actions = [A::CheckedIn, A::CheckedOut, A::AlreadyComplete, A::DoubleRead, A::Refused, A::NeedsAdmission];
        for action in actions {
            for off_roster in [false, true] {
                for name in [Some("Ngozi Ọkafọ"), None] {
                    let fr = scan_message(Locale::Fr, action, name, "07:42", off_roster);
                    let en = scan_message(Locale::En, action, name, "07:42", off_roster);
                    assert_ne!(fr, en, "{action:?} needs its own English message");
                    assert!(!fr.contains(" :") && !fr.contains(" ?"), "French typography: {fr:?}");
                }
            }
        }
        assert_ne!(scan_other_project(Locale::Fr, "SNFSI002"), scan_other_project(Locale::En, "SNFSI002"));
        for status in [S::Expected, S::Present, S::Left, S::Absent] {
            assert_ne!(attendance_status(Locale::Fr, status), attendance_status(Locale::En, status));
        }
        for key in ["summary", "name", "in", "out", "late", "hours", "sign_in_sheet", "days_present", "total_hours"] {
            let (fr, en) = (attendance_label(Locale::Fr, key), attendance_label(Locale::En, key));
            assert!(!fr.is_empty() && fr != en, "{key} needs both words: {fr} / {en}");
        }
        assert_eq!(labelled(Locale::Fr, "Jour", "03/12/2026"), "Jour\u{a0}: 03/12/2026", "French spacing in French");
        assert_eq!(labelled(Locale::En, "Day", "03/12/2026"), "Day: 03/12/2026", "and only in French");
        assert_ne!(page_of_pages(Locale::Fr), page_of_pages(Locale::En));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(45), "45\u{a0}s");
        assert_eq!(duration(61), "2\u{a0}min");
        assert_eq!(duration(3900), "1\u{a0}h\u{a0}5\u{a0}min");
    }
}
