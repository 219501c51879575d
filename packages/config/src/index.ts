/**
 * How every app reads its configuration: one TypeBox schema per app (in its src/config.ts,
 * the only file that touches process.env), validated by env-schema, which reports every bad
 * or missing variable at once. ANLYT_CONFIG_FILE may name a .env-style file read first (the
 * environment wins).
 */
import { Type, type Static, type TObject } from '@sinclair/typebox';
import { envSchema } from 'env-schema';

export const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
  { default: 'info' },
);

export function loadEnvConfig<S extends TObject>(schema: S, env: NodeJS.ProcessEnv): Static<S> {
  const file = env['ANLYT_CONFIG_FILE'];
  return envSchema<Static<S>>({ schema, data: env, dotenv: file ? { path: file } : false });
}
