import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { loadEnvConfig, LogLevel } from '../src/index.js';

const Schema = Type.Object({
  DATABASE_URL: Type.String({ minLength: 1 }),
  PORT: Type.Integer({ default: 8080 }),
  LOG_LEVEL: LogLevel,
});

describe('loadEnvConfig', () => {
  it('applies defaults and coerces numbers', () => {
    expect(loadEnvConfig(Schema, { DATABASE_URL: 'postgres://x', PORT: '9000' })).toEqual({
      DATABASE_URL: 'postgres://x',
      PORT: 9000,
      LOG_LEVEL: 'info',
    });
  });

  it('names every bad variable in one error', () => {
    expect(() => loadEnvConfig(Schema, { PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(
      /DATABASE_URL[\s\S]*PORT|PORT[\s\S]*DATABASE_URL/,
    );
  });

  it('reads ANLYT_CONFIG_FILE, and the environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anlyt-config-'));
    const file = join(dir, 'app.env');
    writeFileSync(file, 'DATABASE_URL=postgres://from-file\nPORT=7000\n');
    expect(loadEnvConfig(Schema, { ANLYT_CONFIG_FILE: file, PORT: '7001' })).toMatchObject({
      DATABASE_URL: 'postgres://from-file',
      PORT: 7001,
    });
  });
});
