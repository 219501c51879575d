// What a panel or variable asks ClickHouse, and the shape of the answer it expects: the one
// description the dashboards are built from and the tests run against the real server.

/** How the ClickHouse plugin shapes the result (its backend's `format`: 0 and 1). */
export type QueryFormat = 'timeseries' | 'table';

/** How a column is read by the panel: a time axis, a number, or a label. */
export type ColumnKind = 'time' | 'number' | 'string';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

export interface QuerySpec {
  /** Stable and unique: `<dashboard uid>/<panel or variable key>`. */
  id: string;
  /** Grafana SQL: template variables (`${mno:singlequote}`) and plugin macros (`$__timeFilter`). */
  sql: string;
  format: QueryFormat;
  /** Every column, in order (a time-series query in long form lists its label columns too). */
  columns: readonly ColumnSpec[];
}

export const time = (name: string): ColumnSpec => ({ name, kind: 'time' });
export const num = (name: string): ColumnSpec => ({ name, kind: 'number' });
export const str = (name: string): ColumnSpec => ({ name, kind: 'string' });

/** Trims the indentation template literals carry, so the SQL reads well in Grafana's editor. */
export function sql(parts: TemplateStringsArray, ...values: string[]): string {
  const text = parts.reduce((acc, p, i) => acc + p + (i < values.length ? values[i] : ''), '');
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(indent)).join('\n');
}
