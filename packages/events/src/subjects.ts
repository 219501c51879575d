// NATS subjects and the default stream layout of contract §1.
//
// Subjects are fixed by the contract. Stream names are only defaults: in production the
// upstream streams already exist (we never create or change them), and tests provision their
// own streams under other names, so apps take the names from config and fall back to these.

export const SUBJECTS = {
  billed: 'billing.events.sms.billed.v1',
  dlr: 'sms.dlr.inbound',
  cdr: 'cdr.generated.v1',
  quality: 'operator.quality.v1',
  dlqBilling: 'anlyt.dlq.billing',
  dlqDlr: 'anlyt.dlq.dlr',
} as const;

export const STREAMS = {
  billing: { name: 'BILLING_EVENTS', subjects: ['billing.events.>'] },
  dlr: { name: 'SMS_DLR', subjects: ['sms.dlr.inbound'] },
  cdr: { name: 'CDR', subjects: ['cdr.generated.v1'] },
} as const;

export type SubjectKey = keyof typeof SUBJECTS;
export type StreamKey = keyof typeof STREAMS;
