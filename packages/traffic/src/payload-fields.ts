// Typed reads of a re-parsed payload, for the oracles. They throw instead of guessing: the
// oracles only read messages the generator labelled valid, so a failed read is a bug in the
// generator (or in its labels), never something to count around.

export type Payload = Record<string, unknown>;

export function str(e: Payload, k: string): string {
  const v = e[k];
  if (typeof v !== 'string') throw new Error(`field ${k} is not a string`);
  return v;
}

/** A string or null; an absent field reads as null (the DLR's optional errorCode). */
export function strOrNull(e: Payload, k: string): string | null {
  const v = e[k];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Error(`field ${k} is neither a string nor null`);
  return v;
}

export function int(e: Payload, k: string): number {
  const v = e[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    throw new Error(`field ${k} is not an integer`);
  return v;
}

/** Epoch ms of a timestamp field (the generator writes the canonical ISO form). */
export function time(e: Payload, k: string): number {
  const ms = Date.parse(str(e, k));
  if (Number.isNaN(ms)) throw new Error(`field ${k} is not a timestamp`);
  return ms;
}

/** A string field that must be one of `values`. */
export function oneOf<T extends string>(e: Payload, k: string, values: readonly T[]): T {
  const v = str(e, k);
  if (!(values as readonly string[]).includes(v)) throw new Error(`bad ${k} ${v}`);
  return v as T;
}

export function object(e: Payload, k: string): Payload {
  const v = e[k];
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`field ${k} is not an object`);
  return v as Payload;
}
