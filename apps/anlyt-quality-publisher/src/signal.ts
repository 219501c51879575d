/**
 * operator.quality.v1 (contract §6.4), as pure functions: the window a tick covers, the
 * deterministic event id, and the event built from what the cubes hold for one (mno,
 * direction). No I/O here: the use case reads and publishes.
 */
import { v5 as uuidv5 } from 'uuid';
import type { OperatorQualityRow } from '@anlyt/clickhouse';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** A fixed namespace: the same (mno, direction, windowEnd) gives the same id in every process. */
const EVENT_ID_NAMESPACE = 'f1d7f0a4-3b0e-4c35-9a43-2a7c0f5d7e61';

export interface QualityWindow {
  startMs: number;
  endMs: number;
}

/**
 * The window of the tick fired at `firedAtMs`: it ends at the minute the tick belongs to, and
 * starts at the start of the previous UTC hour, so it is the last closed cube hour plus the
 * open hour so far (60 to 119 minutes). Whole cube hours because cube_dlr_hourly is the
 * source (US-ANLYT-17 AC1): a 15-minute window cannot be cut out of an hourly row. Every
 * replica firing within the same minute computes the same window, hence the same event ids.
 */
export function qualityWindow(firedAtMs: number): QualityWindow {
  const endMs = firedAtMs - (firedAtMs % MINUTE);
  return { startMs: endMs - (endMs % HOUR) - HOUR, endMs };
}

/** UUID v5 of (mno, direction, windowEnd): also the Nats-Msg-Id (contract §6.4). */
export function qualityEventId(mno: string, direction: string, windowEndMs: number): string {
  return uuidv5(`${mno}|${direction}|${new Date(windowEndMs).toISOString()}`, EVENT_ID_NAMESPACE);
}

export interface OperatorQualityEvent {
  eventId: string;
  eventType: 'operator.quality.v1';
  occurredAt: string;
  windowStart: string;
  windowEnd: string;
  mno: string;
  direction: 'MT' | 'MO';
  deliveryRate: number | null;
  dlrLatencyP95: number | null;
  esmeErrorRate: number | null;
  sampleSize: number;
  /** Beyond the schema (it allows extra members): the newest DLR occurredAt the cubes held. */
  dataAsOf: string;
}

export interface SignalOptions {
  /** Below this many final DLRs (DLRs for the P95, CDRs for esmeErrorRate): null. */
  minSample: number;
  /** False when the CDR cube lags: esmeErrorRate is null rather than computed from part. */
  cdrsFresh: boolean;
  nowMs: number;
  dataAsOfMs: number;
}

const rate = (num: number, den: number, min: number) =>
  den >= min && den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null;

export function qualityEvent(
  row: OperatorQualityRow,
  w: QualityWindow,
  o: SignalOptions,
): OperatorQualityEvent {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    eventId: qualityEventId(row.mno, row.direction, w.endMs),
    eventType: 'operator.quality.v1',
    occurredAt: iso(o.nowMs),
    windowStart: iso(w.startMs),
    windowEnd: iso(w.endMs),
    mno: row.mno,
    direction: row.direction,
    deliveryRate: rate(row.delivered, row.final, o.minSample),
    dlrLatencyP95:
      row.p95LatencyMs !== null && row.dlrs >= o.minSample ? Math.round(row.p95LatencyMs) : null,
    esmeErrorRate: o.cdrsFresh ? rate(row.esmeErrors, row.cdrs, o.minSample) : null,
    sampleSize: row.final,
    dataAsOf: iso(o.dataAsOfMs),
  };
}
