import type { LookupFunction } from 'node:net';
import { ConfigError } from '@fw0/metrics-core';
import { Agent } from 'undici';
import type { HttpExchange } from './http-exchange.js';
import {
  HttpMeasurement,
  type MeasurementFinish,
  type MeasurementHost,
  type MeasurementSettled,
} from './http-measurement.js';
import type { ResolvedHttpOptions } from './http-options.js';
import { DeadlineTimer, type Expirable } from './probe-deadline.js';
import { holdSocketLink } from './socket-link.js';
import type { HttpTarget } from './targets.js';
import { createTimedConnector, type TimedConnector } from './timed-connector.js';

/** One undici Agent of the prober, with what its measurements need. */
class ProbeAgent implements MeasurementHost {
  constructor(
    readonly agent: Agent,
    private readonly connector: TimedConnector,
    private readonly deadlines: DeadlineTimer,
  ) {}

  watch(measurement: Expirable): void {
    this.deadlines.add(measurement);
  }

  unwatch(measurement: Expirable): void {
    this.deadlines.delete(measurement);
  }

  /**
   * Drops connection attempts to the origin of `leaving` when no other measurement of this agent
   * waits for a connection there. The measurements in flight are those the deadline timer
   * watches: looked through only here, on a timeout or an abort, so that a request costs no
   * bookkeeping of its own for it.
   */
  abandoned(leaving: HttpExchange): void {
    const origin = leaving.origin;
    const waited = this.deadlines.some(
      (entry) => entry instanceof HttpMeasurement && entry.awaitsConnection(this, origin, leaving),
    );
    if (!waited) this.connector.abandon(origin);
  }
}

// The promise executor of every measurement: one function, not a closure per call.
let capturedResolve: ((value: unknown) => void) | undefined;
let capturedReject: ((error: unknown) => void) | undefined;
function capture(resolve: (value: unknown) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/** Most distinct TLS configurations (trusted CA sets) kept at once. */
const MAX_TLS_CONFIGURATIONS = 16;

/**
 * Runs HTTP measurements on undici Agents of its own (one per TLS configuration), whose
 * connector times DNS, TCP and TLS. Every measurement ends by its deadline: the request is
 * aborted, and a connection attempt nobody waits for any more is abandoned.
 */
export class HttpProber {
  private readonly agents = new Map<unknown, ProbeAgent>();
  private readonly deadlines = new DeadlineTimer();
  private releaseLink: (() => void) | undefined;
  private lastKey: unknown;
  private lastAgent: ProbeAgent | undefined;

  constructor(
    private readonly connectTimeoutMs: number,
    private readonly keepAliveTimeoutMs: number,
    /** Resolves host names in place of `dns.lookup` (net.connect's `lookup` option). */
    private readonly lookup: LookupFunction | undefined,
  ) {}

  /**
   * Measures `target` and resolves to `finish(outcome, context)`, within `timeoutMs`
   * milliseconds; never rejects unless `finish` throws. `settled(outcome, context)` is called
   * right after the promise has its value. Throws ConfigError at once when one TLS
   * configuration too many is asked for.
   */
  measure<T, C>(
    target: HttpTarget,
    timeoutMs: number,
    options: ResolvedHttpOptions,
    signal: AbortSignal | undefined,
    finish: MeasurementFinish<T, C>,
    context: C,
    settled?: MeasurementSettled<C>,
  ): Promise<T> {
    const probeAgent = this.agentFor(options);
    // Subscribed before the first request, so that its socket is linked.
    this.releaseLink ??= holdSocketLink();
    const measurement = new HttpMeasurement(probeAgent, target, timeoutMs, options, finish, context, settled);
    const promise = new Promise<T>(
      capture as (resolve: (value: T) => void, reject: (error: unknown) => void) => void,
    );
    measurement.resolve = capturedResolve!;
    measurement.reject = capturedReject!;
    capturedResolve = undefined;
    capturedReject = undefined;
    measurement.start(signal);
    return promise;
  }

  /** Closes every connection; measurements in flight fail. */
  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    this.lastKey = undefined;
    this.lastAgent = undefined;
    this.deadlines.clear();
    this.releaseLink?.();
    this.releaseLink = undefined;
    await Promise.all(agents.map(({ agent }) => agent.destroy()));
  }

  private agentFor(options: ResolvedHttpOptions): ProbeAgent {
    const key = options.insecure ? 'insecure' : (options.ca ?? 'verify');
    if (key === this.lastKey && this.lastAgent !== undefined) return this.lastAgent;
    let probeAgent = this.agents.get(key);
    if (probeAgent !== undefined) {
      this.lastKey = key;
      this.lastAgent = probeAgent;
      return probeAgent;
    }
    if (this.agents.size >= MAX_TLS_CONFIGURATIONS) {
      throw new ConfigError(
        `Too many distinct TLS configurations (${MAX_TLS_CONFIGURATIONS}): pass the same ca value to every probe of a server`,
        { subject: 'ca', value: this.agents.size },
      );
    }
    const connector = createTimedConnector(
      { rejectUnauthorized: !options.insecure, ca: options.insecure ? undefined : options.ca },
      this.connectTimeoutMs,
      this.lookup,
    );
    // undici's own headers and body timers (300 s each by default) are off: every measurement's
    // deadline ends its request sooner, and those timers cost two timer replacements per request.
    const agent = new Agent({
      connect: connector.connect,
      keepAliveTimeout: this.keepAliveTimeoutMs,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    probeAgent = new ProbeAgent(agent, connector, this.deadlines);
    this.agents.set(key, probeAgent);
    this.lastKey = key;
    this.lastAgent = probeAgent;
    return probeAgent;
  }
}
