/** The FactStore port on ClickHouse (@anlyt/clickhouse's named statements). */
import {
  findStoredCopies,
  insertFacts,
  markDirtyDays,
  writeIngestWatermark,
  type CdrFactRow,
  type ClickHouseClient,
  type DlrFactRow,
  type FactSource,
  type Topology,
} from '@anlyt/clickhouse';
import type { FactStore } from '../use-cases/ports.js';
import { hashBytes } from './fact-rows.js';

export function clickhouseFacts<R extends DlrFactRow | CdrFactRow>(
  ch: ClickHouseClient,
  t: Topology,
  source: FactSource,
): FactStore<R> {
  return {
    async findCopies(keys) {
      const found = await findStoredCopies(ch, t, source, keys);
      return found.map((c) => ({
        eventId: c.eventId,
        tenantId: c.tenantId,
        hourMs: c.hourMs,
        seq: Number(c.streamSeq),
        payloadHash: hashBytes(c.payloadHash),
      }));
    },
    insert: (rows) => insertFacts(ch, t, source, rows),
    markDirty: (days) => markDirtyDays(ch, t, source, days),
    recordProgress: (ms) => writeIngestWatermark(ch, t, source, ms),
  };
}
