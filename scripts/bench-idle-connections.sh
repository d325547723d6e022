#!/usr/bin/env bash
# Idle connections (issue 3 goal: 10,000 concurrent idle device connections with heap <= 512 MB). Starts a fresh
# server with -Xmx512m (so the goal is also enforced by the JVM), registers DEVICES data loggers, connects them all
# (one 2051 upload per device per minute, --interval=60: the first one authenticates it; the simulator spreads the
# first uploads over the interval; in between the connections are idle), and measures the server's
# heap after a full GC (jcmd GC.run + GC.heap_info) before and while they are connected.
# Not part of the test suite; bounded; 127.0.0.1 only; exit 1 when a check fails.
#   scripts/bench-idle-connections.sh [DEVICES]     (default 10000); SKIP_BUILD=1, KEEP_DATA=1
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/reliability-common.sh
DEVICES="${1:-10000}"
HOLD=150
DATA="$(mktemp -d /tmp/gongzhi-idle.XXXXXX)"
trap cleanup EXIT
FAILED=0
build
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
log "open files limit $(ulimit -n); ephemeral ports $(cat /proc/sys/net/ipv4/ip_local_port_range | tr '\t' '-')"
start_server 512m --gongzhi.gateway.max-connections=20000
wait_healthy
setup_devices "$DEVICES" idle
heap_after_gc() { # used heap in MB after a full GC
  jcmd "$SERVER_PID" GC.run > /dev/null
  jcmd "$SERVER_PID" GC.heap_info | grep -o 'used [0-9]*K' | head -1 | grep -o '[0-9]*' | awk '{printf "%.1f", $1/1024}'
}
connections() { ss -Htn state established "( sport = :$GW_PORT )" | wc -l; }
BEFORE="$(heap_after_gc)"
log "heap after GC before the devices connect: $BEFORE MB (load $(load_average))"
START="$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y%m%d000000)"
timeout $((HOLD + 120)) java -Xmx1g -jar "$SIM_JAR" --host=127.0.0.1 --port="$GW_PORT" --devices="$DEVICES" --cn=2051 \
  --interval=60 --duration="$HOLD" --connect-rate=1000 --start-time="$START" --threads=2 --progress=10 \
  --report="$DATA/report.json" > /dev/null 2> "$DATA/simulator.err" &
SIM=$!; CHILD_PIDS+=("$SIM")
for _ in $(seq 1 60); do
  [ "$(connections)" -ge "$DEVICES" ] && break
  sleep 1
done
authenticated() { sql -c "SELECT count(DISTINCT mn) FROM raw_packet WHERE mn LIKE '8888888%'"; }
for _ in $(seq 1 20); do # every device has sent (and had stored) its first upload
  [ "$(authenticated)" -ge "$DEVICES" ] && break
  sleep 5
done
CONN="$(connections)"
PACKETS_SEEN="$(authenticated)"
DURING="$(heap_after_gc)"
RSS="$(ps -o rss= -p "$SERVER_PID" | awk '{printf "%.0f", $1/1024}')"
jcmd "$SERVER_PID" GC.heap_info > "$DATA/heap_info.txt"
LOAD="$(load_average)"
wait "$SIM" || true
ACKED=$(json "$DATA/report.json" acked); FAILED_PK=$(json "$DATA/report.json" failed)
echo
echo "== idle connections, $(date -u +%Y-%m-%d), $(nproc) CPUs, load $LOAD, server -Xmx512m"
echo "established gateway connections: $CONN of $DEVICES; devices authenticated (one stored upload each): $PACKETS_SEEN"
echo "simulator: acked $ACKED, failed $FAILED_PK"
echo "heap used after full GC: $BEFORE MB before, $DURING MB with the connections ($(python3 -c "print(round(($DURING - $BEFORE) * 1024 / $DEVICES, 1))") KB per connection); process RSS $RSS MB"
[ "$CONN" -ge "$DEVICES" ] || fail "only $CONN connections established"
[ "$PACKETS_SEEN" -ge "$DEVICES" ] || fail "only $PACKETS_SEEN devices authenticated"
python3 -c "import sys; sys.exit(0 if $DURING <= 512 else 1)" || fail "heap $DURING MB > 512 MB"
[ "$FAILED" = 0 ] && echo "PASS: $DEVICES idle connections, heap $DURING MB <= 512 MB" || echo "FAILED"
exit $FAILED
