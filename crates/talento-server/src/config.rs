//! The server's settings, read once from the environment at start-up and passed in. `Debug` never shows the
//! database password, so the configuration can be logged.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

/// Where and how the server runs.
#[derive(Clone)]
pub struct Config {
    /// `DATABASE_URL`: `postgres://user:password@host:port/db` or the `key=value` form. Secret.
    pub database_url: String,
    /// `TALENTO_BIND`, default `127.0.0.1:8787`.
    pub bind: SocketAddr,
    pub limits: Limits,
}

/// What the router enforces; also given to [`crate::AppState`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `TALENTO_POOL_SIZE`, default 16: database connections per server instance.
    pub pool_size: usize,
    /// `TALENTO_MAX_BODY_BYTES`, default 16 MiB, after decompression: a full push batch is about 1 MiB.
    pub max_body_bytes: usize,
    /// `TALENTO_REQUEST_TIMEOUT_SECS`, default 60.
    pub request_timeout: Duration,
    /// `TALENTO_SESSION_HOURS`, default 12: how long a REST API login lasts.
    pub session_hours: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            pool_size: 16,
            max_body_bytes: 16 * 1024 * 1024,
            request_timeout: Duration::from_secs(60),
            session_hours: 12,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("DATABASE_URL is not set (for example postgres://talento@127.0.0.1:5432/talento)")]
    MissingDatabaseUrl,
    #[error("{name} is not valid: {value:?}")]
    Invalid { name: &'static str, value: String },
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(|name| std::env::var(name).ok())
    }

    /// Reads settings through `var` (tests pass a map).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        fn parse<T: std::str::FromStr>(
            var: &impl Fn(&str) -> Option<String>,
            name: &'static str,
            default: T,
        ) -> Result<T, ConfigError> {
            match var(name).filter(|v| !v.trim().is_empty()) {
                None => Ok(default),
                Some(value) => value.trim().parse().map_err(|_| ConfigError::Invalid { name, value }),
            }
        }
        let database_url =
            var("DATABASE_URL").filter(|v| !v.trim().is_empty()).ok_or(ConfigError::MissingDatabaseUrl)?;
        let defaults = Limits::default();
        Ok(Config {
            database_url,
            bind: parse(&var, "TALENTO_BIND", SocketAddr::from(([127, 0, 0, 1], 8787)))?,
            limits: Limits {
                pool_size: parse(&var, "TALENTO_POOL_SIZE", defaults.pool_size)?,
                max_body_bytes: parse(&var, "TALENTO_MAX_BODY_BYTES", defaults.max_body_bytes)?,
                request_timeout: Duration::from_secs(parse(
                    &var,
                    "TALENTO_REQUEST_TIMEOUT_SECS",
                    defaults.request_timeout.as_secs(),
                )?),
                session_hours: parse(&var, "TALENTO_SESSION_HOURS", defaults.session_hours)?,
            },
        })
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_database_url(&self.database_url))
            .field("bind", &self.bind)
            .field("limits", &self.limits)
            .finish()
    }
}

/// The database URL without its password, in either of PostgreSQL's connection-string forms.
pub fn redact_database_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let (authority, tail) = rest.split_once('/').map_or((rest, None), |(a, t)| (a, Some(t)));
        let authority = match authority.rsplit_once('@') {
            Some((userinfo, host)) => match userinfo.split_once(':') {
                Some((user, _password)) => format!("{user}:***@{host}"),
                None => format!("{userinfo}@{host}"),
            },
            None => authority.to_owned(),
        };
        // A password may also come as a query parameter.
        let tail = tail.map(|t| {
            let (path, query) = t.split_once('?').map_or((t, None), |(p, q)| (p, Some(q)));
            match query {
                Some(q) => format!("/{path}?{}", redact_pairs(q, '&')),
                None => format!("/{path}"),
            }
        });
        format!("{scheme}://{authority}{}", tail.unwrap_or_default())
    } else {
        redact_pairs(url, ' ')
    }
}

fn redact_pairs(text: &str, separator: char) -> String {
    text.split(separator)
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key.trim().eq_ignore_ascii_case("password") => format!("{key}=***"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(&separator.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_password() {
        for url in [
            "postgres://talento:s3cret-pw@db.example:5432/talento",
            "postgres://talento@db.example/talento?sslmode=disable&password=s3cret-pw",
            "host=db.example user=talento password=s3cret-pw dbname=talento",
        ] {
            let config = Config::from_vars(|name| (name == "DATABASE_URL").then(|| url.to_owned()));
            let shown = format!("{config:?}");
            assert!(!shown.contains("s3cret-pw"), "the password must be hidden: {shown}");
            assert!(shown.contains("db.example"), "the host stays visible to debug a wrong setting: {shown}");
        }
    }

    #[test]
    fn defaults_apply_and_bad_values_are_named() {
        let config = Config::from_vars(|name| (name == "DATABASE_URL").then(|| "postgres://x@h/d".to_owned()));
        assert_eq!(config.map(|c| c.bind.to_string()).ok(), Some("127.0.0.1:8787".to_owned()));
        let bad = Config::from_vars(|name| match name {
            "DATABASE_URL" => Some("postgres://x@h/d".to_owned()),
            "TALENTO_BIND" => Some("nowhere".to_owned()),
            _ => None,
        });
        assert!(matches!(bad, Err(ConfigError::Invalid { name: "TALENTO_BIND", .. })), "the setting is named");
        assert!(matches!(Config::from_vars(|_| None), Err(ConfigError::MissingDatabaseUrl)));
    }
}
