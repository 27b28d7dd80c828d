import { type Agent, type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { ErrorCode, Fw0Error, TimeoutError } from '@fw0/metrics-core';
import type { FailureReason } from '../names.js';
import { basicAuth } from '../validation.js';

/** Most characters of a response body kept for messages and logs. */
export const BODY_EXCERPT_CHARS = 512;
/** Most bytes of a response body read; the rest is discarded unread. */
const BODY_READ_BYTES = 4096;

/** One HTTP request. */
export interface HttpRequest {
  readonly url: URL;
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | undefined;
  /** Longest the request may take until its response headers and body excerpt, in milliseconds. */
  readonly timeoutMs: number;
  readonly agent?: Agent | undefined;
  /** Aborts the request (e.g. shutdown). */
  readonly signal?: AbortSignal | undefined;
  /**
   * Background requests never keep the process alive: their socket and timer are unref'd
   * (the default is false: a request the caller awaits keeps the process running until it ends).
   */
  readonly background?: boolean;
}

/** What became of a request: never a rejection. */
export type HttpOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      /** The start of the response body (at most {@link BODY_EXCERPT_CHARS} characters). */
      readonly body: string;
      /** What `Retry-After` asked for, in milliseconds, if present. */
      readonly retryAfterMs: number | undefined;
      readonly durationSeconds: number;
    }
  | {
      readonly kind: 'network' | 'timeout' | 'aborted';
      readonly error: Error;
      readonly durationSeconds: number;
    };

/**
 * Sends a request with `node:http(s)` and resolves with its outcome: a response (any status),
 * a network error, a timeout or an abort. Never rejects; reads at most 4 KiB of the body.
 */
export function sendHttp(request: HttpRequest): Promise<HttpOutcome> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  return new Promise<HttpOutcome>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const send = request.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['Content-Length'] = String(request.body.length);
    const auth = basicAuth(request.url) ?? undefined;
    let outgoing: ClientRequest | undefined;
    const onAbort = () => {
      const reason = request.signal?.reason;
      const error = reason instanceof Error ? reason : new Error('request aborted');
      outgoing?.destroy(error);
      finish({ kind: 'aborted', error, durationSeconds: elapsed() });
    };
    try {
      outgoing = send(
        {
          protocol: request.url.protocol,
          hostname: request.url.hostname.replace(/^\[|\]$/g, ''),
          port: request.url.port,
          path: `${request.url.pathname}${request.url.search}`,
          method: request.method,
          headers,
          agent: request.agent,
          auth,
        },
        (response) => {
          readExcerpt(response).then(
            (body) =>
              finish({
                kind: 'response',
                status: response.statusCode ?? 0,
                body,
                retryAfterMs: parseRetryAfter(response.headers['retry-after']),
                durationSeconds: elapsed(),
              }),
            (error: Error) => finish({ kind: 'network', error, durationSeconds: elapsed() }),
          );
        },
      );
    } catch (error) {
      // Node refuses some requests before sending (a TLS context it cannot build, a header it
      // will not write): an outcome like any network failure, never a rejection.
      finish({ kind: 'network', error: asError(error), durationSeconds: elapsed() });
      return;
    }
    const sent = outgoing;
    if (request.signal?.aborted) {
      onAbort();
      return;
    }
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.background) sent.on('socket', (socket) => socket.unref());
    sent.on('error', (error) => finish({ kind: 'network', error, durationSeconds: elapsed() }));
    timer = setTimeout(() => {
      const error = new TimeoutError(
        `${request.method} ${request.url.host} took longer than ${request.timeoutMs} ms`,
        {
          subject: request.url.host,
          value: request.timeoutMs,
        },
      );
      sent.destroy(error);
      finish({ kind: 'timeout', error, durationSeconds: elapsed() });
    }, request.timeoutMs);
    if (request.background) timer.unref();
    sent.end(
      request.body === undefined
        ? undefined
        : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.length),
    );
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Reads the start of a body as text and discards the rest. */
function readExcerpt(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    response.on('data', (chunk: Buffer) => {
      if (length < BODY_READ_BYTES) {
        chunks.push(chunk);
        length += chunk.length;
      }
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').slice(0, BODY_EXCERPT_CHARS)));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('response aborted')));
  });
}

/** `Retry-After` (seconds or an HTTP date) in milliseconds from now; undefined if absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** True for the statuses worth retrying: 5xx and 429 Too Many Requests. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/** The `reason` label of a failed outcome. */
export function failureReason(outcome: HttpOutcome): FailureReason {
  if (outcome.kind === 'timeout') return 'timeout';
  if (outcome.kind !== 'response') return 'network';
  if (outcome.status === 429) return 'http_429';
  if (outcome.status >= 500) return 'http_5xx';
  if (outcome.status >= 400) return 'http_4xx';
  return 'http_3xx';
}

/** A one-line description of a failed outcome for logs and results. */
export function describeOutcome(outcome: HttpOutcome): string {
  if (outcome.kind === 'response') {
    const body = outcome.body.trim().replace(/\s+/g, ' ');
    return `HTTP ${outcome.status}${body === '' ? '' : `: ${body}`}`;
  }
  return `${outcome.kind}: ${outcome.error.message}`;
}

/** A failed push request, as logged and passed to `recordFailure`. */
export class PushRequestError extends Fw0Error {
  static override readonly code = ErrorCode.REMOTE_FAILED;
  /** HTTP status, if the remote answered. */
  readonly status: number | undefined;
  /** The start of the response body, if the remote answered. */
  readonly body: string | undefined;
  readonly reason: FailureReason;

  constructor(what: string, outcome: HttpOutcome) {
    super(ErrorCode.REMOTE_FAILED, `${what} failed: ${describeOutcome(outcome)}`, {
      subject: what,
      ...(outcome.kind === 'response' ? { value: outcome.status } : { cause: outcome.error }),
    });
    this.status = outcome.kind === 'response' ? outcome.status : undefined;
    this.body = outcome.kind === 'response' ? outcome.body : undefined;
    this.reason = failureReason(outcome);
  }
}
