/**
 * Publishes to JetStream with Nats-Msg-Id = eventId: a second replica, or a re-run, within
 * the stream's duplicate window is acknowledged as a duplicate and not stored again.
 */
import type { JetStreamClient } from '@anlyt/nats';
import type { QualityBus } from '../use-cases/ports.js';

export function natsQualityBus(js: JetStreamClient, subject: string): QualityBus {
  return {
    async publish(e) {
      const ack = await js.publish(subject, JSON.stringify(e), { msgID: e.eventId });
      return !ack.duplicate;
    },
  };
}
