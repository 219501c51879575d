/** The two sources this deployable ingests, and the use case each one's batches go through. */
import type { ClickHouseClient, Topology } from '@anlyt/clickhouse';
import type { OriginalMessages } from '@anlyt/nats';
import { clickhouseFacts } from './adapters/clickhouse-facts.js';
import { cdrFact, dlrFact } from './adapters/fact-rows.js';
import type { Config } from './config.js';
import { IngestBatchUseCase } from './use-cases/ingest-batch.use-case.js';

export type Source = 'dlr' | 'cdr';

export function topologyOf(cfg: Config, name: Source) {
  return name === 'dlr'
    ? { stream: cfg.DLR_STREAM, subject: cfg.DLR_SUBJECT, durable: cfg.DLR_DURABLE }
    : { stream: cfg.CDR_STREAM, subject: cfg.CDR_SUBJECT, durable: cfg.CDR_DURABLE };
}

export function chTopology(cfg: Config): Topology {
  return { database: cfg.CLICKHOUSE_DATABASE, cluster: cfg.CLICKHOUSE_CLUSTER || null };
}

const withSeq = <R extends { streamSeq: string }>(row: R, seq: number): R => ({
  ...row,
  streamSeq: String(seq),
});

export function ingestUseCaseFor(
  name: Source,
  cfg: Config,
  ch: ClickHouseClient,
  originals: OriginalMessages,
): Pick<IngestBatchUseCase<unknown>, 'execute'> {
  const t = chTopology(cfg);
  return name === 'dlr'
    ? new IngestBatchUseCase({
        source: name,
        toFact: dlrFact,
        withSeq,
        store: clickhouseFacts(ch, t, 'dlr'),
        originals,
      })
    : new IngestBatchUseCase({
        source: name,
        toFact: (data) => cdrFact(data, cfg.ANLYT_SETTLEMENT_CURRENCY),
        withSeq,
        store: clickhouseFacts(ch, t, 'cdr'),
        originals,
      });
}
