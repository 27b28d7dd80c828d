import {
  ConfigError,
  describeValue,
  InvalidLabelError,
  InvalidTargetError,
  normalizeLabelValue,
  validateLabelName,
} from '@fw0/metrics-core';

/** Parses an http(s) URL option; throws InvalidTargetError naming the value otherwise. */
export function parseHttpUrl(option: string, value: unknown): URL {
  let url: URL | undefined;
  if (typeof value === 'string') {
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidTargetError(
      `Invalid ${option} ${describeValue(value)}: expected an http:// or https:// URL (e.g. "http://127.0.0.1:9090/api/v1/write")`,
      { subject: option, value },
    );
  }
  return url;
}

/** The URL without user and password, for messages and logs. */
export function redactUrl(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Checks extra HTTP headers: names are HTTP tokens, values strings without CR, LF or NUL, and
 * none of `reserved` (case-insensitive). Throws ConfigError naming the bad header.
 */
export function validateHeaders(
  option: string,
  headers: unknown,
  reserved: readonly string[],
): Record<string, string> {
  if (headers === undefined) return {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new ConfigError(
      `Invalid ${option} ${describeValue(headers)}: expected an object of header names to values`,
      {
        subject: option,
        value: headers,
      },
    );
  }
  const result: Record<string, string> = {};
  const taken = reserved.map((name) => name.toLowerCase());
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) {
      throw new ConfigError(`Invalid ${option}: header name ${describeValue(name)} is not an HTTP token`, {
        subject: option,
        value: name,
      });
    }
    if (taken.includes(name.toLowerCase())) {
      throw new ConfigError(
        `Invalid ${option}: header "${name}" is set by the protocol and cannot be overridden`,
        {
          subject: option,
          value: name,
        },
      );
    }
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw new ConfigError(
        `Invalid ${option}: header "${name}" has value ${describeValue(value)}; expected a string without CR, LF or NUL`,
        { subject: option, value },
      );
    }
    result[name] = value;
  }
  return result;
}

/**
 * Validates a label set given as an option (external or grouping labels): names follow the
 * label grammar, are not `__`-prefixed nor in `reserved`; values are strings (numbers and
 * booleans are turned into strings). Returns a copy with string values, names sorted.
 */
export function validateLabelOption(
  option: string,
  labels: unknown,
  reserved: readonly string[] = [],
): Record<string, string> {
  if (labels === undefined) return {};
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new InvalidLabelError(
      `Invalid ${option} ${describeValue(labels)}: expected an object of label names to values`,
      {
        subject: option,
        value: labels,
      },
    );
  }
  const result: Record<string, string> = {};
  for (const name of Object.keys(labels).sort()) {
    const value = (labels as Record<string, unknown>)[name];
    if (value === undefined) continue;
    validateLabelName(option, name, reserved);
    result[name] = normalizeLabelValue(option, name, value);
  }
  return result;
}
