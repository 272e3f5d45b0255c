//! First run, logins and lockout through the real desktop app.

use anyhow::Result;
use talento_e2e::App;

const PASSWORD: &str = "Baobab-soleil-Tamtam-42";
const EMAIL: &str = "aissatou@kourouma.sn";

async fn logout(app: &App) -> Result<()> {
    app.click("user-menu").await?;
    app.click("logout").await?;
    app.find("login-identifier").await?;
    Ok(())
}

async fn login(app: &App, identifier: &str, password: &str) -> Result<()> {
    app.fill("login-identifier", identifier).await?;
    app.fill("login-password", password).await?;
    app.click("login-submit").await
}

#[tokio::test]
async fn first_run_then_login_by_email_and_code_then_lockout() -> Result<()> {
    let app = App::launch().await?;
    let result = flow(&app).await;
    if result.is_err() {
        let _ = app.screenshot("failure").await;
    }
    app.close().await?;
    result
}

async fn flow(app: &App) -> Result<()> {
    // First run: the agency, then its first administrator.
    app.find("firstrun-agency").await?;
    app.screenshot("01-first-run").await?;
    app.fill("firstrun-agency", "Agence Kourouma Casting").await?;
    app.click("firstrun-next").await?;
    app.fill("firstrun-name", "Aïssatou Ndiaye").await?;
    app.fill("firstrun-email", EMAIL).await?;
    app.fill("firstrun-password", "court").await?;
    app.fill("firstrun-password-confirm", "court").await?;
    app.click("firstrun-submit").await?;
    let error = app.text("field-error-password").await?;
    assert!(error.contains("12 caractères"), "a weak password is refused next to its field, in French: {error:?}");
    app.fill("firstrun-password", PASSWORD).await?;
    app.fill("firstrun-password-confirm", PASSWORD).await?;
    app.click("firstrun-submit").await?;
    app.find("shell").await?;
    let code = app.text("session-user-code").await?.trim().to_owned();
    assert!(code.starts_with("ADM-"), "the home page shows the administrator's code: {code:?}");
    app.screenshot("02-home-admin").await?;

    // Logout, then log in by e-mail.
    logout(app).await?;
    app.screenshot("03-login").await?;
    login(app, EMAIL, PASSWORD).await?;
    app.find("shell").await?;
    logout(app).await?;

    // Log in by the unique code.
    login(app, &code, PASSWORD).await?;
    app.find("shell").await?;
    assert_eq!(app.text("session-user-code").await?.trim(), code, "the same account");
    logout(app).await?;

    // A wrong password shows the translated error, in French then in English.
    login(app, EMAIL, "pas-le-bon-mot-de-passe").await?;
    app.wait_text("login-error", "Identifiant ou mot de passe incorrect").await?;
    app.screenshot("04-login-wrong-password").await?;
    app.click("lang-switch").await?;
    app.click("lang-en").await?;
    login(app, EMAIL, "still-not-the-password").await?;
    app.wait_text("login-error", "Wrong e-mail, code or password").await?;

    // Repeated failures lock the account (the fifth in a row); even the right password must wait.
    for _ in 0..2 {
        login(app, EMAIL, "still-not-the-password").await?;
        app.wait_text("login-error", "Wrong").await?;
    }
    login(app, EMAIL, "still-not-the-password").await?;
    app.wait_text("login-error", "account locked").await?;
    app.find("login-locked").await?;
    app.fill("login-password", PASSWORD).await?;
    let submit = app.find("login-submit").await?;
    assert!(!submit.is_enabled().await?, "while locked, signing in is not offered, even with the right password");
    app.screenshot("05-login-locked").await?;
    Ok(())
}
