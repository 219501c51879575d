/**
 * The publisher's reads: the cube builder's watermark, the newest fact folded into the cubes
 * by then per source (the DSL's dataAsOf rule), and the window's rows from the two cubes.
 */
import {
  readCubeWatermark,
  readDataAsOf,
  readOperatorQuality,
  type ClickHouseClient,
  type Topology,
} from '@anlyt/clickhouse';
import type { QualityStore } from '../use-cases/ports.js';

export function clickhouseQualityStore(
  ch: ClickHouseClient,
  t: Topology,
  cubeBuilder: string,
): QualityStore {
  return {
    async freshness() {
      const builtS = await readCubeWatermark(ch, t, cubeBuilder);
      if (builtS === 0) return { dlrAsOfMs: null, cdrAsOfMs: null };
      const [dlrAsOfMs, cdrAsOfMs] = await Promise.all([
        readDataAsOf(ch, t, 'dlr', builtS),
        readDataAsOf(ch, t, 'cdr', builtS),
      ]);
      return { dlrAsOfMs, cdrAsOfMs };
    },
    read: (w) => readOperatorQuality(ch, t, { fromMs: w.startMs, toMs: w.endMs }),
  };
}
