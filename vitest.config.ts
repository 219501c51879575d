import { defineConfig } from 'vitest/config';

// One run for the whole monorepo. Workspace packages resolve to their TypeScript sources
// through the "source" export condition, so tests never depend on a stale dist/.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.{test,spec}.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
