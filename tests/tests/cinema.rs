//! Casting through the real desktop app: a production and a project with two shooting days, three talents ticked in
//! the search results and cast at once, then their badges laid out into one A4 PDF in the data folder's `exports/`.
//! Screenshots of the cinema screens land in target/e2e-shots/ (French at 1280 × 800, then 1024 × 700 and English).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use fantoccini::Locator;
use talento_e2e::{App, ENTER};

const PASSWORD: &str = "Baobab-soleil-Tamtam-42";

/// Registers a general talent with only what is required; returns their code.
async fn register(app: &App, first: &str, last: &str, gender: &str) -> Result<String> {
    app.click("nav-talents").await?;
    app.click("talents-new-general").await?;
    if app.visible("draft-discard").await {
        app.click("draft-discard").await?;
    }
    app.fill("field-firstName", first).await?;
    app.fill("field-lastName", last).await?;
    app.click(gender).await?;
    app.fill("field-birthDate", "12/04/1996").await?;
    app.next_until("field-originCountry").await?;
    app.pick("field-originCountry", "Sénégal").await?;
    app.pick("field-originCity", "Dakar").await?;
    app.pick("field-residenceCountry", "Sénégal").await?;
    app.pick("field-residenceCity", "Dakar").await?;
    app.next_until("consent-checkbox").await?;
    app.click("consent-checkbox").await?;
    app.next_until("wizard-save").await?;
    app.click("wizard-save").await?;
    Ok(app.text("profile-code").await?.trim().to_owned())
}

/// Clicks, once the toasts are out of the way.
async fn press(app: &App, testid: &str) -> Result<()> {
    app.dismiss_toasts().await?;
    app.click(testid).await
}

/// Waits until exactly `count` visible elements carry this test id.
async fn wait_count(app: &App, testid: &str, count: usize) -> Result<()> {
    let selector = format!("[data-testid=\"{testid}\"]");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let n = app.client.find_all(Locator::Css(&selector)).await.map(|v| v.len()).unwrap_or(0);
        if n == count {
            return Ok(());
        }
        if Instant::now() > deadline {
            app.screenshot(&format!("cinema-count-{testid}")).await?;
            bail!("expected {count} [data-testid={testid}], found {n}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Chooses an option of a native <select> by its value.
async fn choose_option(app: &App, testid: &str, value: &str) -> Result<()> {
    let select = app.find(testid).await?;
    select.select_by_value(value).await.with_context(|| format!("choose {value} in {testid}"))?;
    let chosen = app.client.execute("return arguments[0].value;", vec![serde_json::to_value(&select)?]).await?;
    ensure!(chosen == serde_json::json!(value), "{testid} shows {chosen}, not {value}");
    Ok(())
}

fn run(cmd: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(cmd).args(args).output().with_context(|| format!("run {cmd} (poppler-utils)"))?;
    ensure!(out.status.success(), "{cmd} failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The one PDF in `exports/`, its page count and its text.
fn badge_pdf(data_dir: &Path) -> Result<(String, u32, String)> {
    let exports = data_dir.join("exports");
    let pdfs: Vec<_> = std::fs::read_dir(&exports)
        .with_context(|| format!("read {}", exports.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    ensure!(pdfs.len() == 1, "one badge PDF in exports/, found {pdfs:?}");
    let path = pdfs[0].display().to_string();
    let info = run("pdfinfo", &[&path])?;
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .context("pdfinfo gives the page count")?;
    let text = run("pdftotext", &["-layout", &path, "-"])?;
    Ok((path, pages, text))
}

#[tokio::test]
async fn cast_three_talents_from_the_search_results_and_print_their_badges() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        app.client.set_window_size(1280, 800).await?;
        app.first_run("Agence Kourouma Casting", "Awa Diop", "awa@kourouma.sn", PASSWORD).await?;
        let talents =
            [("Aïssatou", "Ndiaye", "gender-F"), ("Joël", "N'Guessan", "gender-M"), ("Moussa", "Traoré", "gender-M")];
        let mut codes = Vec::new();
        for (first, last, gender) in talents {
            codes.push(register(&app, first, last, gender).await?);
        }

        // A production, from the empty projects list.
        press(&app, "nav-cinema").await?;
        app.find("cinema-tab-projects").await?;
        app.screenshot("c10-projects-empty").await?;
        press(&app, "projects-empty-new-production").await?;
        app.fill("production-name", "Les Films du Sahel").await?;
        app.pick("production-country", "Sénégal").await?;
        app.fill("production-city", "Dakar").await?;
        app.fill("production-services", "Casting, Location de matériel").await?;
        app.find("production-services").await?.send_keys(ENTER).await?;
        app.dismiss_toasts().await?;
        app.screenshot("c20-production-form").await?;
        press(&app, "production-save").await?;
        app.wait_content("productions-table", "Les Films du Sahel").await?;
        app.screenshot("c25-productions").await?;

        // A project with two shooting days.
        press(&app, "cinema-tab-projects").await?;
        press(&app, "projects-new").await?;
        app.fill("project-name", "Les Lumières de Saint-Louis").await?;
        app.pick("project-production", "Films du Sahel").await?;
        choose_option(&app, "project-type", "film").await?;
        app.fill("project-start", "21/11/2026").await?;
        app.fill("project-end", "05/12/2026").await?;
        app.fill("project-locations", "Saint-Louis, Dakar").await?;
        app.find("project-locations").await?.send_keys(ENTER).await?;
        app.dismiss_toasts().await?;
        app.screenshot("c30-project-form").await?;
        press(&app, "project-save").await?;
        let project_code = app.text("project-code").await?.trim().to_owned();
        assert!(project_code.starts_with("SNFSI"), "country, production initials, number: {project_code}");
        for call in ["0630", "07:15"] {
            press(&app, "shoot-day-add").await?;
            app.fill("shoot-day-call", call).await?;
            press(&app, "shoot-day-save").await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        wait_count(&app, "shoot-day-row", 2).await?;

        // Three talents ticked in the search results, cast at once.
        press(&app, "nav-talents").await?;
        press(&app, "talents-select-mode").await?;
        for code in &codes {
            let check = format!("[data-testid=\"talent-row\"][data-code=\"{code}\"] [data-testid=\"talent-check\"]");
            let deadline = Instant::now() + Duration::from_secs(15);
            loop {
                if let Ok(el) = app.client.find(Locator::Css(&check)).await {
                    el.click().await?;
                    break;
                }
                if Instant::now() > deadline {
                    app.screenshot("cinema-no-check").await?;
                    bail!("no checkbox for {code}");
                }
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
        }
        app.wait_text("talents-selected-count", "3").await?;
        app.dismiss_toasts().await?;
        app.screenshot("c40-talents-selected").await?;
        press(&app, "talents-assign").await?;
        app.find("assign-project").await?;
        app.pick("assign-type", "Figurant").await?;
        app.fill("assign-role", "Pêcheurs du fleuve").await?;
        app.screenshot("c50-assign-dialog").await?;
        press(&app, "assign-submit").await?;
        let summary = app.wait_text("assign-summary", "3").await?;
        assert!(summary.contains("3 ajoutés"), "the three are newly cast: {summary:?}");
        app.screenshot("c55-assign-done").await?;
        press(&app, "assign-open-project").await?;

        // The project shows them; their badges are laid out into one A4 sheet.
        wait_count(&app, "roster-row", 3).await?;
        let names = app.wait_content("roster", "Ndiaye").await?;
        for (first, last, _) in talents {
            assert!(names.contains(first) && names.contains(last), "{first} {last} is on the roster: {names:?}");
        }
        app.screenshot("c60-project-page").await?;
        press(&app, "badges-generate").await?;
        let shown = app.wait_content("badges-result", "3 badges").await?;
        tokio::time::sleep(Duration::from_millis(600)).await; // the roster reloads with the new badges
        app.screenshot("c70-badges-done").await?;
        let (path, pages, text) = badge_pdf(app.data_dir.path())?;
        let name = Path::new(&path).file_name().and_then(|n| n.to_str()).unwrap_or_default();
        assert!(shown.contains(name), "the panel names the PDF: {shown:?} vs {name}");
        let shown_at = app
            .client
            .execute("return document.querySelector('[data-testid=\"badges-path\"]')?.title ?? null;", vec![])
            .await?;
        assert_eq!(shown_at.as_str(), Some(path.as_str()), "the panel shows where the PDF is (on the name)");
        assert_eq!(pages, 1, "three badges fit on one A4 sheet of four");
        for code in &codes {
            assert!(text.contains(code.as_str()), "the PDF carries talent code {code}");
        }
        for last in ["Ndiaye", "Guessan", "Traor"] {
            assert!(text.contains(last), "the PDF names {last}; text: {text}");
        }

        // The project list, then the smallest window and English.
        press(&app, "nav-cinema").await?;
        app.find("project-row").await?;
        app.screenshot("c80-project-list").await?;
        app.client.set_window_size(1024, 700).await?;
        app.screenshot("c81-project-list-1024").await?;
        // Rows open with Enter, as from the keyboard.
        app.find("project-row").await?.send_keys(ENTER).await?;
        wait_count(&app, "roster-row", 3).await?;
        app.screenshot("c82-project-page-1024").await?;
        press(&app, "lang-en").await?;
        app.wait_text("roster", "Cast").await?;
        app.screenshot("c83-project-page-1024-en").await?;
        app.client.set_window_size(1280, 800).await?;
        app.screenshot("c84-project-page-en").await?;
        anyhow::Ok(())
    }
    .await;
    if result.is_err() {
        let _ = app.screenshot("cinema-failure").await;
    }
    app.close().await?;
    result
}
