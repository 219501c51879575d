/** The audit use cases' ports on ClickHouse, PostgreSQL and S3 (named statements live in
 *  @anlyt/clickhouse and @anlyt/pg). */
import { Upload } from '@aws-sdk/lib-storage';
import { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import {
  countAuditFacts,
  streamAuditFacts,
  type ClickHouseClient,
  type Topology,
} from '@anlyt/clickhouse';
import {
  appendAuditLog,
  failAbandonedAuditExports,
  finishAuditExport,
  heartbeatAuditExport,
  insertAuditExport,
  readAuditExport,
  type AuditLogEntry,
  type Sql,
} from '@anlyt/pg';
import type { AuditFacts } from './audit-query.use-case.js';
import type { ExportStore, ObjectStore } from './audit-exports.use-case.js';

export function clickhouseAuditFacts(ch: ClickHouseClient, t: Topology): AuditFacts {
  return {
    count: (s) => countAuditFacts(ch, t, s),
    stream: (s, signal) => streamAuditFacts(ch, t, s, { signal }),
  };
}

export function pgExportStore(sql: Sql): ExportStore {
  return {
    create: (x) => insertAuditExport(sql, x),
    heartbeat: (id, rows) => heartbeatAuditExport(sql, id, rows),
    finish: (id, o) => finishAuditExport(sql, id, o),
    failAbandoned: (staleAfterS) => failAbandonedAuditExports(sql, staleAfterS),
    read: (id) => readAuditExport(sql, id),
  };
}

export type AuditLogWriter = (e: AuditLogEntry) => Promise<void>;

export const pgAuditLog =
  (sql: Sql): AuditLogWriter =>
  (e) =>
    appendAuditLog(sql, e);

export interface S3Settings {
  bucket: string;
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Part size of the multipart upload: S3's minimum, so at most ~2 parts are in memory. */
export const PART_SIZE = 5 * 2 ** 20;

export function s3ObjectStore(s: S3Settings): ObjectStore & { close(): void } {
  const client = new S3Client({
    region: s.region,
    // A custom endpoint (s3rver, MinIO) is addressed by path, not by bucket host name.
    ...(s.endpoint ? { endpoint: s.endpoint, forcePathStyle: true } : {}),
    ...(s.credentials ? { credentials: s.credentials } : {}),
  });
  return {
    bucket: s.bucket,
    async put(key: string, body: Readable, contentType: string) {
      const upload = new Upload({
        client,
        params: { Bucket: s.bucket, Key: key, Body: body, ContentType: contentType },
        partSize: PART_SIZE,
        queueSize: 1,
        leavePartsOnError: false,
      });
      await upload.done();
    },
    close: () => client.destroy(),
  };
}
