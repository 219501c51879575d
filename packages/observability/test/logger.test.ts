import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('redacts msisdn fields at any depth and phone numbers in message text', () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 't', level: 'info', destination });
    log.info(
      { msisdn: '+254712345678', event: { msisdn: '254712345678', accountId: 'acc_1' } },
      'hi',
    );
    log.warn('bad event from +254712345678 and 254712345678');
    const all = lines.join('');
    expect(all).not.toContain('254712345678');
    expect(all).toContain('acc_1');
    expect(lines).toHaveLength(2);
  });
});
