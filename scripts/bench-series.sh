#!/usr/bin/env bash
# The external benchmark's series (BENCHMARKS.md), for one or more Hotline builds in the
# same sitting: every default phase 3 times (medians), the limits phase, and on PostgreSQL
# the default phases once more; then, for the first build only, 10,000 idle bots.
#
#   scripts/bench-series.sh OUT.jsonl [HOTLINE_BINARY ...]
#
# Builds default to target/release/hotline. The load generator and tgsim are always
# target/release/hotline (BENCH overrides). PostgreSQL: a throwaway cluster from
# .ci/postgres.sh unless POSTGRES_ADMIN_URL names a server where databases may be created;
# SKIP_POSTGRES=1, SKIP_IDLE=1 and SKIP_LIMITS=1 leave phases out. REPEAT (3) runs per phase.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:?usage: scripts/bench-series.sh OUT.jsonl [HOTLINE_BINARY ...]}
shift
builds=("$@")
[ ${#builds[@]} -gt 0 ] || builds=(target/release/hotline)
bench=${BENCH:-target/release/hotline}
repeat=${REPEAT:-3}

if [ -z "${SKIP_POSTGRES:-}" ] && [ -z "${POSTGRES_ADMIN_URL:-}" ]; then
  stop=$(mktemp -u)
  POSTGRES_ADMIN_URL=$(PG_STOP_FILE=$stop bash .ci/postgres.sh)
  trap 'bash "$stop" >/dev/null 2>&1 || true' EXIT
fi

n=0
for build in "${builds[@]}"; do
  echo "== $build" >&2
  "$bench" bench load --hotline "$build" --repeat "$repeat" --json | tee -a "$out"
  if [ -z "${SKIP_LIMITS:-}" ]; then
    "$bench" bench load --hotline "$build" --phases limits --json | tee -a "$out"
  fi
  if [ -z "${SKIP_POSTGRES:-}" ]; then
    n=$((n + 1))
    db="hotline_bench_$$_$n"
    psql -q "$POSTGRES_ADMIN_URL" -c "CREATE DATABASE $db"
    url="${POSTGRES_ADMIN_URL%/*}/$db"
    "$bench" bench load --hotline "$build" --postgres "$url" --json | tee -a "$out"
  fi
done
if [ -z "${SKIP_IDLE:-}" ]; then
  "$bench" bench load --hotline "${builds[0]}" --phases idle --json | tee -a "$out"
fi
