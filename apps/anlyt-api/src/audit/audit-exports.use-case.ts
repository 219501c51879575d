/**
 * POST /v1/anlyt/audit/exports and GET …/exports/:id (US-ANLYT-15, contract §6.3): the same
 * slice as an audit query, without its row cap, written in the background as gzipped NDJSON
 * (one fact per line, the query's exact lines) to S3-compatible storage.
 * - State lives in PostgreSQL (ExportStore) so any replica answers the status.
 * - A running export beats (rows so far + heartbeat) every `heartbeatMs`. One whose heartbeat
 *   is older than `staleAfterS` belonged to a process that stopped (crash, kill, redeploy):
 *   it is marked FAILED — at start and before every status read — and never resumed: a
 *   multipart upload cannot be continued by another process without its state, and a new
 *   export of the same body is one call away. Its half-written upload is left to the bucket's
 *   abort-incomplete-multipart-upload lifecycle rule.
 * - A failure (ClickHouse, S3, the bucket missing) → FAILED with its message, logged.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Logger } from '@anlyt/observability';
import { sliceOf, type AuditBody, type AuditFacts } from './audit-query.use-case.js';

export type ExportStatus = 'RUNNING' | 'DONE' | 'FAILED';

export interface ExportRecord {
  id: string;
  tenantId: string;
  status: ExportStatus;
  rows: number;
  objectUri: string;
}

/** The port to the exports' state (adapter: pg-audit-store.ts). */
export interface ExportStore {
  create(x: {
    id: string;
    tenantId: string;
    dataset: string;
    fromMs: number;
    toMs: number;
    callerSub: string;
    certSubject: string;
    objectUri: string;
  }): Promise<void>;
  heartbeat(id: string, rows: number): Promise<void>;
  finish(id: string, o: { status: 'DONE' | 'FAILED'; rows: number; error?: string }): Promise<void>;
  failAbandoned(staleAfterS: number): Promise<number>;
  read(id: string): Promise<ExportRecord | null>;
}

/** The port to the object storage (adapter: s3-object-store.ts). */
export interface ObjectStore {
  readonly bucket: string;
  /** Uploads the stream as the object `key`; resolves once it is stored whole. */
  put(key: string, body: Readable, contentType: string): Promise<void>;
}

export interface ExportDeps {
  facts: AuditFacts;
  store: ExportStore;
  /** Null: no storage configured; exports are refused (the route answers 503). */
  objects: ObjectStore | null;
  log: Logger;
  heartbeatMs?: number;
  staleAfterS?: number;
  onFinished?: (status: 'DONE' | 'FAILED', rows: number) => void;
}

export class ExportsUnavailable extends Error {
  constructor() {
    super('no export storage is configured (AUDIT_S3_BUCKET)');
    this.name = 'ExportsUnavailable';
  }
}

export class AuditExportsUseCase {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly heartbeatMs: number;
  readonly staleAfterS: number;

  constructor(private readonly d: ExportDeps) {
    this.heartbeatMs = d.heartbeatMs ?? 10_000;
    this.staleAfterS = d.staleAfterS ?? 60;
  }

  /** Records the export RUNNING and starts it in the background; resolves with its id. */
  async start(
    body: AuditBody,
    who: { callerSub: string; certSubject: string },
    nowMs: number,
  ): Promise<{ id: string }> {
    const slice = sliceOf(body, nowMs);
    const objects = this.d.objects;
    if (!objects) throw new ExportsUnavailable();
    const id = randomUUID();
    // tenantId and dataset passed their schemas: safe path segments.
    const key = `audit/${slice.tenantId}/${slice.dataset}/${id}.ndjson.gz`;
    await this.d.store.create({
      id,
      ...slice,
      ...who,
      objectUri: `s3://${objects.bucket}/${key}`,
    });
    const abort = new AbortController();
    const done = this.run(id, key, objects, abort, () => this.d.facts.stream(slice, abort.signal));
    this.running.set(id, { abort, done });
    void done.finally(() => this.running.delete(id));
    return { id };
  }

  /** The export's state, after marking abandoned ones FAILED (so any replica tells the truth). */
  async status(id: string): Promise<ExportRecord | null> {
    await this.d.store.failAbandoned(this.staleAfterS);
    return this.d.store.read(id);
  }

  /** Marks exports abandoned by stopped processes FAILED (call at start). */
  sweep(): Promise<number> {
    return this.d.store.failAbandoned(this.staleAfterS);
  }

  /** Shutdown: stops the running exports (each ends FAILED) and waits for them. */
  async stop(): Promise<void> {
    const all = [...this.running.values()];
    for (const r of all) r.abort.abort(new Error('the API is shutting down'));
    await Promise.allSettled(all.map((r) => r.done));
  }

  private async run(
    id: string,
    key: string,
    objects: ObjectStore,
    abort: AbortController,
    chunks: () => AsyncIterable<{ text: string; rows: number }>,
  ): Promise<void> {
    let rows = 0;
    const beat = setInterval(() => {
      this.d.store.heartbeat(id, rows).catch((err: unknown) => {
        this.d.log.warn({ exportId: id, err: String(err) }, 'audit export heartbeat failed');
      });
    }, this.heartbeatMs);
    try {
      const lines = Readable.from(
        (async function* () {
          for await (const c of chunks()) {
            rows += c.rows;
            yield c.text;
          }
        })(),
      );
      const gzip = createGzip();
      try {
        await Promise.all([
          pipeline(lines, gzip, { signal: abort.signal }),
          objects.put(key, gzip, 'application/gzip'),
        ]);
      } catch (err) {
        abort.abort(err); // whichever side failed, stop the other (and the ClickHouse read)
        throw err;
      }
      await this.d.store.finish(id, { status: 'DONE', rows });
      this.d.onFinished?.('DONE', rows);
      this.d.log.info({ exportId: id, rows }, 'audit export done');
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.d.log.error({ exportId: id, rows, err: error }, 'audit export failed');
      await this.d.store
        .finish(id, { status: 'FAILED', rows, error: error.slice(0, 1000) })
        .catch((e: unknown) =>
          this.d.log.error({ exportId: id, err: String(e) }, 'could not mark the export FAILED'),
        );
      this.d.onFinished?.('FAILED', rows);
    } finally {
      clearInterval(beat);
    }
  }
}
