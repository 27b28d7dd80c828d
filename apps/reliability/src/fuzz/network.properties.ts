import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, isIP, type LookupFunction, type Socket } from 'node:net';
import { ErrorCode, MetricsRegistry, type MetricsSnapshot, type PerformanceMetric } from '@fw0/metrics-core';
import {
  getNetworkCollector,
  type HttpProbeContext,
  NetworkMetricsCollector,
  type TargetSuccessRate,
} from '@fw0/metrics-network';
import fc from 'fast-check';
import { Agent, Client, Pool } from 'undici';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { freePort } from '../../../../test-support/processes.js';
import {
  attempt,
  attemptAsync,
  checkAsyncProperty,
  checkProperty,
  ensure,
  expectOutcome,
  Faults,
} from './harness.js';
import {
  anyNumber,
  anyText,
  integerIn,
  integerOption,
  junk,
  LONE_SURROGATES,
  numberIn,
  numberOrJunk,
  unicodeText,
} from './inputs.js';
import { ensureUnchanged, registryFingerprint } from './observe.js';

/*
 * The bad-input properties of @fw0/metrics-network. The models below are written from the
 * package's README and doc comments (options.ts, network-collector.ts), not taken from its code.
 *
 * Loopback only. Every collector gets a `lookup` that answers `localhost` with 127.0.0.1 and
 * fails every other name with ENOTFOUND (no DNS query is ever sent); a generated IP address
 * other than 127.0.0.1 or ::1 is rewritten to 127.0.0.1 before the call, and a call that would
 * connect is pointed at a port of this suite (a server, or a port nothing listens on). So a
 * generated input never reaches another address, and never a port of another program.
 */

/** The longest duration the package accepts, in milliseconds (one day). */
const MAX_MS = 86_400_000;
/** The HTTP option tokens (RFC 9110) and forbidden header value characters. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_VALUE = /[\r\n\0]/;
/** A host name as measureTcpLatency documents it. */
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?$/;
const LOOPBACK = new Set(['127.0.0.1', '::1']);

// ---------------------------------------------------------------------------------------------
// Loopback fixtures

interface Loopback {
  /** An HTTP server: `/redirect` answers 302 to `/`, anything else 200 "ok". */
  httpPort: number;
  /** A TCP server that accepts and closes. */
  tcpPort: number;
  /** A port nothing listens on (bound, then closed). */
  refusedPort: number;
  /** Requests that reached the HTTP server with an Authorization header. */
  authorizations: number;
  httpRequests: number;
  tcpConnections: number;
}

const loopback: Loopback = {
  httpPort: 0,
  tcpPort: 0,
  refusedPort: 0,
  authorizations: 0,
  httpRequests: 0,
  tcpConnections: 0,
};
const sockets = new Set<Socket>();
let httpServer: Server | undefined;
let tcpServer: ReturnType<typeof createTcpServer> | undefined;

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

function useLoopback(): void {
  beforeAll(async () => {
    httpServer = createHttpServer((request, response) => {
      loopback.httpRequests++;
      if (request.headers.authorization !== undefined) loopback.authorizations++;
      if (request.url === '/redirect') {
        response.writeHead(302, { location: '/' });
        response.end();
      } else response.end('ok');
    });
    tcpServer = createTcpServer((socket) => {
      loopback.tcpConnections++;
      socket.on('error', () => {}).end();
    });
    loopback.httpPort = await listen(httpServer);
    loopback.tcpPort = await listen(tcpServer);
    loopback.refusedPort = await freePort();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(
      [httpServer, tcpServer].map(
        (server) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
      ),
    );
  });
}

/** Answers `localhost` (any case) with 127.0.0.1, and ENOTFOUND for any other name: no DNS query. */
const localLookup = ((
  hostname: string,
  options: { all?: boolean },
  callback: (...args: unknown[]) => void,
) => {
  process.nextTick(() => {
    if (hostname.toLowerCase() !== 'localhost') {
      callback(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }),
      );
    } else if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  });
}) as LookupFunction;

function collector(options: Record<string, unknown> = {}): NetworkMetricsCollector {
  return new NetworkMetricsCollector({
    registry: new MetricsRegistry(),
    maxSamplesPerSecond: false,
    lookup: localLookup,
    ...options,
  });
}

/** A port marker of the generators, made a real port of the suite at run time. */
type PortMarker = 'open' | 'refused';

function realPort(port: unknown, open: number): unknown {
  if (port === 'open') return open;
  if (port === 'refused') return loopback.refusedPort;
  return port;
}

/** True when `host` (a checked TCP host or URL hostname) would be connected to: an IP or localhost. */
function connects(bare: string): boolean {
  return isIP(bare) !== 0 || bare.toLowerCase() === 'localhost';
}

// ---------------------------------------------------------------------------------------------
// Models, from the documentation

const labelText = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && value.isWellFormed();

const millisecondsValid = (value: unknown) => numberIn(value, 1, MAX_MS);

const plainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A TCP host: a host name, an IP address, or an IPv6 address in brackets. */
function tcpHost(host: unknown): { valid: boolean; bare: string } {
  if (typeof host !== 'string') return { valid: false, bare: '' };
  const bracketed = host.startsWith('[') && host.endsWith(']');
  const bare = bracketed ? host.slice(1, -1) : host;
  const valid = bracketed ? isIP(bare) === 6 : isIP(bare) !== 0 || HOST_NAME.test(bare);
  return { valid, bare };
}

const tcpLabel = (bare: string, port: number) => (isIP(bare) === 6 ? `[${bare}]:${port}` : `${bare}:${port}`);

/**
 * `new URL(text)`, or undefined when it throws. Not URL.canParse: on Node 20 it answers false
 * for some valid URLs (`http://é.x`) once V8 has optimised it, which here would have left a
 * non-loopback address unrewritten.
 */
function parsedUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** An HTTP(S) URL as measureHttpRequest accepts it, with its `target` label, or undefined. */
function httpUrl(input: unknown): { label: string; url: URL } | undefined {
  let url: URL;
  if (input instanceof URL) url = new URL(input.href);
  else if (typeof input === 'string' && parsedUrl(input) !== undefined) url = parsedUrl(input)!;
  else return undefined;
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return undefined;
  return { label: `${url.protocol}//${url.host}${url.pathname}${url.search}`, url };
}

/** The faults of HTTP options (HttpProbeOptions), from their doc comments. */
function httpOptionFaults(options: unknown, faults: Faults): void {
  if (options === undefined) return;
  if (!plainObject(options)) {
    faults.add(ErrorCode.INVALID_CONFIG);
    return;
  }
  const bad = (present: boolean) => faults.add(ErrorCode.INVALID_CONFIG, present);
  bad(options.method !== undefined && options.method !== 'GET' && options.method !== 'HEAD');
  bad(options.followRedirects !== undefined && !integerIn(options.followRedirects, 0, 20));
  bad(options.maxBodyBytes !== undefined && !integerIn(options.maxBodyBytes, 0, Number.MAX_SAFE_INTEGER));
  const codes = options.validStatusCodes;
  bad(
    codes !== undefined &&
      !(Array.isArray(codes) && codes.length > 0 && codes.every((code) => integerIn(code, 100, 599))),
  );
  bad(options.bodyMatches !== undefined && !(options.bodyMatches instanceof RegExp));
  bad(options.insecure !== undefined && typeof options.insecure !== 'boolean');
  bad(options.keepAlive !== undefined && typeof options.keepAlive !== 'boolean');
  bad(options.target !== undefined && !labelText(options.target));
  bad(options.signal !== undefined && !(options.signal instanceof AbortSignal));
  const headers = options.headers;
  bad(
    headers !== undefined &&
      !(
        plainObject(headers) &&
        Object.entries(headers).every(
          ([name, value]) => TOKEN.test(name) && typeof value === 'string' && !FORBIDDEN_VALUE.test(value),
        )
      ),
  );
}

function attemptsOf(rates: readonly TargetSuccessRate[], kind: string, target: string): number {
  return rates.find((rate) => rate.kind === kind && rate.target === target)?.attempts ?? 0;
}

/**
 * Runs one measurement call: a refused call must throw a typed error with one of `faults` and
 * change nothing (registry, success rates); an accepted one must resolve, never reject. Returns
 * the result of an accepted call, undefined for a refused one.
 */
async function measurement(
  network: NetworkMetricsCollector,
  faults: Faults,
  what: string,
  call: () => Promise<PerformanceMetric | null>,
): Promise<{ sample: PerformanceMetric | null } | undefined> {
  const before = registryFingerprint(network.registry);
  const outcome = attempt(call);
  if (!expectOutcome(outcome, faults.codes, what)) {
    ensureUnchanged(before, registryFingerprint(network.registry), what);
    ensure(network.getSuccessRates().length === 0, `${what}: a refused call counted an attempt`);
    return undefined;
  }
  const settled = await attemptAsync(() => outcome.value);
  ensure(settled.ok, () => `${what}: the promise rejected: ${String((settled as { error: unknown }).error)}`);
  return { sample: settled.value };
}

/** The `undici_pool_*` series labelled `name` in a snapshot. */
function poolSeries(
  snapshot: MetricsSnapshot,
  name: unknown,
): { labels: Readonly<Record<string, string>> }[] {
  const series: { labels: Readonly<Record<string, string>> }[] = [];
  for (const family of snapshot.families) {
    if (!family.name.startsWith('undici_pool_')) continue;
    for (const one of family.series) if (one.labels.name === name) series.push(one);
  }
  return series;
}

function checkSample(sample: PerformanceMetric, kind: string, target: string, what: string): void {
  ensure(
    sample.name === 'probe_duration_seconds' && sample.unit === 'seconds' && sample.type === 'timer',
    () => `${what}: sample ${JSON.stringify(sample)}`,
  );
  ensure(Number.isFinite(sample.value) && sample.value >= 0, `${what}: value ${sample.value}`);
  ensure(
    sample.tags.kind === kind && sample.tags.target === target,
    () => `${what}: tags ${JSON.stringify(sample.tags)}, expected target ${JSON.stringify(target)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Generators

const SIGNALS = ['none', 'aborted', 'live', 'junk'] as const;
type SignalKind = (typeof SIGNALS)[number];

function makeSignal(kind: SignalKind): unknown {
  if (kind === 'aborted') return AbortSignal.abort(new Error('fuzz'));
  if (kind === 'live') return new AbortController().signal;
  if (kind === 'junk') return { aborted: false };
  return undefined;
}

const hostInput: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      '127.0.0.1',
      '::1',
      '[::1]',
      'localhost',
      'LocalHost',
      'db.fw0.invalid',
      'a',
      'a_b',
      'x'.repeat(253),
      'x'.repeat(254),
      '-a',
      'a-',
      '.a',
      'a.',
      'a..b',
      '',
      ' ',
      'a b',
      'a/b',
      'a:5432',
      '[localhost]',
      '[127.0.0.1]',
      '[]',
      '[::1',
      '::1]',
      '256.0.0.1',
      '1.2.3',
      '::',
      '0.0.0.0',
      '10.0.0.1',
      '2001:db8::1',
      '[2001:db8::1]',
      '::ffff:127.0.0.1',
      'fe80::1%lo',
      'é.fw0.invalid',
      'xn--e-ssa.invalid',
      '😀',
      '\uD800',
    ),
    weight: 6,
  },
  { arbitrary: fc.stringMatching(/^[a-z0-9_][a-z0-9_.-]{0,20}$/), weight: 3 },
  { arbitrary: anyText(30), weight: 2 },
  { arbitrary: junk, weight: 1 },
);

const portInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom<PortMarker>('open', 'refused'), weight: 5 },
  {
    arbitrary: fc.constantFrom(
      0,
      65_536,
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '80',
      null,
      1,
      65_535,
    ),
    weight: 3,
  },
  { arbitrary: fc.integer({ min: 1, max: 65_535 }), weight: 1 },
  { arbitrary: numberOrJunk, weight: 1 },
);

const timeoutInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 3000 }), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      0,
      -1,
      0.5,
      1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      MAX_MS,
      MAX_MS + 1,
      '100',
      null,
    ),
    weight: 3,
  },
  { arbitrary: anyNumber, weight: 1 },
);

const labelInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 5 },
  { arbitrary: unicodeText(16), weight: 3 },
  { arbitrary: fc.constantFrom('', ...LONE_SURROGATES.map((text) => `t${text}`)), weight: 1 },
  { arbitrary: junk, weight: 1 },
);

/** Call forms: positional `(…, timeoutMs, options)`, options object `(…, { timeoutMs, … })`, both at once (refused). */
const FORMS = ['positional', 'object', 'both', 'bare'] as const;
type Form = (typeof FORMS)[number];

/** The timeout and options arguments of a call in `form`, and whether the form itself is refused. */
function callArguments(
  form: Form,
  timeoutMs: unknown,
  options: unknown,
): { args: unknown[]; timeout: unknown; options: unknown; formRefused: boolean } {
  if (form === 'bare') return { args: [], timeout: undefined, options: undefined, formRefused: false };
  if (form === 'positional')
    return { args: [timeoutMs, options], timeout: timeoutMs, options, formRefused: false };
  const merged = plainObject(options) ? { ...options } : {};
  if (timeoutMs !== undefined) merged.timeoutMs = timeoutMs;
  if (form === 'object') return { args: [merged], timeout: timeoutMs, options: merged, formRefused: false };
  return { args: [merged, {}], timeout: timeoutMs, options: merged, formRefused: true };
}

const headerName = fc.oneof(
  fc.stringMatching(/^x-[a-z0-9-]{1,10}$/),
  fc.constantFrom('accept', 'user-agent', 'bad name', '', 'x\u00e9', 'x:y'),
);
const headerValue = fc.oneof(
  fc.stringMatching(/^[ -~]{0,20}$/),
  fc.constantFrom('a\r\nb', 'a\nb', 'a\0b', '', 'é'),
  fc.constantFrom(5, null, ['a']),
);

const httpOptionsInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  {
    arbitrary: fc.record(
      {
        method: fc.oneof(fc.constantFrom('GET', 'HEAD'), fc.constantFrom('POST', 'get', '', 5)),
        headers: fc.oneof(
          fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
          fc.constantFrom(null, 'x', ['a', 'b'], 5),
        ),
        followRedirects: integerOption(0, 20),
        maxBodyBytes: fc.oneof(fc.constantFrom(0, 1, 2, 1024, -1, 1.5), integerOption(0, 100_000)),
        validStatusCodes: fc.oneof(
          fc.constantFrom([200], [200, 302], [302], [404], [], [99], [600], [200.5], 'x', null),
          fc.array(integerOption(100, 599), { maxLength: 3 }),
        ),
        bodyMatches: fc.constantFrom(/ok/, /nope/, /o/g, 'ok', 5),
        insecure: fc.oneof(fc.boolean(), fc.constantFrom('yes', 0)),
        keepAlive: fc.oneof(fc.boolean(), fc.constantFrom('no', 1)),
        target: labelInput,
        signal: fc.constantFrom(...SIGNALS),
      },
      { requiredKeys: [] },
    ),
    weight: 8,
  },
  { arbitrary: fc.constantFrom('x', 5, [], null, [{ method: 'GET' }]), weight: 1 },
);

/** URL parts; `:open` / `:refused` become the ports of the suite at run time. */
const urlInput: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc
      .record({
        scheme: fc.constantFrom(
          'http',
          'http',
          'http',
          'https',
          'HTTP',
          'ftp',
          'file',
          'ws',
          'data',
          'javascript',
          'mailto',
          '',
        ),
        credentials: fc.constantFrom('', '', 'user@', 'user:secret@', '%00@'),
        host: fc.constantFrom(
          '127.0.0.1',
          '127.0.0.1',
          'localhost',
          '[::1]',
          'fw0.invalid',
          '',
          '999.1.1.1',
          '1.1',
          '0x7f.1',
          '2130706433',
          '[2001:db8::1]',
          'exa mple.invalid',
          'xn--nxasmq6b.invalid',
        ),
        port: fc.constantFrom(':open', ':open', ':refused', '', ':0', ':65536', ':x', ':'),
        path: fc.oneof(
          fc.constantFrom('/', '/', '/redirect', '/a/../b', '/%zz', '/\u00e9', ''),
          fc.stringMatching(/^\/[a-z0-9/._~%-]{0,30}$/),
          anyText(12).map((text) => `/${text}`),
          fc.constant(`/${'a'.repeat(20_000)}`),
        ),
        query: fc.oneof(
          fc.constantFrom('', '', '?a=1', '?'),
          anyText(8).map((text) => `?${text}`),
        ),
        fragment: fc.constantFrom('', '', '#frag', '#'),
      })
      .map(
        ({ scheme, credentials, host, port, path, query, fragment }) =>
          `${scheme}://${credentials}${host}${port}${path}${query}${fragment}`,
      ),
    weight: 10,
  },
  { arbitrary: anyText(40), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      '',
      'http://',
      'http:',
      '//127.0.0.1/',
      'not a url',
      'http://[::1',
      'http://a b/',
    ),
    weight: 1,
  },
  { arbitrary: junk, weight: 1 },
);

/**
 * Makes a generated URL safe to call: the suite's ports for `:open` / `:refused`; an IP address
 * other than loopback rewritten to 127.0.0.1; a URL that would connect to loopback pointed at a
 * port of the suite. Other inputs are left as they are (the package refuses them, or they fail
 * in the local lookup).
 */
function safeUrl(input: unknown, asUrlObject: boolean): unknown {
  if (typeof input !== 'string') return input;
  let text = input.replace(':open', `:${loopback.httpPort}`).replace(':refused', `:${loopback.refusedPort}`);
  const url = parsedUrl(text);
  if (url !== undefined) {
    const bare = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    let changed = false;
    if (isIP(bare) !== 0 && !LOOPBACK.has(bare)) {
      url.hostname = '127.0.0.1';
      changed = true;
    }
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const port = Number(url.port);
    if (connects(host) && port !== loopback.httpPort && port !== loopback.refusedPort) {
      url.port = String(loopback.refusedPort);
      changed = true;
    }
    if (changed) text = url.href;
    if (asUrlObject) return url;
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Properties

export function networkProperties(): void {
  describe('@fw0/metrics-network', () => {
    useLoopback();

    it('measureTcpLatency: hosts, ports, timeouts, options, call forms', async () => {
      await checkAsyncProperty(
        'network.tcp-latency',
        fc.oneof(
          fc.record({
            host: hostInput,
            port: portInput,
            timeoutMs: timeoutInput,
            form: fc.constantFrom(...FORMS),
            options: fc.oneof(
              {
                arbitrary: fc.record({ target: labelInput, signal: fc.constantFrom(...SIGNALS) }),
                weight: 6,
              },
              { arbitrary: fc.constantFrom(undefined, 'x', 5, [], null), weight: 1 },
            ),
          }),
          // Mostly valid calls, so that the measurement itself runs as often as the checks.
          fc.record({
            host: fc.constantFrom('127.0.0.1', '::1', '[::1]', 'localhost', 'db.fw0.invalid', 'a_b.c-d'),
            port: fc.constantFrom<unknown>('open', 'open', 'refused'),
            timeoutMs: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 3000 })),
            form: fc.constantFrom<Form>('positional', 'object', 'bare'),
            options: fc.record({
              target: fc.oneof(
                fc.constant(undefined),
                unicodeText(12).filter((text) => text !== ''),
              ),
              signal: fc.constantFrom<SignalKind>('none', 'none', 'aborted', 'live'),
            }),
          }),
        ),
        async (input) => {
          const checkedHost = tcpHost(input.host);
          let host = input.host;
          let port = realPort(input.port, loopback.tcpPort);
          // Loopback only: another IP becomes 127.0.0.1 (or [::1]), and a connecting call goes to our ports.
          if (checkedHost.valid && isIP(checkedHost.bare) !== 0 && !LOOPBACK.has(checkedHost.bare)) {
            host = isIP(checkedHost.bare) === 6 && String(host).startsWith('[') ? '[::1]' : '127.0.0.1';
          }
          const { valid: hostValid, bare } = tcpHost(host);
          const portValid = integerIn(port, 1, 65_535);
          if (hostValid && portValid && connects(bare) && port !== loopback.tcpPort)
            port = loopback.refusedPort;
          let options: unknown = input.options;
          let signalKind: SignalKind = 'none';
          if (plainObject(options)) {
            signalKind = options.signal as SignalKind;
            options = {
              ...(options.target === undefined ? {} : { target: options.target }),
              ...(signalKind === 'none' ? {} : { signal: makeSignal(signalKind) }),
            };
          }
          const call = callArguments(input.form, input.timeoutMs, options);
          if (call.options === undefined) signalKind = 'none';
          const faults = new Faults()
            .add(ErrorCode.INVALID_TARGET, !hostValid || !portValid)
            .add(ErrorCode.INVALID_CONFIG, call.formRefused)
            .add(ErrorCode.INVALID_CONFIG, call.timeout !== undefined && !millisecondsValid(call.timeout))
            .add(ErrorCode.INVALID_CONFIG, call.options !== undefined && !plainObject(call.options));
          const target = plainObject(call.options) ? call.options.target : undefined;
          faults
            .add(ErrorCode.INVALID_LABEL, target !== undefined && !labelText(target))
            .add(ErrorCode.INVALID_CONFIG, plainObject(call.options) && signalKind === 'junk');
          const network = collector();
          try {
            const what = `measureTcpLatency(${JSON.stringify(String(host))}, ${String(port)}, ${input.form} ${String(call.timeout)}, ${JSON.stringify(target === undefined ? null : String(target))})`;
            const measure = network.measureTcpLatency as (
              ...args: unknown[]
            ) => Promise<PerformanceMetric | null>;
            const measured = await measurement(network, faults, what, () =>
              measure.call(network, host, port, ...call.args),
            );
            if (measured === undefined) return;
            const sample = measured.sample;
            const label = (target as string | undefined) ?? tcpLabel(bare, port as number);
            ensure(
              attemptsOf(network.getSuccessRates(), 'tcp', label) === 1,
              `${what}: attempts of ${label}`,
            );
            if (signalKind === 'aborted')
              ensure(sample === null, `${what}: an aborted measurement succeeded`);
            if (!connects(bare)) ensure(sample === null, `${what}: a name the lookup refuses connected`);
            if (sample !== null) checkSample(sample, 'tcp', label, what);
            const generous = call.timeout === undefined || (call.timeout as number) >= 2000;
            if (port === loopback.tcpPort && bare === '127.0.0.1' && signalKind !== 'aborted' && generous) {
              ensure(sample !== null, `${what}: a listening loopback port did not connect`);
            }
          } finally {
            await network.close();
          }
        },
        250,
      );
    });

    it('measureHttpRequest: URLs, timeouts, options, call forms', async () => {
      const authorizationsBefore = loopback.authorizations;
      await checkAsyncProperty(
        'network.http-request',
        fc.oneof(
          fc.record({
            url: urlInput,
            asUrlObject: fc.boolean(),
            timeoutMs: timeoutInput,
            form: fc.constantFrom(...FORMS),
            options: httpOptionsInput,
          }),
          // Mostly valid calls, so that the measurement itself runs as often as the checks.
          fc.record({
            url: fc
              .record({
                scheme: fc.constantFrom('http', 'http', 'https', 'HTTP'),
                credentials: fc.constantFrom('', '', 'user:secret@'),
                host: fc.constantFrom('127.0.0.1', '127.0.0.1', 'localhost', '[::1]', 'fw0.invalid'),
                port: fc.constantFrom(':open', ':open', ':refused'),
                path: fc.oneof(
                  fc.constantFrom('/', '/', '/redirect', '/health'),
                  fc.stringMatching(/^\/[a-z0-9/._~-]{0,20}$/),
                ),
                query: fc.constantFrom('', '', '?a=1&b=%20'),
                fragment: fc.constantFrom('', '#top'),
              })
              .map(
                ({ scheme, credentials, host, port, path, query, fragment }) =>
                  `${scheme}://${credentials}${host}${port}${path}${query}${fragment}`,
              ),
            asUrlObject: fc.boolean(),
            timeoutMs: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 3000 })),
            form: fc.constantFrom<Form>('positional', 'object', 'bare'),
            options: fc.oneof(
              fc.constant(undefined),
              fc.record(
                {
                  method: fc.constantFrom('GET', 'HEAD'),
                  followRedirects: fc.integer({ min: 0, max: 20 }),
                  maxBodyBytes: fc.constantFrom(0, 1, 2, 1024),
                  validStatusCodes: fc.constantFrom([200], [200, 302], [302]),
                  bodyMatches: fc.constantFrom(/ok/, /nope/, /o/g),
                  insecure: fc.boolean(),
                  keepAlive: fc.boolean(),
                  headers: fc.dictionary(
                    fc.stringMatching(/^x-[a-z0-9-]{1,10}$/),
                    fc.stringMatching(/^[ -~]{0,20}$/),
                    {
                      maxKeys: 2,
                    },
                  ),
                  target: unicodeText(12).filter((text) => text !== ''),
                  signal: fc.constantFrom<SignalKind>('none', 'aborted', 'live'),
                },
                { requiredKeys: [] },
              ),
            ),
          }),
        ),
        async (input) => {
          const url = safeUrl(input.url, input.asUrlObject);
          let options: unknown = input.options;
          let signalKind: SignalKind = 'none';
          if (plainObject(options) && options.signal !== undefined) {
            signalKind = options.signal as SignalKind;
            const { signal: _ignored, ...rest } = options;
            options = signalKind === 'none' ? rest : { ...rest, signal: makeSignal(signalKind) };
          }
          const call = callArguments(input.form, input.timeoutMs, options);
          if (call.options === undefined) signalKind = 'none';
          const parsed = httpUrl(url);
          const faults = new Faults()
            .add(ErrorCode.INVALID_TARGET, parsed === undefined)
            .add(ErrorCode.INVALID_CONFIG, call.formRefused)
            .add(ErrorCode.INVALID_CONFIG, call.timeout !== undefined && !millisecondsValid(call.timeout));
          httpOptionFaults(call.options, faults);
          const network = collector();
          try {
            const shown = url instanceof URL ? `URL(${url.href})` : JSON.stringify(String(url)).slice(0, 200);
            const what = `measureHttpRequest(${shown}, ${input.form} ${String(call.timeout)}, ${JSON.stringify(call.options)?.slice(0, 300)})`;
            const measure = network.measureHttpRequest as (
              ...args: unknown[]
            ) => Promise<PerformanceMetric | null>;
            const measured = await measurement(network, faults, what, () =>
              measure.call(network, url, ...call.args),
            );
            if (measured === undefined) return;
            const sample = measured.sample;
            const opts = (call.options ?? {}) as Record<string, unknown>;
            const label = (opts.target as string | undefined) ?? parsed!.label;
            ensure(
              attemptsOf(network.getSuccessRates(), 'http', label) === 1,
              `${what}: attempts of ${label}`,
            );
            if (signalKind === 'aborted')
              ensure(sample === null, `${what}: an aborted measurement succeeded`);
            const host = parsed!.url.hostname.replace(/^\[|\]$/g, '');
            if (!connects(host)) ensure(sample === null, `${what}: a name the lookup refuses connected`);
            if (sample !== null) {
              checkSample(sample, 'http', label, what);
              const context = sample.context as HttpProbeContext;
              ensure(context.url === parsed!.label, `${what}: context.url ${context.url}`);
              const { resolve, connect, tls, processing, transfer } = context.phases;
              const sum = resolve + connect + tls + processing + transfer;
              ensure(
                Math.abs(sum - sample.value) < 1e-9,
                `${what}: phases add up to ${sum}, not ${sample.value}`,
              );
            }
            // A plain, generous GET or HEAD of `/` on the listening server must succeed.
            const plain =
              parsed!.url.protocol === 'http:' &&
              (host === '127.0.0.1' || host === 'localhost') &&
              Number(parsed!.url.port) === loopback.httpPort &&
              parsed!.url.pathname === '/' &&
              opts.headers === undefined &&
              opts.validStatusCodes === undefined &&
              opts.bodyMatches === undefined &&
              (opts.maxBodyBytes === undefined || (opts.maxBodyBytes as number) >= 2) &&
              signalKind !== 'aborted' &&
              (call.timeout === undefined || (call.timeout as number) >= 2000);
            if (plain) ensure(sample !== null, `${what}: a plain request to the loopback server failed`);
          } finally {
            await network.close();
          }
        },
        250,
      );
      ensure(
        loopback.authorizations === authorizationsBefore,
        'credentials in a URL were sent to the server',
      );
    });

    it('measureThroughput: bytes, seconds, operation names', () => {
      const network = collector();
      try {
        checkProperty(
          'network.throughput',
          fc.record({
            bytes: fc.oneof(
              fc.constantFrom(0, 1, 1024, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, -1, -0),
              numberOrJunk,
            ),
            seconds: fc.oneof(fc.constantFrom(1, 0.001, Number.MIN_VALUE, 0, -0, -1, 1e-300), numberOrJunk),
            operation: fc.oneof(
              { arbitrary: fc.constantFrom('upload', 'download', 'db.read'), weight: 4 },
              { arbitrary: unicodeText(12), weight: 3 },
              { arbitrary: fc.constantFrom('', '\uD800', 'a\uDFFF'), weight: 1 },
              { arbitrary: junk, weight: 1 },
            ),
          }),
          ({ bytes, seconds, operation }) => {
            const valuesOk =
              typeof bytes === 'number' &&
              bytes >= 0 &&
              Number.isFinite(bytes) &&
              typeof seconds === 'number' &&
              seconds > 0 &&
              Number.isFinite(seconds) &&
              Number.isFinite(bytes / seconds);
            const faults = new Faults()
              .add(ErrorCode.INVALID_VALUE, !valuesOk)
              .add(ErrorCode.INVALID_LABEL, !labelText(operation));
            const before = registryFingerprint(network.registry);
            const what = `measureThroughput(${String(bytes)}, ${String(seconds)}, ${JSON.stringify(String(operation))})`;
            const outcome = attempt(() =>
              network.measureThroughput(bytes as number, seconds as number, operation as string),
            );
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensureUnchanged(before, registryFingerprint(network.registry), what);
              return;
            }
            const sample = outcome.value;
            ensure(
              sample.value === (bytes as number) / (seconds as number) &&
                sample.unit === 'bytes_per_second' &&
                sample.tags.operation === operation,
              () => `${what}: sample ${JSON.stringify(sample)}`,
            );
          },
          600,
        );
      } finally {
        void network.close();
      }
    });

    it('startProbes: target configurations, all checked before any starts', async () => {
      const tcpTarget = fc.record(
        {
          kind: fc.constant('tcp'),
          host: fc.oneof(fc.constantFrom('127.0.0.1', 'localhost', 'db.fw0.invalid', '[::1]'), hostInput),
          port: portInput,
          intervalMs: fc.oneof(fc.constant(60_000), integerOption(1, MAX_MS)),
          timeoutMs: fc.oneof(fc.constant(undefined), fc.constant(1000), integerOption(1, MAX_MS)),
          target: labelInput,
        },
        { requiredKeys: ['kind', 'host', 'port'] },
      );
      const httpTarget = fc.record(
        {
          kind: fc.constant('http'),
          url: fc.oneof(
            fc.constantFrom(
              'http://127.0.0.1:open/',
              'http://localhost:open/health',
              'http://127.0.0.1:refused/',
            ),
            urlInput,
          ),
          intervalMs: fc.oneof(fc.constant(60_000), integerOption(1, MAX_MS)),
          timeoutMs: fc.oneof(fc.constant(undefined), fc.constant(1000), integerOption(1, MAX_MS)),
          target: labelInput,
          method: fc.oneof(fc.constant(undefined), fc.constantFrom('GET', 'HEAD', 'PUT')),
          maxBodyBytes: fc.oneof(fc.constant(undefined), fc.constantFrom(0, 1024, -5, 'x')),
        },
        { requiredKeys: ['kind', 'url'] },
      );
      const targetInput = fc.oneof(
        { arbitrary: tcpTarget, weight: 4 },
        { arbitrary: httpTarget, weight: 4 },
        {
          arbitrary: fc.constantFrom({ kind: 'udp', host: '127.0.0.1', port: 53 }, { kind: 5 }, {}),
          weight: 1,
        },
        { arbitrary: junk, weight: 1 },
      );
      let probesRan = false;
      await checkAsyncProperty(
        'network.start-probes',
        fc.oneof(
          { arbitrary: fc.array(targetInput, { maxLength: 4 }), weight: 6 },
          // Mostly valid configurations, so that probes start as often as configurations are refused.
          {
            arbitrary: fc.array(
              fc.oneof(
                fc.record({
                  kind: fc.constant('tcp'),
                  host: fc.constantFrom('127.0.0.1', 'localhost', 'db.fw0.invalid', '[::1]'),
                  port: fc.constantFrom<unknown>('open', 'refused'),
                  intervalMs: fc.constantFrom(60_000, 5, 1),
                  timeoutMs: fc.constantFrom(1000, 1, 50),
                }),
                fc.record({
                  kind: fc.constant('http'),
                  url: fc.constantFrom(
                    'http://127.0.0.1:open/',
                    'http://localhost:open/health',
                    'http://127.0.0.1:refused/',
                    'https://127.0.0.1:open/',
                    'http://fw0.invalid/',
                  ),
                  intervalMs: fc.constantFrom(60_000, 5),
                  timeoutMs: fc.constantFrom(1000, 1, 50),
                  method: fc.constantFrom('GET', 'HEAD'),
                }),
              ),
              { minLength: 1, maxLength: 3 },
            ),
            weight: 3,
          },
          { arbitrary: junk, weight: 1 },
        ),
        async (input) => {
          const targets = Array.isArray(input)
            ? input.map((target) => {
                if (!plainObject(target)) return target;
                if (target.kind === 'tcp') {
                  const checked = tcpHost(target.host);
                  let host = target.host;
                  if (checked.valid && isIP(checked.bare) !== 0 && !LOOPBACK.has(checked.bare))
                    host = '127.0.0.1';
                  let port = realPort(target.port, loopback.tcpPort);
                  const again = tcpHost(host);
                  if (
                    again.valid &&
                    integerIn(port, 1, 65_535) &&
                    connects(again.bare) &&
                    port !== loopback.tcpPort
                  ) {
                    port = loopback.refusedPort;
                  }
                  return { ...target, host, port };
                }
                if (target.kind === 'http') return { ...target, url: safeUrl(target.url, false) };
                return target;
              })
            : input;
          const faults = new Faults();
          const keys = new Set<string>();
          if (!Array.isArray(targets)) faults.add(ErrorCode.INVALID_CONFIG);
          else {
            for (const target of targets) {
              if (!plainObject(target) || (target.kind !== 'http' && target.kind !== 'tcp')) {
                faults.add(ErrorCode.INVALID_CONFIG);
                continue;
              }
              const intervalMs = target.intervalMs ?? 15_000;
              const intervalOk = integerIn(intervalMs, 1, MAX_MS);
              faults.add(ErrorCode.INVALID_CONFIG, !intervalOk);
              const defaultTimeout = Math.min(
                target.kind === 'http' ? 10_000 : 5_000,
                intervalOk ? (intervalMs as number) : 1,
              );
              faults.add(ErrorCode.INVALID_CONFIG, !integerIn(target.timeoutMs ?? defaultTimeout, 1, MAX_MS));
              let label: string | undefined;
              if (target.kind === 'http') {
                const parsed = httpUrl(target.url);
                faults.add(ErrorCode.INVALID_TARGET, parsed === undefined);
                httpOptionFaults(target, faults);
                label = labelText(target.target) ? target.target : parsed?.label;
              } else {
                const { valid, bare } = tcpHost(target.host);
                const portOk = integerIn(target.port, 1, 65_535);
                faults.add(ErrorCode.INVALID_TARGET, !valid || !portOk);
                faults.add(
                  ErrorCode.INVALID_CONFIG,
                  target.target !== undefined && !labelText(target.target),
                );
                label = labelText(target.target)
                  ? target.target
                  : valid && portOk
                    ? tcpLabel(bare, target.port as number)
                    : undefined;
              }
              if (label !== undefined) {
                const key = `${target.kind} ${label}`;
                faults.add(ErrorCode.INVALID_CONFIG, keys.has(key));
                keys.add(key);
              }
            }
          }
          // The server may hear of the last case's connections a little after its probes ended.
          if (probesRan) await new Promise((resolve) => setTimeout(resolve, 25));
          probesRan = false;
          const network = collector();
          const requestsBefore = loopback.httpRequests;
          const connectionsBefore = loopback.tcpConnections;
          try {
            const before = registryFingerprint(network.registry);
            const what = `startProbes(${JSON.stringify(targets)?.slice(0, 600)})`;
            const outcome = attempt(() => network.startProbes(targets as never));
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensureUnchanged(before, registryFingerprint(network.registry), what);
              await new Promise((resolve) => setImmediate(resolve));
              ensure(
                network.getSuccessRates().length === 0 &&
                  loopback.httpRequests === requestsBefore &&
                  loopback.tcpConnections === connectionsBefore,
                `${what}: a refused configuration started a probe`,
              );
              return;
            }
            probesRan = true;
            const settled = await attemptAsync(() => outcome.value);
            ensure(settled.ok, `${what}: the first round rejected`);
            const rates = network.getSuccessRates();
            ensure(
              rates.length === keys.size && rates.every((rate) => rate.attempts >= 1),
              () => `${what}: success rates ${JSON.stringify(rates)}`,
            );
          } finally {
            await network.close();
          }
        },
        120,
      );
    });

    it('observeDispatcher: dispatchers and names; collection never throws', async () => {
      const origin = `http://127.0.0.1:${loopback.refusedPort || 9}`;
      const real = { pool: new Pool(origin), client: new Client(origin), agent: new Agent() };
      const statsValue = fc.oneof(
        fc.integer({ min: 0, max: 50 }),
        fc.boolean(),
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 'x', null, undefined),
      );
      const statsRecord = fc.record(
        {
          connected: statsValue,
          free: statsValue,
          pending: statsValue,
          queued: statsValue,
          running: statsValue,
          size: statsValue,
        },
        { requiredKeys: [] },
      );
      const dispatcherInput = fc.oneof(
        { arbitrary: fc.constantFrom('pool', 'client', 'agent'), weight: 2 },
        { arbitrary: statsRecord.map((stats) => ({ stats })), weight: 4 },
        {
          arbitrary: fc
            .dictionary(fc.constantFrom('http://a', 'http://b'), statsRecord, { maxKeys: 2 })
            .map((stats) => ({ stats })),
          weight: 2,
        },
        {
          arbitrary: fc.constantFrom(
            { stats: null },
            { stats: 5 },
            { stats: 'x' },
            { closed: true, stats: { size: 1 } },
            { destroyed: true, stats: { size: 1 } },
            'throws',
          ),
          weight: 2,
        },
        { arbitrary: junk, weight: 1 },
      );
      const network = collector();
      try {
        await checkAsyncProperty(
          'network.observe-dispatcher',
          fc.record({
            dispatcher: dispatcherInput,
            name: fc.oneof(
              { arbitrary: fc.constantFrom('backend', 'db'), weight: 2 },
              { arbitrary: unicodeText(10), weight: 3 },
              { arbitrary: fc.constantFrom('', '\uD800', 'x\uDFFF'), weight: 1 },
              { arbitrary: junk, weight: 1 },
            ),
            twice: fc.boolean(),
          }),
          async ({ dispatcher: input, name, twice }) => {
            const dispatcher =
              input === 'pool' || input === 'client' || input === 'agent'
                ? real[input]
                : input === 'throws'
                  ? Object.defineProperty({}, 'stats', {
                      enumerable: true,
                      get() {
                        throw new Error('stats failed');
                      },
                    })
                  : input;
            const faults = new Faults()
              .add(ErrorCode.INVALID_CONFIG, !labelText(name))
              .add(
                ErrorCode.INVALID_CONFIG,
                typeof dispatcher !== 'object' || dispatcher === null || !('stats' in dispatcher),
              );
            const what = `observeDispatcher(${JSON.stringify(input)}, ${JSON.stringify(String(name))})`;
            const before = registryFingerprint(network.registry, false);
            const outcome = attempt(() => network.observeDispatcher(dispatcher as never, name as string));
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensureUnchanged(before, registryFingerprint(network.registry, false), what);
              return;
            }
            const stop = outcome.value;
            try {
              if (twice) {
                const again = attempt(() => network.observeDispatcher(dispatcher as never, name as string));
                expectOutcome(again, new Set([ErrorCode.INVALID_CONFIG]), `${what} twice`);
              }
              const collected = await attemptAsync(() => network.registry.collect());
              ensure(collected.ok, `${what}: collect() threw`);
              const named = poolSeries(collected.value, name);
              const plain = dispatcher as { stats?: unknown; closed?: unknown; destroyed?: unknown };
              if (
                typeof input === 'object' &&
                input !== null &&
                plainObject(plain.stats) &&
                typeof plain.stats.size === 'number' &&
                Number.isFinite(plain.stats.size) &&
                plain.closed !== true &&
                plain.destroyed !== true &&
                Object.values(plain.stats).every(
                  (value) => value === undefined || typeof value === 'boolean' || Number.isFinite(value),
                )
              ) {
                const size = collected.value.families
                  .find((family) => family.name === 'undici_pool_size')
                  ?.series.find((series) => series.labels.name === name);
                ensure(
                  size !== undefined && (size as { value?: unknown }).value === plain.stats.size,
                  () => `${what}: undici_pool_size ${JSON.stringify(size)}`,
                );
              }
              if (input === 'throws' || (plainObject(dispatcher) && !plainObject(dispatcher.stats))) {
                ensure(named.length === 0, `${what}: series of a dispatcher whose stats failed`);
              }
            } finally {
              stop();
            }
            const after = poolSeries(network.registry.snapshot({ sketches: false }), name);
            ensure(after.length === 0, `${what}: series left after the stop function`);
          },
          400,
        );
      } finally {
        await network.close();
        await Promise.all([real.pool.close(), real.client.close(), real.agent.close()]);
      }
    });

    it('getNetworkCollector / new NetworkMetricsCollector: options', async () => {
      const shared = new MetricsRegistry();
      const taken = new NetworkMetricsCollector({ registry: shared, name: 'taken' });
      try {
        await checkAsyncProperty(
          'network.factory-options',
          fc.record({
            useFactory: fc.boolean(),
            options: fc.oneof(
              { arbitrary: fc.constant(undefined), weight: 1 },
              { arbitrary: fc.constantFrom(null, 'x', 5, [], [{}], true), weight: 1 },
              {
                arbitrary: fc.record(
                  {
                    name: fc.oneof(
                      fc.constantFrom('network', 'taken', 'web'),
                      unicodeText(8),
                      fc.constantFrom('', '\uD800', 5, null),
                    ),
                    registry: fc.constantFrom('fresh', 'shared', {}, 5, null),
                    maxConcurrentProbes: integerOption(1, 10_000),
                    maxTargets: integerOption(1, 100_000),
                    connectTimeoutMs: fc.oneof(
                      fc.constantFrom(1, 0.5, 1.5, MAX_MS, MAX_MS + 1),
                      numberOrJunk,
                    ),
                    keepAliveTimeoutMs: fc.oneof(fc.constantFrom(1, 4000, 0, -1), numberOrJunk),
                    lookup: fc.constantFrom('function', 'dns', 5, null, {}),
                    bufferSize: integerOption(1, 10_000_000),
                    maxSamplesPerSecond: fc.oneof(
                      fc.constant(false),
                      fc.constant(true),
                      integerOption(1, 10_000_000),
                    ),
                  },
                  { requiredKeys: [] },
                ),
                weight: 8,
              },
            ),
          }),
          async ({ useFactory, options: input }) => {
            let options: unknown = input;
            let registry: MetricsRegistry | undefined;
            if (plainObject(input)) {
              const copy: Record<string, unknown> = { ...input };
              if (input.registry === 'fresh') copy.registry = registry = new MetricsRegistry();
              else if (input.registry === 'shared') copy.registry = registry = shared;
              if (input.lookup === 'function') copy.lookup = localLookup;
              options = copy;
            }
            const faults = new Faults();
            if (options !== undefined && !plainObject(options)) faults.add(ErrorCode.INVALID_CONFIG);
            else if (plainObject(options)) {
              const bad = (present: boolean) => faults.add(ErrorCode.INVALID_CONFIG, present);
              bad(options.name !== undefined && !labelText(options.name));
              bad(options.registry !== undefined && !(options.registry instanceof MetricsRegistry));
              bad(
                options.maxConcurrentProbes !== undefined &&
                  !integerIn(options.maxConcurrentProbes, 1, 10_000),
              );
              bad(options.maxTargets !== undefined && !integerIn(options.maxTargets, 1, 100_000));
              bad(options.connectTimeoutMs !== undefined && !millisecondsValid(options.connectTimeoutMs));
              bad(options.keepAliveTimeoutMs !== undefined && !millisecondsValid(options.keepAliveTimeoutMs));
              bad(options.lookup !== undefined && typeof options.lookup !== 'function');
              bad(options.bufferSize !== undefined && !integerIn(options.bufferSize, 1, 10_000_000));
              bad(
                options.maxSamplesPerSecond !== undefined &&
                  options.maxSamplesPerSecond !== false &&
                  !integerIn(options.maxSamplesPerSecond, 1, 10_000_000),
              );
              const name = options.name ?? 'network';
              bad(registry === shared && shared.collectors.some((other) => other.name === name));
              // Collectors sharing a registry share its probe metrics, defined with maxTargets series.
              faults.add(
                ErrorCode.METRIC_CONFLICT,
                registry === shared && options.maxTargets !== undefined && options.maxTargets !== 500,
              );
            }
            const collectorsBefore = shared.collectors.map((other) => other.name);
            const sharedBefore = registryFingerprint(shared);
            const what = `${useFactory ? 'getNetworkCollector' : 'new NetworkMetricsCollector'}(${JSON.stringify(input)})`;
            const outcome = attempt(() =>
              useFactory
                ? getNetworkCollector(options as never)
                : new NetworkMetricsCollector(options as never),
            );
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensureUnchanged(sharedBefore, registryFingerprint(shared), what);
              ensure(
                JSON.stringify(shared.collectors.map((other) => other.name)) ===
                  JSON.stringify(collectorsBefore),
                `${what}: a refused collector stayed registered`,
              );
              return;
            }
            const created = outcome.value;
            const expectedName =
              plainObject(options) && options.name !== undefined ? options.name : 'network';
            ensure(created.name === expectedName, `${what}: name ${String(created.name)}`);
            ensure(created.registry.collectors.includes(created), `${what}: not registered`);
            await created.close();
            ensure(!created.registry.collectors.includes(created), `${what}: still registered after close()`);
          },
          400,
        );
      } finally {
        await taken.close();
      }
    });
  });
}
