# Helpers shared by scripts/bench-gateway.sh, bench-idle-connections.sh and reliability-*.sh (sourced, not run).
# Everything listens on 127.0.0.1 only; ports can be overridden with WEB_PORT, GW_PORT, PG_PORT; the server's JVM
# options (default -XX:+UseG1GC -Xms equal to -Xmx) with SERVER_JVM_ARGS; the server jar with APP_JAR (A/B runs).
# A server started here runs on its own fresh data directory ($DATA) with a fixed PostgreSQL port, so that psql
# can look at the tables and a restart (kill -9 test) finds the same database.

WEB_PORT="${WEB_PORT:-28091}"
GW_PORT="${GW_PORT:-29212}"
PG_PORT="${PG_PORT:-25432}"
ADMIN_PASSWORD=bench-admin-password
APP_JAR="${APP_JAR:-app/target/app-0.1.0-SNAPSHOT.jar}"
SIM_JAR=simulator/target/simulator.jar
BENCH_JAR=bench/target/benchmarks.jar
SERVER_PID=""
CHILD_PIDS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "FAIL: $*"; FAILED=1; }

build() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building (mvn package app, simulator, bench)"
    mvn -q -B -DskipTests -pl app,simulator,bench -am package
  fi
}

# start_server XMX [extra spring args...]: starts the server on $DATA in the background, sets SERVER_PID.
start_server() {
  local xmx="$1"; shift
  local p
  for p in "$WEB_PORT" "$GW_PORT" "$PG_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      log "port $p is in use (set WEB_PORT, GW_PORT, PG_PORT)"; return 1
    fi
  done
  SERVER_STARTED=$(date +%s)
  # shellcheck disable=SC2086
  # -Xms = -Xmx, as docs/operations.md recommends for the server: G1 then sizes its young generation from the whole
  # heap from the start instead of growing a small heap under load (4 times fewer collections in the gateway
  # benchmark, docs/benchmarks.md session 4)
  GONGZHI_ADMIN_PASSWORD=$ADMIN_PASSWORD java "-Xmx$xmx" ${SERVER_JVM_ARGS:--XX:+UseG1GC "-Xms$xmx"} -jar "$APP_JAR" \
    --gongzhi.data-dir="$DATA" --server.port="$WEB_PORT" --server.address=127.0.0.1 \
    --gongzhi.db.port="$PG_PORT" --gongzhi.gateway.port="$GW_PORT" --gongzhi.gateway.bind=127.0.0.1 \
    --gongzhi.monitoring.registry-reload-ms=5000 "$@" >> "$DATA/server.out" 2>&1 &
  SERVER_PID=$!
  log "server pid $SERVER_PID (web $WEB_PORT, gateway $GW_PORT, PostgreSQL $PG_PORT, data $DATA)"
}

wait_healthy() {
  for _ in $(seq 1 180); do
    if curl -sf "http://127.0.0.1:$WEB_PORT/actuator/health" >/dev/null 2>&1; then
      # the gateway binds as the context finishes starting; wait for its port as well
      if (exec 3<>"/dev/tcp/127.0.0.1/$GW_PORT") 2>/dev/null; then return 0; fi
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then log "server died:"; tail -50 "$DATA/server.out" >&2; return 1; fi
    sleep 1
  done
  log "server not healthy after 180 s"; return 1
}

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# The postmaster of $DATA/pg (left behind when the JVM is killed with -9), if any.
postmaster_pid() {
  [ -f "$DATA/pg/postmaster.pid" ] && head -1 "$DATA/pg/postmaster.pid" || true
}

kill_postmaster_if_orphaned() {
  local pm; pm="$(postmaster_pid)"
  if [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null; then
    kill -9 "$pm" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pm" 2>/dev/null || break; sleep 0.5; done
  fi
}

cleanup() {
  local rc=$?
  for p in "${CHILD_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_server
  # zonky stops PostgreSQL when the server shuts down; after a kill -9 it may still run
  kill_postmaster_if_orphaned
  if [ "${KEEP_DATA:-0}" = 1 ]; then log "data kept in $DATA"; else rm -rf "$DATA"; fi
  exit $rc
}

sql() { psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -At "$@"; }

# setup_devices N TAG: token + N outfalls + N registered devices (MN 8888888 + number, one outfall each).
setup_devices() {
  local n="$1" tag="$2"
  java -cp "$BENCH_JAR" org.gongzhi.bench.gateway.GatewaySetup --url="http://127.0.0.1:$WEB_PORT" --user=admin \
    --password=$ADMIN_PASSWORD --outfalls="$n" --token-file="$DATA/token" --tag="$tag"
  TOKEN="$(cat "$DATA/token")"
  OUTFALL_IDS="$(sql -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM outfall WHERE name LIKE '网关基准${tag}-%'")"
  local got; got="$(echo "$OUTFALL_IDS" | tr ',' '\n' | grep -c .)"
  [ "$got" = "$n" ] || { log "expected $n outfalls, found $got"; return 1; }
  java -jar "$SIM_JAR" --register="http://127.0.0.1:$WEB_PORT" --token="$TOKEN" --outfall-ids="$OUTFALL_IDS" \
    --devices="$n" --interval=60 --register-only > "$DATA/registration.json" 2>/dev/null || true
  log "registration: $(cut -c1-400 "$DATA/registration.json")"
  local stored; stored="$(sql -c "SELECT count(*) FROM data_logger WHERE mn LIKE '8888888%'")"
  [ "$stored" -ge "$n" ] || { log "only $stored of $n devices registered"; return 1; }
  if grep -q '"failed":[1-9]' "$DATA/registration.json"; then
    # Known race (DataLoggerRegistry.register: copy-on-write of the in-memory map without a lock): a concurrent
    # registration can be lost from memory (the API answers 404 although the row is stored) until the registry
    # reloads, 60 s after start-up and then every registry-reload-ms (5 s here). Wait for that reload.
    local wait=$((SERVER_STARTED + 70 - $(date +%s)))
    log "registration lost devices from the in-memory registry (race); waiting ${wait}s for the registry reload"
    [ "$wait" -gt 0 ] && sleep "$wait"
  fi
}

# json FILE PATH: a number from the simulator's JSON report, e.g. json r.json ackLatencyMs.p99
json() {
  python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v.get(k) if isinstance(v,dict) else None
print(0 if v is None else v)' "$1" "$2"
}

# verify_acked LOGFILE FACTORS: every packet in the simulator's --acked-log has all its rows in measurement,
# exactly once. Prints and sets ACKED_KEYS, ACKED_KEYS_STORED, STORED_ROWS_FOR_ACKED, DUP_KEYS.
verify_acked() {
  local file="$1" factors="$2"
  sql <<SQL > "$DATA/verify.out"
CREATE TEMP TABLE acked (mn text, cn int, qn text, data_time text);
\copy acked FROM '$file'
CREATE TEMP TABLE acked_key AS
  SELECT DISTINCT a.mn, d.outfall_id, to_timestamp(a.data_time, 'YYYYMMDDHH24MISS')::timestamp AT TIME ZONE 'Asia/Shanghai' AS data_time
  FROM acked a JOIN data_logger d ON d.mn = a.mn WHERE a.cn = 2051;
SELECT (SELECT count(*) FROM acked WHERE cn = 2051),
       (SELECT count(*) FROM acked_key),
       (SELECT count(*) FROM (SELECT k.mn FROM acked_key k JOIN measurement m ON m.outfall_id = k.outfall_id
            AND m.kind = 'MINUTE' AND m.data_time = k.data_time AND m.source = 'HJ212'
            GROUP BY k.mn, k.data_time HAVING count(*) = $factors) x),
       (SELECT count(*) FROM acked_key k JOIN measurement m ON m.outfall_id = k.outfall_id
            AND m.kind = 'MINUTE' AND m.data_time = k.data_time AND m.source = 'HJ212'),
       (SELECT count(*) FROM (SELECT outfall_id, kind, data_time, factor, source FROM measurement
            GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1) d);
SQL
  IFS='|' read -r ACKED_LINES ACKED_KEYS ACKED_KEYS_STORED STORED_ROWS_FOR_ACKED DUP_KEYS < "$DATA/verify.out"
  log "acked-log lines (2051) $ACKED_LINES, distinct acked (MN, DataTime) $ACKED_KEYS, of which fully stored $ACKED_KEYS_STORED;" \
      "rows stored for them $STORED_ROWS_FOR_ACKED (expected $((ACKED_KEYS * factors))); duplicate keys in measurement $DUP_KEYS"
}

# pg_ctl ARGS...: zonky's pg_ctl for $DATA/pg; as root under `unshare -U`, as zonky runs it (PostgreSQL refuses root).
pg_ctl_cmd() {
  local bin; bin="$(ls -d /tmp/embedded-pg/PG-*/bin | head -1)"
  if [ "$(id -u)" = 0 ]; then unshare -U "$bin/pg_ctl" -D "$DATA/pg" "$@"; else "$bin/pg_ctl" -D "$DATA/pg" "$@"; fi
}

# Starts the embedded PostgreSQL again with the options zonky gave it (from postmaster.opts).
pg_start_again() {
  local opts; opts="$(sed -e 's/^[^ ]* "-D" "[^"]*" //' -e 's/"//g' "$DATA/pg/postmaster.opts")"
  pg_ctl_cmd -w -t 60 -l "$DATA/pg-restart.log" -o "$opts" start > /dev/null
}

# wait_idle PID [MAX_SECONDS]: until the process used under 0.1 s of CPU in each of 3 consecutive seconds (the JIT
# compiling what the set-up ran through: 2,000 HTTP registrations queue up C1/C2 work that otherwise spills into a
# benchmark that starts right after), at most MAX_SECONDS (default 90).
wait_idle() {
  local pid="$1" max="${2:-90}" hz quiet=0 t0 t1 i
  hz=$(getconf CLK_TCK)
  t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  for i in $(seq 1 "$max"); do
    sleep 1
    t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    if [ $(((t1 - t0) * 10)) -lt "$hz" ]; then quiet=$((quiet + 1)); else quiet=0; fi
    t0=$t1
    if [ "$quiet" -ge 3 ]; then log "server idle after ${i}s"; return 0; fi
  done
  log "server still busy after ${max}s; going on"
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }
