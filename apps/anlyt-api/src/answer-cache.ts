/**
 * Answers whose window has not changed since they were computed, served without recomputing
 * or re-serialising them.
 *
 * Dashboards ask the same questions over closed days again and again (last 30 / 90 days,
 * yesterday); computing one means summing up to 90 daily rows with their latency sketches
 * and serialising up to 2 160 points, and at 20 concurrent callers on a small node that CPU
 * is what makes requests queue (docs/benchmarks.md). The data behind such an answer changes
 * only when an event (on time, late or replayed) is folded into one of the window's hours.
 *
 * Per request this costs one small query (`readWindowVersion`: the window's version and the
 * watermarks), always made, so:
 *   - an answer is reused only while the window's version is the one it was computed at:
 *     never stale, whatever wrote to the aggregates; a window that ends now misses while
 *     traffic flows, which is right (its answer changed);
 *   - `dataAsOf` / `lagSeconds` are read fresh on every request and spliced in, never cached;
 *   - the version is read BEFORE the answer is computed, so a cached answer can only be newer
 *     than its version (then the next request sees another version and recomputes), never
 *     older.
 * Access checks run before this (route onRequest hooks and handlers), and every key names the
 * scope it belongs to (account id, operator id), so one caller's answer is never served to a
 * caller who may not see it. The body is the route's own schema serialisation (its
 * allow-list), cached as the JSON text before the freshness fields.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { LRUCache } from 'lru-cache';
import { Counter, Gauge } from 'prom-client';
import type { Registry } from '@anlyt/observability';
import { readWindowVersion, type Sql } from '@anlyt/pg';

export interface Freshness {
  dataAsOf: Record<string, string | null>;
  lagSeconds: number | null;
}

/** A route's 200 body without the freshness fields: what `compute` returns. */
export type BodyOf<S extends TSchema> = Omit<Static<S>, 'dataAsOf' | 'lagSeconds'>;

export interface Answer<B extends object> {
  /** Route label for the hit/miss metric. */
  route: string;
  /** Everything the body depends on besides the data (route, scope id, window, options). */
  key: string;
  /** The hours the answer reads (effective window). */
  window: { fromMs: number; toMs: number };
  nowMs: number;
  /** The freshness fields, which the route's schema must list last. */
  freshness: (marks: ReadonlyMap<string, string>, nowMs: number) => Freshness;
  /** The body without the freshness fields, read through `sql` (one reserved connection). */
  compute: (sql: Sql) => Promise<B>;
}

const JSON_MEDIA = 'application/json';
const JSON_TYPE = `${JSON_MEDIA}; charset=utf-8`;

interface Entry {
  version: string;
  /** The serialised body up to (not including) `,"dataAsOf":…}`. */
  head: string;
}

export class AnswerCache {
  private readonly lru: LRUCache<string, Entry> | null;
  private readonly served: Counter<'route' | 'result'>;

  /** `maxBytes` 0 disables reuse (every answer is computed; the version is still read). */
  constructor(
    private readonly sql: Sql,
    opts: { maxBytes: number; registry: Registry },
  ) {
    this.lru =
      opts.maxBytes > 0
        ? new LRUCache<string, Entry>({
            maxSize: opts.maxBytes,
            sizeCalculation: (e, k) => 2 * (e.head.length + k.length + e.version.length) + 64,
          })
        : null;
    this.served = new Counter({
      name: 'anlyt_api_answer_cache_requests_total',
      help: 'Analytics answers by route and whether they were reused (hit) or computed (miss)',
      labelNames: ['route', 'result'] as const,
      registers: [opts.registry],
    });
    const lru = this.lru;
    new Gauge({
      name: 'anlyt_api_answer_cache_bytes',
      help: 'Approximate memory held by cached answers',
      registers: [opts.registry],
      collect() {
        this.set(lru?.calculatedSize ?? 0);
      },
    });
  }

  /** Sends the answer (cached or computed) as JSON on `reply`. */
  async send<B extends object>(reply: FastifyReply, a: Answer<B>): Promise<FastifyReply> {
    const kept = this.lru?.get(a.key);
    // One connection for the version and the computation: statements on one connection run
    // in order, each from a snapshot no older than the one before, so a computed answer is
    // never older than the version it is kept with. A key not kept is a miss whatever the
    // version, so its queries are sent at once, pipelined behind the version read (one
    // socket write instead of several: the API's CPU went mostly to those writes).
    const conn = await this.sql.reserve();
    try {
      const versionRead = readWindowVersion(conn, a.window);
      const early = kept ? null : a.compute(conn);
      early?.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
      const { version, marks } = await versionRead;
      const fresh = a.freshness(marks, a.nowMs);
      const tail = freshnessTail(fresh);
      if (kept && kept.version === version) {
        this.served.inc({ route: a.route, result: 'hit' });
        return reply.type(JSON_TYPE).send(kept.head + tail);
      }
      const body = await (early ?? a.compute(conn));
      // The route's response schema serialiser: its allow-list applies to what is kept too.
      const json = serializeOk(reply, { ...body, ...fresh } as Record<string, unknown>);
      // Kept only if the schema put the freshness fields last, serialised as JSON.stringify
      // does; otherwise answered without keeping rather than spliced wrongly.
      if (this.lru && json.endsWith(tail)) {
        this.lru.set(a.key, { version, head: json.slice(0, json.length - tail.length) });
      }
      this.served.inc({ route: a.route, result: 'miss' });
      return reply.type(JSON_TYPE).send(json);
    } catch (err) {
      // A failed statement can leave this request's others in flight on the connection
      // (`early` when the version read failed, the rest of a compute's Promise.all). Released
      // like that, postgres.js handed the connection to the next request while it was still
      // mid-way through them, and that request got their errors and rows in place of its own
      // (answer-cache-faults.spec.ts). Statements on one connection are answered in order, so
      // one more round trip waits until every statement sent before it has been answered.
      await conn`select 1`.catch(() => {});
      throw err;
    } finally {
      conn.release();
    }
  }
}

/**
 * The body as the route's 200 application/json serialiser writes it. Routes declare their
 * responses per media type (schemas/responses.ts), which `reply.serialize` cannot pick (it
 * knows no media type before the reply has one). A route without a response schema (tests)
 * gets JSON.stringify, as `reply.serialize` would; one whose 200 is declared for other media
 * types only is a bug, not something to send unchecked.
 */
function serializeOk(reply: FastifyReply, body: Record<string, unknown>): string {
  const serialize =
    reply.getSerializationFunction('200', JSON_MEDIA) ?? reply.getSerializationFunction('200');
  if (typeof serialize === 'function') return serialize(body);
  if (serialize === undefined) return JSON.stringify(body);
  throw new Error('the route declares no application/json serialiser for its 200');
}

/** `,"dataAsOf":{…},"lagSeconds":…}` — how a body ends when freshness is its last fields. */
function freshnessTail(f: Freshness): string {
  return `,"dataAsOf":${JSON.stringify(f.dataAsOf)},"lagSeconds":${JSON.stringify(f.lagSeconds)}}`;
}
