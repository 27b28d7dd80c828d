import type { ConnectionOptions } from 'node:tls';
import { assertIntegerOption, ConfigError, describeValue } from '@fw0/metrics-core';
import type { HttpProbeOptions } from './options.js';
import { isLabelText } from './target-recorders.js';

/** HTTP measurement options, checked and with defaults applied. */
export interface ResolvedHttpOptions {
  readonly method: 'GET' | 'HEAD';
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly followRedirects: number;
  /** In bytes. */
  readonly maxBodyBytes: number;
  /** Accepted status codes; undefined means 200 to 299. */
  readonly validStatusCodes: ReadonlySet<number> | undefined;
  readonly bodyMatches: RegExp | undefined;
  readonly insecure: boolean;
  readonly ca: ConnectionOptions['ca'] | undefined;
  readonly keepAlive: boolean;
  readonly target: string | undefined;
}

/** Default body limit: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_VALUE = /[\r\n\0]/;

/** The options of a measurement given none: GET, 2xx, no redirects, 10 MiB, verified TLS, keep-alive. */
export const DEFAULT_HTTP_OPTIONS: ResolvedHttpOptions = Object.freeze({
  method: 'GET',
  headers: undefined,
  followRedirects: 0,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  validStatusCodes: undefined,
  bodyMatches: undefined,
  insecure: false,
  ca: undefined,
  keepAlive: true,
  target: undefined,
});

/** Checks HTTP options and applies defaults. Throws {@link ConfigError} naming the bad option. */
export function resolveHttpOptions(options: HttpProbeOptions | undefined): ResolvedHttpOptions {
  if (options === undefined) return DEFAULT_HTTP_OPTIONS;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(`Invalid HTTP probe options ${describeValue(options)}: expected an object`, {
      value: options,
    });
  }
  const method = options.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    throw new ConfigError(`Invalid option method=${describeValue(method)}: expected "GET" or "HEAD"`, {
      subject: 'method',
      value: method,
    });
  }
  const followRedirects = options.followRedirects ?? 0;
  assertIntegerOption('followRedirects', followRedirects, 0, 20);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  assertIntegerOption('maxBodyBytes', maxBodyBytes, 0, Number.MAX_SAFE_INTEGER);
  let validStatusCodes: Set<number> | undefined;
  if (options.validStatusCodes !== undefined) {
    if (!Array.isArray(options.validStatusCodes) || options.validStatusCodes.length === 0) {
      throw new ConfigError(
        `Invalid option validStatusCodes=${describeValue(options.validStatusCodes)}: expected a non-empty array of status codes`,
        { subject: 'validStatusCodes', value: options.validStatusCodes },
      );
    }
    for (const code of options.validStatusCodes) assertIntegerOption('validStatusCodes[]', code, 100, 599);
    validStatusCodes = new Set(options.validStatusCodes);
  }
  if (options.bodyMatches !== undefined && !(options.bodyMatches instanceof RegExp)) {
    throw new ConfigError(
      `Invalid option bodyMatches=${describeValue(options.bodyMatches)}: expected a RegExp`,
      {
        subject: 'bodyMatches',
        value: options.bodyMatches,
      },
    );
  }
  checkSignal(options.signal);
  checkBoolean('insecure', options.insecure);
  checkBoolean('keepAlive', options.keepAlive);
  if (options.target !== undefined && !isLabelText(options.target)) {
    throw new ConfigError(
      `Invalid option target=${describeValue(options.target)}: expected a non-empty string of valid Unicode`,
      {
        subject: 'target',
        value: options.target,
      },
    );
  }
  return {
    method,
    headers: checkHeaders(options.headers),
    followRedirects,
    maxBodyBytes,
    validStatusCodes,
    bodyMatches: options.bodyMatches,
    insecure: options.insecure ?? false,
    ca: checkCa(options.ca),
    keepAlive: options.keepAlive ?? true,
    target: options.target,
  };
}

/** True when `status` counts as a successful response under `options`. */
export function isValidStatus(options: ResolvedHttpOptions, status: number): boolean {
  return options.validStatusCodes === undefined
    ? status >= 200 && status <= 299
    : options.validStatusCodes.has(status);
}

/** Checks a `signal` option: undefined or an AbortSignal (ConfigError otherwise). */
export function checkSignal(signal: unknown): void {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ConfigError(`Invalid option signal=${describeValue(signal)}: expected an AbortSignal`, {
      subject: 'signal',
      value: signal,
    });
  }
}

function checkBoolean(option: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new ConfigError(`Invalid option ${option}=${describeValue(value)}: expected true or false`, {
      subject: option,
      value,
    });
  }
}

/** A PEM text or its bytes. */
function isPem(value: unknown): boolean {
  return typeof value === 'string' || ArrayBuffer.isView(value);
}

/** Checks a `ca` option: PEM text or bytes, or an array of them (ConfigError otherwise). */
function checkCa(ca: unknown): ConnectionOptions['ca'] | undefined {
  if (ca === undefined || isPem(ca) || (Array.isArray(ca) && ca.every(isPem))) {
    return ca as ConnectionOptions['ca'] | undefined;
  }
  throw new ConfigError(
    `Invalid option ca=${describeValue(ca)}: expected PEM certificates as a string or Buffer, or an array of them`,
    { subject: 'ca', value: ca },
  );
}

function checkHeaders(headers: unknown): Readonly<Record<string, string>> | undefined {
  if (headers === undefined) return undefined;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new ConfigError(`Invalid option headers=${describeValue(headers)}: expected an object of strings`, {
      subject: 'headers',
      value: headers,
    });
  }
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name) || typeof value !== 'string' || FORBIDDEN_VALUE.test(value)) {
      throw new ConfigError(
        `Invalid header ${describeValue(name)}: ${describeValue(value)}: names must be tokens and values strings without CR, LF or NUL`,
        { subject: 'headers', value: { [name]: value } },
      );
    }
    checked[name] = value;
  }
  return Object.freeze(checked);
}
