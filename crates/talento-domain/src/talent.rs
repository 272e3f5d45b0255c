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

/// The counter a code's number comes from: general codes count per origin country, cinema codes per residence
/// country and city.
pub fn code_scope(kind: TalentKind, origin_country: &str, residence_country: &str, residence_city: &str) -> String {
    match kind {
        TalentKind::General => format!("general:{origin_country}"),
        TalentKind::Cinema => format!("cinema:{residence_country}:{residence_city}"),
    }
}

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
