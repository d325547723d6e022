#!/usr/bin/env bash
# Builds Gongzhi and starts it with demo data (苏州市, ~300 outfalls) on http://localhost:8080.
# Data (the embedded PostgreSQL cluster, logs) goes to ./data and survives restarts.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -e /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ]; then
  echo "Installing a CJK TrueType font for PDF documents (Debian package fonts-droid-fallback)..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-droid-fallback >/dev/null
fi
mvn -q -B -DskipTests -pl app -am package
export GONGZHI_ADMIN_PASSWORD="${GONGZHI_ADMIN_PASSWORD:-gongzhi-admin}"
echo
echo "  Starting Gongzhi on http://localhost:${PORT:-8080}/"
echo "  National admin 国家级管理员: admin / ${GONGZHI_ADMIN_PASSWORD}  (set GONGZHI_ADMIN_PASSWORD before the first start to choose it)"
echo
exec java -jar app/target/app-0.1.0-SNAPSHOT.jar --gongzhi.demo.enabled=true "$@"
