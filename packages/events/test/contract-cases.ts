// Hand-picked mutations of the contract examples, each with the verdict the contract gives
// (read from the JSON Schemas and contract §2, not from either validator's output).
import { DELETE } from './contract-support.js';
import type { Kind } from './contract-support.js';

export type Case = readonly [field: string, value: unknown, valid: boolean];

const emoji = '\u{1F600}'; // one code point, two UTF-16 units

const dateTimes = (field: string): Case[] => [
  [field, '2026-11-28T09:15:02.481Z', true],
  [field, '2026-02-30T09:15:02.481Z', false], // no 30 February
  [field, '2026-02-29T00:00:00Z', false], // 2026 is no leap year
  [field, '2024-02-29T00:00:00Z', true],
  [field, '2026-11-28T09:15:02', false], // no offset
  [field, '2026-11-28T09:15:02+03:00', true],
  [field, '2026-11-28T09:15:02-0130', true], // ajv-formats accepts hhmm
  [field, '2026-11-28T09:15:02+03', true], // and a bare hour
  [field, '2026-11-28T09:15:02+24:00', false],
  [field, '2026-11-28T09:15:02.123456789Z', true], // any number of fraction digits
  [field, '2026-11-28T09:15:02.Z', false],
  [field, '2026-11-28t09:15:02z', true], // RFC 3339 §5.6: case-insensitive
  [field, '2026-11-28 09:15:02Z', true], // §5.6 note: a space is allowed; ajv-formats agrees
  [field, '2026-11-28  09:15:02Z', false],
  [field, '2026-11-28T24:00:00Z', false],
  [field, '2026-11-28T09:60:00Z', false],
  [field, '2026-12-31T23:59:60Z', true], // leap second at 23:59 UTC
  [field, '2026-12-31T23:59:60.5Z', true],
  [field, '2027-01-01T02:59:60+03:00', true], // 23:59:60 UTC
  [field, '2026-12-31T22:59:60Z', false], // not at the end of a UTC day
  [field, '2026-11-28', false],
  [field, '2026-11-28T09:15Z', false],
  [field, '', false],
  [field, 1795857302481, false],
];

const ids = (field: string): Case[] => [
  [field, '', false],
  [field, 'a'.repeat(64), true],
  [field, 'a'.repeat(65), false],
  [field, 'acc 4821', false],
  [field, 'acc.4821', false],
  [field, 'Acc_48-21', true],
  [field, 4821, false],
];

const common: Case[] = [
  ['eventId', '3F6C1E0A-8B9D-4C3E-9A51-2D7B6F0E4A11', true], // uppercase hex is fine
  ['eventId', '3f6c1e0a-8b9d-4c3e-9a51-2d7b6f0e4a1', false], // too short
  ['eventId', '3f6c1e0a-8b9d-4c3e-9a51-2d7b6f0e4g11', false], // non-hex
  ['eventId', '3f6c1e0a8b9d4c3e9a512d7b6f0e4a11', false], // no dashes
  ['eventId', 'urn:uuid:3f6c1e0a-8b9d-4c3e-9a51-2d7b6f0e4a11', false], // the pattern forbids it
  ...dateTimes('occurredAt'),
  ['messageId', '', false],
  ['messageId', 'm'.repeat(128), true],
  ['messageId', 'm'.repeat(129), false],
  ['messageId', emoji.repeat(128), true], // lengths count code points, not UTF-16 units
  ['messageId', emoji.repeat(129), false],
  ['messageId', 42, false],
  ...ids('accountId'),
  ...ids('operatorId'),
  ['direction', 'MO', true],
  ['direction', 'mt', false],
  ['direction', 'XX', false],
  ['lane', 'OTP', true],
  ['lane', 'BULK', false],
  ['lane', null, false],
  ['destinationPrefix', '+12345678', true],
  ['destinationPrefix', '+123456789', false],
  ['destinationPrefix', '2547', false],
  ['destinationPrefix', '+', false],
  ['msisdn', DELETE, true], // optional
  ['msisdn', '254712345678', true],
  ['msisdn', '+12345', false],
  ['msisdn', '+1234567890123456', false],
  ['msisdn', '+2547-1234567', false],
  ['msisdn', 254712345678, false],
  ['extraField', 'anything', true], // unknown extra fields: allowed and ignored
  ['nested', { a: [1, { b: null }] }, true],
];

// segments, amount and currency: the same rules in sms.billed.v1 and cdr.generated.v1.
const charged: Case[] = [
  ['segments', 255, true],
  ['segments', 0, false],
  ['segments', 256, false],
  ['segments', 1.5, false],
  ['segments', '1', false],
  ['amount', '0', true],
  ['amount', '0.000001', true],
  ['amount', '12345678901234.123456', true], // 14 integer digits is the maximum
  ['amount', '123456789012345', false], // 15 integer digits
  ['amount', '-1.5', false],
  ['amount', '0.1234567', false], // 7 decimals
  ['amount', '01.5', false],
  ['amount', '.5', false],
  ['amount', '1.', false],
  ['amount', '1e3', false],
  ['amount', 0.0125, false], // a number, not a decimal string
  ['currency', 'KES', true], // schema-valid; the settlement check is the decoder's
  ['currency', 'usd', false],
  ['currency', 'US', false],
];

const billed: Case[] = [
  ['eventType', 'sms.dlr.v1', false],
  ['eventType', 'sms.billed.v2', false],
  ['status', 'REFUNDED', true],
  ['status', 'PENDING', false],
  ['status', 'billed', false],
  ...charged,
];

const dlr: Case[] = [
  ['eventType', 'sms.billed.v1', false],
  ['deliveryStatus', 'UNKNOWN', true],
  ['deliveryStatus', 'ACCEPTED', false],
  ['deliveryStatus', 'delivered', false],
  ['errorCode', DELETE, true], // not required
  ['errorCode', null, true],
  ['errorCode', '0x00000045', true],
  ['errorCode', 'e'.repeat(32), true],
  ['errorCode', 'e'.repeat(33), false],
  ['errorCode', 45, false],
  ['latencyMs', 0, true],
  ['latencyMs', 604800000, true],
  ['latencyMs', -1, false],
  ['latencyMs', 604800001, false],
  ['latencyMs', 1.5, false],
  ...dateTimes('submittedAt'),
];

const cdr: Case[] = [
  ['eventType', 'sms.billed.v1', false],
  ['eventType', 'cdr.generated.v2', false],
  ...charged,
  ['senderId', '', false],
  ['senderId', '22141', true], // a short code
  ['senderId', 'S'.repeat(16), true],
  ['senderId', 'S'.repeat(17), false],
  ['senderId', emoji.repeat(16), true], // code points again
  ['senderId', emoji.repeat(17), false],
  ['senderId', 22141, false],
  ['submitStatus', 'REJECTED', true],
  ['submitStatus', 'THROTTLED', true],
  ['submitStatus', 'accepted', false],
  ['submitStatus', 'DELIVERED', false],
  ['submitStatus', null, false],
  ['esmeErrorCode', DELETE, false], // required, unlike the DLR's errorCode
  ['esmeErrorCode', null, true],
  ['esmeErrorCode', '0x00000058', true],
  ['esmeErrorCode', '', true], // no minimum length
  ['esmeErrorCode', 'e'.repeat(32), true],
  ['esmeErrorCode', 'e'.repeat(33), false],
  ['esmeErrorCode', emoji.repeat(32), true],
  ['esmeErrorCode', 88, false],
  ['compliance', { verdict: 'BLOCKED', rule: 'DND' }, true],
  ['compliance', { rule: 'QUIET_HOURS', verdict: 'BLOCKED' }, true], // member order is free
  ['compliance', { verdict: 'BLOCKED', rule: null }, true], // the contract does not tie them
  ['compliance', { verdict: 'ALLOWED', rule: 'SENDER_ID' }, true],
  ['compliance', { verdict: 'DENIED', rule: null }, false],
  ['compliance', { verdict: 'blocked', rule: null }, false],
  ['compliance', { verdict: 'BLOCKED', rule: 'SPAM' }, false],
  ['compliance', { verdict: 'BLOCKED', rule: 'null' }, false],
  ['compliance', { verdict: 'ALLOWED' }, false], // rule is required, even when null
  ['compliance', { rule: null }, false],
  ['compliance', { verdict: 'ALLOWED', rule: null, note: 'x' }, false], // closed object
  ['compliance', {}, false],
  ['compliance', null, false],
  ['compliance', [], false],
  ['compliance', 'ALLOWED', false],
];

export const cases: Record<Kind, Case[]> = {
  billed: [...common, ...billed],
  dlr: [...common, ...dlr],
  cdr: [...common, ...cdr],
};
