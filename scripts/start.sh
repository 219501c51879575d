#!/usr/bin/env bash
# THE run command (README): the stack, migrations and streams, anlyt-consumer, anlyt-ingest,
# anlyt-api, anlyt-quality-publisher and the traffic simulator (billed events, DLRs and CDRs),
# with a live view of the platform totals (Postgres) and the DLR cube (ClickHouse) filling up.
# Ctrl-C stops everything.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/stack-up.sh
install_and_build
bash scripts/stack-up.sh --provision

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${ANLYT_DEV_DB:-anlyt}"
# Local only: the API's token secret (mint tokens with apps/anlyt-api/dist/bin/dev-token.js).
export ANLYT_AUTH_JWT_SECRET="${ANLYT_AUTH_JWT_SECRET:-local-dev-secret-not-for-production}"
export BILLING_DATABASE_URL="postgres://postgres@127.0.0.1:5432/${BILLING_DEV_DB:-billing}"
export NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"
mkdir -p .tmp/logs

# The compliance audit's mTLS listener (README "Compliance audit"): a local CA, a server
# certificate for 127.0.0.1/localhost and a regulator-portal-service client certificate,
# made once with openssl into .tmp/audit-tls, and exports to the local s3rver (stack-up.sh).
make_audit_tls() {
  local d=.tmp/audit-tls
  [ -f "$d/client.crt" ] && return
  mkdir -p "$d"
  local key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  openssl req -x509 "${key[@]}" -keyout "$d/ca.key" -out "$d/ca.crt" -days 365 \
    -subj "/CN=anlyt local dev CA" 2>/dev/null
  openssl req "${key[@]}" -keyout "$d/server.key" -out "$d/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 365 -extfile "$d/server.ext" -out "$d/server.crt" 2>/dev/null
  openssl req "${key[@]}" -keyout "$d/client.key" -out "$d/client.csr" \
    -subj "/CN=regulator-portal-service" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >"$d/client.ext"
  openssl x509 -req -in "$d/client.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 365 -extfile "$d/client.ext" -out "$d/client.crt" 2>/dev/null
  log "made a local CA, server and regulator-portal-service client certificate in $d"
}
make_audit_tls
export AUDIT_HTTPS_PORT="${AUDIT_HTTPS_PORT:-8443}"
export AUDIT_TLS_CERT_FILE="$ROOT/.tmp/audit-tls/server.crt"
export AUDIT_TLS_KEY_FILE="$ROOT/.tmp/audit-tls/server.key"
export AUDIT_TLS_CA_FILE="$ROOT/.tmp/audit-tls/ca.crt"
export AUDIT_S3_ENDPOINT="http://127.0.0.1:${AUDIT_S3_PORT:-4568}"
export AUDIT_S3_BUCKET="${AUDIT_S3_BUCKET:-anlyt-audit}"
export AUDIT_S3_ACCESS_KEY_ID=S3RVER AUDIT_S3_SECRET_ACCESS_KEY=S3RVER # s3rver's fixed keys

pids=()
# Producer first, then give the consumer a few seconds to fold what is still in the streams,
# so that billing's totals and the aggregates agree when you reconcile afterwards.
cleanup() {
  trap - EXIT INT TERM
  log "stopping the simulator, letting anlyt-consumer catch up, then stopping it"
  [ -z "${sim_pid:-}" ] || { kill -TERM "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; } || true
  sleep 3
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
stopping=""
trap 'stopping=1' INT TERM
trap cleanup EXIT

# Own sessions (setsid): a Ctrl-C reaches only this script, which stops them in order.
HTTP_PORT="${CONSUMER_HTTP_PORT:-9464}" setsid node apps/anlyt-consumer/dist/main.js >.tmp/logs/consumer.log 2>&1 &
pids+=($!)
HTTP_PORT="${INGEST_HTTP_PORT:-9465}" CLICKHOUSE_DATABASE="${ANLYT_DEV_CLICKHOUSE_DB:-anlyt}" \
  setsid node apps/anlyt-ingest/dist/main.js >.tmp/logs/ingest.log 2>&1 &
pids+=($!)
HTTP_PORT="${API_HTTP_PORT:-8080}" CLICKHOUSE_DATABASE="${ANLYT_DEV_CLICKHOUSE_DB:-anlyt}" \
  setsid node apps/anlyt-api/dist/main.js >.tmp/logs/api.log 2>&1 &
pids+=($!)
HTTP_PORT="${QUALITY_HTTP_PORT:-9466}" CLICKHOUSE_DATABASE="${ANLYT_DEV_CLICKHOUSE_DB:-anlyt}" \
  setsid node apps/anlyt-quality-publisher/dist/main.js >.tmp/logs/quality.log 2>&1 &
pids+=($!)
setsid node packages/traffic/dist/simulate.js >.tmp/logs/simulator.log 2>&1 &
sim_pid=$!
pids+=($sim_pid)
log "anlyt-consumer → .tmp/logs/consumer.log (metrics: http://127.0.0.1:${CONSUMER_HTTP_PORT:-9464}/metrics)"
log "anlyt-ingest   → .tmp/logs/ingest.log (metrics: http://127.0.0.1:${INGEST_HTTP_PORT:-9465}/metrics)"
log "anlyt-api      → .tmp/logs/api.log (http://127.0.0.1:${API_HTTP_PORT:-8080}/docs; see README for curl)"
log "audit (mTLS)   → https://127.0.0.1:$AUDIT_HTTPS_PORT (certificates in .tmp/audit-tls; README \"Compliance audit\")"
log "quality feed   → .tmp/logs/quality.log (operator.quality.v1 every 60 s on stream OPERATOR_QUALITY; README \"Quality feed\")"
log "simulator      → .tmp/logs/simulator.log"
log "rollup        → .tmp/logs/rollup.log (once a minute, as the hourly CronJob would)"
log "per UTC hour: platform totals (PostgreSQL), then the DLR cube (ClickHouse); every 10 s, Ctrl-C to stop:"
tick=0
while [ -z "$stopping" ]; do
  sleep 10 & wait $! || true # (wait, unlike a foreground sleep, returns as soon as a signal comes)
  [ -z "$stopping" ] || break
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null && continue
    # A child that ended on its own: a clean exit means it got the Ctrl-C too; else a failure.
    rc=0; wait "$p" || rc=$?
    [ "$rc" = 0 ] && exit 0
    log "a process exited with $rc; see .tmp/logs"; exit 1
  done
  psql "$DATABASE_URL" -qA -F ' | ' -P footer=off -c "
    select to_char(hour, 'YYYY-MM-DD HH24:00') as hour, total_messages as msgs, total_cost as cost,
           delivered_messages as delivered, failed_messages as failed, peak_tps,
           case when latency_count > 0 then latency_sum_ms / latency_count end as avg_latency_ms
    from anlyt.metrics_hourly where scope = 'PLATFORM' order by hour desc limit 3" |
    sed 's/^/  /'
  # The same hours from ClickHouse's DLR cube (rebuilt from the facts every 15 s).
  ch_db="${ANLYT_DEV_CLICKHOUSE_DB:-anlyt}"
  clickhouse-client -q "
    SELECT formatDateTime(hour, '%Y-%m-%d %H:00') AS utc_hour, sum(dlrs) AS dlr_count,
      sumIf(dlrs, status = 'DELIVERED') AS delivered,
      arrayMap(x -> round(x), quantilesTDigestMerge(0.5, 0.95, 0.99)(latencyQuantiles)) AS p50_p95_p99_ms
    FROM $ch_db.cube_dlr_hourly FINAL GROUP BY utc_hour ORDER BY utc_hour DESC LIMIT 3
    FORMAT PrettyCompactMonoBlock" 2>/dev/null | sed 's/^/  /' || true
  echo "  --"
  tick=$((tick + 1))
  [ $((tick % 6)) != 0 ] || node apps/anlyt-rollup/dist/main.js >>.tmp/logs/rollup.log 2>&1 ||
    log "rollup failed; see .tmp/logs/rollup.log"
done
