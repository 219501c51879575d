/** The CubeStore port on ClickHouse (@anlyt/clickhouse's named statements). */
import {
  alignDerivedCubes,
  oldestMarkAfter,
  readCubeWatermark,
  readDirtyDays,
  rebuildCubeDay,
  serverNowS,
  writeCubeWatermark,
  type ClickHouseClient,
  type Topology,
} from '@anlyt/clickhouse';
import type { CubeStore } from '../use-cases/build-cubes.use-case.js';

export function clickhouseCubes(ch: ClickHouseClient, t: Topology, builder: string): CubeStore {
  // Build versions: this process's clock in ms, strictly increasing, 2 apart (a build's
  // tombstones take version − 1). A later build of a day must carry a higher version; two
  // builders are ordered by their clocks (docs/decisions.md).
  let last = 0;
  const nextVersion = () => (last = Math.max(Date.now(), last + 2));
  return {
    nowS: () => serverNowS(ch),
    readWatermark: () => readCubeWatermark(ch, t, builder),
    writeWatermark: (s) => writeCubeWatermark(ch, t, builder, s),
    dirtyDays: (sinceS) => readDirtyDays(ch, t, sinceS),
    oldestMarkAfter: (afterS) => oldestMarkAfter(ch, t, afterS),
    rebuild: (source, dayMs) => rebuildCubeDay(ch, t, source, dayMs, nextVersion()),
    alignDerived: async () => void (await alignDerivedCubes(ch, t)),
  };
}
