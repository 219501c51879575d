/**
 * The traffic of the insights specs: @anlyt/traffic's generator (4 tenants, 5 MNOs, 3 days,
 * DLRs and CDRs), then shaped so each story has its case — the facts removed here are simply
 * never loaded, and every expectation is computed from the facts that are:
 * - LATE: tenant acc_1003 has no traffic on mno-za-01 on the first day (a new MNO appears);
 * - A: tenant acc_1001 never uses mno-tz-01, which B (acc_1000) uses (BOLA);
 * - CDR_ONLY: tenant acc_1002's DLRs on mno-gh-01 are gone, its CDRs there kept.
 */
import {
  defaultTrafficConfig,
  FactsOracle,
  generateTraffic,
  type CdrFact,
  type DlrFact,
} from '@anlyt/traffic';

export const DAY_MS = 86_400_000;
export const D1 = Date.UTC(2026, 10, 20);
export const D2 = D1 + DAY_MS;
export const D3 = D2 + DAY_MS;
export const END = D3 + DAY_MS;
/** YYYY-MM-DD of a UTC midnight. */
export const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const TENANTS = ['acc_1000', 'acc_1001', 'acc_1002', 'acc_1003'] as const;
export const LATE = { tenant: 'acc_1003', mno: 'mno-za-01' };
export const A = 'acc_1001';
export const B = 'acc_1000';
export const ONLY_B = 'mno-tz-01';
export const CDR_ONLY = { tenant: 'acc_1002', mno: 'mno-gh-01' };

const oracle = new FactsOracle();
for (const m of generateTraffic(
  defaultTrafficConfig({
    seed: 19,
    messages: 8000,
    accounts: 4,
    operators: 5,
    startMs: D1,
    spanMs: 3 * DAY_MS,
    cdrs: true,
  }),
))
  oracle.observe(m);

const removed = (f: DlrFact | CdrFact) =>
  (f.tenantId === LATE.tenant && f.mno === LATE.mno && f.occurredAtMs < D2) ||
  (f.tenantId === A && f.mno === ONLY_B);

export const FACTS: { dlrs: DlrFact[]; cdrs: CdrFact[] } = {
  dlrs: [...oracle.dlrFacts().values()].filter(
    (f) => !removed(f) && !(f.tenantId === CDR_ONLY.tenant && f.mno === CDR_ONLY.mno),
  ),
  cdrs: [...oracle.cdrFacts().values()].filter((f) => !removed(f)),
};

/** dataAsOf the loaded cubes must report: the older of the two sources' latest occurredAt. */
export const DATA_AS_OF = new Date(
  Math.min(
    Math.max(...FACTS.dlrs.map((f) => f.occurredAtMs)),
    Math.max(...FACTS.cdrs.map((f) => f.occurredAtMs)),
  ),
).toISOString();
