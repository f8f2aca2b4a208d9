#!/usr/bin/env bash
# Compares the database built from another revision's migrations with the one built from this
# checkout's: pg_dump (schema, grants and every row the migrations write, seed rows included),
# normalised so that only content counts (object order, timestamps and dump keys do not).
#   bash scripts/compare-dumps.sh <git-rev>     e.g. main; exits 1 and prints the diff when they differ
# Uses the local stack (scripts/stack.sh start) and two scratch databases it drops afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:?usage: scripts/compare-dumps.sh <git-rev>}"
url="$(bash scripts/stack.sh url)"
base="${url%/*}"
work="$(mktemp -d)"
trap 'rm -rf "$work"; for d in cmp_old cmp_new; do psql -q "$url" -c "drop database if exists syncline_$d with (force)" >/dev/null 2>&1; done' EXIT
mkdir -p "$work/old"
git archive "$rev" supabase/migrations | tar -x -C "$work/old"

build() { # name, migrations dir, output file
  psql -q "$url" -c "drop database if exists syncline_$1 with (force)" -c "create database syncline_$1" >/dev/null 2>&1
  psql -q -v ON_ERROR_STOP=1 "$base/syncline_$1" -f scripts/supabase-baseline.sql >/dev/null 2>&1
  for f in "$2"/*.sql; do
    psql -q -v ON_ERROR_STOP=1 "$base/syncline_$1" -f "$f" >/dev/null 2>"$work/err" || {
      echo "applying $f failed:" >&2
      cat "$work/err" >&2
      exit 2
    }
  done
  pg_dump "$base/syncline_$1" | python3 -c '
import re, sys
t = sys.stdin.read()
t = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00", "TS", t)
t = re.sub(r"^\\(un)?restrict .*$", "", t, flags=re.M)
t = re.sub(r"^-- (Name|Dependencies|Data for Name).*\n", "", t, flags=re.M)
blocks = [b.strip() for b in re.split(r"\n\s*\n", t) if b.strip() and not all(l.startswith("--") for l in b.strip().splitlines())]
print("\n\n".join(sorted(blocks)))' >"$3"
}
build cmp_old "$work/old/supabase/migrations" "$work/old.dump"
build cmp_new supabase/migrations "$work/new.dump"
if diff "$work/old.dump" "$work/new.dump"; then
  echo "same database: $rev's migrations and this checkout's ($(wc -l <"$work/new.dump") dump lines compared)"
else
  exit 1
fi
