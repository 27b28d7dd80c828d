import { isIP } from 'node:net';
import { ConfigError, describeValue, InvalidTargetError } from '@fw0/metrics-core';
import type { ExchangeRequest } from './http-exchange.js';
import type { ResolvedHttpOptions } from './http-options.js';
import type { TargetRecorder } from './target-recorder.js';

/**
 * An HTTP target checked and split the way undici wants it. The collector that parsed it keeps
 * it (by URL) and caches on it what every measurement of it would otherwise rebuild: a plain
 * field read is cheaper than a map lookup on a path that adds to every request.
 */
export interface HttpTarget {
  readonly url: URL;
  /** `http://host:port`, the key of undici's pools. */
  readonly origin: string;
  /** Path and query, e.g. `/health?full=1`. */
  readonly path: string;
  /** The `target` label: the URL without credentials and fragment. */
  readonly label: string;
  readonly tls: boolean;
  /** Cache: the recorder of the default `target` label, once measured. */
  recorder: TargetRecorder | undefined;
  /** Cache: the first request of a measurement made with `requestOptions`. */
  request: ExchangeRequest | undefined;
  requestOptions: ResolvedHttpOptions | undefined;
}

/** A TCP target checked for connecting. */
export interface TcpTarget {
  /** Host name or IP address (an IPv6 address without brackets). */
  readonly host: string;
  readonly port: number;
  /** The `target` label: `host:port`, `[v6]:port`. */
  readonly label: string;
}

/** Longest timeout or interval accepted, in milliseconds (one day). */
export const MAX_DURATION_MS = 86_400_000;

/**
 * Parses and checks a probe URL: only `http:` and `https:` with a host. Throws
 * {@link InvalidTargetError} naming the URL otherwise.
 */
export function parseHttpTarget(input: unknown): HttpTarget {
  let url: URL;
  if (input instanceof URL) url = new URL(input.href);
  else if (typeof input === 'string') {
    try {
      url = new URL(input);
    } catch (error) {
      throw new InvalidTargetError(`Invalid URL ${describeValue(input)}: it cannot be parsed`, {
        subject: 'url',
        value: input,
        cause: error,
      });
    }
  } else {
    throw new InvalidTargetError(`Invalid URL ${describeValue(input)}: expected a string or URL`, {
      subject: 'url',
      value: input,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidTargetError(
      `Unsupported URL scheme "${url.protocol}" in ${describeValue(String(input))}: only http: and https: can be probed`,
      { subject: 'url', value: String(input) },
    );
  }
  if (url.hostname === '') {
    throw new InvalidTargetError(`Invalid URL ${describeValue(String(input))}: it has no host`, {
      subject: 'url',
      value: String(input),
    });
  }
  url.hash = '';
  const label = `${url.protocol}//${url.host}${url.pathname}${url.search}`;
  return {
    url,
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    label,
    tls: url.protocol === 'https:',
    recorder: undefined,
    request: undefined,
    requestOptions: undefined,
  };
}

/** A host name: letters, digits, `-`, `_` and dots (IP addresses are checked separately). */
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?$/;

/**
 * Checks a TCP target: a host name (1 to 253 letters, digits, `_`, `-` and dots, not starting
 * with `-` or `.`, not ending with `-`) or an IP address (IPv6 with or without brackets), and a
 * port from 1 to 65535. Throws {@link InvalidTargetError} naming the bad value.
 */
export function parseTcpTarget(host: unknown, port: unknown): TcpTarget {
  if (typeof host !== 'string') {
    throw new InvalidTargetError(`Invalid host ${describeValue(host)}: expected a host name or IP address`, {
      subject: 'host',
      value: host,
    });
  }
  const bracketed = host.startsWith('[') && host.endsWith(']');
  const bare = bracketed ? host.slice(1, -1) : host;
  const family = isIP(bare);
  // Brackets are IPv6 notation only: `[localhost]` or `[127.0.0.1]` is a mistake, not a host.
  if (bracketed ? family !== 6 : family === 0 && !HOST_NAME.test(bare)) {
    throw new InvalidTargetError(`Invalid host ${describeValue(host)}: expected a host name or IP address`, {
      subject: 'host',
      value: host,
    });
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new InvalidTargetError(
      `Invalid port ${describeValue(port)} for host "${bare}": expected an integer from 1 to 65535`,
      { subject: 'port', value: port },
    );
  }
  const label = family === 6 ? `[${bare}]:${port}` : `${bare}:${port}`;
  return { host: bare, port, label };
}

/**
 * Checks a duration option given in milliseconds (1 ms to one day). Throws ConfigError, whose
 * message says the unit: the seed took seconds in the same positions.
 */
export function checkMilliseconds(option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 1 && value <= MAX_DURATION_MS)) {
    throw new ConfigError(
      `Invalid option ${option}=${describeValue(value)}: expected milliseconds, a number from 1 to ${MAX_DURATION_MS} (one day)`,
      { subject: option, value },
    );
  }
  return value;
}
