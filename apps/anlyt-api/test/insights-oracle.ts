/**
 * What a tenant's MNO quality answer must hold, computed straight from @anlyt/traffic's facts
 * with the contract's definitions (§3, §6.5) — no code of the API or the cubes involved.
 */
import type { CdrFact, DlrFact } from '@anlyt/traffic';

/** Contract §3: final failed statuses; UNKNOWN is neither delivered nor failed. */
const FAILED = new Set(['FAILED', 'EXPIRED', 'REJECTED', 'UNDELIVERABLE']);

export interface ExpectedMno {
  mno: string;
  delivered: number;
  failed: number;
  /** Final DLRs: delivered + failed. */
  sampleSize: number;
  deliveryRate: number | null;
  /** Latencies of every DLR (any status), ascending. */
  latencies: number[];
}

/** Per MNO with ≥ 1 DLR or CDR of the tenant whose occurredAt is in [fromMs, toMs). */
export function expectedMnos(
  facts: { dlrs: readonly DlrFact[]; cdrs: readonly CdrFact[] },
  tenantId: string,
  fromMs: number,
  toMs: number,
): Map<string, ExpectedMno> {
  const inside = (f: { tenantId: string; occurredAtMs: number }) =>
    f.tenantId === tenantId && f.occurredAtMs >= fromMs && f.occurredAtMs < toMs;
  const out = new Map<string, ExpectedMno>();
  const of = (mno: string) => {
    let e = out.get(mno);
    if (!e)
      out.set(
        mno,
        (e = { mno, delivered: 0, failed: 0, sampleSize: 0, deliveryRate: null, latencies: [] }),
      );
    return e;
  };
  for (const f of facts.dlrs.filter(inside)) {
    const e = of(f.mno);
    if (f.status === 'DELIVERED') e.delivered++;
    if (FAILED.has(f.status)) e.failed++;
    e.latencies.push(f.latencyMs);
  }
  for (const f of facts.cdrs.filter(inside)) of(f.mno);
  for (const e of out.values()) {
    e.sampleSize = e.delivered + e.failed;
    e.deliveryRate = e.sampleSize === 0 ? null : e.delivered / e.sampleSize;
    e.latencies.sort((a, b) => a - b);
  }
  return out;
}

/** The exact values a P95 estimate may fall between: ranks 94 % … 96 % of the sorted sample. */
export function p95Band(sorted: readonly number[]): [number, number] {
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
  return [at(0.94), at(0.96)];
}
