// ClickHouse 18.16 has no server-side query parameters: every value that reaches SQL is
// written into the text. This file is the only place that does it. Values are validated by
// the callers' schemas first (ids, enums, dates, integers); these functions are the second
// line: they make any string a literal, whatever it contains (a fuzz test throws hostile
// strings at them against the real server and reads them back).

/** Thrown for a value that these functions refuse to write into SQL. */
export class UnsafeSqlValueError extends Error {
  readonly code = 'UNSAFE_SQL_VALUE';
  readonly retryable = false;
  constructor(what: string) {
    super(`refused to write into SQL: ${what}`);
    this.name = 'UnsafeSqlValueError';
  }
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
  '\r': '\\r',
  '\n': '\\n',
  '\t': '\\t',
};

/** With the u flag a paired surrogate is one code point: only a lone half matches. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * A single-quoted string literal. Backslash and quote are escaped (ClickHouse reads C-style
 * escapes in literals), and so are NUL and the control characters, so a literal is always one
 * line. A lone UTF-16 surrogate cannot be sent as UTF-8 and is refused.
 */
export function sqlString(value: string): string {
  if (LONE_SURROGATE.test(value)) throw new UnsafeSqlValueError('a lone surrogate');
  return `'${value.replace(/[\\'\0\b\f\r\n\t]/g, (c) => ESCAPES[c]!)}'`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A database, table or column name: letters, digits, underscore; nothing to escape. */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new UnsafeSqlValueError(`identifier ${JSON.stringify(name)}`);
  return name;
}

/** A non-negative integer (counts, sequences, limits), as digits. */
export function sqlUInt(value: number | bigint): string {
  if (typeof value === 'bigint' ? value < 0n : !Number.isSafeInteger(value) || value < 0)
    throw new UnsafeSqlValueError(`non-negative integer ${String(value)}`);
  return String(value);
}

/** A UTC instant, whole seconds, as `toDateTime(<epoch s>, 'UTC')`. */
export function sqlDateTime(epochMs: number): string {
  if (!Number.isSafeInteger(epochMs) || epochMs < 0)
    throw new UnsafeSqlValueError(`epoch milliseconds ${String(epochMs)}`);
  return `toDateTime(${Math.floor(epochMs / 1000)}, 'UTC')`;
}

/** A UTC day as `toDate('YYYY-MM-DD')`. */
export function sqlDate(epochMs: number): string {
  if (!Number.isSafeInteger(epochMs) || epochMs < 0)
    throw new UnsafeSqlValueError(`epoch milliseconds ${String(epochMs)}`);
  return `toDate('${new Date(epochMs).toISOString().slice(0, 10)}')`;
}

/** `(a, b, c)` of literals, for `IN`; an empty list is refused (`IN ()` is not SQL). */
export function sqlList(literals: readonly string[]): string {
  if (literals.length === 0) throw new UnsafeSqlValueError('an empty IN list');
  return `(${literals.join(', ')})`;
}
