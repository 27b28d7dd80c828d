import { performance } from 'node:perf_hooks';
import { TimeoutError } from '@fw0/metrics-core';
import type { Agent } from 'undici';
import { type ExchangeFailure, type ExchangeOwner, HttpExchange } from './http-exchange.js';
import { isValidStatus, type ResolvedHttpOptions } from './http-options.js';
import { addHopPhases, type PhaseDurations, zeroPhases } from './http-phases.js';
import { FailureReason } from './names.js';
import type { Expirable } from './probe-deadline.js';
import type { HttpTarget } from './targets.js';

/** What an HTTP measurement found. Durations in seconds, sizes in bytes. */
export interface HttpOutcome {
  readonly failure: ExchangeFailure | undefined;
  readonly durationSeconds: number;
  /** Phase durations in seconds; they add up to `durationSeconds` on success. */
  readonly phases: Readonly<PhaseDurations>;
  readonly statusCode: number;
  readonly contentLength: number;
  readonly bodyBytes: number;
  readonly connectionReused: boolean;
  readonly redirects: number;
  readonly tls: boolean;
  /** Unix seconds, for a TLS connection. */
  readonly certificateExpiry: number | undefined;
  readonly regexFailed: boolean;
}

/** What a measurement needs from its prober. */
export interface MeasurementHost {
  readonly agent: Agent;
  /** Exchanges in flight on the agent. */
  readonly active: Set<HttpExchange>;
  watch(measurement: Expirable): void;
  unwatch(measurement: Expirable): void;
  /** Called when `exchange` gave up before getting a connection. */
  abandoned(exchange: HttpExchange): void;
}

/**
 * One HTTP measurement: its hops (redirects followed), its deadline and the caller's signal, and
 * the outcome handed to `finish` once. Driven by callbacks, with one promise for the caller.
 */
export class HttpMeasurement<T> implements ExchangeOwner, Expirable {
  readonly deadlineAt: number;
  private readonly startedAt: number;
  private readonly phases = zeroPhases();
  private url: URL;
  private redirects = 0;
  private exchange: HttpExchange | undefined;
  private stopped: ExchangeFailure | undefined;
  private onAbort: (() => void) | undefined;
  private done = false;

  constructor(
    private readonly host: MeasurementHost,
    private readonly target: HttpTarget,
    private readonly timeoutMs: number,
    private readonly options: ResolvedHttpOptions,
    private readonly signal: AbortSignal | undefined,
    private readonly finish: (outcome: HttpOutcome) => T,
    private readonly resolve: (result: T) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.startedAt = performance.now();
    this.deadlineAt = this.startedAt + timeoutMs;
    this.url = target.url;
  }

  /** Starts the first request. */
  start(): void {
    this.host.watch(this);
    if (this.signal !== undefined) {
      const signal = this.signal;
      this.onAbort = () => this.stop(FailureReason.ABORTED, abortError(signal.reason));
      if (signal.aborted) this.stop(FailureReason.ABORTED, abortError(signal.reason));
      else signal.addEventListener('abort', this.onAbort, { once: true });
    }
    this.startHop(this.startedAt, this.target.origin, this.target.path);
  }

  expire(): void {
    this.stop(
      FailureReason.TIMEOUT,
      new TimeoutError(`HTTP probe of ${this.target.label} exceeded ${this.timeoutMs} ms`, {
        subject: this.target.label,
        value: this.timeoutMs,
      }),
    );
  }

  exchangeSettled(exchange: HttpExchange): void {
    this.host.active.delete(exchange);
    if (this.done || exchange !== this.exchange) return;
    if (exchange.linked) addHopPhases(this.phases, exchange);
    if (exchange.failure !== undefined) {
      this.complete(exchange.failure);
      return;
    }
    const status = exchange.statusCode;
    const location = exchange.location;
    if (status < 300 || status >= 400 || location === undefined || this.options.followRedirects === 0) {
      this.complete(undefined);
      return;
    }
    if (this.redirects >= this.options.followRedirects) {
      this.complete({
        reason: FailureReason.REDIRECT,
        error: new Error(`more than ${this.redirects} redirects`),
      });
      return;
    }
    const next = redirectTarget(this.url, location);
    if (next === undefined) {
      const error = new Error(`redirect to ${JSON.stringify(location)} is not an http(s) URL`);
      this.complete({ reason: FailureReason.REDIRECT, error });
      return;
    }
    this.url = next;
    this.redirects++;
    this.startHop(exchange.endedAt, next.origin, `${next.pathname}${next.search}`);
  }

  private startHop(startedAt: number, origin: string, path: string): void {
    const { method, headers, maxBodyBytes, bodyMatches, keepAlive } = this.options;
    const request = {
      origin,
      path,
      method,
      headers,
      maxBodyBytes,
      keepBody: bodyMatches !== undefined,
      keepAlive,
    };
    const exchange = new HttpExchange(request, startedAt, this);
    this.exchange = exchange;
    this.host.active.add(exchange);
    if (this.stopped !== undefined) exchange.abort(this.stopped.reason, this.stopped.error as Error);
    else exchange.start(this.host.agent);
  }

  /** Ends the measurement early (deadline or the caller's abort), closing the request in flight. */
  private stop(reason: FailureReason, error: Error): void {
    if (this.stopped !== undefined || this.done) return;
    this.stopped = { reason, error };
    const exchange = this.exchange;
    if (exchange === undefined) return;
    const waiting = !exchange.linked;
    exchange.abort(reason, error);
    if (waiting) this.host.abandoned(exchange);
  }

  private complete(failure: ExchangeFailure | undefined): void {
    this.done = true;
    this.host.unwatch(this);
    if (this.onAbort !== undefined) this.signal?.removeEventListener('abort', this.onAbort);
    const last = this.exchange!;
    let outcomeFailure = failure;
    let regexFailed = false;
    if (outcomeFailure === undefined && !isValidStatus(this.options, last.statusCode)) {
      outcomeFailure = {
        reason: FailureReason.STATUS_CODE,
        error: new Error(`status code ${last.statusCode}`),
      };
    }
    const pattern = this.options.bodyMatches;
    if (outcomeFailure === undefined && pattern !== undefined) {
      pattern.lastIndex = 0; // a /g or /y pattern keeps its position between calls
      regexFailed = !pattern.test(Buffer.concat(last.chunks ?? []).toString('utf8'));
      if (regexFailed)
        outcomeFailure = { reason: FailureReason.REGEX, error: new Error('body does not match') };
    }
    const outcome: HttpOutcome = {
      failure: outcomeFailure,
      durationSeconds: (last.endedAt - this.startedAt) / 1000,
      phases: this.phases,
      statusCode: last.statusCode,
      contentLength: last.contentLength,
      bodyBytes: last.bodyBytes,
      connectionReused: last.linked && last.fresh === undefined,
      redirects: this.redirects,
      tls: this.url.protocol === 'https:',
      certificateExpiry: last.certificateExpiry,
      regexFailed,
    };
    // Called from undici's callbacks and timers: whatever `finish` throws goes to the caller.
    try {
      this.resolve(this.finish(outcome));
    } catch (error) {
      this.reject(error);
    }
  }
}

function redirectTarget(current: URL, location: string): URL | undefined {
  try {
    const next = new URL(location, current);
    next.hash = '';
    return next.protocol === 'http:' || next.protocol === 'https:' ? next : undefined;
  } catch {
    return undefined;
  }
}

function abortError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(`aborted: ${String(reason)}`);
}
