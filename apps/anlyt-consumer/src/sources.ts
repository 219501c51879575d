/** The two sources this deployable consumes, and how each one's batches are applied. */
import { foldBilling, foldDlr } from '@anlyt/domain';
import { decodeBilled, decodeDlr } from '@anlyt/events';
import type { Sql } from '@anlyt/pg';
import { billingStore, dlrStore } from './adapters/pg-stores.js';
import type { Config } from './config.js';
import { ApplyEventBatchUseCase } from './use-cases/apply-event-batch.use-case.js';
import type { OriginalMessages } from './use-cases/ports.js';

export type Source = 'billing' | 'dlr';

export function topologyOf(cfg: Config, name: Source) {
  return name === 'billing'
    ? { stream: cfg.BILLING_STREAM, subject: cfg.BILLING_SUBJECT, durable: cfg.BILLING_DURABLE }
    : { stream: cfg.DLR_STREAM, subject: cfg.DLR_SUBJECT, durable: cfg.DLR_DURABLE };
}

export function applyUseCaseFor(
  name: Source,
  cfg: Config,
  sql: Sql,
  originals: OriginalMessages,
): Pick<ApplyEventBatchUseCase<{ eventId: string }, unknown>, 'execute'> {
  return name === 'billing'
    ? new ApplyEventBatchUseCase({
        decode: (data) => decodeBilled(data, cfg.ANLYT_SETTLEMENT_CURRENCY),
        fold: foldBilling,
        store: billingStore(sql),
        originals,
      })
    : new ApplyEventBatchUseCase({
        decode: decodeDlr,
        fold: foldDlr,
        store: dlrStore(sql),
        originals,
      });
}
