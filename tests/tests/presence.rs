//! Presence at the gate through the real desktop app: a talent with a photo is cast on a project shooting today and
//! gets a badge (all through the UI); the badge's QR code is read back from the PDF, then typed into the scan field
//! the way a USB scanner does (the whole token and Enter at once). The first scan checks in with the photo and name,
//! the same badge again at once is a double read, and after ten seconds a third scan checks out. Screenshots of the
//! presence screen land in target/e2e-shots/ (French and English, 1280 × 800 and 1024 × 700).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use fantoccini::Locator;
use talento_e2e::{App, ENTER};

const PASSWORD: &str = "Baobab-soleil-Tamtam-42";

fn portrait(dir: &Path) -> Result<PathBuf> {
    let img = image::RgbImage::from_fn(600, 600, |x, y| {
        let (dx, dy) = (x as i32 - 300, y as i32 - 260);
        if dx * dx + dy * dy < 150 * 150 {
            image::Rgb([142, 96, 70])
        } else {
            image::Rgb([40, 90, 120 + (y / 8) as u8])
        }
    });
    let path = dir.join("portrait.jpg");
    image::DynamicImage::ImageRgb8(img).save(&path)?;
    Ok(path)
}

/// Registers a general talent with a photo; returns their code.
async fn register_with_photo(app: &App, photo: &Path) -> Result<String> {
    app.click("nav-talents").await?;
    app.click("talents-new-general").await?;
    if app.visible("draft-discard").await {
        app.click("draft-discard").await?;
    }
    app.fill("field-firstName", "Aïssatou").await?;
    app.fill("field-lastName", "Ndiaye").await?;
    app.click("gender-F").await?;
    app.fill("field-birthDate", "12/04/1996").await?;
    app.next_until("field-originCountry").await?;
    app.pick("field-originCountry", "Sénégal").await?;
    app.pick("field-originCity", "Dakar").await?;
    app.pick("field-residenceCountry", "Sénégal").await?;
    app.pick("field-residenceCity", "Dakar").await?;
    app.next_until("photo-input").await?;
    app.choose_file("photo-input", photo).await?;
    app.click("crop-confirm").await?;
    app.find("photo-preview").await?;
    app.next_until("consent-checkbox").await?;
    app.click("consent-checkbox").await?;
    app.next_until("wizard-save").await?;
    app.click("wizard-save").await?;
    Ok(app.text("profile-code").await?.trim().to_owned())
}

/// Scrolls the element to the middle of the window (away from the toasts and the edges), then clicks it.
async fn click_centered(app: &App, testid: &str) -> Result<()> {
    let element = app.find(testid).await?;
    app.client
        .execute("arguments[0].scrollIntoView({ block: 'center' });", vec![serde_json::to_value(&element)?])
        .await?;
    tokio::time::sleep(Duration::from_millis(150)).await;
    element.click().await.with_context(|| format!("click {testid}"))
}

fn local_day(offset_days: i64) -> Result<String> {
    let out = Command::new("date").args(["-d", &format!("{offset_days} days"), "+%d/%m/%Y"]).output()?;
    ensure!(out.status.success(), "date runs");
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A production, a project from today to next week with a shooting day today, the talent cast and badged.
async fn cast_and_badge(app: &App, code: &str) -> Result<()> {
    app.click("nav-cinema").await?;
    app.click("projects-empty-new-production").await?;
    app.fill("production-name", "Les Films du Sahel").await?;
    app.pick("production-country", "Sénégal").await?;
    app.fill("production-city", "Dakar").await?;
    app.dismiss_toasts().await?;
    app.click("production-save").await?;
    app.find("productions-table").await?;
    app.click("cinema-tab-projects").await?;
    app.click("projects-new").await?;
    app.fill("project-name", "Les Lumières de Saint-Louis").await?;
    app.pick("project-production", "Films du Sahel").await?;
    let select = app.find("project-type").await?;
    select.select_by_value("film").await?;
    app.fill("project-start", &local_day(0)?).await?;
    app.fill("project-end", &local_day(7)?).await?;
    app.dismiss_toasts().await?;
    app.click("project-save").await?;
    app.find("project-code").await?;
    app.dismiss_toasts().await?;
    click_centered(app, "shoot-day-add").await?;
    app.fill("shoot-day-date", &local_day(0)?).await?;
    app.fill("shoot-day-call", "06:30").await?;
    app.fill("shoot-day-location", "Quai Roume").await?;
    app.click("shoot-day-save").await?;
    app.find("shoot-day-row").await?;
    app.dismiss_toasts().await?;

    app.click("nav-talents").await?;
    app.click("talents-select-mode").await?;
    let check = format!("[data-testid=\"talent-row\"][data-code=\"{code}\"] [data-testid=\"talent-check\"]");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(el) = app.client.find(Locator::Css(&check)).await {
            el.click().await?;
            break;
        }
        if Instant::now() > deadline {
            bail!("no checkbox for {code}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    app.dismiss_toasts().await?;
    app.click("talents-assign").await?;
    app.find("assign-project").await?;
    app.pick("assign-type", "Figurant").await?;
    app.fill("assign-role", "Pêcheuse").await?;
    app.click("assign-submit").await?;
    app.wait_text("assign-summary", "1").await?;
    app.click("assign-open-project").await?;
    app.find("roster-row").await?;
    app.dismiss_toasts().await?;
    click_centered(app, "badges-generate").await?;
    app.wait_text("badges-result", "1 badge").await?;
    Ok(())
}

/// The badge PDF in `exports/`, rendered by poppler and its QR code read back: the token a scanner would type.
fn token_from_badge_pdf(data_dir: &Path, work: &Path) -> Result<String> {
    let exports = data_dir.join("exports");
    let pdf = std::fs::read_dir(&exports)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .context("a badge PDF in exports/")?;
    // rqrr misses the odd code at one resolution that it reads at another: try 300 dpi, then 200.
    for dpi in [300, 200] {
        let dir = work.join(format!("dpi{dpi}"));
        std::fs::create_dir_all(&dir)?;
        let status = Command::new("pdftoppm")
            .args(["-r", &dpi.to_string(), "-gray", "-png", "-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg(dir.join("page"))
            .status()
            .context("pdftoppm (poppler-utils)")?;
        ensure!(status.success(), "pdftoppm renders the badge PDF");
        let page = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "png"))
            .context("a rendered page")?;
        let page = image::open(&page)?.into_luma8();
        let (w, h) = page.dimensions();
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
            page.get_pixel(x as u32, y as u32).0[0]
        });
        for grid in prepared.detect_grids() {
            if let Ok((_, content)) = grid.decode() {
                return Ok(content);
            }
        }
    }
    bail!("no QR code decodes on the badge page")
}

/// The file in `exports/` whose name starts with `prefix` and ends with `.ext`.
fn exported(data_dir: &Path, prefix: &str, ext: &str) -> Result<PathBuf> {
    std::fs::read_dir(data_dir.join("exports"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.extension().is_some_and(|x| x == ext)
                && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix))
        })
        .with_context(|| format!("a {prefix}*.{ext} file in exports/"))
}

#[expect(clippy::print_stdout, reason = "the run reports what it measured (Enter → result times, the camera)")]
fn report(line: &str) {
    println!("presence: {line}");
}

/// The Enter → result time the page measured for the result on screen (and its backend part), printed.
async fn latency(app: &App, what: &str) -> Result<f64> {
    let total: f64 = attr(app, "presence-result", "data-latency-ms").await?.unwrap_or_default().parse()?;
    let backend = attr(app, "presence-result", "data-ipc-ms").await?.unwrap_or_default();
    report(&format!("Enter → {what} shown in {total} ms (backend call {backend} ms)"));
    Ok(total)
}

async fn attr(app: &App, testid: &str, name: &str) -> Result<Option<String>> {
    // The result panel is re-rendered for every scan: an element found a moment ago may be gone; look again.
    let mut tries = 0;
    loop {
        match app.find(testid).await?.attr(name).await {
            Ok(value) => return Ok(value),
            Err(_) if tries < 20 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Waits until the result panel shows `action`; returns the panel's text.
async fn wait_action(app: &App, action: &str) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if attr(app, "presence-result", "data-action").await?.as_deref() == Some(action) {
            return app.wait_content("presence-result", "").await;
        }
        if Instant::now() > deadline {
            app.screenshot(&format!("presence-no-{action}")).await?;
            bail!("the result never showed {action}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Types the whole token and Enter in one go, as a USB scanner does, into the field that has the focus.
async fn scan(app: &App, token: &str) -> Result<()> {
    let field = app.find("presence-scan-input").await?;
    let focused = app
        .client
        .execute("return document.activeElement === arguments[0];", vec![serde_json::to_value(&field)?])
        .await?;
    ensure!(focused == serde_json::json!(true), "the scan field keeps the focus between scans");
    field.send_keys(&format!("{token}{ENTER}")).await?;
    Ok(())
}

#[tokio::test]
async fn a_badge_scanned_at_the_gate_checks_in_then_out() -> Result<()> {
    let files = tempfile::tempdir()?;
    let photo = portrait(files.path())?;
    let app = App::launch().await?;
    let result = async {
        app.client.set_window_size(1280, 800).await?;
        app.first_run("Agence Kourouma Casting", "Awa Diop", "awa@kourouma.sn", PASSWORD).await?;
        let code = register_with_photo(&app, &photo).await?;
        cast_and_badge(&app, &code).await?;
        let token = token_from_badge_pdf(app.data_dir.path(), files.path())?;
        ensure!(token.len() == 140, "a badge token is 140 characters: {token:?}");
        app.dismiss_toasts().await?;

        // The gate: the only project is chosen, today is its shooting day.
        app.click("nav-presence").await?;
        app.wait_text("presence-call-time", "06:30").await?;
        app.wait_content("presence-sheet", "Ndiaye").await?;
        ensure!(app.text("presence-count-expected").await? == "1", "one talent expected today");
        app.screenshot("p10-presence-ready").await?;

        // No camera under Xvfb: said plainly, and the scan field takes the focus back.
        app.click("presence-camera-start").await?;
        let problem = app.text("presence-camera-problem").await?;
        ensure!(problem.contains("caméra"), "the missing camera is explained: {problem:?}");
        let why = attr(&app, "presence-camera-problem", "data-reason").await?.unwrap_or_default();
        report(&format!("no camera: {why}"));
        tokio::time::sleep(Duration::from_millis(200)).await;
        app.screenshot("p15-no-camera").await?;

        // First scan: checked in, with the photo and the name.
        scan(&app, &token).await?;
        let shown = wait_action(&app, "checked_in").await?;
        ensure!(shown.contains("Ndiaye"), "the result names the talent: {shown:?}");
        ensure!(shown.contains(&code), "the result shows the talent code: {shown:?}");
        let photo_el = app.find("presence-result-photo").await?;
        let loaded = app
            .client
            .execute(
                "const i = arguments[0]; return i.tagName === 'IMG' && i.complete && i.naturalWidth > 0;",
                vec![serde_json::to_value(&photo_el)?],
            )
            .await?;
        ensure!(loaded == serde_json::json!(true), "the result shows the talent's photo to compare with the face");
        let mut latencies = vec![latency(&app, "check-in").await?];
        app.wait_text("presence-count-present", "1").await?;
        app.screenshot("p20-checked-in").await?;

        // The same badge at once: a double read, ignored.
        scan(&app, &token).await?;
        let shown = wait_action(&app, "double_read").await?;
        latencies.push(latency(&app, "double read").await?);
        ensure!(shown.contains("Ndiaye"), "the double read still says who: {shown:?}");
        app.screenshot("p30-double-read").await?;

        // After ten seconds: checked out.
        tokio::time::sleep(Duration::from_millis(10_500)).await;
        scan(&app, &token).await?;
        wait_action(&app, "checked_out").await?;
        let checked_out = Instant::now();
        latencies.push(latency(&app, "check-out").await?);
        // The target is 100 ms on a release build; this debug build on a busy two-core test machine only has to stay
        // well clear of anything a person would notice.
        let best = latencies.iter().copied().fold(f64::INFINITY, f64::min);
        ensure!(best < 250.0, "Enter → result must stay quick: {latencies:?} ms");
        let status = attr(&app, "presence-row", "data-status").await?;
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut status = status;
        while status.as_deref() != Some("left") && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
            status = attr(&app, "presence-row", "data-status").await?;
        }
        ensure!(status.as_deref() == Some("left"), "the sheet shows the talent left: {status:?}");
        app.screenshot("p40-checked-out").await?;

        // A refused badge: the token tampered with.
        let mut tampered = token.clone();
        tampered.replace_range(80..81, if &token[80..81] == "A" { "B" } else { "A" });
        scan(&app, &tampered).await?;
        wait_action(&app, "refused").await?;
        ensure!(attr(&app, "presence-result", "data-tone").await?.as_deref() == Some("red"), "a tampered badge is red");
        app.screenshot("p50-refused").await?;

        // The day's printable sign-in sheet, then the week in Excel, both in exports/.
        app.click("presence-signin").await?;
        let bar = app.wait_content("presence-file", ".pdf").await?;
        let pdf = exported(app.data_dir.path(), "emargement-", "pdf")?;
        let name = pdf.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        ensure!(bar.contains(name), "the bar names the sheet: {bar:?}");
        let shown_at = app
            .client
            .execute("return document.querySelector('[data-testid=\"presence-file-path\"]')?.title ?? null;", vec![])
            .await?;
        ensure!(
            shown_at.as_str() == Some(pdf.display().to_string().as_str()),
            "the bar shows where the sheet is (on the name): {shown_at:?}"
        );
        let text = Command::new("pdftotext").arg(&pdf).arg("-").output()?;
        let text = String::from_utf8_lossy(&text.stdout);
        ensure!(text.contains("Ndiaye") && text.contains(&code), "the sign-in sheet lists the talent: {text}");
        app.dismiss_toasts().await?;
        app.click("presence-export").await?;
        app.click("presence-export-week").await?;
        app.screenshot("p55-export-dialog").await?;
        app.click("presence-export-confirm").await?;
        app.wait_content("presence-file", ".xlsx").await?;
        let xlsx = exported(app.data_dir.path(), "presence-", "xlsx")?;
        ensure!(std::fs::read(&xlsx)?.starts_with(b"PK"), "the export is an Excel workbook (a zip)");
        app.dismiss_toasts().await?;
        app.screenshot("p57-exported").await?;

        // A lost badge: found by name, checked by hand (once the double-read window is over); in and out already,
        // so nothing more is recorded.
        tokio::time::sleep(Duration::from_millis(10_500).saturating_sub(checked_out.elapsed())).await;
        app.fill("presence-manual-input", "ndiaye").await?;
        app.click("presence-manual-check").await?;
        wait_action(&app, "already_complete").await?;
        app.screenshot("p58-manual-complete").await?;

        // The talent's history.
        app.click("presence-row-history").await?;
        app.find("presence-history-list").await?;
        app.screenshot("p60-history").await?;

        // A correction: the arrival was noted on paper at 06:20. It is added to the history, never an edit.
        app.click("presence-history-correct").await?;
        app.fill("presence-correct-time", "06:20").await?;
        app.fill("presence-correct-reason", "Arrivée notée sur papier").await?;
        app.click("presence-correct-save").await?;
        app.wait_content("presence-history-list", "Arrivée notée sur papier").await?;
        app.wait_text("presence-row-in", "06:20").await?;
        let events = app.client.find_all(Locator::Css("[data-testid=\"presence-history-event\"]")).await?.len();
        ensure!(events == 3, "in, out and the correction are all kept: {events} events");
        app.screenshot("p65-corrected").await?;
        app.client.active_element().await?.send_keys("\u{E00C}").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;

        // The smallest window, then English.
        app.client.set_window_size(1024, 700).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.screenshot("p70-presence-1024").await?;
        app.click("lang-en").await?;
        app.wait_content("presence-sheet", "Left").await?;
        app.screenshot("p80-presence-1024-en").await?;
        app.client.set_window_size(1280, 800).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.screenshot("p90-presence-en").await?;
        anyhow::Ok(())
    }
    .await;
    if result.is_err() {
        let _ = app.screenshot("presence-failure").await;
    }
    app.close().await?;
    result
}
