/** Composition of the audit listener for main.ts: off (with the reason) unless configured. */
import { readFileSync } from 'node:fs';
import { createClickHouse, type Topology } from '@anlyt/clickhouse';
import type { Logger, Registry } from '@anlyt/observability';
import type { Sql } from '@anlyt/pg';
import type { AuditSettings } from '../config.js';
import type { TokenVerifier } from '../plugins/auth.js';
import { clickhouseAuditFacts, pgAuditLog, pgExportStore, s3ObjectStore } from './adapters.js';
import { buildAuditApp } from './audit-app.js';
import { AuditExportsUseCase } from './audit-exports.use-case.js';
import { AuditQueryUseCase } from './audit-query.use-case.js';
import { auditMetrics } from './metrics.js';

export interface AuditListener {
  address: string;
  /** Stops accepting, stops running exports (they end FAILED), closes its clients. */
  close(): Promise<void>;
}

export async function startAuditListener(o: {
  settings: AuditSettings;
  host: string;
  clickhouseUrl: string;
  topology: Topology;
  sql: Sql;
  verify: TokenVerifier;
  registry: Registry;
  log: Logger;
}): Promise<AuditListener> {
  const s = o.settings;
  // Its own client: audit statements stream for as long as the reader reads (5-year slices,
  // exports), which the DSL client's request timeout would cut.
  const ch = createClickHouse({
    url: o.clickhouseUrl,
    applicationName: 'anlyt-api-audit',
    maxOpenConnections: 8,
    requestTimeoutMs: 30 * 60_000,
    log: o.log,
  });
  const facts = clickhouseAuditFacts(ch, o.topology);
  const objects = s.s3 ? s3ObjectStore(s.s3) : null;
  if (!objects) o.log.warn('audit exports are off: AUDIT_S3_BUCKET is not set (they answer 503)');
  const metrics = auditMetrics(o.registry);
  const exportRows = metrics.rows.labels({ route: '/v1/anlyt/audit/exports' });
  const exports = new AuditExportsUseCase({
    facts,
    store: pgExportStore(o.sql),
    objects,
    log: o.log,
    onFinished: (status, rows) => {
      metrics.exportsFinished.inc({ status });
      exportRows.inc(rows);
    },
  });
  const abandoned = await exports.sweep();
  if (abandoned > 0)
    o.log.warn({ abandoned }, 'audit exports left RUNNING by a stopped process marked FAILED');
  const app = await buildAuditApp({
    tls: {
      cert: readFileSync(s.tls.certFile),
      key: readFileSync(s.tls.keyFile),
      ca: readFileSync(s.tls.caFile),
    },
    clientSubjects: s.clientSubjects,
    verify: o.verify,
    query: new AuditQueryUseCase({ facts, maxRows: s.maxRows }),
    exports,
    auditLog: pgAuditLog(o.sql),
    registry: o.registry,
    metrics,
    log: o.log.child({ listener: 'audit' }),
  });
  const address = await app.listen({ host: o.host, port: s.port });
  return {
    address,
    async close() {
      await app.close();
      await exports.stop();
      objects?.close();
      await ch.close();
    },
  };
}
