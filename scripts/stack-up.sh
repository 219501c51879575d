#!/usr/bin/env bash
# Makes sure PostgreSQL and NATS (JetStream) are installed and running on 127.0.0.1, creates
# the dev database, applies migrations and creates the dev streams. Idempotent: on this
# machine kind both servers already run and this only checks; on a bare Debian it installs.
source "$(dirname "$0")/lib.sh"

APT_UPDATED=0
apt_install() {
  [ "$APT_UPDATED" = 1 ] || { log "apt-get update"; apt-get update -qq; APT_UPDATED=1; }
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

wait_for() { # name, command
  for _ in $(seq 1 60); do eval "$2" >/dev/null 2>&1 && return 0; sleep 0.5; done
  log "$1 did not come up"; return 1
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return; fi
  command -v pg_ctlcluster >/dev/null || apt_install postgresql postgresql-client
  local ver; ver=$(ls /etc/postgresql | sort -V | tail -1)
  # Local development and CI only: trust on loopback, as on the provided machines.
  local hba="/etc/postgresql/$ver/main/pg_hba.conf"
  grep -q '^host all all 127.0.0.1/32 trust' "$hba" || sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  log "starting PostgreSQL $ver"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  wait_for PostgreSQL "pg_isready -q -h 127.0.0.1 -p 5432"
}

ensure_nats() {
  if (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then return; fi
  [ -x /usr/sbin/nats-server ] || apt_install nats-server
  mkdir -p /var/lib/nats-server
  log "starting nats-server with JetStream"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_for NATS "(exec 3<>/dev/tcp/127.0.0.1/4222)"
}

# promtool (Debian's `prometheus`) for the metrics conformance test. Installed without
# starting anything: policy-rc.d refuses service starts for the duration of the install.
ensure_promtool() {
  command -v promtool >/dev/null && return
  local policy=/usr/sbin/policy-rc.d
  if [ -e "$policy" ]; then
    apt_install --no-install-recommends prometheus
  else
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
    apt_install --no-install-recommends prometheus || { rm -f "$policy"; return 1; }
    rm -f "$policy"
  fi
}

ensure_postgres
ensure_nats
ensure_promtool
log "PostgreSQL, NATS and promtool are up"

create_db() {
  psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='$1'" | grep -q 1 ||
    psql -h 127.0.0.1 -U postgres -qc "create database \"$1\""
}

if [ "${1:-}" = "--provision" ]; then
  DB_NAME="${ANLYT_DEV_DB:-anlyt}"
  create_db "$DB_NAME"
  # Billing's own database, for local runs: the simulator keeps billing.daily_totals there.
  create_db "${BILLING_DEV_DB:-billing}"
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB_NAME" node "$ROOT/packages/pg/dist/bin/migrate.js"
  node "$ROOT/packages/nats/dist/bin/provision-dev-streams.js"
fi
