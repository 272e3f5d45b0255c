//! Talento's central server: the sync endpoint every laptop of an agency pushes to and pulls from, code leases,
//! device enrollment, attachments by content hash and the REST API v1, over PostgreSQL. A library first — [`router`]
//! and [`launch`] — so tests drive the real thing on a port-0 listener; `main.rs` only reads the configuration and the subcommand.
//! Stateless: several instances may serve one database behind a load balancer.

pub mod admin;
pub mod api;
pub mod attachments;
pub mod auth;
pub mod config;
pub mod db;
pub mod error;
#[cfg(feature = "local-postgres")]
pub mod local_postgres;
pub mod openapi;
pub mod sync;
#[cfg(feature = "test-support")]
pub mod testing;

use std::future::Future;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{MethodRouter, get, post, put};
use axum::{Json, Router, middleware};
use deadpool_postgres::Pool;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::{Config, Limits};
pub use error::{ApiError, ApiResult};
use openapi::{Access, RouteDoc};

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub limits: Limits,
    openapi: Arc<serde_json::Value>,
}

impl AppState {
    pub fn new(pool: Pool, limits: Limits) -> AppState {
        let docs: Vec<RouteDoc> = routes().into_iter().map(|(doc, _)| doc).collect();
        AppState { pool, limits, openapi: Arc::new(openapi::document(&docs)) }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("pool", &self.pool.status()).field("limits", &self.limits).finish()
    }
}

const PAGE: (&str, &str) = ("page", "page number, from 1");
const PER_PAGE: (&str, &str) = ("per_page", "items per page, 1 to 200 (default 50)");

/// Every route, with its documentation: the router and the OpenAPI document are both built from this table.
pub fn routes() -> Vec<(RouteDoc, MethodRouter<AppState>)> {
    use Access::{Device, Enrollment, Public, User};
    let route = RouteDoc::new;
    vec![
        (route("get", "/health", Public, "The server and its database answer", "health"), get(api::health)),
        (
            route(
                "post",
                "/sync/v1/enroll",
                Enrollment,
                "Trade a one-time token for a device credential",
                "sync::EnrollResponse",
            )
            .with_body("sync::EnrollRequest"),
            post(sync::enroll),
        ),
        (
            route(
                "post",
                "/sync/v1/push",
                Device,
                "Push up to 1,000 changes of this device's log",
                "sync::PushResponse",
            )
            .with_body("sync::PushRequest"),
            post(sync::push),
        ),
        (
            route("get", "/sync/v1/status", Device, "Each device's highest contiguous seq", "sync::StatusResponse"),
            get(sync::status),
        ),
        (
            route("get", "/sync/v1/pull", Device, "Other devices' changes after a cursor", "sync::PullResponse")
                .with_query(&[
                    ("after", "the last server_seq received (0 at first)"),
                    ("limit", "1 to 1000 (default 500)"),
                ]),
            get(sync::pull),
        ),
        (
            route(
                "post",
                "/sync/v1/leases",
                Device,
                "Lease a block of code numbers for a scope",
                "sync::LeaseResponse",
            )
            .with_body("sync::LeaseRequest"),
            post(sync::lease),
        ),
        (
            route(
                "get",
                "/sync/v1/attachments/{hash}",
                Device,
                "An attachment by SHA-256 (HEAD: its size; Range: a part, 206)",
                "(bytes)",
            ),
            get(attachments::download),
        ),
        (
            route(
                "get",
                "/sync/v1/attachments/{hash}/upload",
                Device,
                "How many bytes of an attachment's upload the server holds",
                "attachments::UploadStatus",
            ),
            get(attachments::upload_status),
        ),
        (
            route(
                "put",
                "/sync/v1/attachments/{hash}",
                Device,
                "Append one chunk (at most 1 MiB, raw bytes) of an attachment's upload",
                "attachments::UploadStatus",
            )
            .with_query(&[("offset", "where the chunk starts: the bytes held"), ("total", "the file's size")])
            .with_body("(bytes)"),
            put(attachments::upload),
        ),
        (
            route("post", "/sync/v1/devices/{id}/revoke", User, "Revoke a laptop (administrators)", "(204)"),
            post(sync::revoke),
        ),
        (
            route("post", "/api/v1/auth/login", Public, "Log in with e-mail and password", "api::LoginResponse")
                .with_body("api::LoginRequest"),
            post(api::login),
        ),
        (route("post", "/api/v1/auth/logout", User, "End this login", "(204)"), post(api::logout)),
        (
            route("get", "/api/v1/users", User, "The agency's accounts", "api::Page<api::User>")
                .with_query(&[PAGE, PER_PAGE]),
            get(api::list_users),
        ),
        (
            route("post", "/api/v1/users", User, "Create an account (administrators)", "api::User")
                .with_body("api::NewUser"),
            post(api::create_user),
        ),
        (route("get", "/api/v1/users/{id}", User, "One account", "api::User"), get(api::get_user)),
        (
            route("get", "/api/v1/devices", User, "The agency's laptops (administrators)", "api::Device[]"),
            get(api::list_devices),
        ),
        (
            route(
                "get",
                "/api/v1/talents",
                User,
                "Talent profiles (personal fields only for allowed roles)",
                "api::Page<api::Talent>",
            )
            .with_query(&[
                ("q", "code or name contains"),
                ("kind", "general or cinema"),
                ("country", "residence country, ISO-2"),
                ("city", "residence city code"),
                ("gender", "M, F or N"),
                PAGE,
                PER_PAGE,
            ]),
            get(api::list_talents),
        ),
        (route("get", "/api/v1/talents/{code}", User, "One talent by code", "api::Talent"), get(api::get_talent)),
        (
            route("get", "/api/v1/countries", User, "Countries", "api::Page<api::Country>")
                .with_query(&[PAGE, PER_PAGE]),
            get(api::countries),
        ),
        (
            route("get", "/api/v1/cities", User, "Cities with their 3-letter codes", "api::Page<api::City>")
                .with_query(&[("country", "ISO-2"), PAGE, PER_PAGE]),
            get(api::cities),
        ),
        (route("get", "/api/v1/stats", User, "The agency at a glance", "api::Stats"), get(api::stats)),
        (
            route("get", "/api/v1/openapi.json", Public, "This document", "OpenAPI 3.1"),
            get(|axum::extract::State(state): axum::extract::State<AppState>| async move {
                Json(state.openapi.as_ref().clone())
            }),
        ),
    ]
}

/// The whole HTTP surface, with its limits: body size (after gzip decompression), time per request, gzip
/// compression of responses, and a trace span per request.
pub fn router(state: AppState) -> Router {
    let limits = state.limits;
    let mut sync_routes = Router::new();
    let mut other_routes = Router::new();
    for (doc, handler) in routes() {
        if doc.is_sync() {
            sync_routes = sync_routes.route(doc.path, handler);
        } else {
            other_routes = other_routes.route(doc.path, handler);
        }
    }
    Router::new()
        .merge(sync_routes.route_layer(middleware::from_fn(sync::require_protocol)))
        .merge(other_routes)
        .fallback(|| async { ApiError::NotFound })
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limits.request_timeout))
        .layer(middleware::map_response(error::json_errors))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves `router(state)` on `listener` until `shutdown` resolves, then lets requests in flight finish.
pub async fn launch(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(address) = listener.local_addr() {
        tracing::info!(%address, "talento-server listening");
    }
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}

/// Resolves on ctrl-c or SIGTERM: what `serve` passes to [`launch`].
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
