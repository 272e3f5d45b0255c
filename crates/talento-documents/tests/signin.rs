//! The sign-in sheet PDF read back by poppler: the names print with their African letters and are searchable, the
//! header repeats on every page, and a long roster breaks into the right number of numbered pages.

use std::path::Path;
use std::process::Command;

use talento_documents::signin::{ROWS_PER_PAGE, SignInColumns, SignInRow, SignInSheet, signin_pdf};

fn sheet(rows: usize) -> SignInSheet {
    let names = ["Aïssatou Ndiaye", "Joël N'Guessan", "Ngozi O\u{323}kafo\u{323}", "Chiamaka Ɓello-Ŋwana"];
    SignInSheet {
        agency_name: "Agence Kourouma".into(),
        title: "Feuille d’émargement".into(),
        production_name: "Les Films du Sahel".into(),
        project: "Le Chant du Fleuve · SNFSI001".into(),
        details: "Jour : 03/12/2026 · Convocation : 07:30 · Lieu : Saint-Louis".into(),
        columns: SignInColumns {
            number: "N°".into(),
            name: "Nom".into(),
            code: "Code".into(),
            role: "Rôle".into(),
            time_in: "Arrivée".into(),
            time_out: "Départ".into(),
            signature: "Signature".into(),
        },
        rows: (0..rows)
            .map(|i| SignInRow {
                name: names[i % names.len()].into(),
                code: format!("SNDKR{:04}F", i + 1),
                role: if i == 0 {
                    "Villageoise au marché, scène 12, et bien d’autres choses encore".into()
                } else {
                    "Pêcheur".into()
                },
                time_in: if i == 0 { "07:25".into() } else { String::new() },
                time_out: String::new(),
            })
            .collect(),
        page_label: "Page {page} sur {pages}".into(),
    }
}

fn write(dir: &Path, name: &str, pdf: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, pdf).expect("write");
    path
}

fn pdf_text(path: &Path) -> String {
    let out =
        Command::new("pdftotext").args(["-layout"]).arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext reads the sheet");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn pages(path: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(path).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8(out.stdout).expect("utf-8");
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("a page count");
    line.trim_start_matches("Pages:").trim().parse().expect("a number")
}

#[test]
fn names_with_african_letters_print_and_extract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "one.pdf", &signin_pdf(&sheet(4)).expect("pdf"));
    assert_eq!(pages(&path), 1, "four talents fit one page");
    let text = pdf_text(&path);
    for expected in [
        "Agence Kourouma",
        "Feuille d’émargement",
        "Aïssatou Ndiaye",
        "Joël N'Guessan",
        "Ngozi Ọkafọ",
        "Chiamaka Ɓello-Ŋwana",
        "Convocation : 07:30",
        "07:25",
        "Signature",
        "Page 1 sur 1",
    ] {
        assert!(text.contains(expected), "{expected:?} must be on the sheet (embedded fonts, searchable):\n{text}");
    }
    assert!(text.contains("Villageoise"), "a long role is cut to its column, not dropped");
    assert!(!text.contains("encore"), "and does not run into the next column");
}

#[test]
fn a_long_roster_breaks_into_numbered_pages_with_the_header_repeated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = 2 * ROWS_PER_PAGE + 5;
    let path = write(dir.path(), "long.pdf", &signin_pdf(&sheet(rows)).expect("pdf"));
    assert_eq!(pages(&path), 3, "{rows} talents at {ROWS_PER_PAGE} a page");
    let text = pdf_text(&path);
    assert_eq!(text.matches("Le Chant du Fleuve").count(), 3, "the project header repeats on every page");
    for page in 1..=3 {
        assert!(text.contains(&format!("Page {page} sur 3")), "page {page} is numbered");
    }
    assert!(text.contains(&format!("SNDKR{rows:04}F")), "the last talent is printed");

    let empty = write(dir.path(), "empty.pdf", &signin_pdf(&sheet(0)).expect("pdf"));
    assert_eq!(pages(&empty), 1, "an empty roster still prints its header page");
}
