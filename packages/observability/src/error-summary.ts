/**
 * What of an error may be logged or put in a dead letter's reason: its class, code and
 * message only — never the SQL parameters or the query, which could carry event data.
 */
export interface ErrorSummary {
  name?: string;
  code?: string;
  message: string;
}

export function errorSummary(err: unknown): ErrorSummary {
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  return {
    name: typeof e?.name === 'string' ? e.name : undefined,
    code: typeof e?.code === 'string' ? e.code : undefined,
    message: String(e?.message ?? err).slice(0, 300),
  };
}
