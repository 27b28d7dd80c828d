import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { classifyFailure } from './failure-reason.js';
import type { ResolvedHttpOptions } from './http-options.js';
import { FailureReason } from './names.js';
import { expectSocket, type SocketClaimant } from './socket-link.js';
import { type SocketTiming, socketTiming } from './timed-connector.js';

/** What one request asks for: built once per target and options, and reused by every measurement. */
export interface ExchangeRequest {
  readonly origin: string;
  readonly path: string;
  readonly method: 'GET' | 'HEAD';
  /** Largest body accepted, in bytes; past it the exchange aborts with `too_large`. */
  readonly maxBodyBytes: number;
  /** Keep the body (bounded by `maxBodyBytes`) for matching. */
  readonly keepBody: boolean;
  /**
   * What undici's `dispatch` is given (origin, path, method, headers, and `reset` when the
   * connection must not be reused). undici reads it and never writes to it, so one object serves
   * every request.
   */
  readonly dispatch: Dispatcher.DispatchOptions;
}

/** The request of one hop to `origin` + `path` under `options`. */
export function exchangeRequest(origin: string, path: string, options: ResolvedHttpOptions): ExchangeRequest {
  const { method, headers, maxBodyBytes, bodyMatches, keepAlive } = options;
  const dispatch: Dispatcher.DispatchOptions = { origin, path, method };
  if (headers !== undefined) dispatch.headers = headers;
  // Only when the connection must close: undici's default keeps it alive, as a plain dispatch does.
  if (!keepAlive) dispatch.reset = true;
  return Object.freeze({
    origin,
    path,
    method,
    maxBodyBytes,
    keepBody: bodyMatches !== undefined,
    dispatch: Object.freeze(dispatch),
  });
}

/** Told when an exchange has ended. */
export interface ExchangeOwner {
  exchangeSettled(exchange: HttpExchange): void;
}

/** Why an exchange failed. */
export interface ExchangeFailure {
  readonly reason: FailureReason;
  readonly error: unknown;
}

/**
 * One request and its response (one hop of an HTTP probe), as an undici dispatch handler: it
 * stamps when the request was written, the first response byte and the end of the body, counts
 * body bytes against the limit, and links the request to its connection's timings. Its owner
 * hears once that it ended, on success, failure or abort.
 */
export class HttpExchange implements Dispatcher.DispatchHandler, SocketClaimant {
  readonly origin: string;
  readonly method: 'GET' | 'HEAD';
  readonly path: string;
  readonly startedAt: number;
  /** The connection's timings, when this request was the first on a new connection. */
  fresh: SocketTiming | undefined;
  /** True once the request was given a connection (it was written). */
  linked = false;
  /** The timings of the connection it was given, new or reused (undefined for another connector's). */
  connection: SocketTiming | undefined;
  firstByteAt: number | undefined;
  endedAt = 0;
  statusCode = 0;
  /** The Content-Length header, in bytes; -1 when absent. */
  contentLength = -1;
  location: string | undefined;
  bodyBytes = 0;
  chunks: Buffer[] | undefined;
  failure: ExchangeFailure | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private socket: Socket | undefined;
  private finished = false;

  constructor(
    private readonly request: ExchangeRequest,
    startedAt: number,
    private readonly owner: ExchangeOwner,
  ) {
    this.origin = request.origin;
    this.method = request.method;
    this.path = request.path;
    this.startedAt = startedAt;
    this.chunks = request.keepBody ? [] : undefined;
  }

  /** Sends the request through `dispatcher`. */
  start(dispatcher: Dispatcher): void {
    try {
      dispatcher.dispatch(this.request.dispatch, this);
    } catch (error) {
      this.fail(classifyFailure(error), error);
    }
  }

  /** True from its start until it has a connection or ends. */
  get awaitingConnection(): boolean {
    return !this.linked && !this.finished;
  }

  /** Ends the exchange now with `reason` (a timeout or the caller's abort), closing its request. */
  abort(reason: FailureReason, error: Error): void {
    this.fail(reason, error);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.finished) {
      controller.abort(failureError(this.failure));
      return;
    }
    this.controller = controller;
    expectSocket(this);
  }

  onSocket(socket: object): void {
    this.linked = true;
    this.socket = socket as Socket;
    const timing = socketTiming(socket);
    if (timing === undefined) return;
    this.connection = timing;
    if (!timing.claimed) {
      timing.claimed = true;
      this.fresh = timing;
    }
  }

  /** undici calls this on the first byte of the response, before the headers are parsed. */
  onResponseStarted(): void {
    this.firstByteAt ??= performance.now();
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.firstByteAt ??= performance.now();
    this.statusCode = statusCode;
    const length = headers['content-length'];
    if (typeof length === 'string') this.contentLength = decimalLength(length);
    const location = headers.location;
    if (typeof location === 'string') this.location = location;
    if (this.contentLength > this.request.maxBodyBytes) this.tooLarge(this.contentLength);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.finished) return;
    this.bodyBytes += chunk.length;
    if (this.bodyBytes > this.request.maxBodyBytes) {
      this.tooLarge(this.bodyBytes);
      return;
    }
    this.chunks?.push(chunk);
  }

  onResponseEnd(): void {
    if (this.finished) return;
    this.finished = true;
    this.endedAt = performance.now();
    // Settled at once. undici reuses this connection only after a full event-loop cycle (a
    // setImmediate queued right after this callback), so a request made back to back goes out
    // on another connection; deferring every caller by a cycle would cost each measurement more
    // than a second connection costs once.
    this.owner.exchangeSettled(this);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.fail(classifyFailure(error), error);
  }

  private tooLarge(bytes: number): void {
    const error = new Error(
      `response body of ${bytes} bytes is larger than the limit of ${this.request.maxBodyBytes} bytes`,
    );
    this.fail(FailureReason.TOO_LARGE, error);
  }

  private fail(reason: FailureReason, error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.endedAt = performance.now();
    this.failure = { reason, error };
    // Destroying the connection with an error fails this request for good. Aborting through the
    // controller instead makes undici (7.x) keep the request queued, reconnect for it and leave
    // that new connection idle: a socket that outlives the probe.
    if (this.socket !== undefined) this.socket.destroy(failureError(this.failure));
    else if (this.controller !== undefined && !this.controller.aborted) {
      this.controller.abort(failureError(this.failure));
    }
    this.owner.exchangeSettled(this);
  }
}

/**
 * A Content-Length value, in bytes: decimal digits only (no sign, space or exponent), else -1.
 * A loop over the characters, as this runs for every response (a regular expression costs more).
 */
function decimalLength(text: string): number {
  const length = text.length;
  if (length === 0) return -1;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  // Past 15 digits the running sum may have rounded: let Number() round the whole once.
  return length > 15 ? Number(text) : value;
}

function failureError(failure: ExchangeFailure | undefined): Error {
  const error = failure?.error;
  return error instanceof Error ? error : new Error(`request ended: ${failure?.reason ?? 'aborted'}`);
}
