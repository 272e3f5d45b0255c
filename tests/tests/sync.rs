//! Syncing the real desktop app with a real central server: a throwaway PostgreSQL and `talento-server` run in this
//! test process (the server crate's own test support), an agency and a one-time enrollment token are made with the
//! server library, then in the app: first run, Admin › Synchronisation, enroll, register a talent, "Synchroniser
//! maintenant". The report must count what was sent, the header must say up to date, and the server's REST API
//! must list the talent. Screenshots of the Sync screen land in target/e2e-shots/ (French and English, 1280 × 800
//! and 1024 × 700).

#[path = "../../crates/talento-server/tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use hyper::{Method, StatusCode};
use talento_e2e::App;

const PASSWORD: &str = "Baobab-soleil-Tamtam-42";

/// Registers a general talent with the required fields only; returns the code shown on the profile.
async fn register(app: &App) -> Result<String> {
    app.click("nav-talents").await?;
    app.click("talents-new-general").await?;
    app.fill("field-firstName", "Mariama").await?;
    app.fill("field-lastName", "Bâ").await?;
    app.click("gender-F").await?;
    app.fill("field-birthDate", "03/02/1994").await?;
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

/// Waits for the toasts to fade (they sit over the wizard's buttons).
async fn no_toasts(app: &App) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(15);
    while app.visible("toast").await {
        if Instant::now() > deadline {
            bail!("a toast stayed on screen for 15 s");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}

/// The header indicator's state (`data-state`), waited for.
async fn wait_indicator(app: &App, state: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let element = app.find("sync-status").await?;
        let now = element.attr("data-state").await?.unwrap_or_default();
        if now == state && element.attr("data-running").await?.is_none() {
            return Ok(());
        }
        if Instant::now() > deadline {
            app.screenshot(&format!("sync-indicator-{state}")).await?;
            bail!("the header sync indicator never said {state:?}; it says {now:?}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The element's text content. WebKit's WebDriver takes the Sync screen's facts (`truncate`: overflow hidden) for
/// invisible, so they are read from the DOM.
async fn content(app: &App, testid: &str) -> Result<String> {
    let element = app.find_present(testid).await?;
    let value = app.client.execute("return arguments[0].textContent;", vec![serde_json::to_value(&element)?]).await?;
    Ok(value.as_str().unwrap_or_default().trim().to_owned())
}

/// Opens the Sync tab at a window size and saves a screenshot.
async fn shoot(app: &App, name: &str, width: u32, height: u32) -> Result<()> {
    app.client.set_window_size(width, height).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.screenshot(name).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enroll_register_a_talent_sync_and_find_it_on_the_server() -> Result<()> {
    let server = support::TestServer::start().await.context("start PostgreSQL and talento-server")?;
    let agency = server.agency("Agence Kourouma").await?;
    // A presence officer's account made on the server: after one sync it opens this laptop, offline.
    server.user(agency.id, "presence", "moussa@kourouma.sn").await?;
    let token = talento_server::admin::create_enrollment_token(&server.pool, agency.id, 1).await?;
    let app = App::launch().await?;
    let result = async {
        app.client.set_window_size(1280, 800).await?;
        app.first_run("Agence Kourouma", "Awa Diop", "awa@kourouma.sn", PASSWORD).await?;
        wait_indicator(&app, "local").await?;

        app.click("nav-admin").await?;
        app.click("admin-tab-sync").await?;
        app.find("enroll-form").await?;
        shoot(&app, "s10-enroll", 1280, 800).await?;
        // A wrong address is refused next to its field, before any network call.
        app.fill("enroll-url", "kourouma.sn").await?;
        app.click("enroll-submit").await?;
        app.wait_text("field-error-serverUrl", "https://").await?;
        app.fill("enroll-url", &server.base).await?;
        // Pasted with the spaces and line break a chat adds.
        app.fill("enroll-token", &format!("  {token}\n")).await?;
        app.click("enroll-submit").await?;
        app.find("sync-now").await.context("enrolled: the Sync screen offers to sync")?;
        assert_eq!(content(&app, "sync-agency").await?, "Agence Kourouma", "the server names the agency");
        app.find("sync-no-report").await?;

        no_toasts(&app).await?;
        let code = register(&app).await?;
        wait_indicator(&app, "pending").await.context("a registered talent waits to be sent")?;

        // The automatic sync first runs two minutes after logging in: until then only this button syncs.
        app.click("nav-admin").await?;
        app.click("admin-tab-sync").await?;
        app.click("sync-now").await?;
        app.find("sync-report").await?;
        wait_indicator(&app, "online").await?;
        let pushed: u32 = content(&app, "report-pushed").await?.parse().context("pushed count")?;
        assert!(pushed >= 1, "the talent's changes were sent: the report counts {pushed}");
        assert_eq!(content(&app, "sync-waiting").await?, "0", "nothing waits after a successful sync");
        assert!(!app.visible("sync-problem").await, "a successful sync shows no problem banner");

        // The server's REST API lists the talent registered on this laptop.
        let reply = server.call(Method::GET, "/api/v1/talents?q=Mariama", Some(&agency.admin_token), None).await?;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let listed = reply.body.to_string();
        assert!(
            listed.contains("Mariama"),
            "the talent registered on the laptop ({code}) reached the server: {listed}"
        );

        no_toasts(&app).await?;
        shoot(&app, "s20-synced", 1280, 800).await?;
        shoot(&app, "s21-synced-1024", 1024, 700).await?;
        app.click("lang-en").await?;
        app.wait_text("sync-now", "Sync now").await?;
        shoot(&app, "s22-synced-1024-en", 1024, 700).await?;
        shoot(&app, "s23-synced-en", 1280, 800).await?;

        // The server goes away: the next sync says offline, plainly, and nothing is lost.
        server.stop().await?;
        app.click("lang-fr").await?;
        app.click("sync-now").await?;
        wait_indicator(&app, "offline").await?;
        let problem = app.find("sync-problem").await?;
        assert_eq!(
            problem.attr("data-kind").await?.as_deref(),
            Some("offline"),
            "an unreachable server is shown as offline"
        );
        app.wait_text("sync-problem", "Rien n’est perdu").await?;
        shoot(&app, "s30-offline", 1280, 800).await?;

        // Still offline: the officer whose account was made on the server logs in here with its own password.
        app.dismiss_toasts().await?;
        app.click("user-menu").await?;
        app.click("logout").await?;
        app.fill("login-identifier", "moussa@kourouma.sn").await?;
        app.fill("login-password", support::PASSWORD).await?;
        app.click("login-submit").await?;
        app.find("shell").await.context("the server-made account opens the laptop offline")?;
        let menu = app.find("user-menu").await?.attr("aria-label").await?.unwrap_or_default();
        assert!(menu.contains("Compte presence"), "logged in as the server's account: {menu:?}");
        assert!(app.visible("nav-presence").await, "a presence officer sees the gate");
        assert!(!app.visible("nav-admin").await, "and not the administration");
        wait_indicator(&app, "offline").await.context("a new session still says the last sync found no server")?;
        shoot(&app, "s40-server-account-offline", 1280, 800).await?;
        anyhow::Ok(())
    }
    .await;
    if result.is_err() {
        let _ = app.screenshot("sync-failure").await;
    }
    app.close().await?;
    result
}
