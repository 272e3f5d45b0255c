//! The OpenAPI 3.1 document served at `/api/v1/openapi.json`, built from the same route table the router is built
//! from ([`crate::routes`]), so a route cannot exist without being documented. Written by hand rather than derived
//! (utoipa): the wire types stay serde-only in `talento-protocol`, which the desktop also compiles.

use serde_json::{Map, Value, json};
use talento_protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    /// A one-time enrollment token in the body.
    Enrollment,
    /// `Authorization: Bearer <device credential>`.
    Device,
    /// `Authorization: Bearer <login token>`.
    User,
}

/// One documented route.
#[derive(Debug, Clone, Copy)]
pub struct RouteDoc {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub access: Access,
    /// Query parameters, `(name, description)`.
    pub query: &'static [(&'static str, &'static str)],
    /// The `talento_protocol` types of the body and the success response, for readers.
    pub request: Option<&'static str>,
    pub response: &'static str,
}

impl RouteDoc {
    pub fn new(
        method: &'static str,
        path: &'static str,
        access: Access,
        summary: &'static str,
        response: &'static str,
    ) -> RouteDoc {
        RouteDoc { method, path, summary, access, query: &[], request: None, response }
    }

    pub fn with_body(self, request: &'static str) -> RouteDoc {
        RouteDoc { request: Some(request), ..self }
    }

    pub fn with_query(self, query: &'static [(&'static str, &'static str)]) -> RouteDoc {
        RouteDoc { query, ..self }
    }

    pub fn is_sync(&self) -> bool {
        self.path.starts_with("/sync/")
    }
}

/// The document for these routes.
pub fn document(routes: &[RouteDoc]) -> Value {
    let mut paths = Map::new();
    for route in routes {
        let mut parameters: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        parameters.extend(route.query.iter().map(|(name, description)| {
            json!({ "name": name, "in": "query", "required": false, "description": description,
                    "schema": { "type": if matches!(*name, "page" | "per_page" | "after" | "limit" | "offset" | "total") { "integer" } else { "string" } } })
        }));
        if route.is_sync() {
            parameters.push(json!({
                "name": PROTOCOL_HEADER, "in": "header", "required": true,
                "description": "The sync protocol version the client speaks; another version gets 426 protocol_mismatch.",
                "schema": { "type": "integer", "const": PROTOCOL_VERSION }
            }));
        }
        let security = match route.access {
            Access::Public | Access::Enrollment => json!([]),
            Access::Device => json!([{ "device": [] }]),
            Access::User => json!([{ "user": [] }]),
        };
        let mut operation = json!({
            "summary": route.summary,
            "operationId": format!("{}_{}", route.method, route.path.trim_start_matches('/').replace(['/', '{', '}'], "_")),
            "tags": [if route.is_sync() { "sync" } else if route.path.starts_with("/api/") { "api" } else { "ops" }],
            "parameters": parameters,
            "security": security,
            "responses": {
                "2XX": { "description": format!("talento_protocol::{}", route.response),
                         "content": { "application/json": { "schema": { "type": "object" } } } },
                "default": { "description": "An error", "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/ErrorBody" } } } }
            }
        });
        if let (Some(request), Some(op)) = (route.request, operation.as_object_mut()) {
            op.insert(
                "requestBody".into(),
                json!({ "required": true, "description": format!("talento_protocol::{request}"),
                        "content": { "application/json": { "schema": { "type": "object" } } } }),
            );
        }
        if let Some(item) = paths.entry(route.path).or_insert_with(|| json!({})).as_object_mut() {
            item.insert(route.method.to_owned(), operation);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Talento central server",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!("Sync protocol v{PROTOCOL_VERSION} for the desktop app, and the REST API v1. \
                Lists take ?page= (from 1) and ?per_page= (at most 200). Errors are {{code, message}}.")
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "device": { "type": "http", "scheme": "bearer", "description": "The device credential from enrollment." },
                "user": { "type": "http", "scheme": "bearer", "description": "The token from /api/v1/auth/login." }
            },
            "schemas": {
                "ErrorBody": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": { "type": "string", "enum": [
                            "protocol_mismatch", "unauthorized", "device_revoked", "forbidden", "not_found",
                            "conflict", "invalid_request", "payload_too_large", "enrollment_token_invalid",
                            "account_locked", "scope_exhausted", "unavailable", "internal"] },
                        "message": { "type": "string" }
                    }
                }
            }
        }
    })
}
