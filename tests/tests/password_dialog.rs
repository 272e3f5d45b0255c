//! Changing one's password through the real app: a wrong current password is named next to its field.

use anyhow::Result;
use talento_e2e::App;

#[tokio::test]
async fn a_wrong_current_password_is_shown_next_to_its_field() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        app.first_run("Agence Kourouma Casting", "Awa Diop", "awa@kourouma.sn", "Baobab-soleil-Tamtam-42").await?;
        app.click("user-menu").await?;
        app.click("change-password").await?;
        app.fill("change-password-current", "pas-le-bon-mot-de-passe").await?;
        app.fill("change-password-new", "Manguier-Fleuve-Niger-77").await?;
        app.fill("change-password-confirm", "Manguier-Fleuve-Niger-77").await?;
        app.click("change-password-submit").await?;
        let message = app.wait_text("field-error-current", "incorrect").await?;
        assert!(message.contains("Mot de passe actuel incorrect"), "translated, next to the field: {message:?}");
        app.screenshot("40-change-password-wrong-current").await?;
        anyhow::Ok(())
    }
    .await;
    app.close().await?;
    result
}
