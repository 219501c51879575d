// A row as ClickHouse returns it (JSONEachRow: 64-bit integers as strings, NaN as null or
// "nan") → the row of a response (contract §6.2): hours as RFC 3339 with milliseconds, days as
// YYYY-MM-DD, counts as integers, money as a decimal string with exactly 6 decimals, rates
// and latencies as numbers or null, a dimension without a value as null.
import { formatMicros } from '@anlyt/domain';
import type { OutputColumn } from './plan.js';

export type ResponseValue = string | number | null;
export type ResponseRow = Record<string, ResponseValue>;

export function renderRow(
  columns: readonly OutputColumn[],
  raw: Record<string, unknown>,
): ResponseRow {
  const row: ResponseRow = {};
  for (const c of columns) row[c.name] = renderValue(c.render, raw[c.alias]);
  return row;
}

function renderValue(render: OutputColumn['render'], v: unknown): ResponseValue {
  switch (render) {
    case 'hour':
      return new Date(Number(v) * 1000).toISOString();
    case 'day':
    case 'enum':
    case 'text':
      return String(v);
    case 'optional':
      return v === '' || v === null ? null : String(v);
    case 'count':
      return Number(v);
    case 'money':
      return formatMicros(BigInt(String(v)));
    case 'number': {
      const n = v === null ? NaN : Number(v);
      return Number.isFinite(n) ? n : null;
    }
  }
}
