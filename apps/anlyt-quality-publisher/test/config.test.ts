// The publisher's environment: the documented defaults, and a bad value refused at start with
// every problem named (not a publisher that silently runs with nonsense).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('anlyt-quality-publisher config', () => {
  it('defaults to the contract stream and subject, second 10 of every minute, 50 samples', () => {
    expect(loadConfig({})).toMatchObject({
      QUALITY_STREAM: 'OPERATOR_QUALITY',
      QUALITY_SUBJECT: 'operator.quality.v1',
      QUALITY_CRON: '10 * * * * *',
      QUALITY_MIN_SAMPLE: 50,
      QUALITY_MAX_LAG_S: 120,
      QUALITY_STREAM_PROVISION: false,
      CUBE_BUILDER_NAME: 'main',
      HTTP_PORT: 9466,
    });
  });

  it('refuses a zero minimum sample and a bad database name, naming both', () => {
    expect(() =>
      loadConfig({ QUALITY_MIN_SAMPLE: '0', CLICKHOUSE_DATABASE: 'anlyt; DROP' }),
    ).toThrow(
      /QUALITY_MIN_SAMPLE[\s\S]*CLICKHOUSE_DATABASE|CLICKHOUSE_DATABASE[\s\S]*QUALITY_MIN_SAMPLE/,
    );
  });
});
