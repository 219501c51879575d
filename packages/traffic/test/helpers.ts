import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { TrafficMessage } from '../src/index.js';

const decoder = new TextDecoder();

/** The contract's subjects (contract §1), restated rather than taken from the package. */
export const SUBJECTS: Record<TrafficMessage['kind'], string> = {
  billed: 'billing.events.sms.billed.v1',
  dlr: 'sms.dlr.inbound',
  cdr: 'cdr.generated.v1',
};

export const text = (m: TrafficMessage): string => decoder.decode(m.data);

export function parse(m: TrafficMessage): Record<string, unknown> {
  return JSON.parse(text(m)) as Record<string, unknown>;
}

/** Builds a message by hand (for oracle tests): the payload is JSON.stringify of `payload`. */
export function handMessage(
  kind: TrafficMessage['kind'],
  payload: Record<string, unknown>,
  cls: TrafficMessage['class'] = 'valid',
): TrafficMessage {
  return {
    kind,
    subject: SUBJECTS[kind],
    data: new TextEncoder().encode(JSON.stringify(payload)),
    eventId: typeof payload['eventId'] === 'string' ? payload['eventId'] : null,
    class: cls,
  };
}

interface Validator {
  (data: unknown): boolean;
  errors?: unknown;
}
interface AjvLike {
  compile(schema: unknown): Validator;
}

// The repo's copy of the fixed contracts (checked against ../shared by scripts/test.sh).
const contractsDir = new URL('../../../contracts/events/', import.meta.url);

/** JSON Schema 2020-12 validators for the three event contracts, read from contracts/. */
export function contractValidators(): Record<TrafficMessage['kind'], Validator> {
  const require = createRequire(import.meta.url);
  const Ajv2020 = (require('ajv/dist/2020') as { default: new (opts: object) => AjvLike }).default;
  const addFormats = (require('ajv-formats') as { default: (ajv: AjvLike) => void }).default;
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  addFormats(ajv);
  const schema = (name: string): unknown =>
    JSON.parse(readFileSync(new URL(`${name}.schema.json`, contractsDir), 'utf8'));
  return {
    billed: ajv.compile(schema('sms.billed.v1')),
    dlr: ajv.compile(schema('sms.dlr.v1')),
    cdr: ajv.compile(schema('cdr.generated.v1')),
  };
}
