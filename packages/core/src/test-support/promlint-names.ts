/**
 * The naming rules of `promtool check metrics` (promlint, Prometheus 2.42), as a model, so that
 * property tests can generate any name of the Prometheus grammar and leave out only those that
 * promtool's lint, not its parser, would report. Each rule returns promtool's own message.
 */

/** Metric types as promtool sees a family. */
export type LintedType = 'counter' | 'gauge' | 'histogram';

const CAMEL_CASE = /[a-z][A-Z]/;
/** Abbreviated units promlint discourages, as `_x_` or a final `_x` (case-insensitive). */
const UNIT_ABBREVIATIONS = ['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd'];
/** Units promlint knows, mapped to their base unit (a name token equal to a non-base unit is reported). */
const UNITS: Readonly<Record<string, string>> = {
  amperes: 'amperes',
  bytes: 'bytes',
  celsius: 'celsius',
  grams: 'grams',
  joules: 'joules',
  kelvin: 'kelvin',
  meters: 'meters',
  metres: 'metres',
  seconds: 'seconds',
  volts: 'volts',
  minutes: 'seconds',
  hours: 'seconds',
  days: 'seconds',
  weeks: 'seconds',
  kelvins: 'kelvin',
  fahrenheit: 'celsius',
  rankine: 'celsius',
  inches: 'meters',
  yards: 'meters',
  miles: 'meters',
  bits: 'bytes',
  calories: 'joules',
  pounds: 'grams',
  ounces: 'grams',
};
const UNIT_PREFIXES = [
  'pico',
  'nano',
  'micro',
  'milli',
  'centi',
  'deci',
  'deca',
  'hecto',
  'kilo',
  'kibi',
  'mega',
  'mibi',
  'giga',
  'gibi',
  'tera',
  'tebi',
  'peta',
  'pebi',
];
const TYPE_NAMES = ['counter', 'gauge', 'histogram', 'summary', 'gauge_histogram'];

/** The unit a name token stands for, and its base, if promlint knows it. */
function knownUnit(token: string): { unit: string; base: string } | undefined {
  if (Object.hasOwn(UNITS, token)) return { unit: token, base: UNITS[token]! };
  for (const prefix of UNIT_PREFIXES) {
    const rest = token.slice(prefix.length);
    if (token.startsWith(prefix) && Object.hasOwn(UNITS, rest)) return { unit: token, base: UNITS[rest]! };
  }
  return undefined;
}

const hasToken = (lowerName: string, token: string) =>
  lowerName.includes(`_${token}_`) || lowerName.endsWith(`_${token}`);

/** promtool's findings about a metric name alone, whatever its type. */
export function metricNameFindings(name: string): string[] {
  const findings: string[] = [];
  const lower = name.toLowerCase();
  if (CAMEL_CASE.test(name)) findings.push("metric names should be written in 'snake_case' not 'camelCase'");
  if (name.includes(':')) findings.push("metric names should not contain ':'");
  if (UNIT_ABBREVIATIONS.some((abbreviation) => hasToken(lower, abbreviation)))
    findings.push('metric names should not contain abbreviated units');
  for (const token of name.split('_')) {
    const unit = knownUnit(token);
    if (unit !== undefined) {
      if (unit.unit !== unit.base) findings.push(`use base unit "${unit.base}" instead of "${unit.unit}"`);
      break;
    }
  }
  for (const type of TYPE_NAMES)
    if (hasToken(lower, type)) findings.push(`metric name should not include type '${type}'`);
  return findings;
}

/** promtool's findings about a family: its exposed name (counters with `_total`), type and label names. */
export function familyFindings(
  exposedName: string,
  type: LintedType,
  labelNames: Iterable<string>,
): string[] {
  const findings = metricNameFindings(exposedName);
  if (type !== 'counter' && exposedName.endsWith('_total'))
    findings.push('non-counter metrics should not have "_total" suffix');
  if (type !== 'histogram') {
    if (exposedName.endsWith('_bucket'))
      findings.push('non-histogram metrics should not have "_bucket" suffix');
    if (exposedName.endsWith('_count'))
      findings.push('non-histogram and non-summary metrics should not have "_count" suffix');
    if (exposedName.endsWith('_sum'))
      findings.push('non-histogram and non-summary metrics should not have "_sum" suffix');
  }
  for (const label of labelNames) findings.push(...labelNameFindings(label, type));
  return findings;
}

/** promtool's findings about one label name of a family of `type`. */
export function labelNameFindings(label: string, type: LintedType): string[] {
  const findings: string[] = [];
  if (CAMEL_CASE.test(label)) findings.push("label names should be written in 'snake_case' not 'camelCase'");
  if (type !== 'histogram' && label === 'le')
    findings.push('non-histogram metrics should not have "le" label');
  if (label === 'quantile') findings.push('non-summary metrics should not have "quantile" label');
  return findings;
}
