import { describeValue, InvalidValueError } from '@fw0/metrics-core';
import { copyFlatContext } from './flat-context.js';

/** Free-form context of a business metric, as it travels with the sample. */
export type MetricContext = Readonly<Record<string, unknown>>;

/**
 * Checks a business metric's context and returns the copy the sample carries: its JSON form
 * parsed back (so later changes to the caller's object do not reach recorded samples, and
 * whatever reads the samples can always write them as JSON), frozen at the top level. A flat
 * context (JSON primitives only) is copied directly, to the same result, without the JSON text.
 * Throws {@link InvalidValueError} for anything that is not a JSON object or whose JSON is
 * longer than `maxLength` UTF-16 code units.
 */
export function snapshotContext(metric: string, context: unknown, maxLength: number): MetricContext {
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw new InvalidValueError(
      `Invalid context ${describeValue(context)} for business metric "${metric}": it must be an object of JSON values`,
      { subject: metric, value: context },
    );
  }
  const flat = copyFlatContext(context);
  if (flat !== undefined) {
    if (flat.jsonLength > maxLength) throw tooLong(metric, context, flat.jsonLength, maxLength);
    return Object.freeze(flat.copy);
  }
  let json: string | undefined;
  try {
    // Undefined when a toJSON() gives undefined or a function: no JSON at all.
    json = JSON.stringify(context) as string | undefined;
  } catch (error) {
    throw new InvalidValueError(
      `Invalid context for business metric "${metric}": it cannot be written as JSON (${(error as Error).message})`,
      { subject: metric, value: context, cause: error },
    );
  }
  if (json === undefined) throw notAnObject(metric, context);
  if (json.length > maxLength) throw tooLong(metric, context, json.length, maxLength);
  const copy: unknown = JSON.parse(json);
  // An object whose toJSON() gives a string or a list (a Date, say) is not a context object.
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) throw notAnObject(metric, context);
  return Object.freeze(copy as Record<string, unknown>);
}

function tooLong(metric: string, context: unknown, length: number, maxLength: number): InvalidValueError {
  return new InvalidValueError(
    `Invalid context for business metric "${metric}": its JSON is ${length} characters, more than maxContextLength ${maxLength}`,
    { subject: metric, value: context },
  );
}

function notAnObject(metric: string, context: unknown): InvalidValueError {
  return new InvalidValueError(
    `Invalid context ${describeValue(context)} for business metric "${metric}": its JSON form is not an object`,
    { subject: metric, value: context },
  );
}
