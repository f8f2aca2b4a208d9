#!/usr/bin/env bash
# The whole test suite: installs what it needs, brings the local stack up, then runs the
# static checks (fmt, lint, type check), the pgTAP suite (tests/sql), the Deno suites
# (tests/, functions/) and the browser tests, and
# ends with one line "N passed, M failed" summing all of them. Exit code 0 only if all pass.
#   scripts/test.sh            everything
#   scripts/test.sh deno [filter]   only the Deno tests (optionally those whose file matches filter)
#   scripts/test.sh sql        only pgTAP
#   scripts/test.sh static     only deno fmt --check, deno lint, deno task check, scripts/check_imports.ts, scripts/check_migrations.ts and scripts/edge_check.ts
#   scripts/test.sh supabase   only supabase db advisors and supabase db lint
#   scripts/test.sh edge       only the function's tests under the Edge Runtime's Deno (EDGE_DENO_VERSION)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SYNCLINE_ROOT"
export NO_COLOR=1
only="${1:-all}"
filter="${2:-}"

ensure_all
ensure_browser
bash scripts/stack.sh start

prepare_template

passed=0
failed=0
status=0

# pgTAP files run in a fresh clone of the template; those under tests/sql/cron/ need the real
# pg_cron, which lives only in the stack's "postgres" database, and run there (each in a
# transaction that rolls back).
run_pgtap() {
  log "pgTAP: tests/sql"
  local db="syncline_t_pgtap_$$" out="$SYNCLINE_LOCAL/pgtap.$$.out" p f
  "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -v ON_ERROR_STOP=1 -c "create database $db template $SYNCLINE_TEMPLATE_DB" >/dev/null
  : >"$out"
  local files=() cron=()
  mapfile -t files < <(find tests/sql -name '*.sql' -not -path 'tests/sql/cron/*' | sort)
  mapfile -t cron < <(find tests/sql/cron -name '*.sql' 2>/dev/null | sort)
  local common=(--verbose --ext .sql -h 127.0.0.1 -p "$SYNCLINE_PG_PORT" -U postgres)
  for target in "$db" postgres; do
    "$PGBIN/psql" "${SYNCLINE_DB_URL%/*}/$target" -q -X -c 'create extension if not exists pgtap with schema extensions' >/dev/null
  done
  export PGOPTIONS="-c search_path=public,extensions"
  if [ ${#files[@]} -gt 0 ]; then pg_prove "${common[@]}" -d "$db" "${files[@]}" >>"$out" 2>&1 || status=1; fi
  if [ ${#cron[@]} -gt 0 ]; then pg_prove "${common[@]}" -d postgres "${cron[@]}" >>"$out" 2>&1 || status=1; fi
  "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -c "drop database if exists $db with (force)" >/dev/null
  grep -E '^(not ok|# Failed|# Looks like)|(Failed|Dubious|Parse errors|No plan)' "$out" || true
  p=$(grep -cE '^ok ' "$out" || true)
  f=$(grep -cE '^not ok ' "$out" || true)
  # a file that died before finishing its plan counts as one more failure
  f=$((f + $(grep -cE "Dubious" "$out" || true)))
  passed=$((passed + p))
  failed=$((failed + f))
  log "pgTAP: $p passed, $f failed"
}

run_deno() {
  log "Deno tests"
  local out="$SYNCLINE_LOCAL/deno-test.$$.out" targets=(tests/ functions/ scripts/)
  if [ -n "$filter" ]; then
    mapfile -t targets < <(find tests functions scripts -name "*${filter}*_test.ts" | sort)
    [ ${#targets[@]} -gt 0 ] || die "no Deno test file name contains \"$filter\""
  fi
  deno test -A --no-check=remote --parallel "${targets[@]}" 2>&1 | tee "$out" | grep -vE '^(running|.* \.\.\. ok|-{10,}|$)' || true
  local line p f
  line=$(grep -aE '^(ok|FAILED) \| [0-9]+ passed' "$out" | tail -n 1 | sed 's/\x1b\[[0-9;]*m//g')
  if [ -z "$line" ]; then
    status=1
    failed=$((failed + 1))
    log "Deno tests did not finish (see $out)"
    return
  fi
  p=$(echo "$line" | sed -E 's/.*\| ([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.*\| ([0-9]+) failed.*/\1/')
  [ "$f" -gt 0 ] && status=1
  passed=$((passed + p))
  failed=$((failed + f))
}

# The function on the Supabase Edge Runtime's Deno (scripts/lib.sh EDGE_DENO_VERSION), resolving
# imports as the deployed function does (its import map only, no deno.json, no node_modules): the
# function's own tests (functions/), an end-to-end sync through the HTTP API and the COPY merge path
# (tests/api/square_e2e_test.ts, tests/db/copy_merge_test.ts). Counted with the rest.
# PostgreSQL restarted under a worker process on that Deno (tests/reliability/pg_restart_test.ts)
# and the transaction pooler (tests/db/pgbouncer_test.ts) too.
EDGE_TESTS=(functions/ tests/api/square_e2e_test.ts tests/db/copy_merge_test.ts tests/reliability/pg_restart_test.ts
  tests/db/pgbouncer_test.ts)
run_edge() {
  ensure_edge_deno
  log "Deno tests under the Edge Runtime's Deno $EDGE_DENO_VERSION"
  local out="$SYNCLINE_LOCAL/edge-test.$$.out" line p f
  # TLS to the npm registry with the system's certificates too (as the current Deno does)
  DENO_DIR="$SYNCLINE_LOCAL/deno-cache-edge" DENO_TLS_CA_STORE="${DENO_TLS_CA_STORE:-system,mozilla}" \
    SYNCLINE_DENO_IMPORT_MAP="$SYNCLINE_ROOT/functions/import_map.json" \
    "$EDGE_DENO" test -A --no-check --no-config --import-map functions/import_map.json --parallel "${EDGE_TESTS[@]}" 2>&1 |
    tee "$out" | grep -vE '^(running|.* \.\.\. ok|-{10,}|$)' || true
  line=$(grep -aE '^(ok|FAILED) \| [0-9]+ passed' "$out" | tail -n 1 | sed 's/\x1b\[[0-9;]*m//g')
  if [ -z "$line" ]; then
    status=1
    failed=$((failed + 1))
    log "Edge Runtime Deno tests did not finish (see $out)"
    return
  fi
  p=$(echo "$line" | sed -E 's/.*\| ([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.*\| ([0-9]+) failed.*/\1/')
  [ "$f" -gt 0 ] && status=1
  passed=$((passed + p))
  failed=$((failed + f))
  log "Edge Runtime Deno $EDGE_DENO_VERSION: $p passed, $f failed"
}

# deno fmt --check, deno lint, deno task check and the import graph check: each counts as one test.
# Runs one check command and counts it as one test: passed when it exits 0 and (for the JSON reports
# of supabase db lint/advisors) names no finding (scripts/lib/lint_findings.ts).
count_check() {
  local label="$1" out="$SYNCLINE_LOCAL/check.$$.out"
  shift
  if "$@" >"$out" 2>&1 && { ! grep -q '"level"' "$out" || deno run -A scripts/lib/lint_findings.ts "$out" >/dev/null; }; then
    passed=$((passed + 1))
  else
    tail -n 60 "$out" >&2
    log "check failed: $label"
    failed=$((failed + 1))
  fi
}

run_static() {
  log "static checks: fmt, lint, type check, import graph"
  count_check "deno fmt --check" deno fmt --check
  count_check "deno lint" deno lint
  count_check "deno task check" deno task check
  count_check "import circles and mod.ts doors" deno run --allow-read scripts/check_imports.ts
  # released migrations are frozen: none edited, renamed or deleted; new ones newer than all (supabase/migrations.lock)
  count_check "released migrations unchanged" deno run -A scripts/check_migrations.ts
  # no bare Node global, no Deno API a user worker lacks, the deploy bundle under 20 MB (scripts/edge_check.ts)
  count_check "Edge Runtime checks" deno run -A scripts/edge_check.ts
  log "Edge Runtime checks: $(grep -m1 '^bundle ' "$SYNCLINE_LOCAL/check.$$.out" || echo 'no bundle size')"
}

# The checks Supabase users run (supabase db advisors, supabase db lint with plpgsql_check) on a
# clone of the template with stand-ins for Vault and pg_net (as on Supabase, where both exist)
# and the shape of pg_cron's catalog (pg_cron itself lives only in the stack's "postgres" database);
# each counts as one test and fails on any warning.
run_supabase_checks() {
  log "Supabase checks: db advisors, db lint"
  local db="syncline_t_lint_$$" url schemas
  url="${SYNCLINE_DB_URL%/*}/$db"
  "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -v ON_ERROR_STOP=1 -c "create database $db template $SYNCLINE_TEMPLATE_DB" >/dev/null
  "$PGBIN/psql" "$url" -q -X -v ON_ERROR_STOP=1 -f tests/_support/supabase_standins.sql -f tests/_support/pg_cron_shape.sql >/dev/null
  # our schemas: everything but the system's, the Supabase baseline's and the stand-ins'
  schemas=$("$PGBIN/psql" "$url" -At -X -c "select string_agg(nspname, ',' order by nspname) from pg_namespace
    where nspname !~ '^pg_' and nspname not in ('information_schema', 'public', 'extensions', 'auth', 'vault', 'net',
      'cron', 'realtime', 'supabase_migrations')")
  PGSSLMODE=disable count_check "supabase db advisors" supabase db advisors --remote="$url" --level warn --fail-on warn
  PGSSLMODE=disable count_check "supabase db lint ($schemas)" \
    supabase db lint --remote="$url" --schema "$schemas" --level warning --fail-on none
  "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -c "drop database if exists $db with (force)" >/dev/null
}

case "$only" in
all) run_static; run_supabase_checks; run_pgtap; run_deno; run_edge ;;
edge) run_edge ;;
static) run_static ;;
supabase) run_supabase_checks ;;
sql) run_pgtap ;;
deno) run_deno ;;
*) die "usage: scripts/test.sh [all|static|supabase|sql|deno [filter]|edge]" ;;
esac
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
