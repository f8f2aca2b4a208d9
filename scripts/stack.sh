#!/usr/bin/env bash
# The local Supabase-style stack: Debian's PostgreSQL 15 with pg_cron and pgTAP, a cluster
# inside the checkout (.local/pg), the Supabase baseline, and our migrations applied by the
# Supabase CLI. Every command is safe to run twice.
#   scripts/stack.sh start | stop | reset | status | url | psql [args]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PGLINK="$SYNCLINE_LOCAL/pg"

# postgres reaches the cluster by its real path: .local/pg may be a link to /var/lib/syncline/...
# (see prepare_dirs), and postgres may not be able to pass through the checkout to follow it
set_paths() {
  PGROOT="$PGLINK"
  if [ -L "$PGLINK" ]; then PGROOT="$(readlink -f "$PGLINK")"; fi
  PGDATA="$PGROOT/data"
}
# The Unix socket lives in a short folder named after the checkout: PostgreSQL refuses socket paths
# over 107 bytes, which .local/pg/run/.s.PGSQL.<port> passes from a checkout path of ~75 characters.
PGRUN="/tmp/syncline-pg-$(printf '%s' "$SYNCLINE_ROOT" | cksum | cut -d' ' -f1)"
set_paths

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

# postgres must reach the data folder; a checkout under a private home may not allow it,
# in which case the cluster lives in /var/lib/syncline/<checkout hash>, linked from .local/pg.
prepare_dirs() {
  mkdir -p "$SYNCLINE_LOCAL"
  if [ ! -e "$PGROOT" ]; then
    mkdir -p "$PGROOT"
    chown postgres:postgres "$PGROOT"
    if ! as_postgres test -w "$PGROOT"; then
      rmdir "$PGROOT"
      local alt
      alt="/var/lib/syncline/$(printf '%s' "$SYNCLINE_ROOT" | cksum | cut -d' ' -f1)"
      mkdir -p "$alt" && chown postgres:postgres "$alt"
      ln -s "$alt" "$PGROOT"
      log "cluster folder: $alt (postgres cannot reach the checkout)"
    fi
  fi
  set_paths
  mkdir -p "$PGROOT" && chown postgres:postgres "$PGROOT"
  socket_dir
}

# The socket folder, made again at every start (a reboot or a /tmp cleaner may have removed it).
socket_dir() {
  [ -L "$PGRUN" ] && die "$PGRUN is a symbolic link; remove it (the socket folder must be a real folder)"
  mkdir -p "$PGRUN" && chown postgres:postgres "$PGRUN" && chmod 0755 "$PGRUN"
}

is_running() { [ -f "$PGDATA/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

init_cluster() {
  [ -f "$PGDATA/PG_VERSION" ] && return 0
  log "creating cluster in $PGDATA"
  as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$PGROOT/initdb.log" 2>&1 ||
    die "initdb failed; see $PGROOT/initdb.log"
  cat >>"$PGDATA/postgresql.conf" <<CONF
# syncline local stack
listen_addresses = '127.0.0.1'
port = $SYNCLINE_PG_PORT
unix_socket_directories = '$PGRUN'
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 32
max_connections = 200
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_wal_size = 4GB
log_min_messages = warning
CONF
}

start_server() {
  is_running && return 0
  if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$SYNCLINE_PG_PORT" 2>/dev/null; then
    die "port $SYNCLINE_PG_PORT is used by another PostgreSQL (another checkout's stack?); stop it or set SYNCLINE_PG_PORT"
  fi
  log "starting PostgreSQL on 127.0.0.1:$SYNCLINE_PG_PORT"
  # -k: the socket folder on the command line, so clusters created with an older one move too
  as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGROOT/server.log" -o "-p $SYNCLINE_PG_PORT -k $PGRUN" -w -t 60 start >/dev/null ||
    die "PostgreSQL did not start; see $PGROOT/server.log"
}

psql_super() { PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" "$SYNCLINE_DB_URL" -v ON_ERROR_STOP=1 -q -X "$@"; }

apply_baseline() { psql_super -f "$SYNCLINE_ROOT/scripts/supabase-baseline.sql" >/dev/null; }

apply_migrations() {
  log "applying supabase/migrations (supabase migration up)"
  (cd "$SYNCLINE_ROOT" && supabase migration up --remote="$SYNCLINE_DB_URL" --include-all --yes >"$SYNCLINE_LOCAL/migrate.log" 2>&1) || {
    cat "$SYNCLINE_LOCAL/migrate.log" >&2
    die "migrations failed"
  }
}

start() {
  ensure_postgres
  ensure_node_tools
  prepare_dirs
  init_cluster
  start_server
  apply_baseline
  apply_migrations
  log "stack up: $SYNCLINE_DB_URL"
}

stop() {
  if is_running; then
    log "stopping PostgreSQL"
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  fi
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
restart) stop && start ;;
reset)
  stop
  log "removing the cluster"
  rm -rf "${PGROOT:?}/"* 2>/dev/null || true
  [ -L "$PGLINK" ] || rm -rf "$PGROOT"
  start
  ;;
status) if is_running; then echo "running: $SYNCLINE_DB_URL"; else echo "stopped"; exit 1; fi ;;
url) echo "$SYNCLINE_DB_URL" ;;
psql) shift; exec "$PGBIN/psql" "$SYNCLINE_DB_URL" "$@" ;;
*) die "usage: scripts/stack.sh start|stop|restart|reset|status|url|psql" ;;
esac
