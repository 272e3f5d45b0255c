//! `talento-server`: reads the configuration from the environment and runs one subcommand over the library.

use std::io::Write as _;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use talento_protocol::api::NewUser;
use talento_server::{AppState, Config, admin, db};

#[derive(Debug, Parser)]
#[command(name = "talento-server", version, about = "Talento's central server (DATABASE_URL, TALENTO_BIND, …)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Applies the database migrations and loads the reference lists, then exits.
    Migrate,
    /// Migrates, then serves until ctrl-c or SIGTERM.
    Serve,
    /// Creates an agency.
    CreateAgency {
        #[arg(long)]
        name: String,
    },
    /// Creates an administrator account (password from TALENTO_NEW_PASSWORD, or asked without echo).
    CreateAdmin {
        /// The agency's name or id.
        #[arg(long)]
        agency: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
    },
    /// Prints a one-time enrollment token for a laptop of the agency, as text and as a QR code.
    EnrollToken {
        /// The agency's name or id.
        #[arg(long)]
        agency: String,
        /// How long the token stays valid.
        #[arg(long, default_value_t = 24)]
        valid_hours: u32,
    },
    /// Lists the agency's enrolled laptops.
    Devices {
        /// The agency's name or id.
        #[arg(long)]
        agency: String,
    },
    /// Revokes a lost or stolen laptop: at its next contact it wipes its personal data.
    RevokeDevice {
        /// The agency's name or id.
        #[arg(long)]
        agency: String,
        /// The laptop's id (from `devices`).
        id: uuid::Uuid,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info,tokio_postgres=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let config = Config::from_env()?;
    tracing::debug!(?config, "configuration");
    let pool = db::pool(&config.database_url, config.limits.pool_size)?;
    let mut out = std::io::stdout().lock();
    if !matches!(cli.command, Command::Migrate | Command::Serve) {
        // Administration commands work on a fresh database too (migrations are idempotent and quick).
        db::migrate(&pool).await?;
    }
    match cli.command {
        Command::Migrate => {
            db::migrate(&pool).await?;
            writeln!(out, "database migrated")?;
        }
        Command::Serve => {
            db::migrate(&pool).await?;
            let listener = tokio::net::TcpListener::bind(config.bind)
                .await
                .with_context(|| format!("cannot listen on {}", config.bind))?;
            talento_server::launch(listener, AppState::new(pool, config.limits), talento_server::shutdown_signal())
                .await?;
        }
        Command::CreateAgency { name } => {
            let id = admin::create_agency(&pool, &name).await?;
            writeln!(out, "agency {name:?} created: {id}")?;
        }
        Command::CreateAdmin { agency, name, email } => {
            let agency_id = admin::find_agency(&pool, &agency).await.with_context(|| format!("agency {agency:?}"))?;
            let password = match std::env::var("TALENTO_NEW_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    let first = rpassword::prompt_password("Password: ")?;
                    if rpassword::prompt_password("Password again: ")? != first {
                        anyhow::bail!("the two passwords differ");
                    }
                    first
                }
            };
            let user =
                admin::create_user(&pool, agency_id, &NewUser { name, email, role: "admin".into(), password }).await?;
            writeln!(out, "administrator {} created: {}", user.email, user.id)?;
        }
        Command::EnrollToken { agency, valid_hours } => {
            let agency_id = admin::find_agency(&pool, &agency).await.with_context(|| format!("agency {agency:?}"))?;
            let token = admin::create_enrollment_token(&pool, agency_id, valid_hours).await?;
            let qr = qrcode::QrCode::new(token.as_bytes())?;
            let picture = qr
                .render::<qrcode::render::unicode::Dense1x2>()
                .dark_color(qrcode::render::unicode::Dense1x2::Light)
                .light_color(qrcode::render::unicode::Dense1x2::Dark)
                .build();
            writeln!(out, "{picture}\n\nOne-time enrollment token, valid {valid_hours} h:\n{token}")?;
        }
        Command::Devices { agency } => {
            let agency_id = admin::find_agency(&pool, &agency).await.with_context(|| format!("agency {agency:?}"))?;
            let devices = admin::list_devices(&pool, agency_id).await?;
            writeln!(
                out,
                "{:<36}  {:<24}  {:<20}  {:<20}  {:>8}  state",
                "id", "name", "enrolled", "last seen", "changes"
            )?;
            for d in &devices {
                let day = |t: &Option<String>| t.as_deref().map_or("-".to_owned(), |t| t.chars().take(16).collect());
                let state = if d.revoked_at.is_some() { "revoked" } else { "active" };
                writeln!(
                    out,
                    "{:<36}  {:<24}  {:<20}  {:<20}  {:>8}  {state}",
                    d.id,
                    d.name,
                    day(&Some(d.enrolled_at.clone())),
                    day(&d.last_seen_at),
                    d.changes_received
                )?;
            }
            if devices.is_empty() {
                writeln!(out, "no laptop enrolled yet: `talento-server enroll-token --agency …` makes a token")?;
            }
        }
        Command::RevokeDevice { agency, id } => {
            let agency_id = admin::find_agency(&pool, &agency).await.with_context(|| format!("agency {agency:?}"))?;
            admin::revoke_device(&pool, agency_id, id).await.with_context(|| format!("laptop {id}"))?;
            writeln!(out, "laptop {id} revoked: its next sync wipes its personal data")?;
        }
    }
    Ok(())
}
