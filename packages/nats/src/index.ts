export { connectNats, type NatsConnection } from './connect.js';
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
} from './batch-loop.js';
export { jetstream, jetstreamManager } from '@nats-io/jetstream';
export type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
