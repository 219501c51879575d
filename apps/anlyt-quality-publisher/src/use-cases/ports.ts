import type { OperatorQualityRow } from '@anlyt/clickhouse';
import type { OperatorQualityEvent, QualityWindow } from '../signal.js';

/** What the cubes hold: the newest occurredAt folded into them, per source (null: nothing). */
export interface CubeFreshness {
  dlrAsOfMs: number | null;
  cdrAsOfMs: number | null;
}

export interface QualityStore {
  freshness(): Promise<CubeFreshness>;
  read(w: QualityWindow): Promise<OperatorQualityRow[]>;
}

export interface QualityBus {
  /** Publishes with Nats-Msg-Id = eventId; true when JetStream stored it, false: a duplicate. */
  publish(e: OperatorQualityEvent): Promise<boolean>;
}
