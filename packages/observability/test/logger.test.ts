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

const MSISDN_DIGITS = '254712345678';
const MSISDN = `+${MSISDN_DIGITS}`;

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

  it('redacts msisdn, payload and data at depth 6 and inside arrays, keeping everything else', () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 't', level: 'info', destination });
    const deep = { a: { b: { c: { d: { e: { msisdn: MSISDN, accountId: 'acc_6' } } } } } };
    log.info({
      deep,
      batch: { events: [{ msisdn: MSISDN, eventId: 'e1' }, [{ payload: { body: 'hello' } }]] },
      list: [[[{ x: { data: MSISDN_DIGITS } }]]],
    });
    const [line] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({
      deep: { a: { b: { c: { d: { e: { msisdn: '[redacted]', accountId: 'acc_6' } } } } } },
      batch: {
        events: [{ msisdn: '[redacted]', eventId: 'e1' }, [{ payload: '[redacted]' }]],
      },
      list: [[[{ x: { data: '[redacted]' } }]]],
    });
    expect(lines.join('')).not.toMatch(/254712345678|hello/);
    // The caller's objects are not changed by logging them.
    expect(deep.a.b.c.d.e.msisdn).toBe(MSISDN);
  });

  it('redacts deep in child bindings and in errors, which keep their message and class', () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 't', level: 'info', destination });
    const child = log.child({ ctx: { request: { sender: { profile: { msisdn: MSISDN } } } } });
    const err = Object.assign(new Error('decode failed'), {
      detail: { event: { payload: { route: { msisdn: MSISDN } } } },
    });
    child.error({ err }, 'bad event');
    const [line] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({
      ctx: { request: { sender: { profile: { msisdn: '[redacted]' } } } },
      err: {
        type: 'Error',
        message: 'decode failed',
        detail: { event: { payload: '[redacted]' } },
      },
      msg: 'bad event',
    });
    expect(lines.join('')).not.toContain(MSISDN_DIGITS);
  });

  it('logs a cyclic object without looping', () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 't', level: 'info', destination });
    const loop: Record<string, unknown> = { name: 'loop', inner: { msisdn: MSISDN } };
    loop['self'] = loop;
    log.info({ loop });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"name":"loop"');
    expect(lines[0]).not.toContain(MSISDN_DIGITS);
  });
});
