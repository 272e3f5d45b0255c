//! Rebuilds the server when a migration is added or changed: `embed_migrations!` reads `migrations/server/` at
//! compile time but does not tell cargo to watch the folder.

// Build scripts talk to cargo on stdout.
#![allow(clippy::print_stdout)]

fn main() {
    println!("cargo:rerun-if-changed=../../migrations/server");
}
