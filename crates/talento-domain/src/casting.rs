//! Productions, projects and assignments: their closed lists (production types, project statuses) and the codes.
//! A project's code is `CCIIISSS` (origin country, production initials, project number within those two) and an
//! assignment's is that code followed by its number in the project: `CCIIISSSNNN`. Numbers come from the same
//! lease-based allocator as talent codes; a scope that passes 999 grows a digit rather than wrapping.

use serde::{Deserialize, Serialize};

use crate::text::fold;

/// What kind of work a project is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ProductionType {
    Film,
    Series,
    Ad,
    Clip,
    Documentary,
    Theatre,
    Other,
}

impl ProductionType {
    pub const ALL: [ProductionType; 7] = [
        ProductionType::Film,
        ProductionType::Series,
        ProductionType::Ad,
        ProductionType::Clip,
        ProductionType::Documentary,
        ProductionType::Theatre,
        ProductionType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProductionType::Film => "film",
            ProductionType::Series => "series",
            ProductionType::Ad => "ad",
            ProductionType::Clip => "clip",
            ProductionType::Documentary => "documentary",
            ProductionType::Theatre => "theatre",
            ProductionType::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Where a project stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Preparation,
    Shooting,
    PostProduction,
    Finished,
    Cancelled,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 5] = [
        ProjectStatus::Preparation,
        ProjectStatus::Shooting,
        ProjectStatus::PostProduction,
        ProjectStatus::Finished,
        ProjectStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Preparation => "preparation",
            ProjectStatus::Shooting => "shooting",
            ProjectStatus::PostProduction => "post_production",
            ProjectStatus::Finished => "finished",
            ProjectStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Words that carry no initial: articles and linking words in French and English, and the generic words of company
/// names ("Les Films du Sahel" → FS…, "The Lagos Picture Company" → LP…).
const STOP_WORDS: &[&str] = &[
    "le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "et", "en", "au", "aux", "pour", "par", "sur", "the",
    "a", "an", "of", "and", "for", "on", "in", "at", "sa", "sarl", "sas", "sarlu", "ltd", "llc", "inc", "co",
];

/// Three capital letters for a production: the initials of its significant words, completed from the letters of
/// its first word when it has fewer than three, `XXX` when it has no letters at all.
pub fn production_initials(name: &str) -> String {
    let folded = fold(name);
    let words: Vec<Vec<char>> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(|w| w.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_uppercase()).collect())
        .filter(|w: &Vec<char>| !w.is_empty())
        .collect();
    let mut initials: String = words.iter().filter_map(|w| w.first()).take(3).collect();
    let mut filler = words.iter().flat_map(|w| w.iter().skip(1));
    while initials.len() < 3 {
        match filler.next() {
            Some(c) => initials.push(*c),
            None => initials.push('X'),
        }
    }
    initials
}

/// The allocator scope of a project's number: per origin country and production initials, so the code is unique.
pub fn project_scope(country: &str, initials: &str) -> String {
    format!("project:{country}{initials}")
}

/// The allocator scope of a project's assignment numbers.
pub fn assignment_scope(project_id: &str) -> String {
    format!("assignment:{project_id}")
}

/// `CCIIISSS`.
pub fn project_code(country: &str, initials: &str, number: u32) -> String {
    format!("{country}{initials}{number:03}")
}

/// `CCIIISSSNNN`.
pub fn assignment_code(project_code: &str, number: u32) -> String {
    format!("{project_code}{number:03}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("Les Films du Sahel", "FSI")]
    #[case("Sahel Films Production", "SFP")]
    #[case("The Lagos Picture Company Ltd", "LPC")]
    #[case("Nollywood", "NOL")]
    #[case("Studio Ọkafọ", "SOT")]
    #[case("Ciné Côte d'Ivoire", "CCI")]
    #[case("  ", "XXX")]
    #[case("42", "XXX")]
    #[case("Les Productions de l'Atlas et du Rif", "PAR")]
    fn initials_skip_stop_words(#[case] name: &str, #[case] expected: &str) {
        assert_eq!(production_initials(name), expected, "initials of {name:?}");
    }

    #[test]
    fn codes_have_the_documented_shape() {
        let project = project_code("SN", "FSA", 7);
        assert_eq!(project, "SNFSA007");
        assert_eq!(assignment_code(&project, 12), "SNFSA007012");
        assert_eq!(assignment_code(&project, 1000), "SNFSA0071000", "grows rather than wraps");
    }

    #[test]
    fn closed_lists_round_trip() {
        for t in ProductionType::ALL {
            assert_eq!(ProductionType::parse(t.as_str()), Some(t));
        }
        for s in ProjectStatus::ALL {
            assert_eq!(ProjectStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ProjectStatus::parse("shooting"), Some(ProjectStatus::Shooting));
        assert_eq!(ProductionType::parse("podcast"), None);
    }
}
