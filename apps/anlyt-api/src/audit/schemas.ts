/** The audit routes' request schemas, validated strictly (unknown members → 400, no coercion),
 *  as the query DSL's route does: fastify's default validator would drop unknown members. */
import { Type, type Static } from '@sinclair/typebox';

export const AuditBodySchema = Type.Object(
  {
    tenantId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'the account audited' }),
    from: Type.String({
      maxLength: 64,
      description: 'RFC 3339 date-time or YYYY-MM-DD (UTC), inclusive',
    }),
    to: Type.String({
      maxLength: 64,
      description:
        'RFC 3339 date-time or YYYY-MM-DD (UTC; a date is the end of that day), exclusive',
    }),
    dataset: Type.Union([Type.Literal('cdr'), Type.Literal('compliance')]),
  },
  { additionalProperties: false },
);
export type AuditBodyT = Static<typeof AuditBodySchema>;

export const ExportParamsSchema = Type.Object(
  {
    id: Type.String({
      pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
      description: 'the id POST /exports answered',
    }),
  },
  { additionalProperties: false },
);
