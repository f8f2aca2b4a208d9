#!/usr/bin/env bash
# deno task chaos: the fault-injection scenarios at full size (see scripts/chaos.ts), after
# making sure the stack is up and the migrated test template exists.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SYNCLINE_ROOT"
ensure_all
bash scripts/stack.sh start
prepare_template
exec deno run -A scripts/chaos.ts "$@"
