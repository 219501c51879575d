#!/usr/bin/env bash
# THE test command (README, .ci/run): installs what is missing, starts the stack, builds,
# typechecks, lints, runs every test against the real PostgreSQL and NATS, and ends with the
# plain totals line "N passed, N failed".
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/stack-up.sh
install_and_build
log "typecheck"; pnpm exec turbo run typecheck --output-logs=errors-only
log "lint"; pnpm run lint
mkdir -p test-results
log "vitest"
set +e
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
status=$?
set -e
node scripts/test-totals.mjs test-results/vitest.json
exit $status
