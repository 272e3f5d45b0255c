#!/usr/bin/env bash
# Installs what building, running and testing Talento needs on Debian 12, and only what is missing:
# system packages (WebKitGTK, Xvfb, WebKitWebDriver, PostgreSQL for the server's tests, …), tauri-driver, and the UI's npm packages.
# Idempotent and quiet when everything is there. Usage: scripts/install-deps.sh [run|test]
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-test}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev
  libjavascriptcoregtk-4.1-dev libxdo-dev build-essential pkg-config libssl-dev curl file)
if [ "$purpose" = test ]; then
  # postgresql: the central server's tests start a throwaway cluster on 127.0.0.1 (its initdb and pg_ctl).
  packages+=(xvfb xauth webkit2gtk-driver imagemagick poppler-utils postgresql)
fi
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is missing: install it with rustup (https://rustup.rs), then run make again." >&2
  exit 1
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node.js $node_major is too old for the UI build (Vite needs 20.19+)." >&2
  exit 1
fi

if [ "$purpose" = test ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "==> cargo install tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

# npm ci only when package-lock.json changed since the last install.
stamp=ui/node_modules/.talento-lock
if [ ! -f "$stamp" ] || ! cmp -s ui/package-lock.json "$stamp"; then
  echo "==> npm ci (ui)"
  npm --prefix ui ci --no-audit --no-fund --loglevel=error
  cp ui/package-lock.json "$stamp"
fi
