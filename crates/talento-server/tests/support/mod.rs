//! Test support: the server over a fresh database of the shared test PostgreSQL ([`talento_server::testing`]),
//! on a port-0 listener, with a small HTTP client and helpers for agencies, users and enrolled laptops.

#![allow(dead_code)]

use anyhow::{Result, anyhow, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use talento_domain::HlcTimestamp;
use talento_protocol::api::NewUser;
use talento_protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use talento_server::testing::Running;
use talento_server::{Limits, admin};
use uuid::Uuid;

/// The password every test account gets: passes the password policy.
pub const PASSWORD: &str = "Baobab-sous-la-pluie-42";

pub use talento_server::testing::fresh_database;

/// A running server over one database.
pub struct TestServer {
    pub base: String,
    pub database_url: String,
    pub pool: deadpool_postgres::Pool,
    running: Running,
    http: Client<HttpConnector, Full<Bytes>>,
}

/// A response: status, headers and the body (JSON when it is JSON, else a string; `null` when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: hyper::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The error code of a `{code, message}` body.
    pub fn code(&self) -> &str {
        self.body.get("code").and_then(Value::as_str).unwrap_or("")
    }
}

impl TestServer {
    /// A fresh database, migrated, and a server on it.
    pub async fn start() -> Result<TestServer> {
        TestServer::on(&fresh_database().await?).await
    }

    /// A server on an existing database (migrated again: migrations are idempotent).
    pub async fn on(database_url: &str) -> Result<TestServer> {
        TestServer::with_limits(database_url, Limits { pool_size: 8, ..Limits::default() }).await
    }

    pub async fn with_limits(database_url: &str, limits: Limits) -> Result<TestServer> {
        let running = Running::launch(database_url, 0, limits).await?;
        Ok(TestServer {
            base: running.base.clone(),
            database_url: database_url.to_owned(),
            pool: running.pool.clone(),
            running,
            http: Client::builder(TokioExecutor::new()).build_http(),
        })
    }

    /// Stops the server gracefully and waits until it has.
    pub async fn stop(self) -> Result<()> {
        drop(self.http);
        self.running.stop().await
    }

    /// Sends a request with raw bytes.
    pub async fn raw(&self, method: Method, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Result<Reply> {
        let mut request = hyper::Request::builder().method(method).uri(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self.http.request(request.body(Full::new(Bytes::from(body)))?).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await?.to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Ok(Reply { status, headers, body })
    }

    /// Sends a JSON request with an optional bearer token.
    pub async fn call(&self, method: Method, path: &str, bearer: Option<&str>, body: Option<Value>) -> Result<Reply> {
        let auth = bearer.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("content-type", "application/json")];
        if let Some(auth) = &auth {
            headers.push(("authorization", auth.as_str()));
        }
        let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        self.raw(method, path, &headers, bytes).await
    }

    /// A sync request: the protocol header, and the device credential when given.
    pub async fn sync(
        &self,
        method: Method,
        path: &str,
        credential: Option<&str>,
        body: Option<Value>,
    ) -> Result<Reply> {
        let auth = credential.map(|t| format!("Bearer {t}"));
        let version = PROTOCOL_VERSION.to_string();
        let mut headers = vec![("content-type", "application/json"), (PROTOCOL_HEADER, version.as_str())];
        if let Some(auth) = &auth {
            headers.push(("authorization", auth.as_str()));
        }
        let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        self.raw(method, path, &headers, bytes).await
    }

    /// A new agency with an administrator logged in.
    pub async fn agency(&self, name: &str) -> Result<Agency> {
        let id = admin::create_agency(&self.pool, name).await?;
        let slug: String = name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
        let admin_email = format!("admin@{slug}.sn");
        self.user(id, "admin", &admin_email).await?;
        let admin_token = self.login(&admin_email).await?;
        Ok(Agency { id, admin_token, slug })
    }

    /// A new account of the agency.
    pub async fn user(&self, agency_id: Uuid, role: &str, email: &str) -> Result<talento_protocol::api::User> {
        let new = NewUser {
            name: format!("Compte {role}"),
            email: email.into(),
            role: role.into(),
            password: PASSWORD.into(),
        };
        Ok(admin::create_user(&self.pool, agency_id, &new).await?)
    }

    /// Logs in and returns the token.
    pub async fn login(&self, email: &str) -> Result<String> {
        let reply = self
            .call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "email": email, "password": PASSWORD })))
            .await?;
        if reply.status != StatusCode::OK {
            bail!("login of {email} failed: {reply:?}");
        }
        reply.body["token"].as_str().map(str::to_owned).ok_or_else(|| anyhow!("no token in {reply:?}"))
    }

    /// Enrolls a new laptop in the agency; returns it with its credential.
    pub async fn enroll(&self, agency: &Agency, name: &str) -> Result<Laptop> {
        let token = admin::create_enrollment_token(&self.pool, agency.id, 1).await?;
        let device_id = Uuid::now_v7();
        let reply = self
            .sync(
                Method::POST,
                "/sync/v1/enroll",
                None,
                Some(json!({ "token": token, "device_id": device_id, "database_id": Uuid::now_v7(), "device_name": name })),
            )
            .await?;
        if reply.status != StatusCode::OK {
            bail!("enrollment failed: {reply:?}");
        }
        let credential = reply.body["device_credential"].as_str().ok_or_else(|| anyhow!("no credential"))?;
        Ok(Laptop { id: device_id, credential: credential.to_owned() })
    }
}

pub struct Agency {
    pub id: Uuid,
    pub admin_token: String,
    pub slug: String,
}

/// An enrolled laptop.
#[derive(Debug, Clone)]
pub struct Laptop {
    pub id: Uuid,
    pub credential: String,
}

impl Laptop {
    /// A change of this laptop's log at `millis` on its clock.
    pub fn change(&self, seq: u64, millis: u64, table: &str, row_id: &str, op: &str, fields: Value) -> Value {
        let hlc = HlcTimestamp { millis, counter: 0, device: self.id };
        json!({ "device_id": self.id, "seq": seq, "hlc": hlc.to_string(), "table": table, "row_id": row_id,
                "op": op, "fields": fields })
    }

    pub async fn push(&self, server: &TestServer, changes: Vec<Value>) -> Result<Reply> {
        server.sync(Method::POST, "/sync/v1/push", Some(&self.credential), Some(json!({ "changes": changes }))).await
    }

    pub async fn status(&self, server: &TestServer) -> Result<Reply> {
        server.sync(Method::GET, "/sync/v1/status", Some(&self.credential), None).await
    }

    /// Pulls every page after `after`; returns the changes and the final cursor.
    pub async fn pull_all(&self, server: &TestServer, after: u64, limit: u32) -> Result<(Vec<Value>, u64)> {
        let (mut changes, mut cursor) = (Vec::new(), after);
        loop {
            let reply = server
                .sync(Method::GET, &format!("/sync/v1/pull?after={cursor}&limit={limit}"), Some(&self.credential), None)
                .await?;
            if reply.status != StatusCode::OK {
                bail!("pull failed: {reply:?}");
            }
            changes.extend(reply.body["changes"].as_array().cloned().unwrap_or_default());
            cursor = reply.body["next_after"].as_u64().ok_or_else(|| anyhow!("no cursor in {reply:?}"))?;
            if reply.body["has_more"] != Value::Bool(true) {
                return Ok((changes, cursor));
            }
        }
    }
}
