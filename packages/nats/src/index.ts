export {
  connectNats,
  connectionState,
  type ConnectOptions,
  type NatsConnection,
} from './connect.js';
export {
  ensureStream,
  deleteStream,
  ensureDurable,
  type StreamSpec,
  type DurableSpec,
} from './provision.js';
export {
  startBatchLoop,
  ackAll,
  type BatchLoop,
  type BatchLoopOptions,
  type JsMsg,
  type LoopEvent,
  type LoopState,
} from './batch-loop.js';
export {
  deadLetterPublisher,
  letterOf,
  DeadLetterPublishError,
  DEAD_LETTER_HEADERS,
  type DeadLetter,
} from './dead-letter.js';
export { jetstream, jetstreamManager } from '@nats-io/jetstream';
export type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
export {
  streamOriginals,
  OriginalUnavailableError,
  type OriginalMessage,
  type OriginalMessages,
  type Displaced,
} from './originals.js';
export {
  createSettlingHandler,
  BatchRetryError,
  type SettleDecision,
  type SettleOutcome,
  type SettlingMetrics,
  type SettlingHandlerDeps,
} from './settling-handler.js';
export { loopEventLogger, type LoopMetrics } from './loop-events.js';
export { retryUntilReady, waitingLog, type WaitOptions } from './until-ready.js';
export {
  backfillDurable,
  followBackfill,
  isCaughtUp,
  progressOf,
  type BackfillProgress,
  type BackfillStart,
  type DurableSnapshot,
  type FollowBackfillOptions,
  type FollowedBackfill,
} from './backfill-progress.js';
export {
  runBackfills,
  type BackfillSource,
  type BackfillResult,
  type RunBackfillOptions,
} from './backfill.js';
