import { DDSketch } from '@datadog/sketches-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SKETCH_RELATIVE_ACCURACY as ALPHA,
  type Sketch,
  SketchError,
  sketchAdd,
  sketchCount,
  sketchFromJson,
  sketchKey,
  sketchMerge,
  sketchQuantile,
  sketchToJson,
  ZERO_BIN,
} from '../src/index.js';
import { latencyArb, quantileArb } from './arbitraries.js';
import { oracleQuantile, oracleSketch } from './oracle.js';

function build(latencies: readonly number[]): Sketch {
  const s: Sketch = new Map();
  for (const x of latencies) sketchAdd(s, x);
  return s;
}

const latencies = fc.array(latencyArb, { maxLength: 200 });
const nonEmpty = fc.array(latencyArb, { minLength: 1, maxLength: 200 });

/** The documented guarantee: within α of the exact value at the same rank; zeros exact. */
function expectWithinBound(v: number | null, x: number): void {
  expect(v).not.toBeNull();
  if (x === 0) expect(v).toBe(0);
  else expect(Math.abs((v ?? NaN) - x)).toBeLessThanOrEqual(ALPHA * x);
}

describe('sketch bins', () => {
  it('puts 0 in ZERO_BIN and every contract latency ≥ 1 ms above it', () => {
    expect(sketchKey(0)).toBe(ZERO_BIN);
    expect(sketchKey(1)).toBe(0);
    expect(sketchKey(604_800_000)).toBe(1011);
  });

  it('bin value is within α of the latency, monotone in the latency (dense sample)', () => {
    // The full 1..604 800 000 range was checked once (≈ 40 s); here the low end and the top.
    const ranges: Array<[number, number]> = [
      [1, 100_000],
      [604_700_000, 604_800_000],
    ];
    for (const [lo, hi] of ranges) {
      let prev = sketchKey(lo);
      for (let x = lo; x <= hi; x++) {
        const key = sketchKey(x);
        const v = sketchQuantile(new Map([[key, 1]]), 0.5) ?? NaN;
        // Plain checks in the loop; expect() only on a failure, to keep 200k iterations fast.
        if (key < prev || Math.abs(v - x) > ALPHA * x) expect({ x, key, prev, v }).toBeNull();
        prev = key;
      }
    }
  });

  it('matches bins counted directly from the library mapping', () => {
    fc.assert(
      fc.property(latencies, (xs) => {
        expect(build(xs)).toEqual(oracleSketch(xs));
      }),
    );
  });

  it('sketchAdd with a count adds that many samples; 0 is a no-op; bad counts throw', () => {
    const s: Sketch = new Map();
    sketchAdd(s, 250, 3);
    sketchAdd(s, 250, 0);
    expect(s).toEqual(new Map([[sketchKey(250), 3]]));
    expect(() => sketchAdd(s, 250, -1)).toThrow(RangeError);
    expect(() => sketchAdd(s, 250, 1.5)).toThrow(RangeError);
  });
});

describe('sketchMerge', () => {
  it('equals the sketch of the concatenation, and leaves its inputs alone', () => {
    fc.assert(
      fc.property(latencies, latencies, (a, b) => {
        const sa = build(a);
        const sb = build(b);
        expect(sketchMerge(sa, sb)).toEqual(build([...a, ...b]));
        expect(sa).toEqual(build(a));
        expect(sb).toEqual(build(b));
        expect(sketchCount(sketchMerge(sa, sb))).toBe(a.length + b.length);
      }),
    );
  });

  it('is commutative and associative', () => {
    fc.assert(
      fc.property(latencies, latencies, latencies, (a, b, c) => {
        const [sa, sb, sc] = [build(a), build(b), build(c)];
        expect(sketchMerge(sa, sb)).toEqual(sketchMerge(sb, sa));
        expect(sketchMerge(sketchMerge(sa, sb), sc)).toEqual(sketchMerge(sa, sketchMerge(sb, sc)));
      }),
    );
  });
});

describe('sketchQuantile', () => {
  it('is null on an empty sketch and rejects q outside [0, 1]', () => {
    expect(sketchQuantile(new Map(), 0.95)).toBeNull();
    expect(() => sketchQuantile(build([1]), 1.01)).toThrow(RangeError);
    expect(() => sketchQuantile(build([1]), NaN)).toThrow(RangeError);
  });

  it('returns exactly 0 while the rank is among the zeros', () => {
    const s = build([0, 0, 0, 0, 500]);
    expect(sketchQuantile(s, 0.5)).toBe(0);
    expect(sketchQuantile(s, 0.75)).toBe(0);
    expectWithinBound(sketchQuantile(s, 1), 500);
  });

  it('is within α of the exact value at the same rank, for every q', () => {
    fc.assert(
      fc.property(nonEmpty, quantileArb, (xs, q) => {
        expectWithinBound(sketchQuantile(build(xs), q), oracleQuantile(xs, q));
      }),
      { numRuns: 300 },
    );
  });

  it('is within α for a window merged from per-hour sketches (never averaged P95s)', () => {
    fc.assert(
      fc.property(fc.array(nonEmpty, { minLength: 1, maxLength: 6 }), quantileArb, (hours, q) => {
        const merged = hours.map(build).reduce(sketchMerge);
        expectWithinBound(sketchQuantile(merged, q), oracleQuantile(hours.flat(), q));
      }),
    );
  });

  it("gives DDSketch's own answer (same mapping, same rank definition)", () => {
    fc.assert(
      fc.property(nonEmpty, quantileArb, (xs, q) => {
        const dd = new DDSketch({ relativeAccuracy: ALPHA });
        for (const x of xs) dd.accept(x);
        expect(sketchQuantile(build(xs), q)).toBe(dd.getValueAtQuantile(q));
      }),
    );
  });
});

describe('sketch JSON (the jsonb column)', () => {
  it('round-trips, with decimal-string integer keys', () => {
    fc.assert(
      fc.property(latencies, (xs) => {
        const json = sketchToJson(build(xs));
        for (const k of Object.keys(json)) expect(k).toMatch(/^-?\d+$/);
        expect(sketchFromJson(JSON.parse(JSON.stringify(json)))).toEqual(build(xs));
      }),
    );
  });

  it('summing two JSON objects key by key (what SQL does) equals sketchMerge', () => {
    fc.assert(
      fc.property(latencies, latencies, (a, b) => {
        const sum: Record<string, number> = {};
        for (const o of [sketchToJson(build(a)), sketchToJson(build(b))]) {
          for (const [k, v] of Object.entries(o)) sum[k] = (sum[k] ?? 0) + v;
        }
        expect(sketchFromJson(sum)).toEqual(sketchMerge(build(a), build(b)));
      }),
    );
  });

  it('stores zeros under "-1000000"', () => {
    expect(sketchToJson(build([0, 0, 1]))).toEqual({ '-1000000': 2, '0': 1 });
  });

  it.each([
    [{ '1.5': 1 }],
    [{ abc: 1 }],
    [{ '01': 1 }],
    [{ '-0': 1 }],
    [{ '1': -1 }],
    [{ '1': 0.5 }],
    [{ '1': '2' }],
  ])('rejects %j', (o) => {
    expect(() => sketchFromJson(o)).toThrow(SketchError);
  });

  it('drops zero counts so equal sketches compare equal', () => {
    expect(sketchFromJson({ '3': 0, '4': 2 })).toEqual(new Map([[4, 2]]));
  });
});
