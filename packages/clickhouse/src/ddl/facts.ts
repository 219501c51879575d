// The fact tables (contract §6.1): one row per event, every contract field except msisdn.
// - Money is Int64 micro-units (18.16's Decimal I/O is lossy through JSON); instants are
//   epoch milliseconds (18.16 has no DateTime64) next to the UTC `hour` bucket they fall in.
// - Partitioned by month; ordered by (tenantId, hour, eventId): tenant-scoped time ranges read
//   a narrow slice, and copies of one event share the whole sorting key, so ReplacingMergeTree
//   collapses them (AC4).
// - `ver` makes the copy with the LOWER stream sequence win a merge or a FINAL read — the
//   same "first in the stream wins" rule as the Postgres ledger (conflict-rule.ts).
// - `payloadHash` (the decoder's hash of the contract fields, msisdn excluded) tells a
//   redelivery from a conflict without reading the payload back.
import { DELIVERY_STATUS, DIRECTION, LANE, SUBMIT_STATUS, VERDICT } from './enums.js';
import type { TableSpec } from './topology.js';

const COPY_COLUMNS = [
  'streamSeq UInt64',
  'ver UInt64 MATERIALIZED 18446744073709551615 - streamSeq',
  'payloadHash UInt64',
  "insertedAt DateTime('UTC') DEFAULT now()",
];

export const FACTS_DLR: TableSpec = {
  name: 'facts_dlr',
  columns: [
    'eventId UUID',
    'tenantId String',
    "hour DateTime('UTC')",
    'occurredAtMs UInt64',
    'messageId String',
    'mno String',
    `status ${DELIVERY_STATUS}`,
    'errorCode Nullable(String)',
    'latencyMs UInt32',
    'submittedAtMs UInt64',
    `direction ${DIRECTION}`,
    `lane ${LANE}`,
    'destinationPrefix String',
    ...COPY_COLUMNS,
  ],
  family: 'ReplacingMergeTree',
  engineArgs: ['ver'],
  partitionBy: 'toYYYYMM(hour)',
  orderBy: '(tenantId, hour, eventId)',
};

export const FACTS_CDR: TableSpec = {
  name: 'facts_cdr',
  columns: [
    'eventId UUID',
    'tenantId String',
    "hour DateTime('UTC')",
    'occurredAtMs UInt64',
    'messageId String',
    'mno String',
    `direction ${DIRECTION}`,
    `lane ${LANE}`,
    'destinationPrefix String',
    'senderId String',
    'segments UInt8',
    'amountMicros Int64',
    'currency FixedString(3)',
    `submitStatus ${SUBMIT_STATUS}`,
    'esmeErrorCode Nullable(String)',
    `verdict ${VERDICT}`,
    'rule Nullable(String)',
    ...COPY_COLUMNS,
  ],
  family: 'ReplacingMergeTree',
  engineArgs: ['ver'],
  partitionBy: 'toYYYYMM(hour)',
  orderBy: '(tenantId, hour, eventId)',
};
