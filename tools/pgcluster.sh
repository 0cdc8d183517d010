#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suite and the benchmarks.
#   eval "$(tools/pgcluster.sh start)"   -> exports PGCLUSTER_DIR and DATABASE_URL_PG
#   tools/pgcluster.sh stop DIR
# initdb refuses to run as root, so as root the cluster belongs to the postgres user.
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/gongjiang-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  run "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  run "$BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  echo "export PGCLUSTER_DIR=$dir"
  echo "export DATABASE_URL_PG=postgres://postgres@127.0.0.1:$port/postgres"
  echo "export PG_BIN=$BIN"
  ;;
stop)
  dir=${2:?directory}
  run "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
