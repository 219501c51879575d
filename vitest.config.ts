import { defineConfig } from 'vitest/config';

// One run for the whole monorepo, in four projects (each can run alone with --project):
// - unit: *.test.ts — pure code and hand-written fakes, no server;
// - integration: *.spec.ts — the machine's real PostgreSQL and NATS, isolated per test;
// - conformance: the API document and /metrics as their ecosystems' tools see them
//   (redocly, openapi-typescript + openapi-fetch, ajv, promtool);
// - faults: the fault matrix (docs/reliability.md) — servers of its own per row, killed.
// Workspace packages resolve to their TypeScript sources through the "source" export
// condition, so tests never depend on a stale dist/.
const FAULTS = 'apps/*/test/faults/**/*.spec.ts';
const CONFORMANCE = 'apps/*/test/conformance/**/*.spec.ts';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.spec.ts', 'apps/*/test/**/*.spec.ts'],
          exclude: [FAULTS, CONFORMANCE],
        },
      },
      { extends: true, test: { name: 'conformance', include: [CONFORMANCE] } },
      { extends: true, test: { name: 'faults', include: [FAULTS] } },
    ],
  },
});
