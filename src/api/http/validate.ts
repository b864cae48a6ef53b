// Request bodies are validated with the JSON Schemas in schemas/ (one ajv
// instance); failures become problem+json naming each field at fault.
import type { ErrorObject } from 'ajv';
import { collapseAjvErrors, describeAjvError, instancePathLabel, validateSchema, type SchemaName } from '../../policy/pack/schemas';
import { HttpProblem } from './problem';

/** The field a person should look at: for a missing property, the property itself. */
function fieldOf(e: ErrorObject): string {
  const missing = e.keyword === 'required' ? (e.params as { missingProperty?: string }).missingProperty : undefined;
  const pointer = missing ? `${e.instancePath}/${missing}` : e.instancePath;
  return instancePathLabel(pointer) || '(body)';
}

export function validateBody<T>(schema: SchemaName, body: unknown, status = 400): T {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpProblem(status, 'Invalid request body', 'the body must be a JSON object', [
      { field: '(body)', message: 'expected a JSON object' },
    ]);
  }
  const errors = validateSchema(schema, body);
  if (errors.length === 0) return body as T;
  const fields = collapseAjvErrors(errors).map((e) => ({ field: fieldOf(e), message: describeAjvError(e) }));
  throw new HttpProblem(status, 'Invalid request body', fields.map((e) => `${e.field}: ${e.message}`).join('; '), fields);
}
