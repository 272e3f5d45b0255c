//! Validation of what people type. Each rule returns a [`FieldProblem`] — a reason, never a sentence — so the core
//! can translate it into the user's language and show it next to the field it concerns.

use serde::Serialize;

use crate::text::tidy;

/// Why a field was refused. Translated by the core; the variants carry what the message needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum FieldProblem {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    InvalidEmail,
    PasswordTooShort {
        min: usize,
    },
    PasswordTooWeak,
    PasswordContainsPersonalInfo,
    PasswordMismatch,
    EmailTaken,
    UnknownRole,
    WrongPassword,
    InvalidDate,
    /// Not a time of day (`HH:MM`).
    InvalidTime,
    DateInFuture,
    /// A value that is not in its reference list (country, city, language, skill…).
    UnknownValue,
    InvalidPhone,
    InvalidUrl,
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// A range whose minimum is above its maximum.
    RangeInverted,
    TooMany {
        max: usize,
    },
    ConsentRequired,
    /// A photo, CV or scan that was not uploaded (or not of the right kind).
    MissingFile,
    FileTooLarge {
        max_mb: u32,
    },
    /// Not one of the accepted kinds, judged by content (photos: JPEG, PNG, WebP, GIF; CVs: PDF, DOCX, DOC).
    UnsupportedFile,
    /// An image with more pixels than can be processed safely.
    ImageTooLarge,
    InvalidCrop,
    /// A damaged or truncated file.
    UnreadableFile,
}

/// A problem with one named field of a form (field names are the UI's camelCase names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: FieldProblem,
}

impl FieldError {
    pub fn new(field: &'static str, problem: FieldProblem) -> Self {
        Self { field, problem }
    }
}

pub const PASSWORD_MIN_LEN: usize = 12;
pub const NAME_MAX_LEN: usize = 120;
pub const EMAIL_MAX_LEN: usize = 254;

/// A person's or agency's name: required, tidied, bounded.
pub fn name(field: &'static str, raw: &str, errors: &mut Vec<FieldError>) -> String {
    let value = tidy(raw);
    if value.is_empty() {
        errors.push(FieldError::new(field, FieldProblem::Required));
    } else if value.chars().count() > NAME_MAX_LEN {
        errors.push(FieldError::new(field, FieldProblem::TooLong { max: NAME_MAX_LEN }));
    } else if value.chars().count() < 2 {
        errors.push(FieldError::new(field, FieldProblem::TooShort { min: 2 }));
    }
    value
}

/// An e-mail address, returned lower-cased. Deliberately simple (one `@`, a dotted domain, no spaces): the only true
/// check of an address is a message reaching it.
pub fn email(field: &'static str, raw: &str, errors: &mut Vec<FieldError>) -> String {
    let value = raw.trim().to_lowercase();
    if value.is_empty() {
        errors.push(FieldError::new(field, FieldProblem::Required));
        return value;
    }
    let valid = value.len() <= EMAIL_MAX_LEN
        && value.split('@').count() == 2
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        })
        && !value.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, ',' | ';' | '<' | '>'));
    if !valid {
        errors.push(FieldError::new(field, FieldProblem::InvalidEmail));
    }
    value
}

/// The password policy: at least 12 characters, no obvious personal information, and judged strong (score ≥ 3 of 4)
/// by zxcvbn, which knows common passwords, keyboard walks and dates.
pub fn password(field: &'static str, raw: &str, personal: &[&str], errors: &mut Vec<FieldError>) {
    if raw.is_empty() {
        errors.push(FieldError::new(field, FieldProblem::Required));
        return;
    }
    if raw.chars().count() < PASSWORD_MIN_LEN {
        errors.push(FieldError::new(field, FieldProblem::PasswordTooShort { min: PASSWORD_MIN_LEN }));
        return;
    }
    let lowered = raw.to_lowercase();
    let personal_words: Vec<String> = personal
        .iter()
        .flat_map(|p| p.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect();
    if personal_words.iter().any(|w| lowered.contains(w.as_str())) {
        errors.push(FieldError::new(field, FieldProblem::PasswordContainsPersonalInfo));
        return;
    }
    let inputs: Vec<&str> = personal_words.iter().map(String::as_str).collect();
    if (zxcvbn::zxcvbn(raw, &inputs).score() as u8) < 3 {
        errors.push(FieldError::new(field, FieldProblem::PasswordTooWeak));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn problems_of(f: impl FnOnce(&mut Vec<FieldError>)) -> Vec<FieldProblem> {
        let mut errors = Vec::new();
        f(&mut errors);
        errors.into_iter().map(|e| e.problem).collect()
    }

    #[rstest]
    #[case("awa@agence.sn", true)]
    #[case("  Awa.Diop@Agence.SN ", true)]
    #[case("awa@agence", false)]
    #[case("awa@@agence.sn", false)]
    #[case("awa diop@agence.sn", false)]
    #[case("@agence.sn", false)]
    #[case("awa@agence..sn", false)]
    fn email_shapes(#[case] raw: &str, #[case] ok: bool) {
        let problems = problems_of(|e| {
            email("email", raw, e);
        });
        assert_eq!(problems.is_empty(), ok, "{raw:?} should be {}", if ok { "accepted" } else { "refused" });
    }

    #[test]
    fn email_is_stored_lower_case() {
        assert_eq!(email("email", " Awa.Diop@Agence.SN", &mut Vec::new()), "awa.diop@agence.sn");
    }

    #[rstest]
    #[case("", FieldProblem::Required)]
    #[case("short1!", FieldProblem::PasswordTooShort { min: 12 })]
    #[case("password1234", FieldProblem::PasswordTooWeak)]
    #[case("azertyuiop123", FieldProblem::PasswordTooWeak)]
    #[case("diallo-2026-casting", FieldProblem::PasswordContainsPersonalInfo)]
    fn weak_passwords_are_refused(#[case] raw: &str, #[case] expected: FieldProblem) {
        let problems = problems_of(|e| password("password", raw, &["Awa Diallo", "awa@agence.sn"], e));
        assert_eq!(problems, vec![expected], "{raw:?} must be refused for the right reason");
    }

    #[test]
    fn a_strong_passphrase_passes() {
        let problems = problems_of(|e| password("password", "Baobab-soleil-Tamtam-42", &["Awa Diallo"], e));
        assert!(problems.is_empty(), "a long, unusual passphrase is strong enough: {problems:?}");
    }

    #[test]
    fn names_are_required_and_tidied() {
        let mut errors = Vec::new();
        assert_eq!(name("name", "  Joël   N'Guessan ", &mut errors), "Joël N'Guessan");
        assert!(errors.is_empty());
        name("name", "   ", &mut errors);
        assert_eq!(errors, vec![FieldError::new("name", FieldProblem::Required)]);
    }
}
