// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Package boundaries: import a package by its name and exports map, never its files.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@anlyt/*/src/*', '@anlyt/*/dist/*', '../../packages/*'],
              message: 'import the package by name',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure: no I/O, no clients, no logger (DESIGN.md §3).
    files: [
      'packages/domain/src/**/*.ts',
      'packages/events/src/**/*.ts',
      'packages/query/src/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'postgres',
                'drizzle-orm*',
                '@nats-io/*',
                'pino*',
                'fastify*',
                'prom-client',
                '@anlyt/pg',
                '@anlyt/nats',
                '@anlyt/observability',
                '@clickhouse/*',
                'node:fs*',
                'node:net',
                'node:http*',
              ],
              message: 'the domain, events and query packages do no I/O',
            },
          ],
          // Only its escaping module: the client lives in @anlyt/clickhouse's root export.
          paths: [{ name: '@anlyt/clickhouse', message: 'import @anlyt/clickhouse/escape' }],
        },
      ],
    },
  },
);
