#!/usr/bin/env bash
# The whole test suite: installs what it needs, brings the local stack up, then runs the
# pgTAP suite (tests/sql), the Deno suites (tests/, functions/) and the browser tests, and
# ends with one line "N passed, M failed" summing all of them. Exit code 0 only if all pass.
#   scripts/test.sh            everything
#   scripts/test.sh deno [filter]   only the Deno tests (optionally those whose file matches filter)
#   scripts/test.sh sql        only pgTAP
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SYNCLINE_ROOT"
export NO_COLOR=1
only="${1:-all}"
filter="${2:-}"

ensure_all
bash scripts/stack.sh start

export SYNCLINE_TEMPLATE_DB="syncline_template"
# A migrated template that tests clone (CREATE DATABASE ... TEMPLATE) for a clean database each.
prepare_template() {
  local base="${SYNCLINE_DB_URL%/*}"
  "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -v ON_ERROR_STOP=1 >/dev/null <<SQL
select pg_terminate_backend(pid) from pg_stat_activity where datname = '$SYNCLINE_TEMPLATE_DB';
update pg_database set datistemplate = false where datname = '$SYNCLINE_TEMPLATE_DB';
drop database if exists $SYNCLINE_TEMPLATE_DB;
create database $SYNCLINE_TEMPLATE_DB;
SQL
  "$PGBIN/psql" "$base/$SYNCLINE_TEMPLATE_DB" -q -X -v ON_ERROR_STOP=1 -f scripts/supabase-baseline.sql >/dev/null
  supabase migration up --remote="$base/$SYNCLINE_TEMPLATE_DB" --include-all >"$SYNCLINE_LOCAL/migrate-template.log" 2>&1 ||
    { cat "$SYNCLINE_LOCAL/migrate-template.log" >&2; die "migrations failed on the template database"; }
  "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -c "update pg_database set datistemplate = true where datname = '$SYNCLINE_TEMPLATE_DB'" >/dev/null
  # databases left behind by an interrupted earlier run
  "$PGBIN/psql" "$SYNCLINE_DB_URL" -At -X -c "select datname from pg_database where datname like 'syncline_t\_%'" |
    while read -r db; do "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -c "drop database if exists \"$db\" with (force)" >/dev/null; done
}
prepare_template

passed=0
failed=0
status=0

run_pgtap() {
  log "pgTAP: tests/sql"
  "$PGBIN/psql" "$SYNCLINE_DB_URL" -q -X -c 'create extension if not exists pgtap with schema extensions' >/dev/null
  local out="$SYNCLINE_LOCAL/pgtap.out"
  pg_prove --verbose --ext .sql -r tests/sql -d postgres -h 127.0.0.1 -p "$SYNCLINE_PG_PORT" -U postgres \
    --set search_path=public,extensions >"$out" 2>&1 || status=1
  grep -E '^(not ok|# Failed|# Looks like)|^tests/sql/.*(Failed|Dubious|Parse errors)' "$out" || true
  tail -n 3 "$out"
  local p f
  p=$(grep -cE '^ok ' "$out" || true)
  f=$(grep -cE '^not ok ' "$out" || true)
  # a file that died before its plan counts as one failure
  f=$((f + $(grep -cE 'Dubious|Parse errors|No plan found' "$out" || true)))
  passed=$((passed + p))
  failed=$((failed + f))
  log "pgTAP: $p passed, $f failed"
}

run_deno() {
  log "Deno tests"
  local out="$SYNCLINE_LOCAL/deno-test.out" targets=(tests/ functions/)
  if [ -n "$filter" ]; then mapfile -t targets < <(find tests functions -name "*${filter}*_test.ts" | sort); fi
  deno test -A --no-check=remote --parallel "${targets[@]}" 2>&1 | tee "$out" | grep -vE '^(running|.* \.\.\. ok|-{10,}|$)' || true
  local line p f
  line=$(grep -E '^(ok|FAILED) \| [0-9]+ passed' "$out" | tail -n 1 | sed 's/\x1b\[[0-9;]*m//g')
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

case "$only" in
all) run_pgtap; run_deno ;;
sql) run_pgtap ;;
deno) run_deno ;;
*) die "usage: scripts/test.sh [all|sql|deno [filter]]" ;;
esac
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
