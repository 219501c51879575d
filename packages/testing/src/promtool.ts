/**
 * `promtool check metrics` (Debian's `prometheus` package, installed by scripts/stack-up.sh)
 * on a service's /metrics text: the conformance tests use Prometheus' own linter rather than
 * our idea of good metric names.
 */
import { spawnSync } from 'node:child_process';

export interface PromtoolResult {
  /** 0: clean; 3: lint problems; anything else: promtool could not run. */
  status: number | null;
  /** One problem per line, as promtool prints them. */
  problems: string[];
}

export function promtoolCheckMetrics(metricsText: string): PromtoolResult {
  const r = spawnSync('promtool', ['check', 'metrics'], {
    input: metricsText,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.error)
    throw new Error(`promtool did not run (${r.error.message}): run scripts/stack-up.sh`);
  const problems = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
  return { status: r.status, problems };
}

/** The families (metric names) of `wanted` that have no series in the /metrics text. */
export function familiesWithoutSeries(metricsText: string, wanted: readonly string[]): string[] {
  return wanted.filter((f) => !new RegExp(`^${f}(\\{| )`, 'm').test(metricsText));
}
