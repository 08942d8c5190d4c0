#!/usr/bin/env bash
# Throwaway PostgreSQL 15 + Redis for the second half of `make test`.
#   eval "$(tools/test-services.sh start [DIR])"   # prints only the two export lines on stdout
#   tools/test-services.sh stop [DIR]              # stops both and deletes DIR
# Env: PG_PORT (default 54329), REDIS_PORT (default 63799), PG_BIN (default PostgreSQL 15's).
set -euo pipefail

cmd=${1:-}
dir=${2:-/tmp/facilitator-test-services}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

say() { echo "test-services: $*" >&2; }
die() { say "error: $*"; exit 1; }

# PostgreSQL refuses to run as root, so root hands the cluster to the postgres OS user;
# anyone else simply owns it themselves.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A port counts as taken when something accepts on it; /dev/tcp avoids needing ss or nc.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Take the asked-for port, or the next free one, so two checkouts can run side by side.
free_port() {
  local p=$1
  while port_taken "$p"; do p=$((p + 1)); [ "$p" -lt $(($1 + 50)) ] || die "no free port near $1"; done
  [ "$p" = "$1" ] || say "port $1 is taken, using $p"
  echo "$p"
}

pg_running() { [ -f "$dir/pg/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1; }
redis_running() { [ -f "$dir/redis.port" ] && redis-cli -p "$(cat "$dir/redis.port")" ping 2>/dev/null | grep -q PONG; }

start() {
  [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] ||
    die "PostgreSQL 15 binaries not found in $PG_BIN (apt-get install postgresql-15)"
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null ||
    die "redis-server/redis-cli not found (apt-get install redis-server)"
  mkdir -p "$dir"
  touch "$dir/.test-services"  # lets `stop` tell our directory from a mistyped one
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (the postgresql-15 package creates it)"
    chown postgres: "$dir"
  fi
  as_pg test -w "$dir" ||
    die "$dir is not writable by the postgres user (is a parent directory private?); pick another DIR"

  if pg_running; then
    say "PostgreSQL already running in $dir/pg"
  else
    # Explicit UTF-8: a bare CI container has a POSIX locale, which would give SQL_ASCII.
    if [ ! -f "$dir/pg/PG_VERSION" ]; then
      as_pg "$PG_BIN/initdb" -D "$dir/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        --no-sync --no-instructions >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    local port; port=$(free_port "${PG_PORT:-54329}")
    # -l matters: without it the server keeps our stdout open and `eval "$(...)"` never returns.
    # Durability is pointless for test data, so turn it off for speed.
    as_pg "$PG_BIN/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -s -w start -o "-p $port -k '$dir/pg' \
      -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2 ||
      { tail -n 20 "$dir/pg.log" >&2 || true; die "PostgreSQL did not start (log: $dir/pg.log)"; }
  fi
  # The live port is in postmaster.pid (line 4), which also covers "already running".
  pg_port=$(as_pg sed -n 4p "$dir/pg/postmaster.pid")
  if [ -z "$(psql_q "SELECT 1 FROM pg_database WHERE datname = 'facilitator_test'")" ]; then
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres facilitator_test
  fi

  if redis_running; then
    say "Redis already running on port $(cat "$dir/redis.port")"
  else
    local rport; rport=$(free_port "${REDIS_PORT:-63799}")
    redis-server --bind 127.0.0.1 --port "$rport" --daemonize yes --save '' --appendonly no \
      --pidfile "$dir/redis.pid" --dir "$dir" --logfile "$dir/redis.log" >&2
    echo "$rport" >"$dir/redis.port"
    # --daemonize returns before the server accepts connections.
    for _ in $(seq 50); do redis_running && break; sleep 0.1; done
    redis_running || { tail -n 20 "$dir/redis.log" >&2 || true; die "Redis did not start (log: $dir/redis.log)"; }
  fi

  echo "export FACILITATOR_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$pg_port/facilitator_test"
  echo "export FACILITATOR_TEST_REDIS_URL=redis://127.0.0.1:$(cat "$dir/redis.port")/0"
}

psql_q() { "$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAXc "$1"; }

stop() {
  [ -d "$dir" ] || { say "nothing at $dir"; return 0; }
  # Refuse to rm -rf a directory this script did not make (e.g. a mistyped DIR).
  if [ -n "$(ls -A "$dir")" ] && [ ! -e "$dir/.test-services" ]; then
    die "$dir does not look like a test-services directory; not removing it"
  fi
  if pg_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$dir/pg" -s -m fast -w stop >&2 || say "pg_ctl stop failed"
  fi
  if [ -f "$dir/redis.port" ]; then
    # SHUTDOWN answers only once the server has exited, so no wait loop is needed.
    redis-cli -p "$(cat "$dir/redis.port")" shutdown nosave >/dev/null 2>&1 || true
  fi
  # Fallback for a Redis that does not answer: its pidfile outlives an unclean exit.
  if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then
    kill "$(cat "$dir/redis.pid")" || true
  fi
  rm -rf -- "$dir"
  say "stopped and removed $dir"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
