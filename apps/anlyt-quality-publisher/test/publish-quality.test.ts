// The tick's decisions with hand-written fakes of its two ports: when a window is skipped,
// when only esmeErrorRate is withheld, and how duplicates are counted.
import { describe, expect, it } from 'vitest';
import type { OperatorQualityRow } from '@anlyt/clickhouse';
import type { OperatorQualityEvent } from '../src/signal.js';
import type { CubeFreshness, QualityBus, QualityStore } from '../src/use-cases/ports.js';
import { PublishQualityUseCase } from '../src/use-cases/publish-quality.use-case.js';

const END = Date.UTC(2026, 10, 27, 14, 37);
const row: OperatorQualityRow = {
  mno: 'm',
  direction: 'MT',
  dlrs: 100,
  delivered: 90,
  final: 100,
  p95LatencyMs: 900,
  cdrs: 100,
  esmeErrors: 5,
};

function world(fresh: CubeFreshness, rows: OperatorQualityRow[], stored = new Set<string>()) {
  const sent: OperatorQualityEvent[] = [];
  let reads = 0;
  const store: QualityStore = {
    freshness: async () => fresh,
    read: async () => {
      reads++;
      return rows;
    },
  };
  const bus: QualityBus = {
    publish: async (e) => {
      sent.push(e);
      if (stored.has(e.eventId)) return false;
      stored.add(e.eventId);
      return true;
    },
  };
  const uc = new PublishQualityUseCase(store, bus, { minSample: 50, maxLagMs: 120_000 });
  return { uc, sent, reads: () => reads };
}

describe('PublishQualityUseCase', () => {
  it('skips the window without reading when the DLR side lags more than the limit', async () => {
    for (const dlrAsOfMs of [null, END - 120_001]) {
      const w = world({ dlrAsOfMs, cdrAsOfMs: END }, [row]);
      expect(await w.uc.run(END + 10_000)).toMatchObject({ outcome: 'stale', dlrAsOfMs });
      expect(w.reads()).toBe(0);
      expect(w.sent).toEqual([]);
    }
  });

  it('publishes at exactly the limit, withholding only esmeErrorRate when the CDR side lags', async () => {
    const w = world({ dlrAsOfMs: END - 120_000, cdrAsOfMs: END - 120_001 }, [row]);
    expect(await w.uc.run(END + 10_000)).toMatchObject({ outcome: 'published', published: 1 });
    expect(w.sent[0]).toMatchObject({ deliveryRate: 0.9, esmeErrorRate: null, sampleSize: 100 });
    const fresh = world({ dlrAsOfMs: END, cdrAsOfMs: END }, [row]);
    await fresh.uc.run(END + 10_000);
    expect(fresh.sent[0]).toMatchObject({ esmeErrorRate: 0.05 });
  });

  it('counts what the stream already had as duplicates', async () => {
    const stored = new Set<string>();
    const rows = [row, { ...row, direction: 'MO' as const }];
    const first = world({ dlrAsOfMs: END, cdrAsOfMs: END }, rows, stored);
    const second = world({ dlrAsOfMs: END, cdrAsOfMs: END }, rows, stored);
    expect(await first.uc.run(END + 1_000)).toMatchObject({ published: 2, duplicates: 0 });
    expect(await second.uc.run(END + 59_000)).toMatchObject({ published: 0, duplicates: 2 });
  });
});
