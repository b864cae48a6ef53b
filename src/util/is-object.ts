// The "is it a YAML/JSON mapping" test that the pack loader, its schema
// messages, the condition compiler and the CLI all ask of parsed input.
// (Not in src/shared: workflow code receives already-validated data.)

/** A mapping: an object that is neither null nor an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
