#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster for the tests (issue 11).
#
#   scripts/test_postgres.sh run -- CMD...   start a cluster, run CMD with FRONTERA_TEST_DATABASE_URL
#                                            set, then stop and remove the cluster (also on failure)
#   scripts/test_postgres.sh start           start one; prints "URL DIR" (for tests/postgis_cluster.py)
#   scripts/test_postgres.sh stop DIR        stop and remove the cluster started in DIR
#   scripts/test_postgres.sh restart DIR     stop it (fast: connections are cut) and start it again
#
# Installs what is missing from Debian (postgresql-15, postgresql-15-postgis-3) as root or with sudo.
# initdb refuses to run as root: as root the cluster runs as the `postgres` user. It listens on
# 127.0.0.1 on a free port, with its socket in its own folder, so it never meets a system cluster.
set -euo pipefail
PGVER="${FRONTERA_TEST_PG_VERSION:-15}"
BIN="/usr/lib/postgresql/$PGVER/bin"
DB=frontera_test

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

ensure_installed() {
  local want=()
  [ -x "$BIN/initdb" ] || want+=("postgresql-$PGVER")
  [ -f "/usr/share/postgresql/$PGVER/extension/postgis.control" ] || want+=("postgresql-$PGVER-postgis-3")
  [ ${#want[@]} -eq 0 ] && return 0
  echo "test_postgres: installing ${want[*]} (apt-get)" >&2
  as_root apt-get update -qq >&2 || {
    echo "test_postgres: could not run apt-get (need root or passwordless sudo); install ${want[*]} by hand" >&2
    exit 1
  }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${want[@]}" >&2
}

# Runs a server binary as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  ensure_installed
  local dir port
  dir="$(mktemp -d "${TMPDIR:-/tmp}/frontera-pg.XXXXXX")"
  chmod 755 "$dir"
  mkdir "$dir/data" "$dir/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
  as_owner "$BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  for _ in 1 2 3 4 5; do
    port="$(free_port)"
    if as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" start >/dev/null; then
      break
    fi
    port=""
  done
  if [ -z "$port" ]; then cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1; fi
  echo "$port" >"$dir/port"
  # pg_ctl start after a stop must reuse the port and socket folder: keep them in the config
  printf "port = %s\nunix_socket_directories = '%s'\nlisten_addresses = '127.0.0.1'\nfsync = off\n" \
    "$port" "$dir/sock" | as_owner tee -a "$dir/data/postgresql.auto.conf" >/dev/null
  "$BIN/psql" -h "$dir/sock" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 -d postgres \
    -c "CREATE DATABASE $DB" >&2
  "$BIN/psql" -h "$dir/sock" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 -d "$DB" \
    -c "CREATE EXTENSION postgis" >&2
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/$DB $dir"
}

stop() {
  local dir="$1"
  [ -d "$dir/data" ] || return 0
  as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

restart() {
  local dir="$1"
  as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  sleep "${2:-0}"
  as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:?usage: $0 stop DIR}" ;;
  restart) restart "${2:?usage: $0 restart DIR [SECONDS DOWN]}" "${3:-0}" ;;
  run)
    shift
    [ "${1:-}" = "--" ] && shift
    read -r url dir < <(start) || true
    if [ -z "${dir:-}" ]; then echo "test_postgres: could not start PostgreSQL (see above)" >&2; exit 1; fi
    trap 'stop "$dir"' EXIT INT TERM
    echo "test_postgres: PostgreSQL $PGVER + PostGIS at ${url} (removed afterwards)" >&2
    FRONTERA_TEST_DATABASE_URL="$url" FRONTERA_TEST_PG_DIR="$dir" "$@"
    ;;
  *) echo "usage: $0 run -- CMD... | start | stop DIR" >&2; exit 2 ;;
esac
