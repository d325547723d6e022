#!/usr/bin/env bash
# Ledger benchmark: starts a fresh server (its own data directory), loads ROWS synthetic outfalls through the
# CSV import API and measures search, detail and as-of latencies. Results go to stdout; copy them into
# docs/benchmarks.md with the date and machine.
#   scripts/bench-ledger.sh [ROWS]      (default 500000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-500000}"
DATA="$(mktemp -d /tmp/gongzhi-bench.XXXXXX)"
PORT="${PORT:-18090}"
mvn -q -B -DskipTests -pl app,bench -am package
GONGZHI_ADMIN_PASSWORD=bench-admin-password java -Xmx2g -jar app/target/app-0.1.0-SNAPSHOT.jar \
  --gongzhi.data-dir="$DATA" --server.port="$PORT" --gongzhi.gateway.enabled=false \
  --spring.servlet.multipart.max-file-size=200MB --spring.servlet.multipart.max-request-size=200MB \
  > "$DATA/server.out" 2>&1 &
SERVER=$!
# KEEP_DATA=1 keeps the loaded database for a closer look (EXPLAIN) afterwards.
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; [ "${KEEP_DATA:-0}" = 1 ] && echo "data kept in $DATA" || rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://localhost:$PORT/actuator/health" >/dev/null && break
  sleep 1
done
java -cp bench/target/benchmarks.jar org.gongzhi.bench.ledger.LedgerBenchmark \
  --url="http://localhost:$PORT" --user=admin --password=bench-admin-password --rows="$ROWS"
