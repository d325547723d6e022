#!/usr/bin/env bash
# Reliability (issue 3): kill -9 the server during a PACKETS-packet run with acks, restart it on the same data
# directory, let the simulator reconnect and resend; then every packet the simulator saw acked (--acked-log) must be
# stored exactly once (its 6 rows present, no key twice), and every packet must end up acked.
#   MODE=crash (default): kill -9 the JVM and then the embedded PostgreSQL it started (postmaster and its children),
#                         as when the machine's server process tree dies; PostgreSQL does crash recovery on restart.
#   MODE=jvm:             kill -9 only the JVM; the orphaned PostgreSQL is then stopped cleanly (pg_ctl stop -m fast)
#                         so that the restarted server can start its own.
# Not part of the test suite; bounded (timeouts), 127.0.0.1 only; exit 1 when a check fails.
#   SYNC_COMMIT=on:       first ALTER ROLE postgres SET synchronous_commit = on (see below); needed only before
#                         commit 3e49d84, which made the embedded PostgreSQL durable (fsync, synchronous_commit on).
#   scripts/reliability-kill9.sh [PACKETS] [DEVICES]     (default 100000 500); SKIP_BUILD=1, KEEP_DATA=1
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/reliability-common.sh
PACKETS="${1:-100000}"
DEVICES="${2:-500}"
MODE="${MODE:-crash}"
FACTORS=6
KILL_AT=$((PACKETS * 2 / 5))
DATA="$(mktemp -d /tmp/gongzhi-kill9.XXXXXX)"
trap cleanup EXIT
FAILED=0
build
ulimit -n 65536 2>/dev/null || true
start_server 1g
wait_healthy
setup_devices "$DEVICES" kill9
if [ "${SYNC_COMMIT:-}" = on ]; then
  # zonky's defaults (before 3e49d84): -F (fsync off) and -c synchronous_commit=off: a commit returns before its WAL is
  # written, so a crash of PostgreSQL can lose committed (and acknowledged) transactions. A role setting overrides
  # the command line for new sessions; restart the server so that its pool opens sessions with it.
  sql -c "ALTER ROLE postgres SET synchronous_commit = on"
  stop_server; kill_postmaster_if_orphaned
  start_server 1g
  wait_healthy
fi
PG_SETTINGS="synchronous_commit=$(sql -c 'SHOW synchronous_commit'), fsync=$(sql -c 'SHOW fsync')"
log "PostgreSQL: $PG_SETTINGS"
START="$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y%m%d000000)"
log "load before the run: $(load_average)"
# reconnect every second for up to 1000 s; resend a packet up to 99 times (5 s ack timeout)
timeout 900 java -Xmx1g -jar "$SIM_JAR" --host=127.0.0.1 --port="$GW_PORT" --devices="$DEVICES" --cn=2051 \
  --min-interval=1 --interval=0 --total-packets="$PACKETS" --start-time="$START" --threads=2 \
  --reconnect-delay=1000 --connect-retries=1000 --retries=99 --ack-timeout=5000 --progress=1 \
  --acked-log="$DATA/acked.tsv" --report="$DATA/report.json" > /dev/null 2> "$DATA/simulator.err" &
SIM=$!; CHILD_PIDS+=("$SIM")
for _ in $(seq 1 300); do
  A="$(grep -o 'acked [0-9]*' "$DATA/simulator.err" | tail -1 | cut -d' ' -f2 || true)"
  [ -n "$A" ] && [ "$A" -ge "$KILL_AT" ] && break
  sleep 0.2
done
PM="$(postmaster_pid)"
log "simulator reports $A acked: kill -9 the server (pid $SERVER_PID, mode $MODE, postmaster $PM)"
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
if [ "$MODE" = crash ]; then
  for c in $(ps -o pid= --ppid "$PM" 2>/dev/null); do kill -9 "$c" 2>/dev/null || true; done
  kill -9 "$PM" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$PM" 2>/dev/null || break; sleep 0.2; done
else
  pg_ctl_cmd stop -m fast -w > /dev/null 2>&1 || kill_postmaster_if_orphaned
fi
sleep 3 # the simulator now sees refused connects and ack timeouts
log "restarting the server on the same data directory"
start_server 1g
wait_healthy
log "server back; waiting for the simulator (load $(load_average))"
wait "$SIM" || fail "simulator exited with $?"
R="$DATA/report.json"
SENT=$(json "$R" sent); ACKED=$(json "$R" acked); FAILED_PK=$(json "$R" failed); RESENT=$(json "$R" resent)
DUP_ACKS=$(json "$R" duplicatesAcked); CONNECTS=$(json "$R" connections.connects); GAVE_UP=$(json "$R" connections.devicesGaveUp)
sleep 1
verify_acked "$DATA/acked.tsv" "$FACTORS"
ROWS="$(sql -c "SELECT count(*) FROM measurement WHERE outfall_id IN ($OUTFALL_IDS)")"
RAW="$(sql -c "SELECT count(*) FROM raw_packet WHERE mn LIKE '8888888%'")"
echo
echo "== kill -9 ($MODE; PostgreSQL $PG_SETTINGS) during a $PACKETS-packet run, $(date -u +%Y-%m-%d), load $(load_average)"
echo "killed at $A acked; simulator: sent $SENT, acked $ACKED, resent $RESENT, failed $FAILED_PK, duplicatesAcked $DUP_ACKS, connects $CONNECTS, gave up $GAVE_UP"
echo "acked packets $ACKED_KEYS, fully stored $ACKED_KEYS_STORED; rows $ROWS (expected $((PACKETS * FACTORS))); duplicate keys $DUP_KEYS; raw packets archived $RAW"
[ "$ACKED" = "$PACKETS" ] || fail "only $ACKED of $PACKETS packets acked"
[ "$ACKED_LINES" = "$ACKED" ] || fail "acked-log has $ACKED_LINES lines, report says $ACKED"
[ "$ACKED_KEYS" = "$ACKED_LINES" ] || fail "a (MN, DataTime) acked twice"
[ "$ACKED_KEYS_STORED" = "$ACKED_KEYS" ] || fail "$((ACKED_KEYS - ACKED_KEYS_STORED)) ACKED PACKETS LOST"
[ "$STORED_ROWS_FOR_ACKED" = "$((ACKED_KEYS * FACTORS))" ] || fail "rows for acked packets $STORED_ROWS_FOR_ACKED != $((ACKED_KEYS * FACTORS))"
[ "$ROWS" = "$((PACKETS * FACTORS))" ] || fail "rows $ROWS != $((PACKETS * FACTORS))"
[ "$DUP_KEYS" = 0 ] || fail "duplicate keys"
[ "$FAILED" = 0 ] && echo "PASS: every acked packet stored exactly once" || echo "FAILED"
exit $FAILED
