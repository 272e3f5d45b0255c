//! Registering talents through the real desktop app: one general and one cinema talent, each with a cropped photo
//! and a CV, then finding each by an accent-free search, opening the profile, seeing its code and QR.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use talento_e2e::App;

const PASSWORD: &str = "Baobab-soleil-Tamtam-42";

/// A photo-like JPEG and a minimal PDF, written where the file inputs can read them.
fn fixtures(dir: &Path) -> Result<(PathBuf, PathBuf)> {
    let img = image::RgbImage::from_fn(900, 700, |x, y| image::Rgb([(x / 4) as u8, (y / 3) as u8, 120]));
    let photo = dir.join("portrait.jpg");
    image::DynamicImage::ImageRgb8(img).save(&photo)?;
    let cv = dir.join("cv.pdf");
    std::fs::write(&cv, b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")?;
    Ok((photo, cv))
}

struct Talent<'a> {
    start: &'a str,
    first: &'a str,
    last: &'a str,
    gender: &'a str,
    country: &'a str,
    city: &'a str,
    search: &'a str,
    shot: &'a str,
}

async fn register(app: &App, talent: &Talent<'_>, photo: &Path, cv: &Path) -> Result<String> {
    app.click("nav-talents").await?;
    app.click(talent.start).await?;
    app.fill("field-firstName", talent.first).await?;
    app.fill("field-lastName", talent.last).await?;
    app.click(talent.gender).await?;
    app.fill("field-birthDate", "12/04/1996").await?;
    app.next_until("field-originCountry").await?;
    app.pick("field-originCountry", talent.country).await?;
    app.pick("field-originCity", talent.city).await?;
    app.pick("field-residenceCountry", talent.country).await?;
    app.pick("field-residenceCity", talent.city).await?;
    app.screenshot(&format!("{}-places", talent.shot)).await?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.client.find(fantoccini::Locator::Css("[data-testid=\"photo-input\"]")).await.is_err() {
        if Instant::now() > deadline {
            bail!("the wizard never reached the photo step");
        }
        app.click("wizard-next").await?;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    app.choose_file("photo-input", photo).await?;
    app.screenshot(&format!("{}-crop", talent.shot)).await?;
    app.click("crop-confirm").await?;
    app.find("photo-preview").await?;
    app.choose_file("cv-input", cv).await?;
    app.find("cv-name").await?;
    app.next_until("consent-checkbox").await?;
    app.click("consent-checkbox").await?;
    app.next_until("wizard-save").await?;
    app.screenshot(&format!("{}-review", talent.shot)).await?;
    app.click("wizard-save").await?;
    let code = app.text("profile-code").await?.trim().to_owned();
    app.find("profile-qr").await?;
    app.find("profile-photo").await?;
    app.screenshot(&format!("{}-profile", talent.shot)).await?;
    Ok(code)
}

async fn find_by_search(app: &App, typed: &str, code: &str) -> Result<()> {
    app.click("nav-talents").await?;
    app.fill("talents-search", typed).await?;
    let row = format!("[data-testid=\"talent-row\"][data-code=\"{code}\"]");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(element) = app.client.find(fantoccini::Locator::Css(&row)).await {
            element.click().await?;
            break;
        }
        if Instant::now() > deadline {
            app.screenshot(&format!("search-{typed}")).await?;
            bail!("searching {typed:?} never listed {code}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let shown = app.text("profile-code").await?;
    assert_eq!(shown.trim(), code, "the row opens that talent's profile");
    app.find("profile-qr").await?;
    Ok(())
}

#[tokio::test]
async fn register_general_and_cinema_talents_then_find_them_without_accents() -> Result<()> {
    let files = tempfile::tempdir()?;
    let (photo, cv) = fixtures(files.path())?;
    let app = App::launch().await?;
    let result = async {
        app.first_run("Agence Kourouma Casting", "Awa Diop", "awa@kourouma.sn", PASSWORD).await?;
        let general = Talent {
            start: "talents-new-general",
            first: "Aïssatou",
            last: "Ndiaye",
            gender: "gender-F",
            country: "Sénégal",
            city: "Dakar",
            search: "aissatou ndiaye",
            shot: "10-general",
        };
        let cinema = Talent {
            start: "talents-new-cinema",
            first: "Joël",
            last: "N'Guessan",
            gender: "gender-M",
            country: "Côte d'Ivoire",
            city: "Abidjan",
            search: "joel",
            shot: "20-cinema",
        };
        let general_code = register(&app, &general, &photo, &cv).await?;
        assert!(general_code.starts_with("SNF0001"), "general code PPGNNNNVVV: {general_code}");
        let cinema_code = register(&app, &cinema, &photo, &cv).await?;
        assert!(
            cinema_code.starts_with("CI") && cinema_code.ends_with("0001M"),
            "cinema code PPVVVNNNNG: {cinema_code}"
        );
        find_by_search(&app, general.search, &general_code).await?;
        find_by_search(&app, cinema.search, &cinema_code).await?;
        app.click("nav-talents").await?;
        app.screenshot("30-list").await?;
        anyhow::Ok(())
    }
    .await;
    if result.is_err() {
        let _ = app.screenshot("registry-failure").await;
    }
    app.close().await?;
    result
}
