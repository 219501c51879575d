/**
 * The insights' route schemas as named components (registered by schemas/components.ts). The
 * bodies are also the serialisation allow-lists: fastify writes only what is listed here.
 */
import { Type } from '@sinclair/typebox';
import { AsOf, Count, LatencyMs, Rate, ref, Window } from '../schemas/common.js';

export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
const RANGE = '1970-01-01T00:00:00Z to 9999-12-31T23:00:00Z (outside → 400 INVALID_WINDOW)';

export const MnoQuality = Type.Object(
  {
    label: Type.String({
      pattern: '^MNO-[A-Z]+$',
      description:
        'The anonymous name of the MNO for this tenant: MNO-A, MNO-B, …, MNO-Z, MNO-AA, …. ' +
        'Stable for ever (the same MNO keeps it in every window); its letter says nothing ' +
        'about the real id.',
      examples: ['MNO-A'],
    }),
    mno: Type.Union([Type.String({ pattern: ID_PATTERN }), Type.Null()], {
      description:
        'The real MNO id, only while the tenant has a data-share addendum on record; else null',
      examples: [null],
    }),
    deliveryRate: ref(
      Rate,
      "delivered / (delivered + failed) of the tenant's DLRs on this MNO; null when suppressed",
    ),
    dlrLatencyP95: ref(
      LatencyMs,
      "P95 of the tenant's DLR latencies on this MNO (every status), ms: the hourly cube's " +
        't-digest states merged, an estimate whose rank lies within P94–P96 of the exact sample ' +
        'in our tests (in value, close where latencies are dense, further where they are sparse ' +
        'around the 95th percentile); null when suppressed',
    ),
    sampleSize: ref(
      Count,
      "the tenant's final DLRs on this MNO in the window (delivered + failed; UNKNOWN is not final)",
    ),
    suppressed: Type.Optional(
      Type.Literal(true, {
        description:
          'Present (true) when sampleSize is below the configured minimum (default 100): ' +
          'too few DLRs for the rates to mean anything, so they are null',
      }),
    ),
  },
  {
    $id: 'MnoQuality',
    additionalProperties: false,
    description: 'The quality of one MNO that carried the tenant’s traffic in the window',
  },
);

export const MnoQualityInsights = Type.Object(
  {
    window: ref(
      Window,
      'The half-open window [from, to) the answer covers: the requested bounds widened outward ' +
        'to whole UTC days (the delivery counts are daily), echoed beside them',
    ),
    mnos: Type.Array(ref(MnoQuality), {
      description:
        'Every MNO with at least one DLR or CDR of the tenant in the window, in label order ' +
        '(MNO-A, MNO-B, …, MNO-Z, MNO-AA, …); empty when the tenant had no traffic',
    }),
    dataAsOf: ref(
      AsOf,
      'The largest occurredAt folded into the cubes the answer was computed from: the older ' +
        'of the DLR and CDR cubes’ (null before any data)',
    ),
  },
  { $id: 'MnoQualityInsights', additionalProperties: false },
);

export const InsightsQuery = Type.Object({
  from: Type.Optional(
    Type.String({
      description: `RFC 3339 timestamp or YYYY-MM-DD (UTC); default: 00:00Z six days before today (the last 7 days, today included). ${RANGE}`,
    }),
  ),
  to: Type.Optional(
    Type.String({
      description: `RFC 3339 timestamp (exclusive) or YYYY-MM-DD (inclusive: the end of that day); default: now. ${RANGE}`,
    }),
  ),
  tenantId: Type.Optional(
    Type.String({
      pattern: ID_PATTERN,
      description:
        'admin callers only, and required for them: the tenant asked about. Ignored for portal ' +
        'callers, whose tenant is always their X-Account-Id.',
    }),
  ),
});

export const AccountHeader = Type.Object({
  'x-account-id': Type.Optional(
    Type.String({
      description: 'required for portal callers: the tenant the answer is about',
    }),
  ),
});

export const DataShareAddendum = Type.Object(
  {
    reference: Type.String({ description: 'the reference recorded with it (document, ticket)' }),
    signedAt: Type.String({ format: 'date-time', description: 'when the tenant signed it' }),
    recordedBy: Type.String({ description: 'the `sub` of the admin token that recorded it' }),
    recordedAt: Type.String({ format: 'date-time', description: 'when it was recorded' }),
  },
  {
    // Not closed (additionalProperties): inside the `addendum` union fast-json-stringify picks
    // the branch an object validates against, and a closed one would refuse rather than strip.
    $id: 'DataShareAddendum',
    description: 'A data-share addendum on record: with it the insights show real MNO ids',
  },
);

export const DataShareAddendumChange = Type.Object(
  {
    action: Type.Unsafe<'SET' | 'REVOKE'>({
      type: 'string',
      enum: ['SET', 'REVOKE'],
      description: 'SET: recorded (or replaced); REVOKE: taken off record',
    }),
    reference: Type.String({ description: 'the addendum set, or the one revoked' }),
    signedAt: Type.String({ format: 'date-time' }),
    actor: Type.String({ description: 'the `sub` of the admin token that made the change' }),
    at: Type.String({ format: 'date-time' }),
  },
  {
    $id: 'DataShareAddendumChange',
    additionalProperties: false,
    description: 'One entry of the append-only history of a tenant’s addendum',
  },
);

export const DataShareAddendumState = Type.Object(
  {
    tenantId: Type.String({ pattern: ID_PATTERN }),
    addendum: Type.Union([ref(DataShareAddendum), Type.Null()], {
      description: 'the addendum on record; null when none is',
    }),
    history: Type.Array(ref(DataShareAddendumChange), {
      description: 'every set and revoke, oldest first (append-only)',
    }),
  },
  {
    $id: 'DataShareAddendumState',
    additionalProperties: false,
    description: 'A tenant’s data-share addendum and its history',
  },
);

export const TenantParams = Type.Object({
  tenantId: Type.String({ pattern: ID_PATTERN, description: 'the tenant (account id)' }),
});

/** PUT body: inline (not a component), closed to unknown members. */
export const AddendumBody = Type.Object(
  {
    reference: Type.String({
      minLength: 1,
      maxLength: 200,
      // Printable text on one line: it is shown back in the admin dashboard.
      pattern: '^[^\\u0000-\\u001f\\u007f]+$',
      description: 'the signed document’s reference (contract number, ticket), 1–200 characters',
    }),
    signedAt: Type.String({
      format: 'date-time',
      description: 'RFC 3339: when the tenant signed it (not in the future)',
    }),
  },
  { additionalProperties: false },
);

export const INSIGHTS_SCHEMAS = [
  MnoQuality,
  MnoQualityInsights,
  DataShareAddendum,
  DataShareAddendumChange,
  DataShareAddendumState,
];
