/**
 * GET /v1/anlyt/insights/mno-quality (US-ANLYT-19, contract §6.5): one tenant's quality per
 * MNO its traffic used in a window, under anonymous labels.
 * - Listed: every MNO that carried at least one DLR or CDR of the tenant in the window.
 * - sampleSize: the tenant's final DLRs on it (delivered + failed; UNKNOWN is not final).
 *   Below `minSampleSize` the rates are not meaningful: deliveryRate and dlrLatencyP95 are
 *   null and `suppressed: true`.
 * - label: stable per (tenant, MNO) for ever (labels.ts); `mno`: the real id only while the
 *   tenant has a data-share addendum on record, else null. Entries in label order.
 * - dataAsOf: the older of the DLR and CDR cubes' dataAsOf (the answer draws on both).
 */
import { labelOrder } from './labels.js';
import type { DayWindow } from './window.js';

/** The tenant's traffic on one MNO in the window. */
export interface MnoTraffic {
  mno: string;
  delivered: number;
  failed: number;
  /** t-digest estimate over every DLR (any status); null when the MNO had no DLR. */
  p95LatencyMs: number | null;
}

/** Port: the cubes. */
export interface InsightsTraffic {
  /** The MNOs with ≥ 1 DLR or CDR of the tenant in the window (days), with their DLR figures. */
  mnoTraffic(tenantId: string, window: DayWindow): Promise<MnoTraffic[]>;
  /** Epoch ms per source of the largest occurredAt in the cubes; null before any data. */
  dataAsOf(): Promise<{ dlr: number | null; cdr: number | null }>;
}

export interface StoredLabel {
  mno: string;
  ordinal: number;
  label: string;
}

/** Port: the labels on record, and their assignment (new MNOs in the order given). */
export interface LabelStore {
  read(tenantId: string, mnos: readonly string[]): Promise<StoredLabel[]>;
  assign(tenantId: string, ordered: readonly string[]): Promise<StoredLabel[]>;
}

/** Port: is a data-share addendum on record for the tenant. */
export type AddendumOnRecord = (tenantId: string) => Promise<boolean>;

export interface MnoQualityDeps {
  traffic: InsightsTraffic;
  labels: LabelStore;
  addendumOnRecord: AddendumOnRecord;
  /** Secret that orders the labels of MNOs first seen together (labels.ts). */
  labelKey: Buffer;
  /** Final DLRs an MNO needs before its rates are shown (default 100). */
  minSampleSize: number;
}

export interface MnoQualityEntry {
  label: string;
  mno: string | null;
  deliveryRate: number | null;
  dlrLatencyP95: number | null;
  sampleSize: number;
  suppressed?: true;
}

export interface MnoQualityAnswer {
  window: { from: string; to: string; requestedFrom: string; requestedTo: string };
  mnos: MnoQualityEntry[];
  dataAsOf: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class MnoQualityUseCase {
  constructor(private readonly d: MnoQualityDeps) {}

  async execute(tenantId: string, window: DayWindow): Promise<MnoQualityAnswer> {
    const [traffic, asOf, shared] = await Promise.all([
      this.d.traffic.mnoTraffic(tenantId, window),
      this.d.traffic.dataAsOf(),
      this.d.addendumOnRecord(tenantId),
    ]);
    const labels = await this.labelsOf(
      tenantId,
      traffic.map((t) => t.mno),
    );
    const mnos = traffic
      .map((t) => ({ t, l: labels.get(t.mno)! }))
      .sort((a, b) => a.l.ordinal - b.l.ordinal)
      .map(({ t, l }) => this.entry(t, l.label, shared));
    const known = [asOf.dlr, asOf.cdr].filter((x): x is number => x !== null);
    return {
      window: {
        from: iso(window.fromMs),
        to: iso(window.toMs),
        requestedFrom: window.requestedFrom,
        requestedTo: window.requestedTo,
      },
      mnos,
      dataAsOf: known.length === 0 ? null : iso(Math.min(...known)),
    };
  }

  /** Labels on record; the MNOs without one get theirs now, in HMAC order. */
  private async labelsOf(tenantId: string, mnos: string[]): Promise<Map<string, StoredLabel>> {
    const found = new Map((await this.d.labels.read(tenantId, mnos)).map((l) => [l.mno, l]));
    const fresh = mnos.filter((m) => !found.has(m));
    if (fresh.length > 0)
      for (const l of await this.d.labels.assign(
        tenantId,
        labelOrder(this.d.labelKey, tenantId, fresh),
      ))
        found.set(l.mno, l);
    const missing = mnos.filter((m) => !found.has(m));
    if (missing.length > 0) throw new Error(`no label was assigned for ${missing.length} MNO(s)`);
    return found;
  }

  private entry(t: MnoTraffic, label: string, shared: boolean): MnoQualityEntry {
    const sampleSize = t.delivered + t.failed;
    const mno = shared ? t.mno : null;
    // sampleSize 0 is always suppressed: a rate of nothing is undefined, whatever the minimum.
    if (sampleSize === 0 || sampleSize < this.d.minSampleSize)
      return { label, mno, deliveryRate: null, dlrLatencyP95: null, sampleSize, suppressed: true };
    return {
      label,
      mno,
      deliveryRate: t.delivered / sampleSize,
      dlrLatencyP95: t.p95LatencyMs,
      sampleSize,
    };
  }
}
