import {
  ConfigError,
  describeValue,
  InvalidLabelError,
  InvalidNameError,
  InvalidValueError,
} from './errors.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Maximum length of a metric or label name, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 200;

/**
 * Checks a metric name against the Prometheus grammar `[a-zA-Z_:][a-zA-Z0-9_:]*`, the reserved
 * `__` prefix and {@link MAX_NAME_LENGTH}. Throws {@link InvalidNameError} naming the bad name.
 */
export function validateMetricName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw new InvalidNameError(
      `Invalid metric name ${describeValue(name)}: it must match [a-zA-Z_:][a-zA-Z0-9_:]* (e.g. "http_requests_total")`,
      { subject: typeof name === 'string' ? name : undefined, value: name },
    );
  }
  if (name.startsWith('__')) {
    throw new InvalidNameError(
      `Invalid metric name "${name}": names starting with "__" are reserved for Prometheus`,
      {
        subject: name,
        value: name,
      },
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new InvalidNameError(
      `Invalid metric name "${name.slice(0, 40)}...": longer than ${MAX_NAME_LENGTH} characters`,
      {
        subject: name,
        value: name,
      },
    );
  }
}

/**
 * Checks a label name: the grammar `[a-zA-Z_][a-zA-Z0-9_]*`, not `__`-prefixed, not one of
 * `reserved` (e.g. `le` on histograms). Throws {@link InvalidLabelError}.
 */
export function validateLabelName(metric: string, label: string, reserved: readonly string[] = []): void {
  if (!LABEL_NAME.test(label) || label.length > MAX_NAME_LENGTH) {
    throw new InvalidLabelError(
      `Invalid label name ${describeValue(label)} on metric "${metric}": it must match [a-zA-Z_][a-zA-Z0-9_]*`,
      { subject: metric, value: label },
    );
  }
  if (label.startsWith('__')) {
    throw new InvalidLabelError(
      `Invalid label name "${label}" on metric "${metric}": names starting with "__" are reserved for Prometheus`,
      { subject: metric, value: label },
    );
  }
  if (reserved.includes(label)) {
    throw new InvalidLabelError(`Label name "${label}" is reserved on metric "${metric}"`, {
      subject: metric,
      value: label,
    });
  }
}

/**
 * Turns a label value into its string form and checks it is well-formed Unicode (no lone
 * surrogates, which cannot be written as UTF-8). Numbers and booleans become `String(value)`.
 */
export function normalizeLabelValue(metric: string, label: string, value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    text = String(value);
  else {
    throw new InvalidLabelError(
      `Invalid value ${describeValue(value)} for label "${label}" on metric "${metric}": label values must be strings`,
      { subject: metric, value },
    );
  }
  if (!text.isWellFormed()) {
    throw new InvalidLabelError(
      `Invalid value for label "${label}" on metric "${metric}": the string contains a lone surrogate (not valid Unicode)`,
      { subject: metric, value },
    );
  }
  return text;
}

/** Throws {@link InvalidValueError} unless `value` is a finite number. */
export function assertFinite(metric: string, value: unknown, what = 'value'): asserts value is number {
  if (typeof value !== 'number' || value - value !== 0) {
    throw new InvalidValueError(
      `Invalid ${what} ${describeValue(value)} for metric "${metric}": it must be a finite number`,
      {
        subject: metric,
        value,
      },
    );
  }
}

/** Throws {@link InvalidValueError} unless `value` is a finite number >= 0. */
export function assertNonNegative(metric: string, value: unknown, what = 'value'): asserts value is number {
  assertFinite(metric, value, what);
  if (value < 0) {
    throw new InvalidValueError(
      `Invalid ${what} ${describeValue(value)} for metric "${metric}": it must not be negative (a counter only goes up)`,
      { subject: metric, value },
    );
  }
}

/** Throws {@link ConfigError} unless `value` is an integer in [min, max]. */
export function assertIntegerOption(
  option: string,
  value: unknown,
  min: number,
  max: number,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `Invalid option ${option}=${describeValue(value)}: expected an integer from ${min} to ${max}`,
      {
        subject: option,
        value,
      },
    );
  }
}

/** Throws {@link ConfigError} unless `value` is a finite number in [min, max]. */
export function assertNumberOption(
  option: string,
  value: unknown,
  min: number,
  max: number,
): asserts value is number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new ConfigError(
      `Invalid option ${option}=${describeValue(value)}: expected a number from ${min} to ${max}`,
      {
        subject: option,
        value,
      },
    );
  }
}

/** Throws {@link ConfigError} unless `value` is true or false. */
export function assertBooleanOption(option: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigError(`Invalid option ${option}=${describeValue(value)}: expected true or false`, {
      subject: option,
      value,
    });
  }
}

/** Throws {@link ConfigError} unless `options` (of `what`) is an object. */
export function assertOptionsObject(what: string, options: unknown): asserts options is object {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`Invalid options of ${what} ${describeValue(options)}: expected an object`, {
      subject: what,
      value: options,
    });
  }
}
