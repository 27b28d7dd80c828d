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
  // user:password@ becomes basic auth: checked now, or every request would fail to be built.
  if (basicAuth(url) === null) {
    throw new InvalidTargetError(
      `Invalid ${option} ${describeValue(redactUrl(url))}: its user or password is not valid percent-encoding`,
      { subject: option },
    );
  }
  return url;
}

/**
 * The `user:password` of a URL's credentials, percent-decoded, for basic auth: undefined when the
 * URL has none, null when they are not valid percent-encoded UTF-8.
 */
export function basicAuth(url: URL): string | undefined | null {
  if (url.username === '' && url.password === '') return undefined;
  try {
    return `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  } catch {
    return null;
  }
}

/** The URL without user and password, for messages and logs. */
export function redactUrl(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

/**
 * Headers that frame the body: the clients send it with `Content-Length`; a `Transfer-Encoding`
 * beside it would make the request ambiguous (servers answer 400). Options cannot set them.
 */
export const BODY_FRAMING_HEADERS = ['Content-Length', 'Transfer-Encoding'] as const;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** An HTTP field value (RFC 9110): visible ASCII, space, tab and obs-text (Latin-1), as Node sends them. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Checks extra HTTP headers: names are HTTP tokens, values valid HTTP field values (no control
 * characters, nothing beyond Latin-1), and none of `reserved` (case-insensitive). Throws
 * ConfigError naming the bad header.
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
    if (typeof value !== 'string' || !FIELD_VALUE.test(value)) {
      throw new ConfigError(
        `Invalid ${option}: header "${name}" has value ${describeValue(value)}; expected a string of visible ASCII, spaces, tabs or Latin-1 (no control characters)`,
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
