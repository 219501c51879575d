import { FormatRegistry } from '@sinclair/typebox';
import { isDateTime } from './date-time.js';

// TypeBox knows no string formats out of the box: a schema with `format: 'uuid'` fails every
// value until the format is registered. We register the two the contracts use, with the
// same semantics as ajv-formats (full mode), which validates the reference JSON Schemas.
//
// FormatRegistry is process-global. Registering is idempotent and these definitions are the
// contract's, so overwriting an earlier registration of the same name is intended.

/** ajv-formats' "uuid": RFC 4122 layout, any case, optional `urn:uuid:` prefix. */
const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

export function isUuid(str: string): boolean {
  return UUID.test(str);
}

export function registerEventFormats(): void {
  FormatRegistry.Set('uuid', isUuid);
  FormatRegistry.Set('date-time', isDateTime);
}
