/** The contract's stream, subject and durable names: each row has servers of its own. */
export const STREAMS = {
  billing: { stream: 'BILLING_EVENTS', subject: 'billing.events.sms.billed.v1' },
  dlr: { stream: 'SMS_DLR', subject: 'sms.dlr.inbound' },
  dlq: { stream: 'ANLYT_DLQ', prefix: 'anlyt.dlq' },
} as const;

export const DURABLES = [
  [STREAMS.billing.stream, 'anlyt-billing-consumer'],
  [STREAMS.dlr.stream, 'anlyt-dlr-consumer'],
] as const;
