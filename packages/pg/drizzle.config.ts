import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './migrations',
  // drizzle's own bookkeeping must not live in `anlyt` (see STACK.md).
  migrations: { schema: 'drizzle' },
});
