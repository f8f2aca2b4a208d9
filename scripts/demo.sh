#!/usr/bin/env bash
# The main job on the local default stack: installs what is missing, brings up PostgreSQL,
# starts a fake Square API, serves the sync function and a worker, runs a full Square sync
# with a live progress bar, changes records at the source, runs an incremental sync that
# picks up exactly those, and prints what landed. Safe to run again.
#   scripts/demo.sh [--orders N]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SYNCLINE_ROOT"
ensure_all
bash scripts/stack.sh start
exec deno run -A scripts/demo.ts "$@"
