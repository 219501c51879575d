/**
 * `node packages/clickhouse/dist/bin/migrate.js` — applies the ClickHouse migrations.
 * CLICKHOUSE_URL (default http://127.0.0.1:8123), CLICKHOUSE_DATABASE (default anlyt),
 * CLICKHOUSE_CLUSTER (a <remote_servers> name; empty = single node). Run once per deploy
 * (a hook Job) or by the local stack script; safe to run twice.
 */
import { createClickHouse } from '../client.js';
import { runClickHouseMigrations } from '../migrations.js';

const env = process.env;
const ch = createClickHouse({ url: env['CLICKHOUSE_URL'] ?? 'http://127.0.0.1:8123' });
try {
  const report = await runClickHouseMigrations(ch, {
    topology: {
      database: env['CLICKHOUSE_DATABASE'] || 'anlyt',
      cluster: env['CLICKHOUSE_CLUSTER'] || null,
    },
    onSkip: (m, reason) => console.log(`migration ${m.id} (${m.name}) skipped: ${reason}`),
  });
  console.log(
    `ClickHouse ${report.version.text}: applied [${report.applied.join(', ')}], skipped [${report.skipped.map((s) => s.id).join(', ')}]`,
  );
} finally {
  await ch.close();
}
