// Shared by the contract tests: the reference JSON Schemas compiled with Ajv (2020-12 +
// ajv-formats, as any contract consumer would), our TypeBox schemas, and the examples.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Value } from '@sinclair/typebox/value';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { BilledEventSchema, CdrEventSchema, DlrEventSchema } from '../src/index.js';

// packages/events/test → repo root. The repo keeps its own copy of the fixed contracts
// (`contracts/`, checked against ../shared/contracts by scripts/test.sh where that exists).
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const contractsDir = resolve(repoRoot, 'contracts', 'events');

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(contractsDir, file), 'utf8')) as Record<string, unknown>;
}

// strict: false because the contract combines `type: [string, null]` with maxLength, which
// Ajv's strictTypes flags; the schemas are fixed upstream, we validate them as they are.
const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats.default(ajv);

export type Kind = 'billed' | 'dlr' | 'cdr';

const jsonSchemas = {
  billed: readJson('sms.billed.v1.schema.json'),
  dlr: readJson('sms.dlr.v1.schema.json'),
  cdr: readJson('cdr.generated.v1.schema.json'),
};

const ajvValidators = {
  billed: ajv.compile(jsonSchemas.billed),
  dlr: ajv.compile(jsonSchemas.dlr),
  cdr: ajv.compile(jsonSchemas.cdr),
};

const typeboxSchemas = { billed: BilledEventSchema, dlr: DlrEventSchema, cdr: CdrEventSchema };
const compiled = {
  billed: TypeCompiler.Compile(BilledEventSchema),
  dlr: TypeCompiler.Compile(DlrEventSchema),
  cdr: TypeCompiler.Compile(CdrEventSchema),
};

export const examples: Record<Kind, Record<string, unknown>> = {
  billed: readJson('examples/sms.billed.v1.json'),
  dlr: readJson('examples/sms.dlr.v1.json'),
  cdr: readJson('examples/cdr.generated.v1.json'),
};

export function requiredFields(kind: Kind): string[] {
  return jsonSchemas[kind]['required'] as string[];
}

export function propertyNames(kind: Kind): string[] {
  return Object.keys(jsonSchemas[kind]['properties'] as object);
}

export interface Verdicts {
  ajv: boolean;
  value: boolean;
  compiled: boolean;
}

/**
 * The three verdicts on a payload. It goes through JSON first, because that is all a
 * decoder ever sees (no undefined, NaN or -0).
 */
export function verdicts(kind: Kind, payload: unknown): Verdicts {
  const value: unknown = JSON.parse(JSON.stringify(payload) ?? 'null');
  return {
    ajv: ajvValidators[kind](value),
    value: Value.Check(typeboxSchemas[kind], value),
    compiled: compiled[kind].Check(value),
  };
}

export const DELETE = Symbol('delete');

/** A copy of `base` with one field replaced (or removed, with DELETE). */
export function mutate(
  base: Record<string, unknown>,
  field: string,
  to: unknown,
): Record<string, unknown> {
  const copy = structuredClone(base);
  if (to === DELETE) delete copy[field];
  else Object.defineProperty(copy, field, { value: to, enumerable: true, writable: true });
  return copy;
}
