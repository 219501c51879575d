#!/usr/bin/env bash
# Makes sure PostgreSQL, NATS (JetStream) and ClickHouse are installed and running on
# 127.0.0.1 (and that promtool and ZooKeeper are installed, for tests), creates the dev
# database, applies migrations and creates the dev streams. Idempotent: where the servers
# already run this only checks; on a bare Debian it installs and starts them.
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

# Installs packages without starting anything: policy-rc.d refuses service starts for the
# duration of the install (Docker-style images already ship one; then it is left alone).
apt_install_no_start() {
  local policy=/usr/sbin/policy-rc.d
  if [ -e "$policy" ]; then
    apt_install --no-install-recommends "$@"
  else
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
    apt_install --no-install-recommends "$@" || { rm -f "$policy"; return 1; }
    rm -f "$policy"
  fi
}

# promtool (Debian's `prometheus`) for the metrics conformance test.
ensure_promtool() {
  command -v promtool >/dev/null && return
  apt_install_no_start prometheus
}

# /ping over bash's /dev/tcp (no curl needed); HTTP/1.0, so the server closes after answering.
clickhouse_ping() {
  timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/8123 && printf "GET /ping HTTP/1.0\r\n\r\n" >&3 &&
    tr -d "\r" <&3 | tail -n 1 | grep -qx "Ok."' 2>/dev/null
}

# ClickHouse (Debian's 18.16) on 127.0.0.1:8123 (HTTP) / 9000 (native), run as root in the
# background as on the provided machines; the package's own service is never started.
ensure_clickhouse() {
  if clickhouse_ping; then return; fi
  [ -x /usr/sbin/clickhouse-server ] || apt_install_no_start clickhouse-server clickhouse-client
  # The stock config listens on ::1 and 127.0.0.1 (its listen_host lines are commented out,
  # so the built-in default applies); one listen_host here makes it IPv4 loopback only.
  # replace="replace" keeps that true should a future config.xml name listen hosts itself.
  mkdir -p /etc/clickhouse-server/config.d /var/log/clickhouse-server
  cat > /etc/clickhouse-server/config.d/anlyt-listen.xml <<'XML'
<?xml version="1.0"?>
<!-- Written by anlyt's scripts/stack-up.sh: local development and CI listen on 127.0.0.1 only. -->
<yandex>
    <listen_host replace="replace">127.0.0.1</listen_host>
</yandex>
XML
  log "starting clickhouse-server"
  setsid /usr/sbin/clickhouse-server --config=/etc/clickhouse-server/config.xml \
    >/var/log/clickhouse-server/anlyt-stdout.log 2>&1 </dev/null &
  # The first start creates the system tables: allow up to 30 s.
  wait_for ClickHouse clickhouse_ping ||
    { tail -n 20 /var/log/clickhouse-server/clickhouse-server.err.log >&2 || true; return 1; }
}

# ZooKeeper (Debian's `zookeeper`, with a JRE) for the replicated ClickHouse test rig, which
# starts its own instances (packages/testing); nothing is started here.
# Debian's Chromium for the insights page's browser test (playwright-core drives it).
ensure_chromium() {
  [ -x /usr/bin/chromium ] && return
  apt_install_no_start chromium
}

ensure_zookeeper() {
  [ -f /usr/share/java/zookeeper.jar ] && [ -x /usr/bin/java ] && return
  apt_install_no_start zookeeper
}

# A local S3-compatible store (s3rver, from the repo's own dependencies) for the compliance
# audit's exports: 127.0.0.1 only, data under .tmp/s3rver, the bucket created at start. A node
# child in its own session, like ClickHouse above. s3rver is installed by `pnpm install`: on a
# fresh checkout it starts on the second call (start.sh's --provision run).
S3RVER_PORT="${AUDIT_S3_PORT:-4568}"
S3RVER_BUCKET="${AUDIT_S3_BUCKET:-anlyt-audit}"
ensure_s3rver() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$S3RVER_PORT") 2>/dev/null; then return; fi
  local bin="$ROOT/packages/testing/node_modules/s3rver/bin/s3rver.js"
  [ -f "$bin" ] || { log "s3rver is not installed yet (pnpm install); not starting it"; return 0; }
  mkdir -p "$ROOT/.tmp/s3rver" "$ROOT/.tmp/logs"
  log "starting s3rver on 127.0.0.1:$S3RVER_PORT (bucket $S3RVER_BUCKET)"
  setsid node "$bin" -d "$ROOT/.tmp/s3rver" -a 127.0.0.1 -p "$S3RVER_PORT" --silent \
    --configure-bucket "$S3RVER_BUCKET" >"$ROOT/.tmp/logs/s3rver.log" 2>&1 </dev/null &
  wait_for s3rver "(exec 3<>/dev/tcp/127.0.0.1/$S3RVER_PORT)"
}

ensure_postgres
ensure_nats
ensure_clickhouse
ensure_promtool
ensure_zookeeper
ensure_chromium
ensure_s3rver
log "PostgreSQL, NATS and ClickHouse are up; promtool, ZooKeeper and Chromium are installed"

create_db() {
  psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='$1'" | grep -q 1 ||
    psql -h 127.0.0.1 -U postgres -qc "create database \"$1\""
}

if [ "${1:-}" = "--provision" ]; then
  ensure_s3rver
  DB_NAME="${ANLYT_DEV_DB:-anlyt}"
  create_db "$DB_NAME"
  # Billing's own database, for local runs: the simulator keeps billing.daily_totals there.
  create_db "${BILLING_DEV_DB:-billing}"
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB_NAME" node "$ROOT/packages/pg/dist/bin/migrate.js"
  # ClickHouse: database anlyt (or ANLYT_DEV_CLICKHOUSE_DB), single node.
  CLICKHOUSE_DATABASE="${ANLYT_DEV_CLICKHOUSE_DB:-anlyt}" node "$ROOT/packages/clickhouse/dist/bin/migrate.js"
  node "$ROOT/packages/nats/dist/bin/provision-dev-streams.js"
fi
