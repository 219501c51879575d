# Shared shell helpers for the repo's scripts. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1 NPM_CONFIG_UPDATE_NOTIFIER=false
PNPM_VERSION=12.4.2

log() { printf '\033[1;34m[anlyt]\033[0m %s\n' "$*" >&2; }

# pnpm at the exact version the lockfile was made with (newer ones break on this mirror).
ensure_pnpm() {
  if [ "$(pnpm -v 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
    log "installing pnpm $PNPM_VERSION"
    npm i -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1
  fi
}

# Dependencies installed exactly as locked, then every package built (apps run from dist/).
install_and_build() {
  ensure_pnpm
  (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=silent)
  (cd "$ROOT" && pnpm exec turbo run build --output-logs=errors-only)
}
