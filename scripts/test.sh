#!/usr/bin/env bash
# THE test command (README, .ci/run): installs what is missing, starts the stack, builds,
# typechecks, lints, runs every test against the real PostgreSQL and NATS, and ends with the
# plain totals line "N passed, N failed". A failed static check counts as one failure and
# does not stop the tests, so the totals line is always printed last.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/stack-up.sh
install_and_build
static_failures=0
log "typecheck"; pnpm exec turbo run typecheck --output-logs=errors-only || static_failures=$((static_failures + 1))
log "lint"; pnpm run lint || static_failures=$((static_failures + 1))
# The repo carries its own copy of the fixed contracts so that a clone alone passes every
# test; where the shared folder sits beside the clone, the copy must be identical to it.
if [ -d "$ROOT/../shared/contracts" ]; then
  log "contracts/ = ../shared/contracts"
  diff -r "$ROOT/../shared/contracts" "$ROOT/contracts" || static_failures=$((static_failures + 1))
fi
mkdir -p test-results
log "vitest"
set +e
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
status=$?
set -e
node scripts/test-totals.mjs test-results/vitest.json "$static_failures"
[ "$static_failures" = 0 ] || exit 1
exit $status
