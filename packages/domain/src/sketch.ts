// Mergeable latency sketch: DDSketch's logarithmic bins without its dense store, so the
// state is a plain sparse map that Postgres can keep in a jsonb column and merge with SQL.
//
// Guarantee (α = SKETCH_RELATIVE_ACCURACY = 0.01): for any q in [0, 1], sketchQuantile
// returns v with |v − x| ≤ α·x, where x is the exact latency at rank floor(q·(n−1)) of the
// sorted latencies, for x ≥ 1 ms; when x is 0 the answer is exactly 0. Why it holds:
// - a bin key is ceil(log_γ(x)) with γ = (1+α)/(1−α), and value(key) = 2γ^key/(1+γ) is
//   within α of every x in (γ^(key−1), γ^key]; checked once, exhaustively, in doubles for
//   every integer 1..604 800 000 ms (the contract's range; keys 0..1011), tests re-sample it;
// - keys are monotone in x (checked in the same pass), so walking bins in key order walks the sorted latencies, and the
//   bin whose cumulative count first exceeds rank q·(n−1) holds the element at floor(rank);
// - merge adds counts per key, which is exact, associative and commutative, so the sketch of
//   any window (merge of hourly sketches) equals the sketch of all its latencies.

// The package root only exports DDSketch; the mappings live under dist. The version is
// pinned (2.1.1) and has no `exports` map, so this path is stable and Node resolves it.
import { LogarithmicMapping } from '@datadog/sketches-js/dist/ddsketch/mapping/index.js';

export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** Bin key → count (a positive integer). Keys with no samples are absent, never 0. */
export type Sketch = Map<number, number>;

/**
 * Reserved key for latency 0 (and anything ≤ the mapping's smallest indexable value). It
 * sorts below every real key (the smallest real key, for ~1e-308, is about −35 450), so
 * zeros come first in rank order, and its value is exactly 0.
 */
export const ZERO_BIN = -1_000_000;

const mapping = new LogarithmicMapping(SKETCH_RELATIVE_ACCURACY);
const MIN_INDEXABLE = mapping.minPossible;

/** Thrown by sketchFromJson for state that no sketch function could have produced. */
export class SketchError extends Error {
  readonly code = 'INVALID_SKETCH';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'SketchError';
  }
}

/** The bin a latency falls in. Latencies are validated upstream (integer 0..604800000). */
export function sketchKey(latencyMs: number): number {
  return latencyMs > MIN_INDEXABLE ? mapping.key(latencyMs) : ZERO_BIN;
}

/** The representative latency of a bin: within α of every latency ≥ 1 ms mapped to it. */
export function sketchBinValue(key: number): number {
  return key === ZERO_BIN ? 0 : mapping.value(key);
}

/** Adds `count` samples to bin `key` in place (the fold computes the key once per event). */
export function sketchAddKey(s: Sketch, key: number, count = 1): void {
  if (count === 0) return;
  s.set(key, (s.get(key) ?? 0) + count);
}

/** Adds `count` samples of `latencyMs` to `s` in place. */
export function sketchAdd(s: Sketch, latencyMs: number, count = 1): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`sketch count must be a non-negative integer, got ${count}`);
  }
  sketchAddKey(s, sketchKey(latencyMs), count);
}

/** Adds every bin of `src` into `target` in place. */
export function sketchMergeInto(target: Sketch, src: Sketch): void {
  for (const [key, count] of src) target.set(key, (target.get(key) ?? 0) + count);
}

/** a ⊕ b as a new map; neither input changes. Exact, associative and commutative. */
export function sketchMerge(a: Sketch, b: Sketch): Sketch {
  const out = new Map(a);
  sketchMergeInto(out, b);
  return out;
}

/** Number of samples in the sketch. */
export function sketchCount(s: Sketch): number {
  let n = 0;
  for (const c of s.values()) n += c;
  return n;
}

/**
 * The latency at quantile q (0 ≤ q ≤ 1), null when the sketch is empty. Same rank as
 * DDSketch's getValueAtQuantile: rank = q·(n−1), the first bin (ascending key) whose
 * cumulative count exceeds rank.
 */
export function sketchQuantile(s: Sketch, q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const n = sketchCount(s);
  if (n === 0) return null;
  const rank = q * (n - 1);
  const keys = [...s.keys()].sort((x, y) => x - y);
  let seen = 0;
  for (const key of keys) {
    seen += s.get(key) ?? 0;
    if (seen > rank) return sketchBinValue(key);
  }
  // Unreachable: seen ends at n > rank. Kept total for the type checker.
  return sketchBinValue(keys[keys.length - 1] ?? ZERO_BIN);
}

/**
 * The jsonb form: {"<key>": count}. Keys are the integer keys in decimal so SQL can sum two
 * sketches key by key (jsonb_each + GROUP BY key). Written in ascending key order.
 */
export function sketchToJson(s: Sketch): Record<string, number> {
  const keys = [...s.keys()].sort((x, y) => x - y);
  return Object.fromEntries(keys.map((k) => [String(k), s.get(k) ?? 0]));
}

const KEY_RE = /^(0|-?[1-9][0-9]{0,8})$/;

/** Parses the jsonb form back; zero counts are dropped so equal sketches compare equal. */
export function sketchFromJson(o: Readonly<Record<string, unknown>>): Sketch {
  const s: Sketch = new Map();
  for (const [k, v] of Object.entries(o)) {
    if (!KEY_RE.test(k)) throw new SketchError(`bad sketch key ${JSON.stringify(k)}`);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new SketchError(`bad count for sketch key ${k}`);
    }
    if (v > 0) s.set(Number(k), v);
  }
  return s;
}
