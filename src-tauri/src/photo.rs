//! The `photo://` protocol: `<img src="photo://localhost/<hash>?thumb">` shows a stored photo, decrypted by the core
//! (which checks the session and the role) and never written to disk in clear. Photos are immutable (named by
//! content), so the web view may cache them for the session.

use talento_core::ErrorCode;
use tauri::http::{Request, Response, StatusCode, header};
use tauri::{Manager, Runtime, UriSchemeContext};

use crate::state::AppState;

pub fn serve<R: Runtime>(ctx: UriSchemeContext<'_, R>, request: Request<Vec<u8>>) -> Response<Vec<u8>> {
    let hash = request.uri().path().trim_start_matches('/').to_owned();
    let thumbnail = request.uri().query().is_some_and(|q| q.split('&').any(|p| p == "thumb"));
    let state = ctx.app_handle().state::<AppState>();
    let (status, body, mime) = match state.with(|t| t.read_photo(&hash, thumbnail)) {
        Ok(bytes) => (StatusCode::OK, bytes, "image/jpeg"),
        Err(e) if matches!(e.code, ErrorCode::Forbidden | ErrorCode::NotAuthenticated | ErrorCode::SessionExpired) => {
            (StatusCode::FORBIDDEN, Vec::new(), "text/plain")
        }
        Err(_) => (StatusCode::NOT_FOUND, Vec::new(), "text/plain"),
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, mime)
        .header(header::CACHE_CONTROL, "private, max-age=3600, immutable")
        .body(body)
        .unwrap_or_else(|_| Response::new(Vec::new()))
}
