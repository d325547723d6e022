#!/usr/bin/env bash
# Reliability (issue 3): stop the embedded PostgreSQL (pg_ctl stop -m fast) for OUTAGE seconds during ingest, then
# start it again with the same options. Checks: no ack while it is down (the simulator's acked counter stays flat
# from 2 s after the stop, for commits that completed before it, until the restart), the server recovers by itself
# (HikariCP reconnects; acks resume without restarting the app), and every packet acked is stored (0 lost).
# Not part of the test suite; bounded; 127.0.0.1 only; exit 1 when a check fails.
#   scripts/reliability-pg-restart.sh [DEVICES] [OUTAGE]     (default 200 20); SKIP_BUILD=1, KEEP_DATA=1
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/reliability-common.sh
DEVICES="${1:-200}"
OUTAGE="${2:-20}"
FACTORS=6
DATA="$(mktemp -d /tmp/gongzhi-pgrestart.XXXXXX)"
trap cleanup EXIT
FAILED=0
build
start_server 1g
wait_healthy
setup_devices "$DEVICES" pgr
START="$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y%m%d000000)"
DURATION=$((OUTAGE + 60))
timeout $((DURATION + 600)) java -Xmx512m -jar "$SIM_JAR" --host=127.0.0.1 --port="$GW_PORT" --devices="$DEVICES" \
  --cn=2051 --min-interval=1 --interval=0 --duration="$DURATION" --start-time="$START" --threads=2 --progress=1 \
  --retries=99 --ack-timeout=5000 --acked-log="$DATA/acked.tsv" --report="$DATA/report.json" \
  > /dev/null 2> "$DATA/simulator.err" &
SIM=$!; CHILD_PIDS+=("$SIM")
acked_now() { grep -o 'acked [0-9]*' "$DATA/simulator.err" | tail -1 | cut -d' ' -f2 || echo 0; }
sleep 15
A_BEFORE="$(acked_now)"
log "acked $A_BEFORE: stopping PostgreSQL (pg_ctl stop -m fast)"
pg_ctl_cmd stop -m fast -w > /dev/null
T_STOP=$(date +%s)
sleep 3
A_STOPPED="$(acked_now)"
sleep $((OUTAGE - 3))
A_OUTAGE_END="$(acked_now)"
log "acked $A_STOPPED 2-3 s after the stop, $A_OUTAGE_END at the end of the ${OUTAGE}s outage; starting PostgreSQL again"
pg_start_again
T_START=$(date +%s)
RECOVERED=""
for i in $(seq 1 120); do
  sleep 1
  A="$(acked_now)"
  if [ "$A" -gt "$A_OUTAGE_END" ]; then RECOVERED=$i; break; fi
done
log "acks resumed ${RECOVERED:-never}s after PostgreSQL was back (acked $A)"
STORE_FAILURES="$(grep -c 'not stored, not acknowledged' "$DATA/server.out" || true)"
HIKARI="$(grep -c 'HikariPool\|gongzhi - Connection' "$DATA/server.out" || true)"
wait "$SIM" || fail "simulator exited with $?"
R="$DATA/report.json"
ACKED=$(json "$R" acked); FAILED_PK=$(json "$R" failed); RESENT=$(json "$R" resent); DUP_ACKS=$(json "$R" duplicatesAcked)
P99=$(json "$R" ackLatencyMs.p99); PMAX=$(json "$R" ackLatencyMs.max)
sleep 1
verify_acked "$DATA/acked.tsv" "$FACTORS"
echo
echo "== PostgreSQL stopped for ${OUTAGE}s during ingest, $(date -u +%Y-%m-%d), load $(load_average)"
echo "acked: $A_BEFORE before the stop, $A_STOPPED 3 s after, $A_OUTAGE_END at the end of the outage; acks resumed ${RECOVERED:-never} s after the restart"
echo "simulator: acked $ACKED, resent $RESENT, failed $FAILED_PK, duplicatesAcked $DUP_ACKS, p99 $P99 ms, max $PMAX ms"
echo "server log: $STORE_FAILURES 'not stored, not acknowledged' warnings, $HIKARI HikariPool lines"
echo "acked packets $ACKED_KEYS, fully stored $ACKED_KEYS_STORED, duplicate keys $DUP_KEYS"
[ "$A_OUTAGE_END" = "$A_STOPPED" ] || fail "$((A_OUTAGE_END - A_STOPPED)) acks during the outage"
[ -n "$RECOVERED" ] || fail "no ack after PostgreSQL came back"
[ "$FAILED_PK" = 0 ] || fail "$FAILED_PK packets failed (gave up)"
[ "$ACKED_KEYS_STORED" = "$ACKED_KEYS" ] || fail "$((ACKED_KEYS - ACKED_KEYS_STORED)) ACKED PACKETS LOST"
[ "$ACKED_KEYS" = "$ACKED_LINES" ] || fail "a (MN, DataTime) acked twice"
[ "$DUP_KEYS" = 0 ] || fail "duplicate keys"
[ "$FAILED" = 0 ] && echo "PASS: no ack during the outage, recovered by itself, nothing acked lost" || echo "FAILED"
exit $FAILED
