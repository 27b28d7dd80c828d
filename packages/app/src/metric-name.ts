import { describeValue, InvalidNameError, MAX_NAME_LENGTH } from '@fw0/metrics-core';
import { TimerSuffix } from './names.js';

/** Longest exposed base name: the longest suffix must still fit in a metric name. */
const MAX_BASE_LENGTH = MAX_NAME_LENGTH - TimerSuffix.EXTERNAL_DELTA.length;

/**
 * Maps a timer name as callers write it (the seed's style: `UserService.getUser`, `checkout`,
 * `db query`) to the base of its exposed Prometheus names, in snake_case:
 *
 * 1. accents are dropped (`é` becomes `e`);
 * 2. camelCase words are split (`getUser` becomes `get_User`, `HTTPServer` becomes `HTTP_Server`);
 * 3. every run of other characters (`.`, `#`, `$`, `:`, spaces, symbols) becomes one `_`;
 * 4. the result is lower-cased, `_` runs collapse, leading and trailing `_` go;
 * 5. a leading digit gets a `_` in front.
 *
 * So `UserService.getUser` is exposed as `user_service_get_user_duration_seconds`; a name that is
 * already snake_case is kept as it is. Throws {@link InvalidNameError} for a name that is not a
 * string, maps to nothing (`'...'`), or is too long for a metric name.
 */
export function toExposedName(name: string): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InvalidNameError(
      `Invalid timer name ${describeValue(name)}: expected a non-empty string such as "UserService.getUser"`,
      { value: name },
    );
  }
  let base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase()
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  if (base === '') {
    throw new InvalidNameError(
      `Invalid timer name ${describeValue(name)}: it has no letter or digit to build a metric name from`,
      { subject: name, value: name },
    );
  }
  if (/^[0-9]/.test(base)) base = `_${base}`;
  if (base.length > MAX_BASE_LENGTH) {
    throw new InvalidNameError(
      `Invalid timer name ${describeValue(name)}: its exposed name would be longer than ${MAX_BASE_LENGTH} characters before the unit suffix`,
      { subject: name, value: name },
    );
  }
  return base;
}

/** The seed-style name of a class member: `Class.method`, `Class.[Symbol.iterator]`, `anonymous.#secret`. */
export function memberName(className: string, key: string | symbol): string {
  const member = typeof key === 'symbol' ? `[${key.description ?? 'symbol'}]` : key;
  return `${className === '' ? 'anonymous' : className}.${member}`;
}
