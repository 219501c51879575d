/**
 * Replays one source's dead letters through the live apply path once their cause is fixed
 * (docs/runbooks/dead-letters.md). Configured like anlyt-consumer (same environment), plus:
 *
 *   node apps/anlyt-consumer/dist/bin/replay-dead-letters.js --source billing|dlr
 *        [--reason invalid,rejected,quarantined,conflict,displaced] [--from-seq N] [--to-seq M]
 *        [--dry-run]
 *
 * Prints one JSON report line: letters seen, applied, found to be duplicates (both removed from
 * the DLQ), still refused (kept, with the reason they get now), unreadable (truncated letters
 * whose original has left its stream). Safe to run twice, and next to running consumers.
 */
import { parseArgs } from 'node:util';
import {
  connectNats,
  deadLetterPublisher,
  jetstream,
  jetstreamManager,
  streamOriginals,
} from '@anlyt/nats';
import { createSql } from '@anlyt/pg';
import { jetStreamDlq } from '../adapters/dlq-reader.js';
import { loadConfig } from '../config.js';
import { applyUseCaseFor, topologyOf, type Source } from '../sources.js';
import { ReplayDeadLettersUseCase } from '../use-cases/replay-dead-letters.use-case.js';

const { values: args } = parseArgs({
  options: {
    source: { type: 'string' },
    reason: { type: 'string' },
    'from-seq': { type: 'string' },
    'to-seq': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const source = args.source as Source;
if (source !== 'billing' && source !== 'dlr') {
  console.error('--source billing|dlr is required');
  process.exit(2);
}
const seqArg = (v: string | undefined) => (v === undefined ? undefined : Number(v));

const cfg = loadConfig();
const sql = createSql(cfg.DATABASE_URL, { max: 2, applicationName: 'anlyt-replay' });
const nc = await connectNats(cfg.NATS_URL, 'anlyt-replay');
try {
  const jsm = await jetstreamManager(nc);
  const { stream } = topologyOf(cfg, source);
  const deadLetter = deadLetterPublisher(jetstream(nc), {
    subject: `${cfg.DLQ_SUBJECT_PREFIX}.${source}`,
    maxPayload: nc.info?.max_payload ?? 1024 * 1024,
  });
  const originals = streamOriginals(jsm, stream, deadLetter);
  const useCase = applyUseCaseFor(source, cfg, sql, originals);
  const replay = new ReplayDeadLettersUseCase({
    dlq: jetStreamDlq(jsm, {
      stream: cfg.DLQ_STREAM,
      subject: `${cfg.DLQ_SUBJECT_PREFIX}.${source}`,
      fromSeq: seqArg(args['from-seq']),
      toSeq: seqArg(args['to-seq']),
    }),
    original: async (seq) => (await originals.load(seq))?.data ?? null,
    apply: (batch) => useCase.execute(batch),
  });
  const report = await replay.execute({
    kinds: args.reason === undefined ? null : new Set(args.reason.split(',')),
    dryRun: args['dry-run'],
    batchSize: 500,
  });
  console.log(JSON.stringify({ source, dryRun: args['dry-run'], ...report }));
} finally {
  await nc.drain();
  await sql.end({ timeout: 5 });
}
