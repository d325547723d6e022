#!/usr/bin/env bash
# End-to-end gateway benchmark (issue 3): a fresh server (own data dir, embedded PostgreSQL), DEVICES simulated data
# loggers over loopback sending 6-factor 2051 minute data as fast as acks allow for DURATION seconds, then
#  * 0 lost: every packet the simulator saw acked (--acked-log) has its 6 rows in measurement,
#  * 0 duplicated: no key twice (the primary key), no packet acked twice (duplicatesAcked),
#  * the baseline in the same run: the same number of rows, same shape, COPYed by psql into the same table
#    (outfall ids shifted by 10^9, so the keys are new), and the ratio of the two rates.
# Not part of the test suite. Exit status 1 when a check fails (the throughput goal is reported, not enforced).
#   scripts/bench-gateway.sh [DEVICES] [DURATION]      (default 2000 60); SKIP_BUILD=1, KEEP_DATA=1, XMX=1g,
#   INTERVAL=S (seconds between uploads per device; 0 = as fast as acks allow), PROFILE=1 (JFR summary),
#   SERVER_ARGS="--gongzhi.writer.max-rows=..." (extra server settings), SYNC_COMMIT=on (see below),
#   SERVER_JVM_ARGS (default -XX:+UseG1GC -Xms1g), SIM_JVM_ARGS (default -XX:+UseParallelGC: the load generator's own GC,
#   see docs/benchmarks.md), WARMUP=S (default 30: S seconds of the same load before the measured run, on DataTimes
#   14 days later, so that the server's JIT has compiled the path, as in a server in service; those rows are checked
#   but not measured, and the warm-up's own ack latencies are printed as the cold server's figures; WARMUP=0 measures
#   a cold server), SIM_JIT_WARMUP=S (default 3: the simulator builds and decodes packets in memory for S seconds
#   before connecting, so that its own JIT does not count as ack latency; docs/simulator.md)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/reliability-common.sh
DEVICES="${1:-2000}"
DURATION="${2:-60}"
FACTORS=6
DATA="$(mktemp -d /tmp/gongzhi-gw-bench.XXXXXX)"
trap cleanup EXIT
FAILED=0
build
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# shellcheck disable=SC2086
start_server "${XMX:-1g}" ${SERVER_ARGS:-}
wait_healthy
setup_devices "$DEVICES" bench
if [ "${SYNC_COMMIT:-}" = on ]; then
  # SYNC_COMMIT=on: measure with synchronous commit (zonky starts PostgreSQL with synchronous_commit=off and -F; see
  # docs/benchmarks.md "Reliability"). A role setting beats the command line for new sessions; restart the server so
  # that its pool opens them. The COPY baseline's session gets it too. fsync stays off (-F cannot be overridden here).
  sql -c "ALTER ROLE postgres SET synchronous_commit = on"
  stop_server; kill_postmaster_if_orphaned
  # shellcheck disable=SC2086
  start_server "${XMX:-1g}" ${SERVER_ARGS:-}
  wait_healthy
fi
PG_SETTINGS="synchronous_commit=$(sql -c 'SHOW synchronous_commit'), fsync=$(sql -c 'SHOW fsync')"
# DataTime: from the first day of last month (a real monthly partition), one minute per record and device
MONTH="$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m-01)"
START="$(date -u -d "$MONTH" +%Y%m%d000000)"
# the measured run's rows: DataTime before the 15th (a run of a few minutes of data per device never gets there)
MEASURED="data_time < timestamp '$(date -u -d "$MONTH +14 days" +%Y-%m-%d) 00:00' AT TIME ZONE 'Asia/Shanghai'"
SIM_JVM="-Xmx1g ${SIM_JVM_ARGS:--XX:+UseParallelGC}"
wait_idle "$SERVER_PID" # the set-up's JIT work done before the clock starts
: > "$DATA/warmup-acked.tsv"
WARMUP="${WARMUP:-30}"
SIM_WARM="--jit-warmup=${SIM_JIT_WARMUP:-3}"
if [ "$WARMUP" -gt 0 ]; then
  log "warm-up: ${WARMUP}s of the same load on DataTimes from the 15th (checked, not measured)"
  # shellcheck disable=SC2086
  java $SIM_JVM -jar "$SIM_JAR" --host=127.0.0.1 --port="$GW_PORT" --devices="$DEVICES" --cn=2051 --min-interval=1 \
    --interval="${INTERVAL:-0}" --duration="$WARMUP" --connect-rate=1000 "$SIM_WARM" \
    --start-time="$(date -u -d "$MONTH +14 days" +%Y%m%d000000)" --threads=2 \
    --acked-log="$DATA/warmup-acked.tsv" --report="$DATA/warmup.json" > /dev/null 2> "$DATA/warmup.err"
  log "warm-up: $(tail -1 "$DATA/warmup.err")"
  sleep 2
fi
log "load before the run: $(load_average)"
# shellcheck disable=SC2086
java $SIM_JVM -jar "$SIM_JAR" --host=127.0.0.1 --port="$GW_PORT" --devices="$DEVICES" --cn=2051 --min-interval=1 \
  --interval="${INTERVAL:-0}" --duration="$DURATION" --connect-rate=1000 --start-time="$START" --threads=2 "$SIM_WARM" \
  --progress="${PROGRESS:-5}" --acked-log="$DATA/acked.tsv" --report="$DATA/report.json" > /dev/null 2> "$DATA/simulator.err" &
SIM=$!; CHILD_PIDS+=("$SIM")
# CPU seconds (user + system) of a process list, from /proc/PID/stat
cpu() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
pg_pids() { local pm; pm="$(postmaster_pid)"; echo "$pm" $(ps -o pid= --ppid "$pm"); }
CPU0_SERVER=$(cpu "$SERVER_PID"); CPU0_PG=$(cpu $(pg_pids)); CPU0_SIM=$(cpu "$SIM" $(ps -o pid= --ppid "$SIM"))
CPU0_ALL=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8}' /proc/stat); T0_RUN=$(date +%s.%N)
sleep $((DURATION / 3))
if [ "${PROFILE:-0}" = 1 ]; then # PROFILE=1: 20 s of JFR from the server, summarised at the end (keep with KEEP_DATA=1)
  jcmd "$SERVER_PID" JFR.start duration=20s filename="$DATA/server.jfr" settings=profile > /dev/null 2>&1 || true
fi
sleep $((DURATION / 6))
LOAD_MID="$(load_average)"
sleep $((DURATION / 2 - 2))
CPU1_SERVER=$(cpu "$SERVER_PID"); CPU1_PG=$(cpu $(pg_pids)); CPU1_SIM=$(cpu "$SIM" $(ps -o pid= --ppid "$SIM"))
CPU1_ALL=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8}' /proc/stat); T1_RUN=$(date +%s.%N)
HZ=$(getconf CLK_TCK)
CPU_SHARES="$(python3 -c "
w = $T1_RUN - $T0_RUN; hz = $HZ
print(f'server JVM {($CPU1_SERVER - $CPU0_SERVER) / hz / w:.2f}, PostgreSQL {($CPU1_PG - $CPU0_PG) / hz / w:.2f}, '
      f'simulator {($CPU1_SIM - $CPU0_SIM) / hz / w:.2f} cores (machine busy {($CPU1_ALL - $CPU0_ALL) / hz / w:.2f} of $(nproc))')")"
wait "$SIM"
LOAD_END="$(load_average)"
grep '^\[' "$DATA/simulator.err" >&2 || true # progress lines: acks and latency per interval
{ grep -v "^\[" "$DATA/simulator.err" || true; } | tail -3 >&2
R="$DATA/report.json"
SENT=$(json "$R" sent); ACKED=$(json "$R" acked); FAILED_PK=$(json "$R" failed); RESENT=$(json "$R" resent)
DUP_ACKS=$(json "$R" duplicatesAcked); P50=$(json "$R" ackLatencyMs.p50); P99=$(json "$R" ackLatencyMs.p99)
PMAX=$(json "$R" ackLatencyMs.max); SIM_SECONDS=$(json "$R" durationSeconds)
sleep 2 # let the writer finish packets that were stored but not acked before the simulator stopped
cat "$DATA/acked.tsv" "$DATA/warmup-acked.tsv" > "$DATA/all-acked.tsv"
WARMUP_ACKED=$(wc -l < "$DATA/warmup-acked.tsv")
verify_acked "$DATA/all-acked.tsv" "$FACTORS"
read -r ROWS SPAN <<< "$(sql -F ' ' -c "SELECT count(*), extract(epoch FROM max(received_at) - min(received_at))
  FROM measurement WHERE outfall_id IN ($OUTFALL_IDS) AND $MEASURED")"
GW_RATE=$(python3 -c "print(round($ROWS / $SPAN))")
GW_RATE_WALL=$(python3 -c "print(round($ACKED * $FACTORS / $SIM_SECONDS))")

# ---- raw COPY baseline: the same rows (same shape, new keys) into the same table ------------------------------
sql -c "\copy (SELECT outfall_id + 1000000000, kind, data_time, factor, source, rtd, min, avg, max, cou, flag, received_at, packet_id FROM measurement WHERE outfall_id IN ($OUTFALL_IDS) AND $MEASURED) TO '$DATA/rows.tsv'"
log "COPY of $ROWS rows (file $(du -h "$DATA/rows.tsv" | cut -f1)), load $(load_average)"
T0=$(date +%s.%N)
sql -c "\copy measurement (outfall_id, kind, data_time, factor, source, rtd, min, avg, max, cou, flag, received_at, packet_id) FROM '$DATA/rows.tsv'"
T1=$(date +%s.%N)
COPIED=$(sql -c "SELECT count(*) FROM measurement WHERE outfall_id >= 1000000000")
COPY_SECONDS=$(python3 -c "print(round($T1 - $T0, 3))")
COPY_RATE=$(python3 -c "print(round($COPIED / ($T1 - $T0)))")

echo
echo "== HJ 212 gateway end to end, $(date -u +%Y-%m-%d), $(nproc) CPUs, load mid-run $LOAD_MID, at end $LOAD_END"
echo "devices $DEVICES, 2051 x $FACTORS factors, interval ${INTERVAL:-0} (window 1), duration $DURATION s ${SERVER_ARGS:-}; PostgreSQL $PG_SETTINGS"
echo "JVMs: server ${SERVER_JVM_ARGS:--XX:+UseG1GC -Xms${XMX:-1g}}, simulator $SIM_JVM $SIM_WARM; warm-up $WARMUP s ($WARMUP_ACKED packets acked, verified below, not measured)"
if [ "$WARMUP" -gt 0 ]; then
  echo "warm-up (cold server): ack latency ms p50 $(json "$DATA/warmup.json" ackLatencyMs.p50), p99 $(json "$DATA/warmup.json" ackLatencyMs.p99), max $(json "$DATA/warmup.json" ackLatencyMs.max)"
fi
echo "CPU during the run (most of it, after ramp-up): $CPU_SHARES"
echo "simulator: sent $SENT, acked $ACKED, resent $RESENT, failed $FAILED_PK, duplicatesAcked $DUP_ACKS, ${SIM_SECONDS}s"
echo "ack latency ms: p50 $P50, p99 $P99, max $PMAX"
echo "stored rows $ROWS over ${SPAN}s of received_at: gateway $GW_RATE rows/s ($GW_RATE_WALL rows/s acked over the simulator's whole run)"
echo "raw COPY of $COPIED identical-shape rows: ${COPY_SECONDS}s = $COPY_RATE rows/s"
echo "ratio gateway/COPY: $(python3 -c "print(f'{$GW_RATE / $COPY_RATE:.1%}')") (whole run: $(python3 -c "print(f'{$GW_RATE_WALL / $COPY_RATE:.1%}')"))"
echo "lost: $((ACKED_KEYS - ACKED_KEYS_STORED)) acked packets without all their rows; duplicates: $DUP_KEYS keys, $DUP_ACKS acks"
[ "$ACKED_LINES" = "$((ACKED + WARMUP_ACKED))" ] || fail "acked-logs have $ACKED_LINES lines, reports say acked $((ACKED + WARMUP_ACKED))"
[ "$ACKED_KEYS" = "$ACKED_LINES" ] || fail "the same (MN, DataTime) acked twice"
[ "$ACKED_KEYS_STORED" = "$ACKED_KEYS" ] || fail "$((ACKED_KEYS - ACKED_KEYS_STORED)) acked packets are not fully stored"
[ "$STORED_ROWS_FOR_ACKED" = "$((ACKED_KEYS * FACTORS))" ] || fail "rows for acked packets $STORED_ROWS_FOR_ACKED != $((ACKED_KEYS * FACTORS))"
[ "$DUP_KEYS" = 0 ] || fail "duplicate keys"
[ "$DUP_ACKS" = 0 ] || fail "duplicate acks"
[ "$COPIED" = "$ROWS" ] || fail "COPY baseline copied $COPIED of $ROWS rows"
python3 -c "import sys; sys.exit(0 if $GW_RATE >= 0.5 * $COPY_RATE and $P99 <= 200 else 1)" \
  && echo "GOAL MET (>= 50% of COPY, p99 <= 200 ms)" || echo "GOAL MISSED (>= 50% of COPY and p99 <= 200 ms)"
if [ "${PROFILE:-0}" = 1 ] && [ -f "$DATA/server.jfr" ]; then
  echo "top frames of the server's execution samples (JFR):"
  jfr print --events jdk.ExecutionSample "$DATA/server.jfr" | grep -A1 'stackTrace = \[' | grep -v 'stackTrace\|^--' \
    | sed 's/line:.*//' | sort | uniq -c | sort -rn | head -25
fi
exit $FAILED
