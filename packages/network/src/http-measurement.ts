import { performance } from 'node:perf_hooks';
import { TimeoutError } from '@fw0/metrics-core';
import type { Agent } from 'undici';
import {
  type ExchangeFailure,
  type ExchangeOwner,
  type ExchangeRequest,
  exchangeRequest,
  HttpExchange,
} from './http-exchange.js';
import { isValidStatus, type ResolvedHttpOptions } from './http-options.js';
import { addHopPhases, type PhaseDurations, zeroPhases } from './http-phases.js';
import { FailureReason } from './names.js';
import type { Expirable } from './probe-deadline.js';
import type { HttpTarget } from './targets.js';

/** What an HTTP measurement found. Durations in seconds, sizes in bytes. */
export interface HttpOutcome {
  /** The URL measured, as its label (no credentials, no fragment). */
  readonly url: string;
  readonly failure: ExchangeFailure | undefined;
  /** When it ended, in `performance.now()` milliseconds. */
  readonly endedAt: number;
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
  watch(measurement: Expirable): void;
  unwatch(measurement: Expirable): void;
  /** Called when `exchange` gave up before getting a connection. */
  abandoned(exchange: HttpExchange): void;
}

/** Turns an outcome into what the measurement resolves to; `context` is passed through. */
export type MeasurementFinish<T, C> = (outcome: HttpOutcome, context: C) => T;

/**
 * Called with the outcome once the caller's promise has its value: a microtask queued here runs
 * after the caller's continuation. Must not throw.
 */
export type MeasurementSettled<C> = (outcome: HttpOutcome, context: C) => void;

/**
 * One HTTP measurement: its hops (redirects followed), its deadline and the caller's signal, and
 * the outcome handed to `finish` once. Driven by callbacks, with one promise for the caller
 * (whose functions the prober sets). The measurement is its own outcome: the fields below are
 * filled when it completes, so that nothing else is allocated per request.
 */
export class HttpMeasurement<T, C> implements ExchangeOwner, Expirable, HttpOutcome {
  readonly deadlineAt: number;
  listPrevious: Expirable | undefined;
  listNext: Expirable | undefined;
  listed = false;
  resolve: (result: T) => void = noop;
  reject: (error: unknown) => void = noop;

  failure: ExchangeFailure | undefined;
  endedAt = 0;
  durationSeconds = 0;
  readonly phases = zeroPhases();
  statusCode = 0;
  contentLength = -1;
  bodyBytes = 0;
  connectionReused = false;
  redirects = 0;
  /** Whether the final request used TLS. */
  tls: boolean;
  certificateExpiry: number | undefined;
  regexFailed = false;

  private readonly startedAt: number;
  /** The URL of the current hop. */
  private hopUrl: URL;
  private exchange: HttpExchange | undefined;
  private stopped: ExchangeFailure | undefined;
  private signal: AbortSignal | undefined;
  private onAbort: (() => void) | undefined;
  private done = false;

  constructor(
    private readonly host: MeasurementHost,
    private readonly target: HttpTarget,
    private readonly timeoutMs: number,
    private readonly options: ResolvedHttpOptions,
    private readonly finish: MeasurementFinish<T, C>,
    private readonly context: C,
    private readonly settled: MeasurementSettled<C> | undefined,
  ) {
    this.startedAt = performance.now();
    this.deadlineAt = this.startedAt + timeoutMs;
    this.hopUrl = target.url;
    this.tls = target.tls;
  }

  get url(): string {
    return this.target.label;
  }

  /** Starts the first request; `signal` (the caller's) ends the measurement early. */
  start(signal: AbortSignal | undefined): void {
    this.host.watch(this);
    if (signal !== undefined) {
      this.signal = signal;
      this.onAbort = () => this.stop(FailureReason.ABORTED, abortError(signal.reason));
      if (signal.aborted) this.stop(FailureReason.ABORTED, abortError(signal.reason));
      else signal.addEventListener('abort', this.onAbort, { once: true });
    }
    const target = this.target;
    let request = target.request;
    if (target.requestOptions !== this.options || request === undefined) {
      request = exchangeRequest(target.origin, target.path, this.options);
      target.request = request;
      target.requestOptions = this.options;
    }
    this.startHop(this.startedAt, request);
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
    const next = redirectTarget(this.hopUrl, location);
    if (next === undefined) {
      const error = new Error(`redirect to ${JSON.stringify(location)} is not an http(s) URL`);
      this.complete({ reason: FailureReason.REDIRECT, error });
      return;
    }
    this.hopUrl = next;
    this.tls = next.protocol === 'https:';
    this.redirects++;
    this.startHop(
      exchange.endedAt,
      exchangeRequest(next.origin, `${next.pathname}${next.search}`, this.options),
    );
  }

  /**
   * Whether this measurement, made through `host`, has a request to `origin` other than `leaving`
   * still without a connection.
   */
  awaitsConnection(host: MeasurementHost, origin: string, leaving: HttpExchange): boolean {
    const exchange = this.exchange;
    return (
      this.host === host &&
      exchange !== undefined &&
      exchange !== leaving &&
      exchange.origin === origin &&
      exchange.awaitingConnection
    );
  }

  private startHop(startedAt: number, request: ExchangeRequest): void {
    const exchange = new HttpExchange(request, startedAt, this);
    this.exchange = exchange;
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
    if (outcomeFailure === undefined && !isValidStatus(this.options, last.statusCode)) {
      outcomeFailure = {
        reason: FailureReason.STATUS_CODE,
        error: new Error(`status code ${last.statusCode}`),
      };
    }
    const pattern = this.options.bodyMatches;
    if (outcomeFailure === undefined && pattern !== undefined) {
      pattern.lastIndex = 0; // a /g or /y pattern keeps its position between calls
      this.regexFailed = !pattern.test(Buffer.concat(last.chunks ?? []).toString('utf8'));
      if (this.regexFailed)
        outcomeFailure = { reason: FailureReason.REGEX, error: new Error('body does not match') };
    }
    this.failure = outcomeFailure;
    this.endedAt = last.endedAt;
    this.durationSeconds = (last.endedAt - this.startedAt) / 1000;
    this.statusCode = last.statusCode;
    this.contentLength = last.contentLength;
    this.bodyBytes = last.bodyBytes;
    this.connectionReused = last.linked && last.fresh === undefined;
    // Read now: the connector works it out once the first request was written.
    this.certificateExpiry = last.connection?.certificateExpiry;
    // Called from undici's callbacks and timers: whatever `finish` throws goes to the caller.
    try {
      this.resolve(this.finish(this, this.context));
    } catch (error) {
      this.reject(error);
    }
    this.settled?.(this, this.context);
    // The target's recorder keeps this outcome until its gauges are read: let go of the
    // exchange (its socket, a body kept for `bodyMatches`) and of the caller's promise now.
    this.exchange = undefined;
    this.signal = undefined;
    this.onAbort = undefined;
    this.resolve = noop;
    this.reject = noop;
  }
}

function noop(): void {}

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
