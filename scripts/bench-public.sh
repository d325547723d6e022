#!/usr/bin/env bash
# Public outfall page under load (issue 6): goal p95 <= 30 ms server time with 200 concurrent clients.
# Builds the server, starts it with the demo city on a fresh data directory, warms up, then runs wrk with 200
# connections over the public pages of every demo outfall (each request picks the next code). Server time is taken
# from Tomcat's access log (%{us}T: from reading the request to committing the response); wrk's latencies include
# loopback and client queueing. Usage: scripts/bench-public.sh [seconds=30] [connections=200] [port=18160]
# SKIP_BUILD=1 uses the jar as built; SERVER_ARGS="--server.tomcat.threads.max=16" passes settings to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN="${1:-30}"; CONNS="${2:-200}"; PORT="${3:-18160}"
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 2; }
[ -n "${SKIP_BUILD:-}" ] || mvn -q -B -o -DskipTests -pl app -am package
WORK=$(mktemp -d /tmp/bench-public.XXXX)
GONGZHI_ADMIN_PASSWORD=bench-admin java -Xmx1g -jar app/target/app-0.1.0-SNAPSHOT.jar --gongzhi.data-dir="$WORK/data" \
  --server.port="$PORT" --gongzhi.demo.enabled=true --gongzhi.gateway.enabled=false \
  --server.tomcat.accesslog.enabled=true --server.tomcat.accesslog.directory="$WORK" \
  --server.tomcat.accesslog.prefix=access --server.tomcat.accesslog.suffix=.log \
  --server.tomcat.accesslog.rotate=false --server.tomcat.accesslog.buffered=true \
  '--server.tomcat.accesslog.pattern=%U %s %{us}T' ${SERVER_ARGS:-} > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  curl -fs "http://localhost:$PORT/actuator/health/readiness" >/dev/null 2>&1 && break; sleep 1
done
# The demo loads after readiness begins: wait until the open data lists the demo outfalls.
for _ in $(seq 1 120); do
  n=$(curl -fs "http://localhost:$PORT/api/v1/open/outfalls?region=320506&size=500" | grep -o '"id":"[^"]*"' | wc -l || true)
  [ "${n:-0}" -gt 10 ] && break; sleep 1
done
: > "$WORK/codes.txt"
for region in 320505 320506 320507 320508 320509; do
  curl -fs "http://localhost:$PORT/api/v1/open/outfalls?region=$region&size=500" | grep -o '"id":"[^"]*"' | cut -d'"' -f4 >> "$WORK/codes.txt" || true
done
echo "outfalls: $(wc -l < "$WORK/codes.txt")"
cat > "$WORK/pages.lua" <<LUA
local codes = {}
for line in io.lines("$WORK/codes.txt") do codes[#codes + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/o/" .. codes[(i % #codes) + 1])
end
LUA
wrk -t2 -c"$CONNS" -d10s -s "$WORK/pages.lua" "http://localhost:$PORT" > /dev/null   # warm-up (JIT, caches)
sleep 2
START_LINE=$(( $(wc -l < "$WORK/access.log" 2>/dev/null || echo 0) ))
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c"$CONNS" -d"${SECONDS_RUN}s" --latency -s "$WORK/pages.lua" "http://localhost:$PORT" | tee "$WORK/wrk.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
sleep 6   # the access log is buffered
tail -n +"$((START_LINE + 1))" "$WORK/access.log" | awk '$1 ~ /^\/o\// {print $2, $3}' > "$WORK/server-times.txt"
python3 - "$WORK/server-times.txt" <<'PY'
import sys
rows = [r for r in (l.split() for l in open(sys.argv[1])) if len(r) == 2]  # a line cut by the buffer is skipped
ok = sorted(int(t) / 1000 for s, t in rows if s == "200")
bad = sum(1 for s, _ in rows if s != "200")
def p(q): return ok[min(len(ok) - 1, int(q * len(ok)))]
print(f"server time over {len(ok)} pages (non-200: {bad}): p50 {p(.50):.2f} ms  p95 {p(.95):.2f} ms  p99 {p(.99):.2f} ms  max {ok[-1]:.2f} ms")
PY
echo "work dir: $WORK"
