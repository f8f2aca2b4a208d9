#!/usr/bin/env bash
# Shared helpers for Syncline's scripts: pinned tool versions, installs that run only when
# something is missing, and the local stack's fixed addresses. Sourced, never executed.
set -euo pipefail

SYNCLINE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SYNCLINE_LOCAL="$SYNCLINE_ROOT/.local"
DENO_VERSION="2.9.6"
# The Deno the Supabase Edge Runtime is built from, for the tests that run the function on it
# (scripts/test.sh edge). To update: read `version` in deno/Cargo.toml of supabase/edge-runtime at
# the release Supabase deploys (github.com/supabase/edge-runtime/blob/<tag>/deno/Cargo.toml), check
# `npm view deno@<version> version` answers, and change it here (nowhere else).
EDGE_DENO_VERSION="2.1.4"
SUPABASE_CLI_VERSION="3.1.0"
PG_MAJOR=15
PGBIN="/usr/lib/postgresql/$PG_MAJOR/bin"
SYNCLINE_PG_PORT="${SYNCLINE_PG_PORT:-54322}"
SYNCLINE_DB_URL="${SYNCLINE_DB_URL:-postgresql://postgres:postgres@127.0.0.1:$SYNCLINE_PG_PORT/postgres}"
export SYNCLINE_ROOT SYNCLINE_LOCAL SYNCLINE_PG_PORT SYNCLINE_DB_URL PGBIN

# Dimmed prefix only on a terminal and without NO_COLOR (https://no-color.org: set and not empty = no colour).
log() {
  if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then printf '\033[2m[syncline]\033[0m %s\n' "$*" >&2; else printf '[syncline] %s\n' "$*" >&2; fi
}
die() { printf '[syncline] error: %s\n' "$*" >&2; exit 1; }

# Installs Debian packages that are not installed yet (apt-get update only when needed).
apt_ensure() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "need root to install: ${missing[*]} (or install them yourself)"
  log "installing ${missing[*]} (apt)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >"$SYNCLINE_LOCAL/apt.log" 2>&1; then
    apt-get update -q >>"$SYNCLINE_LOCAL/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$SYNCLINE_LOCAL/apt.log" 2>&1 ||
      die "apt-get install ${missing[*]} failed; see $SYNCLINE_LOCAL/apt.log"
  fi
}

# Deno and the Supabase CLI come from npm, pinned, into .local/tools (not the global prefix).
ensure_node_tools() {
  mkdir -p "$SYNCLINE_LOCAL/tools"
  local tools="$SYNCLINE_LOCAL/tools"
  if [ ! -x "$tools/node_modules/.bin/deno" ] || ! "$tools/node_modules/.bin/deno" --version 2>/dev/null | grep -q "deno $DENO_VERSION" ||
    [ ! -x "$tools/node_modules/.bin/supabase" ]; then
    command -v npm >/dev/null || die "npm is required (Node.js); install Node.js first"
    log "installing deno@$DENO_VERSION and supabase@$SUPABASE_CLI_VERSION (npm)"
    [ -f "$tools/package.json" ] || echo '{"name":"syncline-tools","private":true}' >"$tools/package.json"
    (cd "$tools" && npm install --no-audit --no-fund --loglevel=error "deno@$DENO_VERSION" "supabase@$SUPABASE_CLI_VERSION" >"$SYNCLINE_LOCAL/npm.log" 2>&1) ||
      die "npm install of deno/supabase failed; see $SYNCLINE_LOCAL/npm.log"
  fi
  export PATH="$tools/node_modules/.bin:$PATH"
  export DENO_DIR="${DENO_DIR:-$SYNCLINE_LOCAL/deno-cache}"
}

# The runtime's Deno (EDGE_DENO_VERSION) from npm into .local/edge-deno, beside the current one;
# EDGE_DENO is its path. Its npm cache is its own (.local/deno-cache-edge).
ensure_edge_deno() {
  local dir="$SYNCLINE_LOCAL/edge-deno"
  EDGE_DENO="$dir/node_modules/.bin/deno"
  if [ ! -x "$EDGE_DENO" ] || ! "$EDGE_DENO" --version 2>/dev/null | grep -q "deno $EDGE_DENO_VERSION "; then
    command -v npm >/dev/null || die "npm is required (Node.js); install Node.js first"
    log "installing the Edge Runtime's Deno: deno@$EDGE_DENO_VERSION (npm)"
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || echo '{"name":"syncline-edge-deno","private":true}' >"$dir/package.json"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "deno@$EDGE_DENO_VERSION" >"$SYNCLINE_LOCAL/npm-edge.log" 2>&1) ||
      die "npm install of deno@$EDGE_DENO_VERSION failed; see $SYNCLINE_LOCAL/npm-edge.log"
  fi
  export EDGE_DENO
}

ensure_postgres() {
  apt_ensure "postgresql-$PG_MAJOR" "postgresql-$PG_MAJOR-cron" "postgresql-$PG_MAJOR-pgtap" \
    "postgresql-$PG_MAJOR-plpgsql-check" libtap-parser-sourcehandler-pgtap-perl pgbouncer
}

# Debian's Chromium for the dashboard's browser tests (playwright-core drives it), and openssl for the
# test certificates of the outbound TLS tests (functions/_shared/net/pinned_post_test.ts).
ensure_browser() {
  apt_ensure chromium openssl
}

# Caches npm: dependencies of deno.json so later runs start fast.
deno_cache() {
  (cd "$SYNCLINE_ROOT" && deno install --quiet >"$SYNCLINE_LOCAL/deno-install.log" 2>&1) ||
    die "deno install failed; see $SYNCLINE_LOCAL/deno-install.log"
}

ensure_all() {
  mkdir -p "$SYNCLINE_LOCAL"
  ensure_postgres
  ensure_node_tools
  deno_cache
}

# A migrated template that tests clone (CREATE DATABASE ... TEMPLATE) for a clean database each,
# named after a hash of the migrations so concurrent runs share it and a change makes a new one.
mig_hash=$(cd "$SYNCLINE_ROOT" && cat scripts/supabase-baseline.sql supabase/migrations/*.sql | cksum | cut -d' ' -f1)
export SYNCLINE_TEMPLATE_DB="syncline_tpl_$mig_hash"
prepare_template() {
  local base="${SYNCLINE_DB_URL%/*}" exists
  exists=$("$PGBIN/psql" "$SYNCLINE_DB_URL" -At -X -c "select 1 from pg_database where datname = '$SYNCLINE_TEMPLATE_DB' and datistemplate")
  [ "$exists" = "1" ] && return 0
  log "preparing template database $SYNCLINE_TEMPLATE_DB"
  "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -v ON_ERROR_STOP=1 -c "drop database if exists $SYNCLINE_TEMPLATE_DB" -c "create database $SYNCLINE_TEMPLATE_DB" >/dev/null
  "$PGBIN/psql" "$base/$SYNCLINE_TEMPLATE_DB" -q -X -v ON_ERROR_STOP=1 -f "$SYNCLINE_ROOT/scripts/supabase-baseline.sql" >/dev/null
  (cd "$SYNCLINE_ROOT" && supabase migration up --remote="$base/$SYNCLINE_TEMPLATE_DB" --include-all --yes) >"$SYNCLINE_LOCAL/migrate-template.log" 2>&1 || {
    cat "$SYNCLINE_LOCAL/migrate-template.log" >&2
    "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -c "drop database if exists $SYNCLINE_TEMPLATE_DB" >/dev/null
    die "migrations failed on the template database"
  }
  "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -c "update pg_database set datistemplate = true where datname = '$SYNCLINE_TEMPLATE_DB'" >/dev/null
  # templates of older migrations (a template in use is left for next time)
  "$PGBIN/psql" "$SYNCLINE_DB_URL" -At -X -c "select datname from pg_database where datname like 'syncline_tpl_%' and datname <> '$SYNCLINE_TEMPLATE_DB'" |
    while read -r old; do
      "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -c "update pg_database set datistemplate = false where datname = '$old'" -c "drop database if exists \"$old\"" >/dev/null 2>&1 || true
    done
}
