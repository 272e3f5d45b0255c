//! Builds the desktop shell against the root `tauri.conf.json` and `capabilities/`.
fn main() {
    let attributes = tauri_build::Attributes::new().capabilities_path_pattern("./capabilities/**/*");
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build: {e:#}");
    }
}
