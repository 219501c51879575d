/** The audit listener's metrics (docs/OBSERVABILITY.md), on the API's registry. */
import { Counter } from 'prom-client';
import type { Registry } from '@anlyt/observability';

export interface AuditMetrics {
  requests: Counter<'route' | 'status'>;
  rows: Counter<'route'>;
  tlsRefused: Counter;
  exportsFinished: Counter<'status'>;
  logFailures: Counter;
}

export function auditMetrics(registry: Registry): AuditMetrics {
  return {
    requests: new Counter({
      name: 'anlyt_api_audit_requests_total',
      help: 'Requests on the audit listener by route template and status code',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    }),
    rows: new Counter({
      name: 'anlyt_api_audit_rows_total',
      help: 'Fact rows sent by audit queries (route /v1/anlyt/audit/query) and written by exports (route exports)',
      labelNames: ['route'] as const,
      registers: [registry],
    }),
    tlsRefused: new Counter({
      name: 'anlyt_api_audit_tls_refused_total',
      help: 'Connections to the audit listener refused during the TLS handshake (no, expired or foreign client certificate)',
      registers: [registry],
    }),
    exportsFinished: new Counter({
      name: 'anlyt_api_audit_exports_finished_total',
      help: 'Audit exports this process finished, by outcome (DONE, FAILED)',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    logFailures: new Counter({
      name: 'anlyt_api_audit_log_failures_total',
      help: 'Audit calls whose audit-log entry could not be written (each also logged with its entry)',
      registers: [registry],
    }),
  };
}
