import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { ConfigError } from '../errors.js';
import { safeLog } from '../logger.js';
import { MAX_TIMEOUT_MS, type MetricsRegistry } from '../registry.js';
import { assertBooleanOption, assertIntegerOption, assertOptionsObject } from '../validation.js';
import { JSON_CONTENT_TYPE, serializeJson } from './json.js';
import { acceptsGzip, type ExpositionFormat, negotiateFormat } from './negotiate.js';
import { encodeOpenMetrics, OPENMETRICS_CONTENT_TYPE } from './openmetrics.js';
import { encodePrometheus, PROMETHEUS_CONTENT_TYPE } from './prometheus.js';
import { parseRequestTarget } from './request-target.js';

const gzipAsync = promisify(gzip);

/** Options of {@link createMetricsHandler}. */
export interface MetricsHandlerOptions {
  /**
   * When set, requests must carry `Authorization: Bearer <token>`; others get 401. The token is
   * compared in constant time.
   */
  readonly bearerToken?: string;
  /** Compress with gzip when the client accepts it (default true). */
  readonly gzip?: boolean;
  /**
   * Collect timeout per collector for each scrape, in milliseconds (an integer, 1 to 3,600,000;
   * default: the registry's).
   */
  readonly timeoutMs?: number;
}

/** A `node:http` request listener; also usable as Express middleware (`app.get('/metrics', handler)`). */
export type MetricsRequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  prometheus: PROMETHEUS_CONTENT_TYPE,
  openmetrics: OPENMETRICS_CONTENT_TYPE,
  json: JSON_CONTENT_TYPE,
};

/** A Map, not an object literal: `?format=toString` or `__proto__` must not find inherited members. */
const QUERY_FORMATS: ReadonlyMap<string, ExpositionFormat> = new Map([
  ['prometheus', 'prometheus'],
  ['text', 'prometheus'],
  ['openmetrics', 'openmetrics'],
  ['json', 'json'],
]);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Serves a registry's metrics over HTTP: Prometheus text 0.0.4, OpenMetrics 1.0 or JSON chosen
 * by the `Accept` header (or `?format=prometheus|openmetrics|json`), gzip when accepted, 405 for
 * methods other than GET and HEAD, 400 for a request target that is not a URL, 406 when no
 * format is acceptable (an unknown `?format=` included), optional bearer token.
 * It never throws into the server: a failed scrape answers 500 and is counted
 * (`fw0_scrapes_total{code}`); scrape durations go to `fw0_scrape_duration_seconds{format}`.
 *
 * With Fastify: `reply.hijack(); handler(request.raw, reply.raw)`.
 */
export function createMetricsHandler(
  registry: MetricsRegistry,
  options: MetricsHandlerOptions = {},
): MetricsRequestHandler {
  assertOptionsObject('createMetricsHandler', options);
  if (
    options.bearerToken !== undefined &&
    (typeof options.bearerToken !== 'string' || options.bearerToken.length === 0)
  ) {
    throw new ConfigError('Invalid bearerToken: expected a non-empty string', { subject: 'bearerToken' });
  }
  const expectedToken = options.bearerToken === undefined ? undefined : digest(options.bearerToken);
  const compress = options.gzip ?? true;
  assertBooleanOption('gzip', compress);
  // Checked here, not at each scrape: a bad timeout must fail where it is configured. Null means
  // the default, as for the other options (and as collect() reads it).
  const timeoutMs = options.timeoutMs ?? undefined;
  if (timeoutMs !== undefined) assertIntegerOption('timeoutMs', timeoutMs, 1, MAX_TIMEOUT_MS);

  const finish = (
    response: ServerResponse,
    code: number,
    headers: Record<string, string>,
    body?: string | Buffer,
  ) => {
    registry.self.scrapes.add(1, { code: String(code) });
    if (!response.headersSent) response.writeHead(code, headers);
    response.end(body);
  };

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      finish(
        response,
        405,
        { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' },
        'Method Not Allowed\n',
      );
      return;
    }
    const target = parseRequestTarget(request.url);
    if (target === undefined) {
      finish(
        response,
        400,
        { 'Content-Type': 'text/plain; charset=utf-8' },
        'Bad Request: the request target is not a valid URL\n',
      );
      return;
    }
    if (expectedToken !== undefined) {
      const header = request.headers.authorization ?? '';
      // Only HTTP's own whitespace (space, tab) separates and surrounds the token: the token is
      // compared exactly, so "s3cret\u00a0" is not "s3cret".
      const match = /^Bearer[ \t]+(.*?)[ \t]*$/i.exec(header);
      if (match === null || !timingSafeEqual(digest(match[1]!), expectedToken)) {
        finish(
          response,
          401,
          { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Content-Type': 'text/plain; charset=utf-8' },
          'Unauthorized\n',
        );
        return;
      }
    }
    const queryFormat = target.searchParams.get('format');
    const format =
      queryFormat !== null ? QUERY_FORMATS.get(queryFormat) : negotiateFormat(request.headers.accept);
    if (format === undefined) {
      finish(
        response,
        406,
        { 'Content-Type': 'text/plain; charset=utf-8' },
        'Not Acceptable: use text/plain;version=0.0.4, application/openmetrics-text;version=1.0.0 or application/json\n',
      );
      return;
    }
    const snapshot = await registry.collect({
      sketches: format === 'json',
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    const encoded =
      format === 'json'
        ? Buffer.from(serializeJson(snapshot))
        : format === 'openmetrics'
          ? encodeOpenMetrics(snapshot)
          : encodePrometheus(snapshot);
    const headers: Record<string, string> = {
      'Content-Type': CONTENT_TYPES[format],
      'Cache-Control': 'no-store',
      Vary: 'Accept, Accept-Encoding',
    };
    let body: Buffer = encoded;
    if (compress && acceptsGzip(request.headers['accept-encoding'])) {
      body = await gzipAsync(encoded);
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = String(body.length);
    registry.self.scrapeDuration.observe((performance.now() - started) / 1000, { format });
    finish(response, 200, headers, request.method === 'HEAD' ? undefined : body);
  };

  return (request, response) => {
    serve(request, response).catch((error: unknown) => {
      safeLog(registry.logger, 'error', 'metrics scrape failed', { error });
      try {
        if (response.headersSent) response.destroy();
        else
          finish(response, 500, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Internal Server Error\n');
      } catch {
        // The connection is gone; nothing else to do.
      }
    });
  };
}
