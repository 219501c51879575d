/** Contract §3's derived measures from summed window state. Counts arrive as decimal strings. */
import {
  SKETCH_RELATIVE_ACCURACY,
  sketchCount,
  sketchFromJson,
  sketchQuantile,
} from '@anlyt/domain';

/** delivered / (delivered + failed); null when there is no final DLR. */
export function deliveryRate(delivered: number, failed: number): number | null {
  return delivered + failed === 0 ? null : delivered / (delivered + failed);
}

export function errorRate(delivered: number, failed: number): number | null {
  return delivered + failed === 0 ? null : failed / (delivered + failed);
}

export function avgLatencyMs(sumMs: string, count: string): number | null {
  return Number(count) === 0 ? null : Math.round((Number(sumMs) / Number(count)) * 10) / 10;
}

/** P95 of the merged sketch with the bound and the sample it came from. */
export function p95(sketchJson: Record<string, number>) {
  const sketch = sketchFromJson(sketchJson);
  return {
    valueMs: sketchQuantile(sketch, 0.95),
    relativeErrorBound: SKETCH_RELATIVE_ACCURACY,
    sampleSize: sketchCount(sketch),
  };
}
