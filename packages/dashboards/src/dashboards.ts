// The dashboards this package generates, where they are committed, and every query they run.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildFinanceDashboard, FINANCE_UID, financeQueries } from './finance.js';
import { buildMnoQualityDashboard, MNO_QUALITY_UID, mnoQualityQueries } from './mno-quality.js';
import type { QuerySpec } from './query-spec.js';
import { RUNBOOK_PATH } from './runbook.js';

export interface GenerateOptions {
  runbookUrl: string;
  tpsCapacity: number;
}

/**
 * What the committed JSON is generated with. 100 submit_sm/s is a common per-bind SMPP
 * window; each deployment sets its own (docs/dashboards.md).
 */
export const DEFAULT_OPTIONS: GenerateOptions = { runbookUrl: RUNBOOK_PATH, tpsCapacity: 100 };

export interface DashboardFile {
  /** Relative to the repository's `dashboards/` folder. */
  file: string;
  dashboard: Dashboard;
}

export function buildDashboards(o: GenerateOptions = DEFAULT_OPTIONS): DashboardFile[] {
  return [
    { file: 'mno-quality.json', dashboard: buildMnoQualityDashboard(o) },
    { file: 'finance.json', dashboard: buildFinanceDashboard(o) },
  ];
}

export interface ListedQuery {
  dashboardUid: string;
  /** A panel's query (by panel key) or a query variable's (by variable name). */
  usedBy: { kind: 'panel' | 'variable'; key: string };
  spec: QuerySpec;
}

/** Every panel query and every variable query of every dashboard, with its expected shape. */
export function listQueries(): ListedQuery[] {
  const out: ListedQuery[] = [];
  const add = (
    dashboardUid: string,
    qs: { variables: Record<string, QuerySpec>; panels: Record<string, QuerySpec> },
  ) => {
    for (const [key, spec] of Object.entries(qs.variables))
      out.push({ dashboardUid, usedBy: { kind: 'variable', key }, spec });
    for (const [key, spec] of Object.entries(qs.panels))
      out.push({ dashboardUid, usedBy: { kind: 'panel', key }, spec });
  };
  add(MNO_QUALITY_UID, mnoQualityQueries());
  add(FINANCE_UID, financeQueries());
  return out;
}
