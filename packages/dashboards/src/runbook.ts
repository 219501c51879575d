// Every panel links to its section of docs/runbooks/mno-quality.md (US-ANLYT-16 AC4). The
// base is a repo-relative path by default; a deployment that serves the docs elsewhere
// regenerates with `--runbook-url` (docs/dashboards.md).
import { DashboardLinkBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

export const RUNBOOK_PATH = 'docs/runbooks/mno-quality.md';

/** The runbook's sections, by the panel they explain, as GitHub renders their anchors. */
export const RUNBOOK_ANCHORS = {
  deliveryRate: 'delivery-rate',
  latencyP95: 'dlr-latency-p95',
  esmeErrors: 'esme-error-breakdown',
  tpsUtilisation: 'tps-utilisation',
  costVsQuality: 'cost-vs-quality-scatter',
} as const;

export type RunbookSection = keyof typeof RUNBOOK_ANCHORS;

export const runbookLink = (base: string, section: RunbookSection, title: string) =>
  new DashboardLinkBuilder(`Runbook: ${title}`)
    .url(`${base}#${RUNBOOK_ANCHORS[section]}`)
    .tooltip('What this panel shows, what a bad reading means, first steps')
    .targetBlank(true);
