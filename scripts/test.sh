#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (embedded PostgreSQL 17), HJ 212 codec and browser tests
# (Debian's headless Chromium, installed here if missing) and PDF documents (a CJK TrueType font, likewise).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 || [ ! -e /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ]; then
  echo "Installing Chromium and ChromeDriver for the browser tests (Debian packages)..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk fonts-droid-fallback >/dev/null
fi
exec mvn -B verify "$@"
