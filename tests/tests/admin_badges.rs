//! The agency's badge keys through the real app: a new agency has one signing key; an administrator creates a new
//! one from Admin › Badges et clés, and the first is kept as retired (badges already printed stay valid).

use anyhow::{Result, ensure};
use fantoccini::Locator;
use talento_e2e::App;

#[tokio::test]
async fn an_administrator_rotates_the_badge_signing_key() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        app.first_run("Agence Kourouma Casting", "Awa Diop", "awa@kourouma.sn", "Baobab-soleil-Tamtam-42").await?;
        app.click("nav-admin").await?;
        app.click("admin-tab-badges").await?;
        app.find("signing-keys-table").await?;
        let rows = app.client.find_all(Locator::Css("[data-testid=signing-keys-table] tbody tr")).await?;
        ensure!(rows.len() == 1, "a new agency has exactly one signing key, got {}", rows.len());
        ensure!(
            rows[0].attr("data-state").await?.as_deref() == Some("current"),
            "and it signs the badges printed on this computer"
        );
        app.screenshot("a10-badge-keys").await?;
        app.click("rotate-key").await?;
        app.click("confirm-dialog-confirm").await?;
        app.wait_text("signing-keys-table", "Retirée").await?;
        let rows = app.client.find_all(Locator::Css("[data-testid=signing-keys-table] tbody tr")).await?;
        let mut states = Vec::new();
        for row in &rows {
            states.push(row.attr("data-state").await?.unwrap_or_default());
        }
        states.sort();
        ensure!(states == ["current", "retired"], "the new key signs, the old one still verifies: {states:?}");
        app.screenshot("a20-badge-keys-rotated").await?;
        anyhow::Ok(())
    }
    .await;
    app.close().await?;
    result
}
