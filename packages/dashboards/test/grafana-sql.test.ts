// The test support that stands in for Grafana + grafana-clickhouse-datasource: the expected
// strings are what Grafana's formatters and the plugin's macros.go produce, written out by hand.
import { describe, expect, it } from 'vitest';
import { grafanaSql, type GrafanaRequest } from './support/grafana-sql.js';

const req = (vars: GrafanaRequest['vars'] = {}): GrafanaRequest => ({
  fromMs: Date.UTC(2026, 10, 27, 0, 0, 0, 999),
  toMs: Date.UTC(2026, 10, 30, 12),
  intervalS: 600.7,
  vars,
});

describe('template variables, as Grafana replaces them for the plugin', () => {
  it('singlequote quotes every value and escapes quotes with a backslash', () => {
    const vars = { m: { kind: 'multi', values: ['a', "o'x"] } } as const;
    expect(grafanaSql('IN (${m:singlequote})', req(vars))).toBe("IN ('a','o\\'x')");
    const one = { m: { kind: 'single', value: 'a' } } as const;
    expect(grafanaSql('IN (${m:singlequote})', req(one))).toBe("IN ('a')");
  });

  it("without a format, the plugin's own: arrays quoted, a single value raw", () => {
    expect(grafanaSql('$m', req({ m: { kind: 'multi', values: ['a', 'b'] } }))).toBe("'a','b'");
    expect(grafanaSql('${m}.t', req({ m: { kind: 'single', value: 'db1' } }))).toBe('db1.t');
  });

  it('"All" is the custom all value unformatted, else every option', () => {
    const custom = { p: { kind: 'all', options: ['x'], allValue: "'__all'" } } as const;
    expect(grafanaSql('[${p:singlequote}]', req(custom))).toBe("['__all']");
    const every = { l: { kind: 'all', options: ['A', 'B'] } } as const;
    expect(grafanaSql('(${l:singlequote})', req(every))).toBe("('A','B')");
  });

  it('leaves nothing unresolved', () => {
    expect(() => grafanaSql('${nope}', req())).toThrow(/unresolved/);
    expect(() => grafanaSql('$__timeInterval(hour)', req())).toThrow(/not simulated/);
  });
});

describe("the plugin's macros (pkg/macros/macros.go)", () => {
  it('time filters in whole seconds, both ends inclusive', () => {
    expect(grafanaSql('$__timeFilter(hour)', req())).toBe(
      'hour >= toDateTime(1795737600) AND hour <= toDateTime(1796040000)',
    );
    expect(grafanaSql('$__fromTime, $__toTime', req())).toBe(
      'toDateTime(1795737600), toDateTime(1796040000)',
    );
  });

  it('date filter on UTC days, interval in whole seconds', () => {
    expect(grafanaSql('$__dateFilter(day)', req())).toBe(
      "day >= toDate('2026-11-27') AND day <= toDate('2026-11-30')",
    );
    expect(grafanaSql('intDiv(x, $__interval_s)', req())).toBe('intDiv(x, 600)');
  });
});
