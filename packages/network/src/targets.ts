import { isIP } from 'node:net';
import { assertNumberOption, describeValue, InvalidTargetError } from '@fw0/metrics-core';

/** An HTTP target checked and split the way undici wants it. */
export interface HttpTarget {
  readonly url: URL;
  /** `http://host:port`, the key of undici's pools. */
  readonly origin: string;
  /** Path and query, e.g. `/health?full=1`. */
  readonly path: string;
  /** The `target` label: the URL without credentials and fragment. */
  readonly label: string;
  readonly tls: boolean;
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
  };
}

/** A host name: letters, digits, `-`, `_` and dots (IP addresses are checked separately). */
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?$/;

/**
 * Checks a TCP target: a host name or IP address (IPv6 with or without brackets) and a port from
 * 1 to 65535. Throws {@link InvalidTargetError} naming the bad value.
 */
export function parseTcpTarget(host: unknown, port: unknown): TcpTarget {
  if (typeof host !== 'string') {
    throw new InvalidTargetError(`Invalid host ${describeValue(host)}: expected a host name or IP address`, {
      subject: 'host',
      value: host,
    });
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const family = isIP(bare);
  if (family === 0 && !HOST_NAME.test(bare)) {
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

/** Checks a duration option given in milliseconds (1 ms to one day). Throws ConfigError. */
export function checkMilliseconds(option: string, value: unknown): number {
  assertNumberOption(option, value, 1, MAX_DURATION_MS);
  return value;
}
