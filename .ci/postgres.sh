#!/usr/bin/env bash
# Prints a PostgreSQL admin URL for the storage tests: HOTLINE_TEST_DATABASE_URL if it answers,
# else a throwaway cluster started in a temporary directory (as the `postgres` user when run
# as root), stopped when the calling shell exits (it registers a trap through PG_STOP_FILE).
set -euo pipefail

if [ -n "${HOTLINE_TEST_DATABASE_URL:-}" ]; then
  echo "$HOTLINE_TEST_DATABASE_URL"
  exit 0
fi

bin=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && bin="$d"
done
if [ -z "$bin" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
    for d in /usr/lib/postgresql/*/bin; do
      [ -x "$d/initdb" ] && bin="$d"
    done
  fi
fi
[ -n "$bin" ] || { echo "no PostgreSQL server binaries found" >&2; exit 1; }

dir=$(mktemp -d /tmp/hotline-pg.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
run() {
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres "$dir"
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}
run "$bin/initdb -A trust -U postgres -D $dir/data" >/dev/null
run "$bin/pg_ctl -D $dir/data -l $dir/log -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' -w start" >/dev/null
echo "$bin/pg_ctl -D $dir/data -m immediate stop" > "${PG_STOP_FILE:-/dev/null}"
[ "$(id -u)" = 0 ] && echo "su postgres -s /bin/sh -c '$bin/pg_ctl -D $dir/data -m immediate stop'" > "${PG_STOP_FILE:-/dev/null}"
echo "postgres://postgres@127.0.0.1:$port/postgres"
