// Tables of the query DSL (contract §6.2).
import type { TableSpec } from './topology.js';

/**
 * A query result of more than one page, stored once so that every page is read from the same
 * computation (rows arriving between pages never shift them). `row` is the response row as
 * JSON. Kept per UTC day of creation: partitions older than the cursors' lifetime are dropped.
 */
export const QUERY_RESULTS: TableSpec = {
  name: 'query_results',
  columns: [
    'resultId String',
    'rowNo UInt32',
    'row String',
    "createdAt DateTime('UTC') DEFAULT now()",
  ],
  family: 'MergeTree',
  partitionBy: 'toYYYYMMDD(createdAt)',
  orderBy: '(resultId, rowNo)',
};

/**
 * How far each source's facts reach: written by anlyt-ingest after every batch (after its
 * facts and dirty marks), the largest occurredAt of the batch. The DSL's dataAsOf: for the
 * facts, the largest of all; for the cubes, the largest written before the cube builder's
 * watermark (those batches' marks were read, so their facts are in the cubes).
 */
export const INGEST_WATERMARK: TableSpec = {
  name: 'ingest_watermark',
  columns: [
    "source Enum8('dlr' = 1, 'cdr' = 2)",
    'maxOccurredAtMs UInt64',
    "markedAt DateTime('UTC') DEFAULT now()",
  ],
  family: 'MergeTree',
  partitionBy: 'toYYYYMM(markedAt)',
  orderBy: '(source, markedAt)',
};
