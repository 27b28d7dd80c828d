import { isIP } from 'node:net';
import fc from 'fast-check';

/**
 * Generators of user input for the fuzz properties, and the models that say, from the packages'
 * documentation, whether an input is valid. The models are written from the READMEs and the
 * documented types, not taken from the packages: a property fails when code and model disagree.
 */

// ---------------------------------------------------------------------------------------------
// Characters and strings

/** Characters that break text formats, HTML or parsers when not escaped. */
export const NASTY_CHARACTERS = [
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '}',
  '{',
  '#',
  '=',
  ',',
  ' ',
  '\u0000',
  '\u2028',
  '\u2029',
  '\uFEFF',
  '\u00a0',
  '<',
  '>',
  '&',
  "'",
  '`',
  '\u0085',
  'é',
  '\u0301',
  '😀',
  '\u{10FFFF}',
];

/** Lone surrogates: not valid Unicode, cannot be written as UTF-8. */
export const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'];

/** Well-formed strings of any Unicode (astral planes included) rich in nasty characters. */
export const unicodeText = (maxLength = 24): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof(
      { arbitrary: fc.constantFrom(...NASTY_CHARACTERS), weight: 2 },
      { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 3 },
      { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 2 },
    ),
    maxLength,
  });

/** Strings that may also hold lone surrogates. */
export const anyText = (maxLength = 24): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: unicodeText(maxLength), weight: 5 },
    {
      arbitrary: fc
        .tuple(unicodeText(8), fc.constantFrom(...LONE_SURROGATES), unicodeText(8))
        .map(([a, b, c]) => a + b + c),
      weight: 1,
    },
  );

/** Values of every JavaScript type that JSON or a careless caller can produce (no symbols). */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom({}, [], [1], { length: 2 }, new Date(0), /x/),
);

// ---------------------------------------------------------------------------------------------
// Numbers

export const SPECIAL_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  1e308,
  1.7e308,
  -1e308,
  2 ** 53,
  2 ** 53 + 2,
  1e21,
  1e-12,
  1.0000000000000002e-12,
  -1e-12,
  0.1,
  1e-300,
  123_456.789,
];

/** Any double: NaN, infinities, -0, huge, tiny, negative. */
export const anyNumber: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.double(), weight: 4 },
  { arbitrary: fc.constantFrom(...SPECIAL_NUMBERS), weight: 3 },
  { arbitrary: fc.integer({ min: -1000, max: 1_000_000 }), weight: 2 },
);

/** A number most of the time, else something that is not one. */
export const numberOrJunk: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: anyNumber, weight: 6 },
  { arbitrary: junk, weight: 1 },
  { arbitrary: fc.constantFrom('1', '0x10', ' 2 ', '1e3', ''), weight: 1 },
);

/** An integer option value around [min, max], or not an integer at all. */
export const integerOption = (min: number, max: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.integer({ min, max: Math.min(max, min + 200) }), weight: 4 },
    { arbitrary: fc.integer({ min, max }), weight: 2 },
    { arbitrary: fc.constantFrom(min - 1, max + 1, min, max, min + 0.5, -1, 0), weight: 2 },
    { arbitrary: numberOrJunk, weight: 2 },
  );

export const isNumber = (value: unknown): value is number => typeof value === 'number';

/** Model of core's assertIntegerOption: an integer from min to max. */
export const integerIn = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** Model of core's assertNumberOption: a number from min to max (no NaN). */
export const numberIn = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && value >= min && value <= max;

// ---------------------------------------------------------------------------------------------
// Metric and label names

/** The Prometheus grammar of metric names, and the documented limits. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const MAX_NAME = 200;

export function isMetricName(name: unknown): name is string {
  return (
    typeof name === 'string' && METRIC_NAME.test(name) && !name.startsWith('__') && name.length <= MAX_NAME
  );
}

export function isLabelName(name: string, reserved: readonly string[] = []): boolean {
  return (
    LABEL_NAME.test(name) && name.length <= MAX_NAME && !name.startsWith('__') && !reserved.includes(name)
  );
}

/** A label value the packages accept: a well-formed string, a number or a boolean (made strings). */
export function isLabelValue(value: unknown): boolean {
  return (
    (typeof value === 'string' && value.isWellFormed()) ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  );
}

const validMetricName = fc
  .stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,30}$/)
  .filter((name) => !name.startsWith('__'));

/** Metric names: valid ones, near misses, non-strings, and names already taken in the fixtures. */
export const metricNameInput = (taken: readonly string[] = []): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: validMetricName, weight: 8 },
    { arbitrary: validMetricName.map((name) => `${name}_total`), weight: 2 },
    {
      arbitrary: fc.constantFrom(
        '_total',
        'total',
        '__x',
        '__',
        ':',
        '_',
        'a'.repeat(200),
        'a'.repeat(201),
        `${'b'.repeat(195)}_total`,
        'orders.completed',
        'user-id',
        '1st',
        'café',
        'a b',
        '',
        'x\n',
        'fw0_scrapes',
        'fw0_scrapes_total',
      ),
      weight: 3,
    },
    { arbitrary: anyText(20), weight: 2 },
    {
      arbitrary: fc
        .tuple(validMetricName, fc.constantFrom(...NASTY_CHARACTERS, ...LONE_SURROGATES, '.', '-', '/'))
        .map(([name, bad]) => name + bad),
      weight: 2,
    },
    { arbitrary: junk, weight: 1 },
    ...(taken.length > 0 ? [{ arbitrary: fc.constantFrom(...taken), weight: 3 }] : []),
  );

/** Label names: valid ones, reserved ones, near misses. */
export const labelNameInput = (reserved: readonly string[] = []): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        'le',
        'fw0_overflow',
        '__name__',
        '__x',
        'user-id',
        '0',
        'a.b',
        '',
        'quantile',
        'job',
        ...reserved,
      ),
      weight: 2,
    },
    { arbitrary: anyText(6), weight: 1 },
  );

/** Label values: any Unicode (lone surrogates too), numbers, booleans, and things that are not values. */
export const labelValueInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: anyText(20), weight: 8 },
  { arbitrary: anyNumber, weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constantFrom(undefined, null, {}, [], ['a'], new Date(0)), weight: 1 },
);

/** Tags as a caller passes them: usually an object, sometimes not. */
export const tagsInput = (reserved: readonly string[] = []): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: fc.dictionary(labelNameInput(reserved), labelValueInput, { maxKeys: 4 }), weight: 10 },
    {
      arbitrary: fc.dictionary(
        fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/),
        anyText(12).filter((text) => text.isWellFormed()),
        { maxKeys: 3 },
      ),
      weight: 6,
    },
    { arbitrary: fc.constantFrom(null, 'abc', '', 5, true, [], ['x']), weight: 1 },
  );

/** Entries of tags as the core and custom collectors read them (for...in, undefined left out). */
export function tagEntries(tags: unknown): [string, unknown][] {
  if (tags === undefined || tags === null) return [];
  const entries: [string, unknown][] = [];
  for (const name in tags as object) {
    const value = (tags as Record<string, unknown>)[name];
    if (value !== undefined) entries.push([name, value]);
  }
  return entries;
}

/** True when every tag is a valid label (name not in `reserved`, value accepted). */
export function tagsValid(tags: unknown, reserved: readonly string[] = []): boolean {
  return tagEntries(tags).every(([name, value]) => isLabelName(name, reserved) && isLabelValue(value));
}

/** The canonical label set of valid tags: names sorted, values strings. */
export function canonicalTags(tags: unknown): Record<string, string> {
  const entries = tagEntries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([name, value]) => [name, String(value)]));
}

// ---------------------------------------------------------------------------------------------
// Units

interface UnitInfo {
  readonly dimension: string;
  readonly factor: number;
  readonly base: string;
}

/** The built-in units as core's README and MetricUnit documentation describe them. */
export const BUILT_IN_UNITS: Readonly<Record<string, UnitInfo>> = {
  nanoseconds: { dimension: 'time', factor: 1e-9, base: 'seconds' },
  microseconds: { dimension: 'time', factor: 1e-6, base: 'seconds' },
  milliseconds: { dimension: 'time', factor: 1e-3, base: 'seconds' },
  seconds: { dimension: 'time', factor: 1, base: 'seconds' },
  minutes: { dimension: 'time', factor: 60, base: 'seconds' },
  hours: { dimension: 'time', factor: 3600, base: 'seconds' },
  bytes: { dimension: 'size', factor: 1, base: 'bytes' },
  kilobytes: { dimension: 'size', factor: 1e3, base: 'bytes' },
  megabytes: { dimension: 'size', factor: 1e6, base: 'bytes' },
  gigabytes: { dimension: 'size', factor: 1e9, base: 'bytes' },
  kibibytes: { dimension: 'size', factor: 1024, base: 'bytes' },
  mebibytes: { dimension: 'size', factor: 1024 ** 2, base: 'bytes' },
  gibibytes: { dimension: 'size', factor: 1024 ** 3, base: 'bytes' },
  ratio: { dimension: 'ratio', factor: 1, base: 'ratio' },
  percent: { dimension: 'ratio', factor: 0.01, base: 'ratio' },
  count: { dimension: 'count', factor: 1, base: 'count' },
  per_second: { dimension: 'event_rate', factor: 1, base: 'per_second' },
  requests_per_second: { dimension: 'event_rate', factor: 1, base: 'per_second' },
  bytes_per_second: { dimension: 'data_rate', factor: 1, base: 'bytes_per_second' },
  bits_per_second: { dimension: 'data_rate', factor: 1 / 8, base: 'bytes_per_second' },
  celsius: { dimension: 'temperature', factor: 1, base: 'celsius' },
};

/** A unit once checked: the normalised unit, its base and the factor to the base. */
export type UnitModel =
  | {
      readonly ok: true;
      readonly unit: string;
      readonly base: string;
      readonly factor: number;
      readonly dimension: string;
    }
  | { readonly ok: false };

/** Model of a unit: a MetricUnit, or a custom unit of lowercase letters, digits and `_` (lower-cased). */
export function unitModel(unit: unknown): UnitModel {
  if (typeof unit !== 'string') return { ok: false };
  for (const candidate of [unit, unit.toLowerCase()]) {
    const info = Object.hasOwn(BUILT_IN_UNITS, candidate) ? BUILT_IN_UNITS[candidate] : undefined;
    if (info !== undefined) return { ok: true, unit: candidate, ...info };
  }
  const lower = unit.toLowerCase();
  if (/^[a-z][a-z0-9_]*$/.test(lower) && !lower.endsWith('_') && !lower.includes('__')) {
    return { ok: true, unit: lower, base: lower, factor: 1, dimension: 'custom' };
  }
  return { ok: false };
}

/** The suffix a metric in `base` carries: `_seconds`, `_eur`; none for counts. */
export const suffixOf = (base: string): string => (base === 'count' ? '' : `_${base}`);

/** Units: every MetricUnit, case variants, custom units, and things that are not units. */
export const unitInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...Object.keys(BUILT_IN_UNITS)), weight: 6 },
  { arbitrary: fc.constantFrom(...Object.keys(BUILT_IN_UNITS)).map((unit) => unit.toUpperCase()), weight: 1 },
  { arbitrary: fc.constantFrom('eur', 'usd', 'EUR', 'Eur', 'orders', 'e_u_r', 'x1', 'tostring'), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      '',
      ' eur',
      'eur ',
      'US$',
      'a__b',
      'b_',
      '1x',
      '_x',
      'é',
      'seconds\n',
      '__proto__',
    ),
    weight: 2,
  },
  { arbitrary: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/), weight: 2 },
  { arbitrary: junk, weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// Histogram buckets

/** Valid `le` bounds: finite, strictly increasing, sometimes ending with +Inf. */
export const validBuckets: fc.Arbitrary<number[]> = fc
  .tuple(
    fc.uniqueArray(
      fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.constantFrom(0, -0.5, 0.005, 0.01, 1, 2.5, 10, 1e-12, 2e-12, 1e300, -1e300),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      ),
      { minLength: 1, maxLength: 12, comparator: (a, b) => a === b },
    ),
    fc.boolean(),
  )
  .map(([bounds, inf]) => {
    const sorted = bounds.sort((a, b) => a - b);
    return inf ? [...sorted, Number.POSITIVE_INFINITY] : sorted;
  });

/** Bucket options: valid layouts, broken ones, and non-arrays. */
export const bucketsInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: validBuckets, weight: 5 },
  { arbitrary: fc.array(numberOrJunk, { maxLength: 6 }), weight: 3 },
  {
    arbitrary: fc.constantFrom([], [Number.POSITIVE_INFINITY], [1, 1], [2, 1], [-0, 0], [0, Number.NaN]),
    weight: 1,
  },
  { arbitrary: junk, weight: 1 },
);

/** Model of core's bucket rule: an array; a trailing +Inf dropped; then at least one finite bound, strictly increasing. */
export function bucketsValid(buckets: unknown): buckets is number[] {
  if (!Array.isArray(buckets)) return false;
  const bounds = buckets.at(-1) === Number.POSITIVE_INFINITY ? buckets.slice(0, -1) : buckets;
  return (
    bounds.length > 0 &&
    bounds.every(
      (bound, i) =>
        typeof bound === 'number' && Number.isFinite(bound) && (i === 0 || bound > (bounds[i - 1] as number)),
    )
  );
}

/** Bounds without the implicit +Inf. */
export function finiteBounds(buckets: readonly number[]): number[] {
  return buckets.at(-1) === Number.POSITIVE_INFINITY ? buckets.slice(0, -1) : [...buckets];
}

// ---------------------------------------------------------------------------------------------
// Metrics server options

/** Hosts that resolve on this machine without asking a DNS server: loopback addresses and `localhost`. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '127.0.0.2', '::1', 'localhost'];

/**
 * `host` options: loopback ones, strings that are neither an IP address nor a host name, and
 * things that are not strings. Never a valid host name other than `localhost`: listening on it
 * would ask a DNS server.
 */
export const hostInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fc.constantFrom(...LOOPBACK_HOSTS), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'a b',
      '127.0.0.1\n',
      'host_name',
      '-x',
      'x-',
      '::1 ',
      '[::1]',
      '..',
      'é.local',
    ),
    weight: 3,
  },
  { arbitrary: anyText(12).filter((text) => !/^[a-z0-9.-]*$/i.test(text)), weight: 2 },
  { arbitrary: fc.constantFrom(5, {}, [], true, ['127.0.0.1']), weight: 1 },
);

/** Model of core's host rule (README): an IP address or an RFC 1123 host name; undefined or null for the default. */
export function hostValid(host: unknown): boolean {
  if (host === undefined || host === null) return true;
  if (typeof host !== 'string') return false;
  if (isIP(host) !== 0) return true;
  return (
    host.length <= 253 &&
    host
      .replace(/\.$/, '')
      .split('.')
      .every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(label))
  );
}

/** `path` options: usual paths, paths as requests never carry them, and things that are not strings. */
export const pathInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fc.constantFrom('/metrics', '/m', '/', '/a/b/', '/m%C3%A9triques', '/x-y_z.txt'), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      '',
      'metrics',
      '/a b',
      '/m?x=1',
      '/m#x',
      '/a/../b',
      '/./m',
      '/métriques',
      '//m',
    ),
    weight: 3,
  },
  { arbitrary: anyText(10).map((text) => `/${text}`), weight: 2 },
  { arbitrary: fc.constantFrom(5, {}, true), weight: 1 },
);

/**
 * Model of core's path rule (README): a URL path as requests carry it: a string starting with
 * `/` that a URL parser leaves as it is (percent-encoded, no query, fragment, dot segments).
 */
export function pathValid(path: unknown): boolean {
  if (path === undefined || path === null) return true;
  if (typeof path !== 'string' || !path.startsWith('/')) return false;
  try {
    return new URL(path, 'http://localhost').pathname === path;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Collector options shared by the exporters, clients and aggregators

/** True for an object that is not an array (an options object as the packages read it). */
export const plainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A collector name as core takes it: a non-empty string of valid Unicode (it becomes a label value). */
export const collectorNameValid = (value: unknown): boolean =>
  typeof value === 'string' && value !== '' && value.isWellFormed();

/** `name` options: left out, usual names (`taken` is one the fixtures register first), odd Unicode, not names. */
export const collectorNameInput = (usual: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    { arbitrary: fc.constantFrom('taken', ...usual), weight: 2 },
    { arbitrary: unicodeText(10), weight: 2 },
    {
      arbitrary: fc.constantFrom('', ...LONE_SURROGATES.map((text) => `n${text}`), 5, 0, null, ['a']),
      weight: 1,
    },
  );

/** `logger` options: left out mostly, else a logger, half of one, or not one. */
export const loggerInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      { debug() {}, warn() {}, error() {} },
      { debug() {}, warn() {} },
      {},
      5,
      null,
      'console',
    ),
    weight: 1,
  },
);

/** Model of core's logger rule: left out (undefined or null), or an object with debug, warn and error methods. */
export function loggerValid(logger: unknown): boolean {
  // Core's rule for every collector and registry: undefined or null is the default logger.
  if (logger === undefined || logger === null) return true;
  if (typeof logger !== 'object') return false;
  const methods = logger as Record<string, unknown>;
  return ['debug', 'warn', 'error'].every((level) => typeof methods[level] === 'function');
}
