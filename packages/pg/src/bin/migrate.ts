/**
 * `node packages/pg/dist/bin/migrate.js` — applies the anlyt migrations to DATABASE_URL.
 * Run once per deploy (a Helm hook Job) or by the local stack script; safe to run twice.
 */
import { runMigrations } from '../migrate.js';

const url = process.env['DATABASE_URL'];
if (!url) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
await runMigrations(url);
console.log('migrations applied');
