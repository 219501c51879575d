// The contract's enumerations as ClickHouse Enum8 types (one byte each). Values are names on
// the wire (JSONEachRow in and out), so the numbers never leave the database; they must never
// be renumbered once data exists, only appended to.
const enum8 = (names: readonly string[]) =>
  `Enum8(${names.map((n, i) => `'${n}' = ${i + 1}`).join(', ')})`;

export const DELIVERY_STATUS = enum8([
  'DELIVERED',
  'FAILED',
  'EXPIRED',
  'REJECTED',
  'UNDELIVERABLE',
  'UNKNOWN',
]);
export const DIRECTION = enum8(['MT', 'MO']);
export const LANE = enum8(['TRANSACTIONAL', 'PROMOTIONAL', 'OTP']);
export const SUBMIT_STATUS = enum8(['ACCEPTED', 'REJECTED', 'THROTTLED']);
export const VERDICT = enum8(['ALLOWED', 'BLOCKED']);
