import { Type } from '@sinclair/typebox';
import type { TLiteral, TUnion } from '@sinclair/typebox';
import {
  BILLING_STATUSES,
  COMPLIANCE_RULES,
  COMPLIANCE_VERDICTS,
  DELIVERY_STATUSES,
  DIRECTIONS,
  LANES,
  SUBMIT_STATUSES,
} from './enums.js';
import { registerEventFormats } from './formats.js';

// TypeBox mirrors of contracts/events/sms.billed.v1, sms.dlr.v1 and cdr.generated.v1 (JSON
// Schema 2020-12). test/contract.test.ts runs each pair through the same cases and requires
// the same verdict, so a change here that drifts from the contract fails there. Unknown extra fields are allowed
// (the contract says "allowed and ignored"); the decoders drop them.

registerEventFormats();

export const UUID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
export const AMOUNT_PATTERN = '^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,6})?$';
export const CURRENCY_PATTERN = '^[A-Z]{3}$';
export const DESTINATION_PREFIX_PATTERN = '^\\+[0-9]{1,8}$';
export const MSISDN_PATTERN = '^\\+?[0-9]{6,15}$';

/**
 * A pattern bounding a string's length in code points. JSON Schema's minLength/maxLength
 * count code points (ajv counts a surrogate pair as one), TypeBox's count UTF-16 units, so
 * `maxLength: 128` would reject 100 emoji that the contract accepts. Each repetition eats
 * exactly one code point (a pair, a lone high surrogate, or anything else) with no
 * ambiguity, so the match is linear; it means the same with or without the `u` flag.
 */
function codePointLength(min: number, max: number): string {
  return `^(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|[^\\uD800-\\uDBFF]){${min},${max}}$`;
}

function oneOf<const T extends readonly string[]>(values: T): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v as T[number])),
    { errorMessage: `Expected one of ${values.join(', ')}` },
  );
}

/** A nullable string of at most 32 code points (the contract's `type: [string, null]`). */
const nullableCode = () =>
  Type.Union([Type.String({ pattern: codePointLength(0, 32) }), Type.Null()], {
    errorMessage: 'Expected null or a string of at most 32 characters',
  });

// `errorMessage` is ours, read by describeErrors (decode-support.ts): TypeBox's own
// messages for these ("Expected union value", the generated pattern) say too little.
const messageId = Type.String({
  pattern: codePointLength(1, 128),
  errorMessage: 'Expected string of 1 to 128 characters',
});

const segments = Type.Integer({ minimum: 1, maximum: 255 });
const amount = Type.String({ pattern: AMOUNT_PATTERN });
const currency = Type.String({ pattern: CURRENCY_PATTERN });

const common = {
  eventId: Type.String({ format: 'uuid', pattern: UUID_PATTERN }),
  occurredAt: Type.String({ format: 'date-time' }),
  messageId,
  accountId: Type.String({ pattern: ID_PATTERN }),
  operatorId: Type.String({ pattern: ID_PATTERN }),
  direction: oneOf(DIRECTIONS),
  lane: oneOf(LANES),
  destinationPrefix: Type.String({ pattern: DESTINATION_PREFIX_PATTERN }),
  // Personal data: validated (a malformed one makes the event invalid, as in the contract)
  // but never copied into a decoded event.
  msisdn: Type.Optional(Type.String({ pattern: MSISDN_PATTERN })),
};

export const BilledEventSchema = Type.Object(
  {
    ...common,
    eventType: Type.Literal('sms.billed.v1'),
    status: oneOf(BILLING_STATUSES),
    segments,
    amount,
    currency,
  },
  { $id: 'sms.billed.v1', additionalProperties: true },
);

export const DlrEventSchema = Type.Object(
  {
    ...common,
    eventType: Type.Literal('sms.dlr.v1'),
    deliveryStatus: oneOf(DELIVERY_STATUSES),
    // Optional in the contract ("null when delivered"); the decoder maps absent to null.
    errorCode: Type.Optional(nullableCode()),
    latencyMs: Type.Integer({ minimum: 0, maximum: 604_800_000 }),
    submittedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'sms.dlr.v1', additionalProperties: true },
);

export const CdrEventSchema = Type.Object(
  {
    ...common,
    eventType: Type.Literal('cdr.generated.v1'),
    senderId: Type.String({
      pattern: codePointLength(1, 16),
      errorMessage: 'Expected string of 1 to 16 characters',
    }),
    segments,
    amount,
    currency,
    submitStatus: oneOf(SUBMIT_STATUSES),
    // Required, unlike the DLR's errorCode: present and null when the submit was accepted.
    esmeErrorCode: nullableCode(),
    // Closed, unlike the event itself: the contract sets additionalProperties false here.
    compliance: Type.Object(
      {
        verdict: oneOf(COMPLIANCE_VERDICTS),
        rule: Type.Union([...COMPLIANCE_RULES.map((r) => Type.Literal(r)), Type.Null()], {
          errorMessage: `Expected null or one of ${COMPLIANCE_RULES.join(', ')}`,
        }),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'cdr.generated.v1', additionalProperties: true },
);
