/**
 * Turns a panel's SQL into what ClickHouse receives from Grafana + grafana-clickhouse-datasource,
 * in the same two steps:
 *
 * 1. In the browser, the plugin's `applyTemplateVariables` calls Grafana's
 *    `templateSrv.replace(sql, scopedVars, format)`. `${name:singlequote}` uses Grafana's
 *    formatter (every value quoted, `'` escaped as `\'`); a bare `$name` / `${name}` uses the
 *    plugin's own `format` (an array becomes `'a','b'`, a single value stays as it is). "All"
 *    becomes the variable's custom `allValue` inserted raw (no formatting at all), or every
 *    option's value when it has none. A repeated row scopes its variable to one value. Names
 *    that are not variables (`$__timeFilter`, `$__interval_s`) are left alone.
 * 2. On the backend (sqlds), the plugin's macros (pkg/macros/macros.go): `$__timeFilter(c)` →
 *    `c >= toDateTime(<from s>) AND c <= toDateTime(<to s>)`, `$__dateFilter(c)` → the same
 *    with `toDate('YYYY-MM-DD')` (UTC days), `$__fromTime` / `$__toTime` → `toDateTime(<s>)`,
 *    `$__interval_s` → the interval in whole seconds (at least 1). Only the macros the
 *    dashboards use are implemented; any other `$…` left over fails the test.
 */

export type VariableValue =
  /** A single-value variable (constant, text box) or a repeated row's own value. */
  | { kind: 'single'; value: string }
  /** Some values of a multi-value variable. */
  | { kind: 'multi'; values: readonly string[] }
  /** "All": `allValue` raw when the variable has one, else every option. */
  | { kind: 'all'; options: readonly string[]; allValue?: string };

export interface GrafanaRequest {
  fromMs: number;
  toMs: number;
  /** Grafana's interval for the panel, in seconds (already at least the panel's minimum). */
  intervalS: number;
  vars: Readonly<Record<string, VariableValue>>;
}

const singleQuote = (v: string) => `'${v.replace(/'/g, "\\'")}'`;

/** The value Grafana hands to a formatter: a string, or an array for a multi-value variable. */
function formatVariable(v: VariableValue, format: string | undefined): string {
  if (v.kind === 'all' && v.allValue !== undefined) return v.allValue;
  const value: string | readonly string[] =
    v.kind === 'single' ? v.value : v.kind === 'multi' ? v.values : v.options;
  if (format === 'singlequote')
    return typeof value === 'string' ? singleQuote(value) : value.map(singleQuote).join(',');
  if (format !== undefined) throw new Error(`format ${format} is not simulated`);
  // grafana-clickhouse-datasource's own format(): arrays quoted (unescaped), scalars raw.
  return typeof value === 'string' ? value : `'${value.join("','")}'`;
}

// Grafana's variable syntax: $name, [[name]] or [[name:fmt]], ${name} or ${name:fmt}.
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

function replaceVariables(sql: string, vars: GrafanaRequest['vars']): string {
  return sql.replace(
    VARIABLE,
    (match, a?: string, b?: string, bf?: string, c?: string, cf?: string) => {
      const name = a ?? b ?? c;
      const v = name === undefined ? undefined : vars[name];
      return v === undefined ? match : formatVariable(v, bf ?? cf);
    },
  );
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function macros(req: GrafanaRequest): Record<string, (args: string[]) => string> {
  const from = `toDateTime(${seconds(req.fromMs)})`;
  const to = `toDateTime(${seconds(req.toMs)})`;
  const one = (name: string, args: string[]) => {
    if (args.length !== 1) throw new Error(`$__${name} takes 1 argument, got ${args.length}`);
    return args[0]!;
  };
  return {
    timeFilter: (args) => {
      const c = one('timeFilter', args);
      return `${c} >= ${from} AND ${c} <= ${to}`;
    },
    dateFilter: (args) => {
      const c = one('dateFilter', args);
      return `${c} >= toDate('${utcDate(req.fromMs)}') AND ${c} <= toDate('${utcDate(req.toMs)}')`;
    },
    fromTime: () => from,
    toTime: () => to,
    interval_s: () => String(Math.max(Math.floor(req.intervalS), 1)),
  };
}

/** Both steps, as Grafana and the plugin would run them; throws on anything left unresolved. */
export function grafanaSql(sql: string, req: GrafanaRequest): string {
  const table = macros(req);
  let out = replaceVariables(sql, req.vars);
  // `$__name` or `$__name(args)`, arguments split at top-level commas and trimmed.
  let i = out.indexOf('$__');
  while (i !== -1) {
    const name = /^\$__(\w+)/.exec(out.slice(i))![1]!;
    const fn = table[name];
    if (fn === undefined) throw new Error(`macro $__${name} is not simulated`);
    let end = i + 3 + name.length;
    let args: string[] = [];
    if (out[end] === '(') {
      let depth = 0;
      let j = end;
      for (; j < out.length; j++) {
        if (out[j] === '(') depth++;
        else if (out[j] === ')' && --depth === 0) break;
      }
      args = splitTopLevel(out.slice(end + 1, j));
      end = j + 1;
    }
    out = out.slice(0, i) + fn(args) + out.slice(end);
    i = out.indexOf('$__', i);
  }
  const left = /\$\w|\$\{|\[\[/.exec(out);
  if (left) throw new Error(`unresolved ${out.slice(left.index, left.index + 30)}`);
  return out;
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < s.length; k++) {
    if (s[k] === '(') depth++;
    else if (s[k] === ')') depth--;
    else if (s[k] === ',' && depth === 0) {
      parts.push(s.slice(start, k).trim());
      start = k + 1;
    }
  }
  parts.push(s.slice(start).trim());
  return parts.filter((p) => p !== '');
}
