/** The QueryStore port on ClickHouse (@anlyt/clickhouse's named statements). */
import { Readable } from 'node:stream';
import {
  dropQueryResultsBefore,
  insertQueryResult,
  readCubeWatermark,
  readDataAsOf,
  readQueryResultPage,
  streamDslRows,
  type ClickHouseClient,
  type Topology,
} from '@anlyt/clickhouse';
import type { QueryStore } from './run-query.use-case.js';

export interface ClickHouseQueryStoreOptions {
  /** The cube builder whose watermark says how far the cubes reach (anlyt-ingest's name). */
  cubeBuilder: string;
  maxExecutionTimeS: number;
  /** Writes and reads of stored results; default the same client (see main.ts for why not). */
  results?: ClickHouseClient;
}

export function clickhouseQueryStore(
  ch: ClickHouseClient,
  t: Topology,
  o: ClickHouseQueryStoreOptions,
): QueryStore {
  const rs = o.results ?? ch;
  return {
    async dataAsOf(dataset, source) {
      const facts = dataset === 'dlr' ? 'dlr' : 'cdr'; // compliance is read from the CDRs
      if (source === 'facts') return readDataAsOf(ch, t, facts);
      return readDataAsOf(ch, t, facts, await readCubeWatermark(ch, t, o.cubeBuilder));
    },
    rows: (sql) => streamDslRows(ch, sql, { maxExecutionTimeS: o.maxExecutionTimeS }),
    async saveResult(resultId, rows) {
      const values = Readable.from(
        (async function* () {
          for await (const r of rows) yield { resultId, rowNo: r.rowNo, row: r.row };
        })(),
      );
      await insertQueryResult(rs, t, values);
    },
    readResult: (resultId, afterRow, count) =>
      readQueryResultPage(rs, t, resultId, afterRow, count),
    async dropResultsBefore(dayMs) {
      await dropQueryResultsBefore(rs, t, dayMs);
    },
  };
}
