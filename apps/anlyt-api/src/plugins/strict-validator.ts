/**
 * fastify's default validator removes members a schema does not allow instead of refusing
 * them; the POST bodies of the DSL and the audit must refuse unknown members (400), so their
 * routes compile schemas with this one.
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

const strict = new Ajv({
  removeAdditional: false,
  coerceTypes: false,
  useDefaults: false,
  strict: false,
});
addFormats.default(strict); // a CommonJS module: its default export is the plugin

/** A route's `validatorCompiler`. */
export const strictValidator = ({ schema }: { schema: object }) => strict.compile(schema);
