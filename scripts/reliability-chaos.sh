#!/usr/bin/env bash
# Reliability (issue 3): simulator chaos mode against a live server. A fraction of the devices misbehave (bad CRC,
# bad length, garbage before frames, slow writers, abrupt disconnects); checks:
#  * the well-behaved devices see no errors: nothing failed or resent, no disconnect, no unknown/late/duplicate ack;
#  * no bad frame is acked (chaos.badFramesAcked = 0), every acked packet is stored;
#  * every bad frame is in rejected_frame with the right reason: BAD_CRC = badCrcFrames, BAD_LENGTH =
#    badLengthFrames, BAD_HEADER = garbageChunks, TRUNCATED = abruptDisconnects (and nothing else is rejected).
# Not part of the test suite; bounded; 127.0.0.1 only; exit 1 when a check fails.
#   scripts/reliability-chaos.sh [DEVICES] [DURATION] [CHAOS]     (default 500 60 0.1); SKIP_BUILD=1, KEEP_DATA=1
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/reliability-common.sh
DEVICES="${1:-500}"
DURATION="${2:-60}"
CHAOS="${3:-0.1}"
FACTORS=6
DATA="$(mktemp -d /tmp/gongzhi-chaos.XXXXXX)"
trap cleanup EXIT
FAILED=0
build
start_server 1g
wait_healthy
setup_devices "$DEVICES" chaos
START="$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y%m%d000000)"
timeout $((DURATION + 300)) java -Xmx512m -jar "$SIM_JAR" --host=127.0.0.1 --port="$GW_PORT" --devices="$DEVICES" \
  --cn=2051 --min-interval=1 --interval=0 --duration="$DURATION" --start-time="$START" --threads=2 \
  --chaos="$CHAOS" --chaos-rate=0.2 --acked-log="$DATA/acked.tsv" --report="$DATA/report.json" \
  > /dev/null 2> "$DATA/simulator.err" || fail "simulator exited with $?"
LOAD="$(load_average)"
sleep 3 # rejected frames are written by the writer in batches
R="$DATA/report.json"
n() { json "$R" "$1"; }
verify_acked "$DATA/acked.tsv" "$FACTORS"
declare -A GOT
while IFS='|' read -r reason count; do GOT[$reason]=$count; done < <(sql -c "SELECT reason, count(*) FROM rejected_frame GROUP BY reason")
echo
echo "== chaos run, $(date -u +%Y-%m-%d), load $LOAD: $DEVICES devices, chaos $CHAOS (rate 0.2), ${DURATION}s"
echo "well-behaved $(n wellBehavedDevices): sent $(n sent), acked $(n acked), resent $(n resent), failed $(n failed), disconnects $(n connections.disconnects), unknown/late/duplicate acks $(n unknownAcks)/$(n lateAcks)/$(n duplicatesAcked), p99 $(n ackLatencyMs.p99) ms"
echo "chaos $(n chaos.devices): sent $(n chaos.sent), acked $(n chaos.acked), failed $(n chaos.failed), badFramesAcked $(n chaos.badFramesAcked)"
echo "reason       simulator  rejected_frame"
check() { # reason, simulator count
  local got="${GOT[$1]:-0}"
  printf '%-12s %9s %15s\n' "$1" "$2" "$got"
  [ "$got" = "$2" ] || fail "$1: simulator $2, rejected_frame $got"
}
check BAD_CRC "$(n chaos.badCrcFrames)"
check BAD_LENGTH "$(n chaos.badLengthFrames)"
check BAD_HEADER "$(n chaos.garbageChunks)"
check TRUNCATED "$(n chaos.abruptDisconnects)"
OTHER="$(sql -c "SELECT coalesce(string_agg(reason || '=' || c, ', '), '') FROM (SELECT reason, count(*) c FROM rejected_frame
  WHERE reason NOT IN ('BAD_CRC', 'BAD_LENGTH', 'BAD_HEADER', 'TRUNCATED') GROUP BY reason) x")"
echo "other reasons: ${OTHER:-none}"
[ -z "$OTHER" ] || fail "unexpected rejections: $OTHER"
for k in failed resent connections.disconnects unknownAcks lateAcks duplicatesAcked chaos.badFramesAcked; do
  [ "$(n $k)" = 0 ] || fail "$k = $(n $k)"
done
[ "$(n acked)" = "$(n sent)" ] || fail "well-behaved: acked $(n acked) of $(n sent)"
[ "$ACKED_KEYS_STORED" = "$ACKED_KEYS" ] || fail "$((ACKED_KEYS - ACKED_KEYS_STORED)) acked packets not stored"
[ "$FAILED" = 0 ] && echo "PASS" || echo "FAILED"
exit $FAILED
