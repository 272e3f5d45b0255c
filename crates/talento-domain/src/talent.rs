//! Talent profiles' value types and rules: kinds, genders, the two human code formats, phone numbers, ages, social
//! networks. Codes follow ARCHITECTURE.md — general `PPGNNNNVVV` (origin country, gender, number per origin
//! country, residence city) and cinema `PPVVVNNNNG` (residence country and city, number per that city, gender).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// General talents (any skill) and cinema talents (actors, extras, with physical traits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum TalentKind {
    General,
    Cinema,
}

impl TalentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TalentKind::General => "general",
            TalentKind::Cinema => "cinema",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "general" => Some(TalentKind::General),
            "cinema" => Some(TalentKind::Cinema),
            _ => None,
        }
    }
}

/// M, F, or N (not stated / non-binary), as the code carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub enum Gender {
    M,
    F,
    N,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::M => "M",
            Gender::F => "F",
            Gender::N => "N",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "M" => Some(Gender::M),
            "F" => Some(Gender::F),
            "N" => Some(Gender::N),
            _ => None,
        }
    }
}

/// Contact, address and identity fields of a profile: only roles allowed to see personal data (`PersonalDataView`)
/// see or change them, on a laptop and through the server's REST API alike.
pub const PERSONAL_FIELDS: [&str; 9] = [
    "email",
    "phone",
    "whatsapp",
    "address",
    "passport_number",
    "residence_card_number",
    "id_document_type",
    "id_document_number",
    "id_photo",
];

/// The counter a code's number comes from: general codes count per origin country, cinema codes per residence
/// country and city.
pub fn code_scope(kind: TalentKind, origin_country: &str, residence_country: &str, residence_city: &str) -> String {
    match kind {
        TalentKind::General => format!("general:{origin_country}"),
        TalentKind::Cinema => format!("cinema:{residence_country}:{residence_city}"),
    }
}

/// What a code scope counts, read from its name: `general:<ISO-2>`, `cinema:<ISO-2>:<city code>` (this module's
/// [`code_scope`]), `project:<ISO-2><production initials>` and `assignment:<project id>` (`casting::project_scope`,
/// `casting::assignment_scope`). The one description of a scope the desktop and the server share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    General,
    Cinema,
    Project,
    Assignment,
}

/// Numbers from here up are provisional: issued offline by an enrolled laptop with no leased number left, replaced
/// by a leased one at its next sync (`talento-core`'s `sync::leases`). No scope leases this high
/// ([`ScopeKind::capacity`]), so a provisional number never equals a leased one.
pub const PROVISIONAL_FROM: u64 = 100_000_000;

impl ScopeKind {
    /// The kind of a well-formed scope, or `None`.
    pub fn parse(scope: &str) -> Option<ScopeKind> {
        let parts: Vec<&str> = scope.split(':').collect();
        let upper = |s: &str| s.bytes().all(|b| b.is_ascii_uppercase());
        let iso2 = |s: &str| s.len() == 2 && upper(s);
        match parts.as_slice() {
            ["general", country] if iso2(country) => Some(ScopeKind::General),
            ["cinema", country, city] if iso2(country) && city.len() == 3 && upper(city) => Some(ScopeKind::Cinema),
            ["project", prefix]
                if (3..=8).contains(&prefix.len())
                    && prefix.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                    && iso2(&prefix[..2]) =>
            {
                Some(ScopeKind::Project)
            }
            ["assignment", project]
                if (1..=64).contains(&project.len())
                    && project.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
            {
                Some(ScopeKind::Assignment)
            }
            _ => None,
        }
    }

    /// The digits a number is written with: four for talents, three for projects and assignments. A number past
    /// them makes a longer code rather than wrapping (see [`talent_code`]).
    pub fn digits(self) -> usize {
        match self {
            ScopeKind::General | ScopeKind::Cinema => 4,
            ScopeKind::Project | ScopeKind::Assignment => 3,
        }
    }

    /// The highest number the server leases in a scope: the largest that fits the format's digits (9,999 or 999),
    /// so codes handed out through the server keep their fixed length. Always below [`PROVISIONAL_FROM`].
    pub fn capacity(self) -> u64 {
        10u64.pow(self.digits() as u32) - 1
    }
}

const _: () = assert!(10u64.pow(4) - 1 < PROVISIONAL_FROM, "a leased number must never be provisional");

/// Builds a talent code. Numbers have at least four digits; a scope that passes 9,999 grows to five rather than
/// wrapping, so a code is never issued twice.
pub fn talent_code(
    kind: TalentKind,
    gender: Gender,
    origin_country: &str,
    residence_country: &str,
    residence_city: &str,
    number: u32,
) -> String {
    match kind {
        TalentKind::General => format!("{origin_country}{}{number:04}{residence_city}", gender.as_str()),
        TalentKind::Cinema => format!("{residence_country}{residence_city}{number:04}{}", gender.as_str()),
    }
}

/// Full years between a birth date and a day.
pub fn age_on(birth: Date, today: Date) -> i16 {
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The social networks a profile may link to, in display order.
pub const SOCIAL_NETWORKS: [&str; 14] = [
    "linkedin",
    "imdb",
    "instagram",
    "tiktok",
    "youtube",
    "facebook",
    "x",
    "threads",
    "github",
    "behance",
    "dribbble",
    "pinterest",
    "snapchat",
    "telegram",
];

/// Parses a phone number as dialled in `country` (ISO-2) or in international form, and returns it in E.164
/// (`+221771234567`), or `None` when it is not a valid number for that country.
pub fn phone_e164(raw: &str, country: &str) -> Option<String> {
    let region = country.parse::<phonenumber::country::Id>().ok();
    let number = phonenumber::parse(region, raw.trim()).ok()?;
    if !phonenumber::is_valid(&number) {
        return None;
    }
    Some(number.format().mode(phonenumber::Mode::E164).to_string())
}

/// A web address people may click: http(s), a host with a dot, no spaces.
pub fn is_web_url(raw: &str) -> bool {
    let s = raw.trim();
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or_default();
        host.contains('.') && !host.starts_with('.') && !s.chars().any(char::is_whitespace) && s.len() <= 500
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn scopes_follow_the_code_formats() {
        let capacity = |scope: &str| ScopeKind::parse(scope).map(ScopeKind::capacity);
        assert_eq!(capacity("general:SN"), Some(9999));
        assert_eq!(capacity("cinema:SN:DKR"), Some(9999));
        assert_eq!(capacity("assignment:0190f3a2-7c1e-7000-8000-000000000001"), Some(999));
        assert_eq!(capacity("project:SNFSI"), Some(999), "the desktop leases project numbers too");
        for bad in [
            "",
            "general:sn",
            "general:SEN",
            "cinema:SN",
            "cinema:SN:DK",
            "assignment:",
            "other:SN",
            "project:sn",
            "project:S",
        ] {
            assert_eq!(capacity(bad), None, "{bad:?} is not a scope");
        }
        for kind in [ScopeKind::General, ScopeKind::Cinema, ScopeKind::Project, ScopeKind::Assignment] {
            assert!(kind.capacity() < PROVISIONAL_FROM, "{kind:?}: a leased number is never a provisional one");
        }
    }

    use super::*;
    use rstest::rstest;

    #[test]
    fn codes_follow_the_two_formats() {
        assert_eq!(talent_code(TalentKind::General, Gender::F, "SN", "CI", "ABJ", 42), "SNF0042ABJ");
        assert_eq!(talent_code(TalentKind::Cinema, Gender::M, "SN", "MA", "CAS", 7), "MACAS0007M");
        assert_eq!(
            talent_code(TalentKind::General, Gender::N, "NG", "NG", "LAG", 10_000),
            "NGN10000LAG",
            "past 9,999 the number grows instead of wrapping"
        );
        assert_eq!(code_scope(TalentKind::General, "SN", "CI", "ABJ"), "general:SN");
        assert_eq!(code_scope(TalentKind::Cinema, "SN", "MA", "CAS"), "cinema:MA:CAS");
    }

    #[rstest]
    #[case("77 123 45 67", "SN", Some("+221771234567"))]
    #[case("+225 07 07 07 07 07", "SN", Some("+2250707070707"))]
    #[case("0612345678", "MA", Some("+212612345678"))]
    #[case("123", "SN", None)]
    #[case("not a phone", "NG", None)]
    fn phones_are_validated_per_country_and_stored_e164(
        #[case] raw: &str,
        #[case] country: &str,
        #[case] expected: Option<&str>,
    ) {
        assert_eq!(phone_e164(raw, country).as_deref(), expected, "{raw:?} dialled from {country}");
    }

    #[test]
    fn ages_count_full_years() {
        let birth = Date::constant(2000, 6, 15);
        assert_eq!(age_on(birth, Date::constant(2026, 6, 14)), 25);
        assert_eq!(age_on(birth, Date::constant(2026, 6, 15)), 26);
    }

    #[rstest]
    #[case("https://www.imdb.com/name/nm0000001/", true)]
    #[case("http://portfolio.example.sn", true)]
    #[case("www.example.com", false)]
    #[case("javascript:alert(1)", false)]
    #[case("https://bad host.com", false)]
    fn web_urls(#[case] raw: &str, #[case] ok: bool) {
        assert_eq!(is_web_url(raw), ok, "{raw:?}");
    }
}
