//! Text normalisation shared by search, uniqueness checks and code derivation: people type "fes" for "Fès" and
//! "NDIAYE" for "Ndiaye", and the product must treat them as the same.

use unicode_normalization::UnicodeNormalization;

/// Lower-cased, accents removed, inner whitespace collapsed: the form used to compare and search.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for c in input.nfkd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Trims and collapses inner whitespace, keeping case and accents: the form stored for names people typed.
pub fn tidy(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("Fès", "fes")]
    #[case("NDIAYE", "ndiaye")]
    #[case("Aïssatou", "aissatou")]
    #[case("  Joël   N'Guessan ", "joel n'guessan")]
    #[case("Ngozi Ọkafọ", "ngozi okafo")]
    fn folds_accents_case_and_spaces(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(fold(input), expected, "search must find {input:?} when typed plainly");
    }

    #[test]
    fn tidy_keeps_what_people_typed() {
        assert_eq!(tidy("  Aïssatou   Diallo "), "Aïssatou Diallo");
    }
}
