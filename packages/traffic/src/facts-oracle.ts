import { type CdrFact, type DlrFact, cdrFact, dlrFact } from './facts.js';
import {
  type CdrDailyRow,
  type ComplianceHourlyRow,
  type DlrHourlyRow,
  cdrDaily,
  complianceHourly,
  dlrDaily,
  dlrHourly,
} from './facts-rollups.js';
import type { Payload } from './payload-fields.js';
import type { TrafficMessage } from './records.js';

const decoder = new TextDecoder();

/**
 * The ground truth for the ClickHouse side (contract §6.1): DLR and CDR facts, and the
 * rollups built from them. Independent of any production code, like TrafficOracle: it
 * trusts the generator's class labels, keeps the first 'valid' message per eventId (a fact
 * is counted once however often it arrives), re-parses every payload and adds money as
 * bigint. Billed messages are not facts and are ignored. Rollups are recomputed from the
 * facts on every call: fresh maps, safe to mutate.
 */
export class FactsOracle {
  private readonly dlrs = new Map<string, DlrFact>();
  private readonly cdrs = new Map<string, CdrFact>();
  /** 'valid' messages ignored because their eventId had been seen already. */
  repeatsIgnored = 0;

  observe(m: TrafficMessage): void {
    if (m.kind === 'billed' || m.class !== 'valid') return;
    if (m.eventId === null) throw new Error('a valid message has no eventId');
    const facts: Map<string, DlrFact | CdrFact> = m.kind === 'dlr' ? this.dlrs : this.cdrs;
    if (facts.has(m.eventId)) {
      this.repeatsIgnored++;
      return;
    }
    const e = JSON.parse(decoder.decode(m.data)) as Payload;
    const fact = m.kind === 'dlr' ? dlrFact(e) : cdrFact(e);
    if (fact.eventId !== m.eventId)
      throw new Error(`eventId label ${m.eventId} differs from the payload`);
    facts.set(m.eventId, fact);
  }

  /** eventId → the winning DLR's fact (the live map: don't mutate it). */
  dlrFacts(): ReadonlyMap<string, Readonly<DlrFact>> {
    return this.dlrs;
  }

  /** eventId → the winning CDR's fact (the live map: don't mutate it). */
  cdrFacts(): ReadonlyMap<string, Readonly<CdrFact>> {
    return this.cdrs;
  }

  /** By (UTC hour, tenantId, mno, status, lane, direction); keys from dlrHourlyKey. */
  dlrHourly(): Map<string, DlrHourlyRow> {
    return dlrHourly(this.dlrs.values());
  }

  /** By (UTC day, tenantId, mno, status, lane, direction); keys from dlrHourlyKey. */
  dlrDaily(): Map<string, DlrHourlyRow> {
    return dlrDaily(this.dlrs.values());
  }

  /** By (UTC day, tenantId, mno, submitStatus, lane, direction); keys from cdrDailyKey. */
  cdrDaily(): Map<string, CdrDailyRow> {
    return cdrDaily(this.cdrs.values());
  }

  /** By (UTC hour, tenantId, mno, verdict, rule, lane, direction); complianceHourlyKey. */
  complianceHourly(): Map<string, ComplianceHourlyRow> {
    return complianceHourly(this.cdrs.values());
  }

  /** The largest occurredAt among the facts of a kind (what `dataAsOf` should reach). */
  maxOccurredAtMs(kind: 'dlr' | 'cdr'): number | null {
    let max: number | null = null;
    for (const f of (kind === 'dlr' ? this.dlrs : this.cdrs).values())
      if (max === null || f.occurredAtMs > max) max = f.occurredAtMs;
    return max;
  }
}
