#!/usr/bin/env bash
# Backfill benchmark (issue 4: "one year of hourly data for 1,000 outfalls x 6 factors (about 52 million values)
# re-evaluated in <= 5 minutes on our 2-core machines"). Runs the on-demand ComplianceBenchmarkTest#backfill: the test
# profile's embedded PostgreSQL (fsync off), monthly partitions for the year as operation leaves them, OUTFALLS x 6
# factors x 8,760 hourly values written month by month in arrival order (hour by hour, all outfalls), VACUUM ANALYZE,
# then ComplianceEngine.backfill on THREADS threads. Prints wall time, values/s, the 52.6 M extrapolation and the
# CPU-seconds of the JVM and of PostgreSQL per million values (compare versions by those on a shared machine).
# Not part of the test suite. Disk: the test prints the table's size (data + index); see docs/benchmarks.md.
#   scripts/bench-compliance-backfill.sh [OUTFALLS] [THREADS]    (default 100 2); READ_PASS=1 adds a read-only pass
#   (the cost of reading the values alone: one query per outfall-month, then one per group of 25 outfalls)
# The machine lock (docs/benchmarks.md) is taken here, not by the caller: shared while compiling and loading (minutes at
# full scale, others may build meanwhile), exclusive only around the timed evaluation. LOCK=/path (default
# /tmp/gongzhi-heavy.lock); LOCK= (empty) takes none, for a caller that holds it already. PG_DIR: the embedded
# PostgreSQL's data directory (default app/target/test-pg/backfill-bench; 1,000 outfalls need about 10 GB), removed
# before and after the run unless KEEP_DATA=1.
set -euo pipefail
cd "$(dirname "$0")/.."
OUTFALLS="${1:-100}"
THREADS="${2:-2}"
LOCK="${LOCK-/tmp/gongzhi-heavy.lock}"
PG_DIR="${PG_DIR:-$PWD/app/target/test-pg/backfill-bench}"
rm -rf "$PG_DIR"
[ "${KEEP_DATA:-0}" = 1 ] || trap 'rm -rf "$PG_DIR"' EXIT
echo "free disk: $(df -h --output=avail "$PWD" | tail -1)" >&2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ -n "$LOCK" ]; then
  flock -s "$LOCK" mvn -q -B -o -pl app -am test-compile > /tmp/bench-compliance-backfill.log 2>&1 || {
    tail -40 /tmp/bench-compliance-backfill.log >&2; exit 1; }
fi
mvn -q -B -o -pl app -am test -Dtest='ComplianceBenchmarkTest#backfill' -Dgongzhi.bench=true -Dbench.lock="$LOCK" \
  -Dgongzhi.db.data-dir="$PG_DIR" \
  -Dbench.outfalls="$OUTFALLS" -Dbench.threads="$THREADS" -Dbench.readPass="${READ_PASS:-false}" \
  -Dsurefire.failIfNoSpecifiedTests=false > /tmp/bench-compliance-backfill.log 2>&1 || {
  tail -40 /tmp/bench-compliance-backfill.log >&2; exit 1; }
grep -h 'BENCH' /tmp/bench-compliance-backfill.log | grep -v 'BENCH plan' | sed 's/^.*BENCH/BENCH/' | awk '!seen[$0]++'
