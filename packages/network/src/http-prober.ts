import { ConfigError } from '@fw0/metrics-core';
import { Agent } from 'undici';
import type { HttpExchange } from './http-exchange.js';
import { HttpMeasurement, type HttpOutcome, type MeasurementHost } from './http-measurement.js';
import type { ResolvedHttpOptions } from './http-options.js';
import { DeadlineTimer, type Expirable } from './probe-deadline.js';
import { holdSocketLink } from './socket-link.js';
import type { HttpTarget } from './targets.js';
import { createTimedConnector, type TimedConnector } from './timed-connector.js';

/** One undici Agent of the prober, with what its measurements need. */
class ProbeAgent implements MeasurementHost {
  readonly active = new Set<HttpExchange>();

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

  /** Drops connection attempts to the origin of `leaving` when no other exchange waits for one there. */
  abandoned(leaving: HttpExchange): void {
    for (const other of this.active) {
      if (other !== leaving && !other.linked && other.origin === leaving.origin) return;
    }
    this.connector.abandon(leaving.origin);
  }
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

  constructor(
    private readonly connectTimeoutMs: number,
    private readonly keepAliveTimeoutMs: number,
  ) {}

  /**
   * Measures `target` and resolves to `finish(outcome)`, within `timeoutMs` milliseconds; never
   * rejects unless `finish` throws. Throws ConfigError at once when one TLS configuration too
   * many is asked for.
   */
  measure<T>(
    target: HttpTarget,
    timeoutMs: number,
    options: ResolvedHttpOptions,
    signal: AbortSignal | undefined,
    finish: (outcome: HttpOutcome) => T,
  ): Promise<T> {
    const probeAgent = this.agentFor(options);
    // Subscribed before the first request, so that its socket is linked.
    this.releaseLink ??= holdSocketLink();
    return new Promise<T>((resolve, reject) => {
      new HttpMeasurement(probeAgent, target, timeoutMs, options, signal, finish, resolve, reject).start();
    });
  }

  /** Closes every connection; measurements in flight fail. */
  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    this.deadlines.clear();
    this.releaseLink?.();
    this.releaseLink = undefined;
    await Promise.all(agents.map(({ agent }) => agent.destroy()));
  }

  private agentFor(options: ResolvedHttpOptions): ProbeAgent {
    const key = options.insecure ? 'insecure' : (options.ca ?? 'verify');
    let probeAgent = this.agents.get(key);
    if (probeAgent !== undefined) return probeAgent;
    if (this.agents.size >= MAX_TLS_CONFIGURATIONS) {
      throw new ConfigError(
        `Too many distinct TLS configurations (${MAX_TLS_CONFIGURATIONS}): pass the same ca value to every probe of a server`,
        { subject: 'ca', value: this.agents.size },
      );
    }
    const connector = createTimedConnector(
      { rejectUnauthorized: !options.insecure, ca: options.insecure ? undefined : options.ca },
      this.connectTimeoutMs,
    );
    const agent = new Agent({ connect: connector.connect, keepAliveTimeout: this.keepAliveTimeoutMs });
    probeAgent = new ProbeAgent(agent, connector, this.deadlines);
    this.agents.set(key, probeAgent);
    return probeAgent;
  }
}
