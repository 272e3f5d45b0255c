#!/usr/bin/env bash
# Runs a command against a local, throwaway PostgreSQL on 127.0.0.1, with DATABASE_URL set for it.
# The cluster lives in $TALENTO_PG_DIR (default /tmp/talento-server-pg) and listens on $TALENTO_PG_PORT (default
# 55432). It is created on first use and kept between runs; if it is already running (another terminal), it is
# reused and left running, otherwise it is started and stopped again when the command exits (ctrl-c included).
# PostgreSQL refuses to run as root, so as root its commands run as the `postgres` user.
#
#   scripts/pg-test.sh cargo run -p talento-server -- serve         # what `make server` does
#   scripts/pg-test.sh cargo run -p talento-server -- create-agency --name "Agence Kourouma"
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: scripts/pg-test.sh <command…>" >&2; exit 2; }

dir="${TALENTO_PG_DIR:-/tmp/talento-server-pg}"
port="${TALENTO_PG_PORT:-55432}"
db=talento

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then bindir="$(pg_config --bindir)"; fi
if [ -z "$bindir" ]; then
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL is not installed: run scripts/install-deps.sh test (it installs the postgresql package)." >&2
  exit 1
fi

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

if [ ! -f "$dir/data/PG_VERSION" ]; then
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  echo "==> initdb $dir/data"
  as_pg "'$bindir/initdb' -D '$dir/data' -U postgres -A trust -E UTF8 > '$dir/initdb.log' 2>&1"
fi

started=no
if ! as_pg "'$bindir/pg_ctl' -D '$dir/data' status" >/dev/null 2>&1; then
  echo "==> starting PostgreSQL on 127.0.0.1:$port (log: $dir/server.log)"
  as_pg "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w \
    -o \"-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir'\" start" >/dev/null
  started=yes
fi
stop() {
  if [ "$started" = yes ]; then
    echo "==> stopping PostgreSQL"
    as_pg "'$bindir/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
  fi
}
trap stop EXIT

if ! as_pg "'$bindir/psql' -h 127.0.0.1 -p $port -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = '$db'\"" | grep -q 1; then
  as_pg "'$bindir/createdb' -h 127.0.0.1 -p $port -U postgres $db"
fi

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$db"
echo "==> DATABASE_URL=$DATABASE_URL"
# Not exec: the cluster is stopped when the command ends. A TERM or INT sent to this script is passed on to the
# command (a server shuts down gracefully) before the cluster stops.
"$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT
status=0
wait "$child" || status=$?
# `wait` returns early when a signal arrives: wait again for the command to finish.
if kill -0 "$child" 2>/dev/null; then wait "$child" || status=$?; fi
exit "$status"
