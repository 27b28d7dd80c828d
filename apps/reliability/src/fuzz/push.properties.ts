import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCode, formatValue, MetricsRegistry, parseExposition } from '@fw0/metrics-core';
import {
  decodeWriteRequest,
  getPushgatewayClient,
  getRemoteWriteExporter,
  maxCompressedLength,
  PushgatewayClient,
  PushMetricName,
  type PushResult,
  RemoteWriteExporter,
  SeriesEncoder,
  snappyCompress,
  snappyDecompress,
  type WriteRequest,
} from '@fw0/metrics-push';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { freePort } from '../../../../test-support/processes.js';
import {
  attempt,
  attemptAsync,
  checkAsyncProperty,
  checkProperty,
  ensure,
  ensureSame,
  expectOutcome,
  Faults,
} from './harness.js';
import {
  anyText,
  collectorNameInput,
  collectorNameValid,
  integerIn,
  integerOption,
  junk,
  LABEL_NAME,
  LONE_SURROGATES,
  labelNameInput,
  labelValueInput,
  loggerInput,
  loggerValid,
  numberIn,
  plainObject,
  unicodeText,
} from './inputs.js';
import {
  ensureQuiet,
  ensureUnchanged,
  eventually,
  parsedSamples,
  prometheusText,
  refedTimers,
  registryFingerprint,
  settle,
  watchUnhandledRejections,
} from './observe.js';

/*
 * The bad-input properties of @fw0/metrics-push. The models below are written from the
 * package's README (options tables, "Bad options throw at once", the Pushgateway section) and its
 * doc comments, not taken from its code.
 *
 * Loopback only. Constructors, `url` and `groupUrl()` take every generated URL as it is: they
 * parse it and open no connection (an exporter or client that is only constructed sends nothing,
 * and those properties never start, flush, stop or call one). Every call that sends (start,
 * flush, stop, push, pushAdd, delete) goes to a URL REWRITTEN before the package sees it: its
 * host becomes 127.0.0.1 and its port one of this suite (a scripted HTTP server on 127.0.0.1, or
 * a port nothing listens on); scheme, credentials, path and query are kept. So no generated host
 * is ever resolved or connected to, and no port of another program is.
 */

// ---------------------------------------------------------------------------------------------
// Loopback fixtures

/** How the scripted server answers one request: a status (and headers), or not at all, or a reset. */
type Reply = { readonly status: number; readonly headers?: Record<string, string> } | 'hang' | 'reset';

interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly reply: Reply;
  /** The remote-write request in the body, if it decodes as one. */
  readonly write: WriteRequest | undefined;
}

/** A real HTTP server on 127.0.0.1 answering what a case scripts, recording what it received. */
class ScriptedServer {
  port = 0;
  readonly received: Received[] = [];
  private replies: readonly Reply[] = [{ status: 200 }];
  private answered = 0;
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', () => {});
    request.on('end', () => {
      const reply = this.replies[Math.min(this.answered++, this.replies.length - 1)]!;
      const body = Buffer.concat(chunks);
      let write: WriteRequest | undefined;
      if (request.headers['content-encoding'] === 'snappy') {
        try {
          write = decodeWriteRequest(snappyDecompress(body));
        } catch {
          write = undefined;
        }
      }
      this.received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
        reply,
        write,
      });
      if (reply === 'hang') {
        this.hanging.add(response);
        response.on('close', () => this.hanging.delete(response));
      } else if (reply === 'reset') request.socket.destroy();
      else response.writeHead(reply.status, reply.headers).end('scripted answer');
    });
  });

  async start(): Promise<void> {
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // A huge request line is answered 431 by Node; its socket must not throw into the suite.
    this.server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** The replies of the next case: the n-th request gets `replies[n]` (the last one repeats). */
  script(replies: readonly Reply[]): void {
    this.replies = replies.length > 0 ? replies : [{ status: 200 }];
    this.answered = 0;
    this.received.length = 0;
  }

  /** Open connections from clients. */
  get connections(): number {
    return this.sockets.size;
  }

  /** Ends the responses held by `hang` (their clients gave up long ago). */
  releaseHanging(): void {
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
  }

  async close(): Promise<void> {
    this.releaseHanging();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const remote = new ScriptedServer();
let refusedPort = 0;

function useLoopback(): void {
  beforeAll(async () => {
    await remote.start();
    refusedPort = await freePort();
  });
  afterAll(() => remote.close());
}

/**
 * The generated URL with its host rewritten to 127.0.0.1 and its port to one of the suite's
 * (scheme, credentials, path and query kept): what the properties that send use.
 */
function onLoopback(url: URL, where: 'server' | 'refused'): string {
  const copy = new URL(url.href);
  copy.hostname = '127.0.0.1';
  copy.port = String(where === 'server' ? remote.port : refusedPort);
  return copy.href;
}

// ---------------------------------------------------------------------------------------------
// Models, from the documentation

const MAX_DAY_MS = 86_400_000;
const MAX_TIMEOUT_MS = 600_000;
const MAX_BACKOFF_MS = 3_600_000;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** An HTTP field value (RFC 9110): visible ASCII, space, tab and obs-text (Latin-1). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the protocol sets: remote write's, and the body framing of both clients. */
const REMOTE_WRITE_RESERVED = [
  'content-encoding',
  'content-type',
  'x-prometheus-remote-write-version',
  'content-length',
  'transfer-encoding',
];
const PUSHGATEWAY_RESERVED = ['content-type', 'content-length', 'transfer-encoding'];

/**
 * The `url` option: an `http://` or `https://` URL (README), whose `user:password@` can become
 * basic auth, so they must be valid percent-encoding. Undefined when the URL is refused.
 */
function urlModel(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  let url: URL;
  try {
    // Not URL.canParse: in Node 20 it answers false for some valid URLs (`http://é.x`) once
    // V8 has optimised it, after a few thousand calls.
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return undefined;
  }
  return url;
}

/** The URL without user and password, as `url` shows it. */
function withoutCredentials(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function headerFaults(headers: unknown, reserved: readonly string[], faults: Faults): void {
  if (headers === undefined) return;
  if (!plainObject(headers)) {
    faults.add(ErrorCode.INVALID_CONFIG);
    return;
  }
  for (const [name, value] of Object.entries(headers)) {
    faults.add(
      ErrorCode.INVALID_CONFIG,
      !TOKEN.test(name) ||
        reserved.includes(name.toLowerCase()) ||
        typeof value !== 'string' ||
        !FIELD_VALUE.test(value),
    );
  }
}

function retryFaults(retry: unknown, faults: Faults): void {
  if (retry === undefined) return;
  if (typeof retry !== 'object' || retry === null) {
    faults.add(ErrorCode.INVALID_CONFIG);
    return;
  }
  const fields = retry as Record<string, unknown>;
  const initialBackoffMs = fields.initialBackoffMs ?? 500;
  const maxBackoffMs = fields.maxBackoffMs ?? 30_000;
  const jitter = fields.jitter ?? 0.2;
  const initialOk = integerIn(initialBackoffMs, 1, MAX_BACKOFF_MS);
  faults.add(ErrorCode.INVALID_CONFIG, !initialOk);
  faults.add(
    ErrorCode.INVALID_CONFIG,
    initialOk && !integerIn(maxBackoffMs, initialBackoffMs as number, MAX_BACKOFF_MS),
  );
  faults.add(ErrorCode.INVALID_CONFIG, !numberIn(jitter, 0, 1));
}

const PEM_GARBAGE = 'not a PEM';

function tlsFaults(tls: unknown, url: URL | undefined, faults: Faults): void {
  if (tls === undefined || url === undefined) return;
  if (typeof tls !== 'object' || tls === null || url.protocol !== 'https:') {
    faults.add(ErrorCode.INVALID_CONFIG);
    return;
  }
  const { ca, cert, key, servername, rejectUnauthorized } = tls as Record<string, unknown>;
  const pem = (value: unknown) => typeof value === 'string' || Buffer.isBuffer(value);
  const bad = (present: boolean) => faults.add(ErrorCode.INVALID_CONFIG, present);
  bad(ca !== undefined && !pem(ca) && !(Array.isArray(ca) && ca.every(pem)));
  // A client certificate or key that is no PEM cannot make a TLS context: refused at once.
  bad(cert !== undefined && (!pem(cert) || String(cert) === PEM_GARBAGE));
  bad(key !== undefined && (!pem(key) || String(key) === PEM_GARBAGE));
  bad(servername !== undefined && typeof servername !== 'string');
  bad(rejectUnauthorized !== undefined && typeof rejectUnauthorized !== 'boolean');
}

/** A label set given as an option (external or grouping labels): names, values, as the README says. */
function labelSetModel(labels: unknown, reserved: readonly string[]): Record<string, string> | undefined {
  if (labels === undefined) return {};
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return undefined;
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    if (value === undefined) continue;
    if (!LABEL_NAME.test(name) || name.startsWith('__') || reserved.includes(name)) return undefined;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return undefined;
      result[name] = value;
    } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
      result[name] = String(value);
    } else return undefined;
  }
  return result;
}

/** The options a flush() or stop() takes: undefined or an object whose timeoutMs is in range. */
function flushOptionFaults(options: unknown): Faults {
  const faults = new Faults();
  if (options === undefined) return faults;
  if (typeof options !== 'object' || options === null) return faults.add(ErrorCode.INVALID_CONFIG);
  const { timeoutMs } = options as { timeoutMs?: unknown };
  return faults.add(ErrorCode.INVALID_CONFIG, timeoutMs != null && !integerIn(timeoutMs, 1, MAX_TIMEOUT_MS));
}

/** The value of one self-metric series of `exporter` in the registry (0 when absent). */
function selfValue(registry: MetricsRegistry, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const sample of parsedSamples(prometheusText(registry))) {
    if (sample.name !== name) continue;
    if (Object.entries(labels).every(([label, value]) => sample.labels[label] === value))
      total += sample.value;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Generators

/** URLs: parts of every kind put together, whole odd strings, and things that are not strings. */
const urlInput: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'http://',
          'http://',
          'http://',
          'https://',
          'HTTP://',
          'ftp://',
          'ws://',
          'file://',
          'unix:',
          'javascript:',
          '//',
          'http:',
          'http:/',
          '',
        ),
        fc.constantFrom(
          '',
          '',
          '',
          'user:pass@',
          'user@',
          ':secret@',
          'us%20er:p%40ss@',
          'ü:ö@',
          '%ff@',
          'a:%E0%A4%A@',
          '%C3%28:x@',
          '%00:x@',
          '@',
        ),
        fc.constantFrom(
          '127.0.0.1',
          '127.0.0.1',
          'localhost',
          '[::1]',
          'LOCALHOST',
          '0x7f.1',
          '2130706433',
          'pushgateway.fw0.invalid',
          '10.0.0.1',
          '[2001:db8::1]',
          'é.fw0.invalid',
          'xn--e-ssa.invalid',
          '%31%32%37.0.0.1',
          'a b',
          '',
          '[::1',
          '256.0.0.1',
          'host_name',
          '😀',
        ),
        fc.constantFrom('', '', ':9091', ':0', ':65535', ':65536', ':-1', ':x', ':', ':080'),
        fc.oneof(
          fc.constantFrom(
            '',
            '/',
            '/api/v1/write',
            '/prefix/',
            '/a b',
            '/é',
            '/%ff',
            '/a/../b',
            '/..',
            '\\x',
            '/\u0000',
          ),
          anyText(10).map((text) => `/${text}`),
          fc.constant(`/${'x'.repeat(20_000)}`),
        ),
        fc.constantFrom('', '', '?x=1', '?', '#fragment', '?a=b#c'),
      )
      .map((parts) => parts.join('')),
    weight: 12,
  },
  {
    arbitrary: fc.constantFrom(
      ' http://127.0.0.1:9091/ ',
      '\thttp://127.0.0.1/\n',
      'http://127.0.0.1/\uD800',
      'http://',
      'not a url',
      '127.0.0.1:9090',
      `http://${'a'.repeat(300)}.invalid/`,
      'https://user:pass@127.0.0.1:9443/api/v1/write?tenant=a',
    ),
    weight: 2,
  },
  { arbitrary: anyText(30), weight: 1 },
  { arbitrary: fc.oneof(junk, fc.constant(new URL('http://127.0.0.1/'))), weight: 1 },
);

const headerNameInput = fc.oneof(
  { arbitrary: fc.stringMatching(/^x-[a-z0-9-]{1,10}$/), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      'Authorization',
      'X-Scope-OrgID',
      'User-Agent',
      'Host',
      'Connection',
      'Content-Type',
      'content-encoding',
      'CONTENT-LENGTH',
      'X-Prometheus-Remote-Write-Version',
      'Transfer-Encoding',
      'bad name',
      '',
      'x:y',
      'é',
    ),
    weight: 3,
  },
);

const headerValueInput = fc.oneof(
  { arbitrary: fc.stringMatching(/^[ -~]{0,24}$/), weight: 5 },
  {
    arbitrary: fc.constantFrom(
      '',
      'é',
      '😀',
      'a\r\nb',
      'a\nb',
      'a\0b',
      '\u0001',
      '\u007f',
      '\t',
      'x'.repeat(2000),
    ),
    weight: 3,
  },
  { arbitrary: fc.constantFrom(5, null, ['a'], undefined), weight: 1 },
);

const headersInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 4 },
  { arbitrary: fc.dictionary(headerNameInput, headerValueInput, { maxKeys: 3 }), weight: 5 },
  { arbitrary: fc.constantFrom(null, 'x', ['a'], 5), weight: 1 },
);

const retryInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 4 },
  {
    arbitrary: fc.record(
      {
        initialBackoffMs: integerOption(1, MAX_BACKOFF_MS),
        maxBackoffMs: integerOption(1, MAX_BACKOFF_MS),
        jitter: fc.oneof(
          fc.double({ min: -0.5, max: 1.5 }),
          fc.constantFrom(0, 1, 0.2, Number.NaN, '0.1', null),
        ),
      },
      { requiredKeys: [] },
    ),
    weight: 5,
  },
  { arbitrary: fc.constantFrom(null, 'fast', 5, []), weight: 1 },
);

const tlsInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      {},
      { rejectUnauthorized: false },
      { rejectUnauthorized: 'no' },
      { ca: PEM_GARBAGE },
      { ca: [Buffer.from(PEM_GARBAGE)] },
      { ca: 5 },
      { cert: PEM_GARBAGE },
      { key: Buffer.from(PEM_GARBAGE) },
      { servername: 'pushgateway.fw0.invalid' },
      { servername: 5 },
      null,
      'tls',
    ),
    weight: 2,
  },
);

/** Label sets as options: valid ones, reserved and odd names, odd values, and things that are not sets. */
const labelSetInput = (reserved: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    {
      arbitrary: fc.dictionary(
        fc.oneof(labelNameInput(reserved), fc.constantFrom('instance', 'region', 'zone', 'queue')),
        labelValueInput,
        { maxKeys: 4 },
      ),
      weight: 8,
    },
    {
      arbitrary: fc.dictionary(
        fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
        fc.oneof(
          unicodeText(12),
          fc.constantFrom('', '/', 'a/b', '.', '..', '%', '%2F', ' ', '=', '@base64', 'é', '😀'),
        ),
        { maxKeys: 3 },
      ),
      weight: 6,
    },
    { arbitrary: fc.constantFrom(null, 'a=b', 5, [], [['a', 'b']]), weight: 1 },
  );

const jobInput: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      'nightly-etl',
      'batch',
      'a/b',
      '/',
      '.',
      '..',
      ' ',
      'job name',
      '%2F',
      'é',
      '😀',
    ),
    weight: 5,
  },
  { arbitrary: unicodeText(16), weight: 4 },
  {
    arbitrary: fc.constantFrom('', '\uD800', `a${LONE_SURROGATES[3]}`, 5, null, undefined, ['a']),
    weight: 1,
  },
);

/** A registry with a few metrics, label values that need escaping included. */
function populated(): MetricsRegistry {
  const registry = new MetricsRegistry();
  registry.counter({ name: 'jobs', help: 'Jobs done.' }).add(3, { queue: 'emails "q"\n' });
  registry.gauge({ name: 'queue_depth', help: 'Waiting.' }).set(2, { zone: 'é😀' });
  registry
    .histogram({ name: 'job_duration_seconds', unit: 'seconds', buckets: [0.1, 1] })
    .observe(0.5, { queue: '' });
  return registry;
}

// ---------------------------------------------------------------------------------------------
// Remote-write options

interface RemoteWriteInput {
  readonly url: unknown;
  readonly registry: 'fresh' | 'shared' | 'none' | 'object';
  readonly name: unknown;
  readonly intervalMs: unknown;
  readonly timeoutMs: unknown;
  readonly headers: unknown;
  readonly maxQueueSamples: unknown;
  readonly maxSamplesPerRequest: unknown;
  readonly retry: unknown;
  readonly externalLabels: unknown;
  readonly metadataIntervalMs: unknown;
  readonly flushTimeoutMs: unknown;
  readonly tls: unknown;
  readonly logger: unknown;
}

const remoteWriteInput = fc.record(
  {
    url: urlInput,
    registry: fc.constantFrom<RemoteWriteInput['registry']>(
      'fresh',
      'fresh',
      'shared',
      'shared',
      'none',
      'object',
    ),
    name: collectorNameInput(['remote', 'gateway']),
    intervalMs: integerOption(10, MAX_DAY_MS),
    timeoutMs: integerOption(1, MAX_TIMEOUT_MS),
    headers: headersInput,
    maxQueueSamples: integerOption(1, 100_000_000),
    maxSamplesPerRequest: integerOption(1, 1_000_000),
    retry: retryInput,
    externalLabels: labelSetInput([]),
    metadataIntervalMs: integerOption(0, MAX_DAY_MS),
    flushTimeoutMs: integerOption(1, MAX_TIMEOUT_MS),
    tls: tlsInput,
    logger: loggerInput,
  },
  { requiredKeys: ['url', 'registry'] },
);

/** The documented faults of remote-write options (README, "Options"). */
function remoteWriteFaults(
  options: Record<string, unknown>,
  registry: unknown,
  shared: MetricsRegistry,
): { faults: Faults; url: URL | undefined } {
  const faults = new Faults();
  const bad = (present: boolean) => faults.add(ErrorCode.INVALID_CONFIG, present);
  const url = urlModel(options.url);
  faults.add(ErrorCode.INVALID_TARGET, url === undefined);
  bad(!(registry instanceof MetricsRegistry));
  bad(options.name != null && !collectorNameValid(options.name));
  const name = options.name ?? 'remote_write';
  bad(registry === shared && shared.collectors.some((collector) => collector.name === name));
  // Scalar options left out or null take their default (README defaults; `??` semantics).
  const option = (key: string, fallback: unknown) => options[key] ?? fallback;
  bad(!integerIn(option('intervalMs', 15_000), 10, MAX_DAY_MS));
  bad(!integerIn(option('timeoutMs', 10_000), 1, MAX_TIMEOUT_MS));
  const perRequest = option('maxSamplesPerRequest', 5000);
  const perRequestOk = integerIn(perRequest, 1, 1_000_000);
  bad(!perRequestOk);
  if (perRequestOk) {
    const queue = option('maxQueueSamples', Math.max(100_000, perRequest as number));
    bad(!integerIn(queue, perRequest as number, 100_000_000));
  }
  bad(!integerIn(option('metadataIntervalMs', 60_000), 0, MAX_DAY_MS));
  bad(!integerIn(option('flushTimeoutMs', 5000), 1, MAX_TIMEOUT_MS));
  headerFaults(options.headers, REMOTE_WRITE_RESERVED, faults);
  retryFaults(options.retry, faults);
  faults.add(ErrorCode.INVALID_LABEL, labelSetModel(options.externalLabels, []) === undefined);
  tlsFaults(options.tls, url, faults);
  faults.add(ErrorCode.INVALID_CONFIG, !loggerValid(options.logger));
  return { faults, url };
}

function remoteWriteOptions(
  input: RemoteWriteInput,
  shared: MetricsRegistry,
): { options: Record<string, unknown>; registry: unknown } {
  const registry =
    input.registry === 'fresh'
      ? new MetricsRegistry()
      : input.registry === 'shared'
        ? shared
        : input.registry === 'object'
          ? { collect: () => Promise.resolve({ timestamp: 0, families: [] }) }
          : undefined;
  const options: Record<string, unknown> = { registry };
  for (const [key, value] of Object.entries(input))
    if (key !== 'registry' && value !== undefined) options[key] = value;
  return { options, registry };
}

// ---------------------------------------------------------------------------------------------
// Pushgateway options and paths

interface PushgatewayInput {
  readonly url: unknown;
  readonly registry: 'fresh' | 'shared' | 'none';
  readonly job: unknown;
  readonly groupingLabels: unknown;
  readonly timeoutMs: unknown;
  readonly headers: unknown;
  readonly attempts: unknown;
  readonly retry: unknown;
  readonly name: unknown;
  readonly tls: unknown;
  readonly logger: unknown;
}

const pushgatewayInput = fc.record(
  {
    url: urlInput,
    registry: fc.constantFrom<PushgatewayInput['registry']>('fresh', 'fresh', 'shared', 'none'),
    job: jobInput,
    groupingLabels: labelSetInput(['job']),
    timeoutMs: integerOption(1, MAX_TIMEOUT_MS),
    headers: headersInput,
    attempts: integerOption(1, 100),
    retry: retryInput,
    name: collectorNameInput(['remote', 'gateway']),
    tls: tlsInput,
    logger: loggerInput,
  },
  { requiredKeys: ['url', 'registry', 'job'] },
);

function pushgatewayFaults(
  options: Record<string, unknown>,
  registry: unknown,
  shared: MetricsRegistry,
): { faults: Faults; url: URL | undefined } {
  const faults = new Faults();
  const bad = (present: boolean) => faults.add(ErrorCode.INVALID_CONFIG, present);
  const url = urlModel(options.url);
  faults.add(ErrorCode.INVALID_TARGET, url === undefined);
  bad(!(registry instanceof MetricsRegistry));
  const job = options.job;
  // README: a bad job throws ConfigError or InvalidLabelError (a job is a label value).
  if (typeof job !== 'string' || job === '') bad(true);
  else faults.add(ErrorCode.INVALID_LABEL, !job.isWellFormed());
  faults.add(ErrorCode.INVALID_LABEL, labelSetModel(options.groupingLabels, ['job']) === undefined);
  bad(options.name != null && !collectorNameValid(options.name));
  const name = options.name ?? 'pushgateway';
  bad(registry === shared && shared.collectors.some((collector) => collector.name === name));
  bad(!integerIn(options.timeoutMs ?? 10_000, 1, MAX_TIMEOUT_MS));
  bad(!integerIn(options.attempts ?? 1, 1, 100));
  headerFaults(options.headers, PUSHGATEWAY_RESERVED, faults);
  retryFaults(options.retry, faults);
  tlsFaults(options.tls, url, faults);
  faults.add(ErrorCode.INVALID_CONFIG, !loggerValid(options.logger));
  return { faults, url };
}

/**
 * Reads a grouping key back from a request path (README: `/metrics/job/<job>/<label>/<value>`,
 * base64url as `<label>@base64/<value>` for values with `/`, empty (`=`), `.` or `..`), checking
 * that every value that could go plain went plain. Throws on a path that breaks the rule.
 */
function readGroupingPath(path: string, prefix: string): Record<string, string> {
  const start = `${prefix}/metrics/`;
  if (!path.startsWith(start)) throw new Error(`path ${JSON.stringify(path)} does not start with ${start}`);
  const segments = path.slice(start.length).split('/');
  if (segments.length % 2 !== 0) throw new Error(`odd number of segments in ${JSON.stringify(path)}`);
  const labels: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 2) {
    const key = segments[i]!;
    const raw = segments[i + 1]!;
    const encoded = key.endsWith('@base64');
    const name = encoded ? key.slice(0, -'@base64'.length) : key;
    let value: string;
    if (encoded) {
      value = raw === '=' ? '' : Buffer.from(raw, 'base64url').toString('utf8');
      if (value !== '' && !value.includes('/') && value !== '.' && value !== '..')
        throw new Error(`${name}=${JSON.stringify(value)} was base64-encoded without need`);
    } else {
      value = decodeURIComponent(raw);
      if (value === '' || value.includes('/') || value === '.' || value === '..')
        throw new Error(`${name}=${JSON.stringify(value)} went plain`);
    }
    if (Object.hasOwn(labels, name)) throw new Error(`label ${name} twice in ${JSON.stringify(path)}`);
    labels[name] = value;
  }
  return labels;
}

/** The path prefix of a Pushgateway base URL (README: "a path prefix is kept"). */
const pathPrefix = (url: URL): string => url.pathname.replace(/\/+$/, '');

const sortedEntries = (labels: Record<string, string>) =>
  Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

// ---------------------------------------------------------------------------------------------
// Replies and their documented outcomes

const replyInput: fc.Arbitrary<Reply> = fc.oneof(
  { arbitrary: fc.constantFrom(200, 202, 204).map((status) => ({ status })), weight: 6 },
  { arbitrary: fc.constantFrom(400, 401, 404, 409, 413).map((status) => ({ status })), weight: 2 },
  { arbitrary: fc.constantFrom(500, 502, 503).map((status) => ({ status })), weight: 2 },
  {
    arbitrary: fc.constantFrom<Reply>(
      { status: 429, headers: { 'Retry-After': '0' } },
      { status: 429, headers: { 'Retry-After': '1' } },
      { status: 503, headers: { 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' } },
      { status: 301, headers: { Location: 'ftp://127.0.0.1/' } },
      'hang',
      'reset',
    ),
    weight: 2,
  },
);

const succeeded = (reply: Reply) => typeof reply === 'object' && reply.status >= 200 && reply.status < 300;
const retryable = (reply: Reply) => typeof reply !== 'object' || reply.status >= 500 || reply.status === 429;

/** The `reason` of a failed reply (README, self-metrics table). */
function reasonOf(reply: Reply): string {
  if (reply === 'hang') return 'timeout';
  if (reply === 'reset') return 'network';
  if (reply.status === 429) return 'http_429';
  if (reply.status >= 500) return 'http_5xx';
  if (reply.status >= 400) return 'http_4xx';
  return 'http_3xx';
}

const METHODS = { push: 'PUT', pushAdd: 'POST', delete: 'DELETE' } as const;
type Operation = keyof typeof METHODS;

// ---------------------------------------------------------------------------------------------
// What a sending case observes

/** A registry that counts the samples of every snapshot it hands out (what an exporter queues). */
class CountingRegistry extends MetricsRegistry {
  collectedSamples = 0;
  override async collect(options?: Parameters<MetricsRegistry['collect']>[0]) {
    const snapshot = await super.collect(options);
    this.collectedSamples += SeriesEncoder.sampleCount(snapshot);
    return snapshot;
  }
}

/** The documented headers of a request as the server reads them: the last of the same name wins. */
function expectedHeaders(headers: unknown): Map<string, string> {
  const expected = new Map<string, string>();
  if (plainObject(headers))
    for (const [name, value] of Object.entries(headers)) expected.set(name.toLowerCase(), String(value));
  return expected;
}

/** Checks that the server saw the extra headers (values trimmed, as HTTP parsers do) and basic auth. */
function checkHeaders(received: Received, headers: unknown, url: URL, what: string): void {
  const expected = expectedHeaders(headers);
  for (const [name, value] of expected) {
    // Node decides these itself (an empty Host is replaced, Connection drives keep-alive).
    if (name === 'connection' || name === 'host') continue;
    const seen = received.headers[name];
    ensure(
      seen === value.replace(/^[ \t]+|[ \t]+$/g, ''),
      () => `${what}: header ${name} arrived as ${JSON.stringify(seen)}, sent ${JSON.stringify(value)}`,
    );
  }
  if (!expected.has('authorization') && (url.username !== '' || url.password !== '')) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    ensure(
      received.headers.authorization === `Basic ${Buffer.from(credentials).toString('base64')}`,
      () => `${what}: authorization ${received.headers.authorization} for ${JSON.stringify(credentials)}`,
    );
  }
}

/** Checks what an exporter or client leaves once it is done: no connection, no ref'd timer, no rejection. */
async function ensureReleased(
  rejections: { readonly reasons: readonly unknown[] },
  timersBefore: number,
  what: string,
): Promise<void> {
  remote.releaseHanging();
  ensure(await eventually(() => remote.connections === 0), `${what}: a connection stayed open`);
  await ensureQuiet(rejections, timersBefore, what);
}

/**
 * The series the README says a snapshot of `registry`'s own metrics becomes (`fw0_` self-metrics
 * left out): named as the text exposition names them, `__name__` among the labels, empty labels
 * left out, external labels added where the series has no (non-empty) label of that name (and
 * not as `le` on a bucket), every label sorted by name. One line each: labels as JSON, then value.
 */
function expectedSeries(registry: MetricsRegistry, external: Record<string, string>): string[] {
  const lines: string[] = [];
  const line = (name: string, labels: Record<string, string>, value: number, le?: string) => {
    const all: Record<string, string> = { __name__: name };
    for (const [label, text] of Object.entries(labels)) if (text !== '') all[label] = text;
    if (le !== undefined) all.le = le;
    for (const [label, text] of Object.entries(external)) {
      if (text === '' || (labels[label] ?? '') !== '' || (label === 'le' && le !== undefined)) continue;
      all[label] = text;
    }
    lines.push(`${JSON.stringify(sortedEntries(all))} ${value}`);
  };
  for (const family of registry.snapshot({ sketches: false }).families) {
    if (family.name.startsWith('fw0_')) continue;
    for (const series of family.series) {
      if (family.type === 'histogram') {
        const item = series as {
          labels: Record<string, string>;
          bucketCounts: readonly number[];
          sum: number;
          count: number;
        };
        let cumulative = 0;
        item.bucketCounts.forEach((count, i) => {
          cumulative += count;
          const bound = family.bounds[i];
          line(
            `${family.name}_bucket`,
            item.labels,
            cumulative,
            bound === undefined ? '+Inf' : formatValue(bound),
          );
        });
        line(`${family.name}_sum`, item.labels, item.sum);
        line(`${family.name}_count`, item.labels, item.count);
      } else {
        const item = series as { labels: Record<string, string>; value: number };
        line(family.type === 'counter' ? `${family.name}_total` : family.name, item.labels, item.value);
      }
    }
  }
  return lines.sort();
}

/**
 * The URL a sending case uses: the generated one if the package takes it, else a plain one; on
 * loopback. Node's server drops a request whose head passes 16 KiB without an answer, which a
 * model would have to guess: sending cases keep URLs under 4,000 characters (the constructors
 * see the long ones).
 */
function sendingUrl(input: unknown, where: 'server' | 'refused', plainHttp: boolean): URL {
  let url = urlModel(input);
  if (url === undefined || url.href.length > 4000) url = new URL('http://127.0.0.1/api/v1/write');
  if (plainHttp) url.protocol = 'http:';
  return new URL(onLoopback(url, where));
}

const flushOptionsInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  { arbitrary: fc.record({ timeoutMs: integerOption(1, MAX_TIMEOUT_MS) }, { requiredKeys: [] }), weight: 6 },
  { arbitrary: fc.constantFrom(null, 5, 'x', { timeoutMs: '100' }), weight: 1 },
);

type LifecycleStep =
  | { readonly op: 'start' }
  | { readonly op: 'flush' | 'stop'; readonly options: unknown }
  | { readonly op: 'wait'; readonly ms: number };

const stepInput: fc.Arbitrary<LifecycleStep> = fc.oneof(
  { arbitrary: fc.constant({ op: 'start' as const }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('flush' as const), options: flushOptionsInput }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('stop' as const), options: flushOptionsInput }), weight: 2 },
  {
    arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 40 }) }),
    weight: 2,
  },
);

/** Longest a flush or stop of a case may take against a remote that fails (so that a case ends soon). */
const SLOW_REMOTE_CAP_MS = 250;

/** `options` with a valid timeout above `cap` lowered to it (invalid values stay as they are). */
function capTimeout(options: unknown, cap: number): unknown {
  if (!plainObject(options) || !integerIn(options.timeoutMs, 1, MAX_TIMEOUT_MS)) return options;
  return (options.timeoutMs as number) > cap ? { ...options, timeoutMs: cap } : options;
}

// ---------------------------------------------------------------------------------------------
// Properties

export function pushProperties(): void {
  describe('@fw0/metrics-push', () => {
    useLoopback();
    const rejections = watchUnhandledRejections();
    afterAll(() => rejections.stop());

    it('getRemoteWriteExporter / new RemoteWriteExporter: options (constructed only, never sends)', () => {
      const shared = new MetricsRegistry();
      const taken = new RemoteWriteExporter({ url: 'http://127.0.0.1:9/w', registry: shared, name: 'taken' });
      try {
        checkProperty(
          'push.remote-write-options',
          fc.record({ input: remoteWriteInput, useFactory: fc.boolean(), notObject: fc.nat(30) }),
          ({ input, useFactory, notObject }) => {
            const built = remoteWriteOptions(input as RemoteWriteInput, shared);
            const options: unknown =
              notObject === 0 ? null : notObject === 1 ? 'http://127.0.0.1/' : built.options;
            const { faults, url } =
              options === built.options
                ? remoteWriteFaults(built.options, built.registry, shared)
                : { faults: new Faults().add(ErrorCode.INVALID_CONFIG), url: undefined };
            const what = `RemoteWriteExporter(${JSON.stringify({ ...built.options, registry: input.registry })?.slice(0, 600)})`;
            const before = registryFingerprint(shared);
            const collectorsBefore = shared.collectors.length;
            const outcome = attempt(() =>
              useFactory
                ? getRemoteWriteExporter(options as never)
                : new RemoteWriteExporter(options as never),
            );
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensureUnchanged(before, registryFingerprint(shared), what);
              ensure(
                shared.collectors.length === collectorsBefore,
                `${what}: a refused exporter stayed registered`,
              );
              return;
            }
            const exporter = outcome.value;
            try {
              const given = built.options;
              ensure(exporter.url === withoutCredentials(url!), `${what}: url ${exporter.url}`);
              const shown = new URL(exporter.url);
              ensure(shown.username === '' && shown.password === '', `${what}: url shows credentials`);
              ensure(exporter.name === (given.name ?? 'remote_write'), `${what}: name ${exporter.name}`);
              ensure(exporter.intervalMs === (given.intervalMs ?? 15_000), `${what}: intervalMs`);
              const perRequest = (given.maxSamplesPerRequest as number | undefined) ?? 5000;
              ensure(
                exporter.maxQueueSamples ===
                  ((given.maxQueueSamples as number | undefined) ?? Math.max(100_000, perRequest)),
                `${what}: maxQueueSamples ${exporter.maxQueueSamples}`,
              );
              ensure(!exporter.running && exporter.queuedSamples === 0, `${what}: running before start()`);
              ensure(exporter.getCollectedMetrics().length === 0, `${what}: samples recorded`);
              ensure(exporter.registry.collectors.includes(exporter), `${what}: not registered`);
            } finally {
              exporter.registry.unregister(exporter);
            }
          },
          4000,
        );
      } finally {
        shared.unregister(taken);
      }
    });

    it('getPushgatewayClient / new PushgatewayClient: options and groupUrl (constructed only, never sends)', () => {
      const shared = new MetricsRegistry();
      const taken = new PushgatewayClient({
        url: 'http://127.0.0.1:9',
        registry: shared,
        job: 'j',
        name: 'taken',
      });
      try {
        checkProperty(
          'push.pushgateway-options',
          fc.record({
            input: pushgatewayInput,
            useFactory: fc.boolean(),
            callLabels: labelSetInput(['job']),
          }),
          ({ input, useFactory, callLabels }) => {
            const registry =
              input.registry === 'fresh'
                ? new MetricsRegistry()
                : input.registry === 'shared'
                  ? shared
                  : undefined;
            const options: Record<string, unknown> = { registry };
            for (const [key, value] of Object.entries(input))
              if (key !== 'registry' && value !== undefined) options[key] = value;
            const { faults, url } = pushgatewayFaults(options, registry, shared);
            const what = `PushgatewayClient(${JSON.stringify({ ...options, registry: input.registry })?.slice(0, 600)})`;
            const before = registryFingerprint(shared);
            const collectorsBefore = shared.collectors.length;
            const outcome = attempt(() =>
              useFactory ? getPushgatewayClient(options as never) : new PushgatewayClient(options as never),
            );
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensureUnchanged(before, registryFingerprint(shared), what);
              ensure(
                shared.collectors.length === collectorsBefore,
                `${what}: a refused client stayed registered`,
              );
              return;
            }
            const client = outcome.value;
            try {
              ensure(client.url === withoutCredentials(url!), `${what}: url ${client.url}`);
              ensure(client.job === options.job, `${what}: job ${client.job}`);
              // groupUrl: the call's labels over the client's; refused at once when bad.
              const own = labelSetModel(options.groupingLabels, ['job'])!;
              const extra = labelSetModel(callLabels, ['job']);
              const callWhat = `${what}.groupUrl(${JSON.stringify(callLabels)})`;
              const grouped = attempt(() => client.groupUrl(callLabels as never));
              if (
                !expectOutcome(
                  grouped,
                  new Faults().add(ErrorCode.INVALID_LABEL, extra === undefined).codes,
                  callWhat,
                )
              )
                return;
              const target = new URL(grouped.value);
              ensure(
                target.username === '' && target.password === '',
                `${callWhat}: credentials in ${grouped.value}`,
              );
              ensure(target.origin === url!.origin, `${callWhat}: origin ${target.origin}`);
              const labels = readGroupingPath(target.pathname, pathPrefix(url!));
              ensureSame(
                sortedEntries(labels),
                sortedEntries({ ...own, ...extra, job: options.job as string }),
                `${callWhat}: grouping key`,
              );
            } finally {
              client.registry.unregister(client);
            }
          },
          4000,
        );
      } finally {
        shared.unregister(taken);
      }
    });

    it('RemoteWriteExporter: what the remote receives (names, labels, external labels, headers, auth)', async () => {
      const eventValue = fc.oneof(
        { arbitrary: unicodeText(12), weight: 4 },
        { arbitrary: fc.constantFrom('', ' ', '"', '\\', '\n', 'é', '😀', '0'), weight: 2 },
      );
      await checkAsyncProperty(
        'push.remote-write-series',
        fc.record({
          url: urlInput,
          externalLabels: labelSetInput([]),
          headers: headersInput,
          maxSamplesPerRequest: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
          metadataIntervalMs: fc.constantFrom(undefined, 0, 1),
          events: fc.array(
            fc.record({
              labels: fc.record(
                { instance: eventValue, zone: eventValue, le_x: eventValue },
                { requiredKeys: [] },
              ),
              value: fc.integer({ min: 1, max: 5 }),
            }),
            { maxLength: 4 },
          ),
        }),
        async ({
          url: urlText,
          externalLabels,
          headers,
          maxSamplesPerRequest,
          metadataIntervalMs,
          events,
        }) => {
          const registry = populated();
          const eventsCounter = registry.counter({ name: 'events', help: 'Events.' });
          for (const event of events) eventsCounter.add(event.value, event.labels);
          // https would meet a plain HTTP server: this property is about what arrives, so plain http.
          const url = sendingUrl(urlText, 'server', true);
          const faults = new Faults().add(
            ErrorCode.INVALID_LABEL,
            labelSetModel(externalLabels, []) === undefined,
          );
          headerFaults(headers, REMOTE_WRITE_RESERVED, faults);
          const options = {
            url: url.href,
            registry,
            externalLabels,
            headers,
            timeoutMs: 5000,
            retry: { initialBackoffMs: 10, maxBackoffMs: 50 },
            ...(maxSamplesPerRequest === undefined ? {} : { maxSamplesPerRequest }),
            ...(metadataIntervalMs === undefined ? {} : { metadataIntervalMs }),
          };
          const what = `remote write ${JSON.stringify({ ...options, registry: undefined, events })?.slice(0, 800)}`;
          const before = registryFingerprint(registry);
          const created = attempt(() => new RemoteWriteExporter(options as never));
          if (!expectOutcome(created, faults.codes, what)) {
            ensureUnchanged(before, registryFingerprint(registry), what);
            return;
          }
          const exporter = created.value;
          const timersBefore = refedTimers();
          remote.script([{ status: 204 }]);
          try {
            const flushed = await attemptAsync(() => exporter.flush({ timeoutMs: 10_000 }));
            ensure(flushed.ok && flushed.value === true, `${what}: flush() did not deliver`);
            const requests = remote.received.slice();
            const sent = selfValue(registry, PushMetricName.SENT_SAMPLES, { exporter: exporter.name });
            let total = 0;
            const userSeries: string[] = [];
            const metadata = new Map<string, number>();
            for (const request of requests) {
              ensure(
                request.method === 'POST' && request.path === `${url.pathname}${url.search}`,
                `${what}: ${request.method} ${request.path}`,
              );
              ensure(
                request.headers['content-encoding'] === 'snappy' &&
                  request.headers['content-type'] === 'application/x-protobuf' &&
                  request.headers['x-prometheus-remote-write-version'] === '0.1.0',
                () => `${what}: protocol headers ${JSON.stringify(request.headers)}`,
              );
              checkHeaders(request, headers, url, what);
              ensure(request.write !== undefined, `${what}: a body that is no remote-write request`);
              const write = request.write!;
              ensure(
                write.timeseries.length <= (maxSamplesPerRequest ?? 5000),
                `${what}: ${write.timeseries.length} samples in one request`,
              );
              for (const entry of write.metadata) metadata.set(entry.metricFamilyName, entry.type);
              for (const series of write.timeseries) {
                total++;
                const names = series.labels.map((label) => label.name);
                ensure(
                  names.every((name, i) => i === 0 || names[i - 1]! < name),
                  () => `${what}: labels not sorted or repeated: ${JSON.stringify(names)}`,
                );
                ensure(
                  series.labels.every((label) => label.value !== ''),
                  () => `${what}: an empty label in ${JSON.stringify(series.labels)}`,
                );
                ensure(series.samples.length === 1, `${what}: ${series.samples.length} samples in a series`);
                const name = series.labels.find((label) => label.name === '__name__')?.value;
                ensure(name !== undefined, () => `${what}: no __name__ in ${JSON.stringify(series.labels)}`);
                if (name.startsWith('fw0_')) continue;
                const labels = Object.fromEntries(series.labels.map((label) => [label.name, label.value]));
                userSeries.push(`${JSON.stringify(sortedEntries(labels))} ${series.samples[0]!.value}`);
              }
            }
            ensure(total === sent, `${what}: the remote got ${total} samples, ${sent} counted as sent`);
            const external = labelSetModel(externalLabels, [])!;
            ensureSame(userSeries.sort(), expectedSeries(registry, external), `${what}: series`);
            if (metadataIntervalMs === 0)
              ensure(metadata.size === 0, `${what}: metadata with metadataIntervalMs 0`);
            else {
              const wanted: [string, number][] = [
                ['jobs_total', 1],
                ['queue_depth', 2],
                ['job_duration_seconds', 3],
                ...(events.length > 0 ? ([['events_total', 1]] as [string, number][]) : []),
              ];
              for (const [name, type] of wanted)
                ensure(metadata.get(name) === type, `${what}: metadata of ${name}: ${metadata.get(name)}`);
            }
          } finally {
            const stopped = await attemptAsync(() => exporter.stop({ timeoutMs: 5000 }));
            ensure(stopped.ok, `${what}: stop() rejected`);
          }
          ensure(!registry.collectors.includes(exporter), `${what}: still registered after stop()`);
          await ensureReleased(rejections, timersBefore, what);
        },
        300,
      );
    });

    it('RemoteWriteExporter: start, flush and stop with odd timeouts against remotes that fail', async () => {
      await checkAsyncProperty(
        'push.remote-write-lifecycle',
        fc.record({
          url: urlInput,
          where: fc.constantFrom<'server' | 'refused'>('server', 'server', 'server', 'refused'),
          replies: fc.array(replyInput, { minLength: 1, maxLength: 3 }),
          intervalMs: fc.option(fc.integer({ min: 10, max: 60 }), { nil: undefined }),
          timeoutMs: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
          flushTimeoutMs: fc.option(integerOption(1, MAX_TIMEOUT_MS), { nil: undefined }),
          maxSamplesPerRequest: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
          queueFactor: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
          retry: fc.record({
            initialBackoffMs: fc.integer({ min: 1, max: 30 }),
            maxBackoffMs: fc.integer({ min: 30, max: 60 }),
            jitter: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          steps: fc.array(stepInput, { minLength: 1, maxLength: 5 }),
        }),
        async (input) => {
          const fast =
            input.where === 'server' &&
            input.replies.every((reply) => typeof reply === 'object' && !retryable(reply)) &&
            input.timeoutMs === undefined;
          const cap = fast ? MAX_TIMEOUT_MS : SLOW_REMOTE_CAP_MS;
          const url = sendingUrl(input.url, input.where, false);
          const registry = new CountingRegistry();
          registry.counter({ name: 'jobs', help: 'Jobs done.' }).add(1, { queue: 'a' });
          // The default (5 s) is what flush() and stop() take without options: bounded as well.
          const flushTimeoutMs = capTimeout(
            { timeoutMs: input.flushTimeoutMs ?? (fast ? undefined : cap) },
            cap,
          ) as {
            timeoutMs: unknown;
          };
          const options: Record<string, unknown> = {
            url: url.href,
            registry,
            retry: input.retry,
            ...(input.intervalMs === undefined ? {} : { intervalMs: input.intervalMs }),
            ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
            ...(flushTimeoutMs.timeoutMs === undefined ? {} : { flushTimeoutMs: flushTimeoutMs.timeoutMs }),
            ...(input.maxSamplesPerRequest === undefined
              ? {}
              : { maxSamplesPerRequest: input.maxSamplesPerRequest }),
            ...(input.queueFactor === undefined || input.maxSamplesPerRequest === undefined
              ? {}
              : { maxQueueSamples: input.maxSamplesPerRequest * input.queueFactor }),
          };
          const what = `exporter ${JSON.stringify({ ...input, url: url.href })?.slice(0, 900)}`;
          const faults = new Faults().add(
            ErrorCode.INVALID_CONFIG,
            flushTimeoutMs.timeoutMs !== undefined && !integerIn(flushTimeoutMs.timeoutMs, 1, MAX_TIMEOUT_MS),
          );
          const created = attempt(() => new RemoteWriteExporter(options as never));
          if (!expectOutcome(created, faults.codes, what)) return;
          const exporter = created.value;
          const timersBefore = refedTimers();
          remote.script(input.replies);
          let stopping: Promise<void> | undefined;
          const stopWith = async (stepOptions: unknown, step: string) => {
            const stepFaults = flushOptionFaults(stepOptions);
            const called = attempt(() => exporter.stop(stepOptions as never));
            if (!expectOutcome(called, stepFaults.codes, step)) {
              ensure(stopping !== undefined || exporter.registry === registry, `${step}: state changed`);
              return;
            }
            if (stopping !== undefined)
              ensure(called.value === stopping, `${step}: a second stop() returned another promise`);
            stopping = called.value;
            const stopped = await attemptAsync(() => called.value);
            ensure(
              stopped.ok,
              () => `${step}: stop() rejected: ${String((stopped as { error: unknown }).error)}`,
            );
          };
          try {
            for (const [index, step] of input.steps.entries()) {
              const stepWhat = `${what} step ${index} ${JSON.stringify(step)}`;
              if (step.op === 'wait') await new Promise((resolve) => setTimeout(resolve, step.ms));
              else if (step.op === 'start') {
                const started = attempt(() => exporter.start());
                expectOutcome(
                  started,
                  new Faults().add(ErrorCode.CLOSED, stopping !== undefined).codes,
                  stepWhat,
                );
                ensure(
                  exporter.running === (stopping === undefined),
                  `${stepWhat}: running ${exporter.running}`,
                );
              } else if (step.op === 'flush') {
                const stepOptions = capTimeout(step.options, cap);
                const stepFaults = flushOptionFaults(stepOptions).add(
                  ErrorCode.CLOSED,
                  stopping !== undefined,
                );
                const flushed = await attemptAsync(() => exporter.flush(stepOptions as never));
                if (expectOutcome(flushed, stepFaults.codes, stepWhat))
                  ensure(
                    typeof flushed.value === 'boolean',
                    `${stepWhat}: flush() gave ${String(flushed.value)}`,
                  );
                const within =
                  (stepOptions as { timeoutMs?: number } | undefined)?.timeoutMs ??
                  (flushTimeoutMs.timeoutMs as number | undefined) ??
                  5000;
                if (flushed.ok && fast && within >= 2000)
                  ensure(flushed.value === true, `${stepWhat}: a fast remote, and flush() gave up`);
              } else await stopWith(capTimeout(step.options, cap), stepWhat);
            }
          } finally {
            if (stopping === undefined)
              await stopWith({ timeoutMs: Math.min(cap, 2000) }, `${what} final stop`);
          }
          ensure(
            !exporter.running && exporter.queuedSamples === 0,
            `${what}: running or queued after stop()`,
          );
          ensure(!registry.collectors.includes(exporter), `${what}: still registered after stop()`);
          expectOutcome(
            attempt(() => exporter.start()),
            new Set([ErrorCode.CLOSED]),
            `${what}: start() after stop()`,
          );
          expectOutcome(
            await attemptAsync(() => exporter.flush()),
            new Set([ErrorCode.CLOSED]),
            `${what}: flush() after stop()`,
          );
          // Nothing dropped silently: every sample queued was sent or counted as dropped.
          const labels = { exporter: exporter.name };
          const sent = selfValue(registry, PushMetricName.SENT_SAMPLES, labels);
          const dropped = selfValue(registry, PushMetricName.DROPPED_SAMPLES, labels);
          ensure(
            registry.collectedSamples === sent + dropped,
            () => `${what}: ${registry.collectedSamples} samples queued, ${sent} sent and ${dropped} dropped`,
          );
          const delivered = remote.received
            .filter((request) => succeeded(request.reply))
            .reduce((sum, request) => sum + (request.write?.timeseries.length ?? 0), 0);
          const unsure =
            selfValue(registry, PushMetricName.FAILED_REQUESTS, { ...labels, reason: 'timeout' }) +
            selfValue(registry, PushMetricName.FAILED_REQUESTS, { ...labels, reason: 'network' }) +
            selfValue(registry, PushMetricName.DROPPED_SAMPLES, { ...labels, reason: 'shutdown' });
          ensure(
            unsure > 0 ? sent <= delivered : sent === delivered,
            `${what}: the remote accepted ${delivered} samples, ${sent} counted as sent`,
          );
          ensure(
            selfValue(registry, PushMetricName.QUEUE_SAMPLES, labels) === 0,
            `${what}: the queue gauge is not 0 after stop()`,
          );
          await ensureReleased(rejections, timersBefore, what);
        },
        80,
      );
    });

    it('PushgatewayClient: push, pushAdd, delete with odd grouping labels against remotes that fail', async () => {
      await checkAsyncProperty(
        'push.pushgateway-calls',
        fc.record({
          url: urlInput,
          where: fc.constantFrom<'server' | 'refused'>('server', 'server', 'server', 'server', 'refused'),
          job: jobInput,
          groupingLabels: labelSetInput(['job']),
          callLabels: labelSetInput(['job']),
          operation: fc.constantFrom<Operation>('push', 'pushAdd', 'delete'),
          replies: fc.array(replyInput, { minLength: 1, maxLength: 3 }),
          attempts: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
          timeoutMs: fc.integer({ min: 20, max: 150 }),
          retry: fc.record({
            initialBackoffMs: fc.integer({ min: 1, max: 5 }),
            maxBackoffMs: fc.integer({ min: 5, max: 10 }),
            jitter: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          headers: headersInput,
        }),
        async (input) => {
          const url = sendingUrl(input.url, input.where, true);
          const registry = populated();
          const options: Record<string, unknown> = {
            url: url.href,
            registry,
            job: input.job,
            groupingLabels: input.groupingLabels,
            timeoutMs: input.timeoutMs,
            retry: input.retry,
            headers: input.headers,
            ...(input.attempts === undefined ? {} : { attempts: input.attempts }),
          };
          const what = `${input.operation} ${JSON.stringify({ ...input, url: url.href })?.slice(0, 900)}`;
          const { faults } = pushgatewayFaults(options, registry, registry);
          const created = attempt(() => new PushgatewayClient(options as never));
          if (!expectOutcome(created, faults.codes, what)) return;
          const client = created.value;
          const timersBefore = refedTimers();
          remote.script(input.where === 'server' ? input.replies : []);
          const extra = labelSetModel(input.callLabels, ['job']);
          const before = registryFingerprint(registry);
          const called = attempt(() => client[input.operation](input.callLabels as never));
          if (
            !expectOutcome(called, new Faults().add(ErrorCode.INVALID_LABEL, extra === undefined).codes, what)
          ) {
            await settle();
            ensure(remote.received.length === 0, `${what}: a refused call sent a request`);
            ensureUnchanged(before, registryFingerprint(registry), what);
            return;
          }
          const settled = await attemptAsync(() => called.value);
          ensure(
            settled.ok,
            () => `${what}: the call rejected: ${String((settled as { error: unknown }).error)}`,
          );
          const result: PushResult = settled.value;
          // The documented outcome, attempt by attempt.
          const allowed = input.attempts ?? 1;
          const failures = new Map<string, number>();
          let expected:
            | { ok: boolean; status: number | undefined; reason?: string; attempts: number }
            | undefined;
          for (let n = 1; expected === undefined; n++) {
            const reply: Reply =
              input.where === 'refused' ? 'reset' : input.replies[Math.min(n - 1, input.replies.length - 1)]!;
            const status = typeof reply === 'object' ? reply.status : undefined;
            if (succeeded(reply)) expected = { ok: true, status, attempts: n };
            else {
              failures.set(reasonOf(reply), (failures.get(reasonOf(reply)) ?? 0) + 1);
              if (!retryable(reply) || n >= allowed)
                expected = { ok: false, status, reason: reasonOf(reply), attempts: n };
            }
          }
          ensure(
            result.ok === expected.ok &&
              result.status === expected.status &&
              result.attempts === expected.attempts &&
              result.operation === input.operation &&
              (result.ok || result.reason === expected.reason),
            () =>
              `${what}: got ${JSON.stringify({ ...result, error: undefined })}, expected ${JSON.stringify(expected)}`,
          );
          ensure(Number.isFinite(result.durationSeconds) && result.durationSeconds >= 0, `${what}: duration`);
          if (!result.ok)
            ensure(
              result.error.code === ErrorCode.REMOTE_FAILED,
              `${what}: failure error ${result.error.code}`,
            );
          if (input.where === 'server') {
            ensure(
              remote.received.length === expected.attempts,
              `${what}: ${remote.received.length} requests for ${expected.attempts} attempts`,
            );
            const own = labelSetModel(input.groupingLabels, ['job'])!;
            const key = sortedEntries({ ...own, ...extra, job: input.job as string });
            for (const request of remote.received) {
              ensure(request.method === METHODS[input.operation], `${what}: method ${request.method}`);
              ensureSame(
                sortedEntries(readGroupingPath(request.path, pathPrefix(url))),
                key,
                `${what}: grouping key`,
              );
              checkHeaders(request, input.headers, url, what);
              if (input.operation === 'delete')
                ensure(request.body.length === 0, `${what}: a body with DELETE`);
              else {
                ensure(
                  request.headers['content-type'] === 'text/plain; version=0.0.4; charset=utf-8',
                  `${what}: content-type ${request.headers['content-type']}`,
                );
                const samples = parseExposition(request.body.toString('utf8')).families.flatMap(
                  (family) => family.samples,
                );
                ensure(
                  samples.some(
                    (sample) =>
                      sample.name === 'jobs_total' &&
                      sample.labels.queue === 'emails "q"\n' &&
                      sample.value === 3,
                  ),
                  `${what}: the body lacks jobs_total`,
                );
              }
            }
          }
          const labels = { exporter: client.name };
          for (const reason of ['http_3xx', 'http_4xx', 'http_429', 'http_5xx', 'network', 'timeout'])
            ensure(
              selfValue(registry, PushMetricName.FAILED_REQUESTS, { ...labels, reason }) ===
                (failures.get(reason) ?? 0),
              `${what}: failed requests of reason ${reason}`,
            );
          const sentSamples = selfValue(registry, PushMetricName.SENT_SAMPLES, labels);
          ensure(
            result.ok && input.operation !== 'delete' ? sentSamples > 0 : sentSamples === 0,
            `${what}: ${sentSamples} samples counted as sent`,
          );
          ensure(
            selfValue(registry, 'fw0_collector_errors_total', {
              collector: client.name,
              operation: input.operation,
            }) === (result.ok ? 0 : 1),
            `${what}: collector errors`,
          );
          await ensureReleased(rejections, timersBefore, what);
        },
        500,
      );
    });

    it('snappyCompress, snappyDecompress, decodeWriteRequest, SeriesEncoder: bytes as a receiver gets them', () => {
      checkProperty(
        'push.codecs',
        fc.record({
          payload: fc.oneof(
            { arbitrary: fc.uint8Array({ maxLength: 3000 }), weight: 3 },
            {
              arbitrary: fc
                .array(fc.constantFrom(0, 1, 97, 255), { maxLength: 5000 })
                .map((bytes) => Uint8Array.from(bytes)),
              weight: 2,
            },
            { arbitrary: fc.constant('write-request' as const), weight: 4 },
          ),
          labels: fc.array(unicodeText(8), { maxLength: 4 }),
          externalLabels: labelSetInput([]),
          flips: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), {
            maxLength: 4,
          }),
          cut: fc.nat(),
        }),
        ({ payload, labels, externalLabels, flips, cut }) => {
          let bytes: Uint8Array;
          let expected: string[] | undefined;
          if (payload === 'write-request') {
            const registry = populated();
            const events = registry.counter({ name: 'events', help: 'Events.' });
            for (const value of labels) events.add(1, { zone: value });
            const external = labelSetModel(externalLabels, []) ?? {};
            bytes = new SeriesEncoder(external).encode(registry.snapshot({ sketches: false })).bytes;
            expected = expectedSeries(registry, external);
          } else bytes = payload;
          const what = `codecs ${JSON.stringify({ length: bytes.length, labels, externalLabels, flips, cut })}`;
          if (expected !== undefined) {
            const write = decodeWriteRequest(bytes);
            const decoded = write.timeseries.map((series) => {
              const entries = series.labels.map((label) => [label.name, label.value] as [string, string]);
              return `${JSON.stringify(sortedEntries(Object.fromEntries(entries)))} ${series.samples[0]?.value}`;
            });
            ensureSame(decoded.sort(), expected, `${what}: SeriesEncoder then decodeWriteRequest`);
          }
          const compressed = snappyCompress(bytes);
          ensure(
            compressed.length <= maxCompressedLength(bytes.length),
            `${what}: beyond maxCompressedLength`,
          );
          ensure(Buffer.from(snappyDecompress(compressed)).equals(Buffer.from(bytes)), `${what}: round trip`);
          // Corrupt it past its length header (a header claiming 512 MiB would only cost memory).
          let header = 0;
          while (header < compressed.length && compressed[header]! >= 0x80) header++;
          const corrupted = compressed.slice(0, Math.max(header + 1, compressed.length - (cut % 8)));
          for (const { at, byte } of flips)
            if (corrupted.length > header + 1)
              corrupted[header + 1 + (at % (corrupted.length - header - 1))] = byte;
          for (const [step, run] of [
            ['snappyDecompress', () => snappyDecompress(corrupted)],
            ['decodeWriteRequest', () => decodeWriteRequest(corrupted)],
            [
              'decodeWriteRequest of the raw bytes',
              () => decodeWriteRequest(bytes.subarray(0, Math.max(0, bytes.length - (cut % 8)))),
            ],
          ] as [string, () => unknown][]) {
            const outcome = attempt(run);
            expectOutcome(outcome, new Set([ErrorCode.PARSE_ERROR]), `${what}: ${step}`, true);
          }
        },
        1500,
      );
    });
  });
}
