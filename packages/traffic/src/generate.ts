import type { TrafficConfig } from './config.js';
import { DiurnalTimes } from './diurnal.js';
import { Pipeline } from './pipeline.js';
import type { TrafficMessage } from './records.js';

/**
 * The deterministic data set for `cfg`: the same config always yields the same messages, in
 * the same order, byte for byte.
 *
 * Order: by emission time. Billed events at their (diurnal) time, each followed by its CDR
 * (and sometimes a BLOCKED message's CDR) when cfg.cdrs, each DLR `latencyMs` after its
 * billed event, refunds minutes to hours later; late billed events (and their follow-ups)
 * are emitted in this order but carry an occurredAt hours to days earlier. Duplicates,
 * conflicts and invalid payloads appear right after some valid message, and duplicates and
 * conflicts always after their original.
 */
export function* generateTraffic(cfg: TrafficConfig): Generator<TrafficMessage> {
  const pipeline = new Pipeline(cfg);
  const times = new DiurnalTimes(cfg.startMs, cfg.spanMs, cfg.messages);
  const out: TrafficMessage[] = [];
  for (let i = 0; i < cfg.messages; i++) {
    const t = times.next(pipeline.rng.open01());
    pipeline.release(t, out);
    pipeline.bill(t, cfg.startMs, out);
    for (const m of out) yield m;
    out.length = 0;
  }
  pipeline.drain(out);
  for (const m of out) yield m;
}
