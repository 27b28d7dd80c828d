import {
  assertIntegerOption,
  BaseCollector,
  ClosedError,
  ConfigError,
  describeValue,
  MetricType,
  MetricUnit,
  type PerformanceMetric,
} from '@fw0/metrics-core';
import { type ResolvedHttpOptions, resolveHttpOptions } from './http-options.js';
import { HttpProber } from './http-prober.js';
import { NetworkMetricName, NetworkOperation } from './names.js';
import type {
  HttpProbeOptions,
  NetworkCollectorOptions,
  ProbeTarget,
  TargetSuccessRate,
  TcpProbeOptions,
} from './options.js';
import { type ObservableDispatcher, PoolObserver } from './pool-observer.js';
import { httpSample, tcpSample } from './probe-samples.js';
import { DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_TCP_TIMEOUT_MS, ProbeScheduler } from './probe-scheduler.js';
import { checkTargetLabel, TargetRecorders } from './target-recorders.js';
import { checkMilliseconds, type HttpTarget, parseTcpTarget, type TcpTarget } from './targets.js';
import { measureTcpConnect } from './tcp-prober.js';
import { checkTransfer, type ThroughputRecorder, ThroughputRecorders } from './throughput.js';

/**
 * Network performance: TCP connect latency, HTTP requests timed phase by phase (DNS, connect,
 * TLS, server processing, transfer) on undici, throughput, undici pool stats and scheduled
 * probes with success rates. Durations given to it are in milliseconds (`timeoutMs`,
 * `intervalMs`), except `measureThroughput`'s `durationSeconds`; every recorded value is in
 * seconds, bytes or bytes per second.
 */
export class NetworkMetricsCollector extends BaseCollector {
  private readonly targets: TargetRecorders;
  private readonly throughput: ThroughputRecorders;
  private readonly prober: HttpProber;
  private readonly pools: PoolObserver;
  private readonly scheduler: ProbeScheduler;
  private closed = false;

  constructor(options: NetworkCollectorOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError(`Invalid options ${describeValue(options)}: expected an object`, {
        value: options,
      });
    }
    const maxTargets = options.maxTargets ?? 500;
    assertIntegerOption('maxTargets', maxTargets, 1, 100_000);
    const maxConcurrentProbes = options.maxConcurrentProbes ?? 8;
    assertIntegerOption('maxConcurrentProbes', maxConcurrentProbes, 1, 10_000);
    const connectTimeoutMs = checkMilliseconds('connectTimeoutMs', options.connectTimeoutMs ?? 10_000);
    const keepAliveTimeoutMs = checkMilliseconds('keepAliveTimeoutMs', options.keepAliveTimeoutMs ?? 4_000);
    super(options.name ?? 'network', options);
    try {
      this.targets = new TargetRecorders(this.registry, maxTargets);
      this.throughput = new ThroughputRecorders(this.registry);
      this.pools = new PoolObserver(this.registry);
    } catch (error) {
      // A metric of the same name defined differently in this registry: leave it as it was.
      this.registry.unregister(this);
      throw error;
    }
    this.prober = new HttpProber(connectTimeoutMs, keepAliveTimeoutMs);
    this.scheduler = new ProbeScheduler(this.registry, this.logger, maxConcurrentProbes, {
      probeHttp: (target, timeoutMs, httpOptions, signal) =>
        this.runHttp(target, timeoutMs, httpOptions, signal),
      probeTcp: (target, timeoutMs, label, signal) => this.runTcp(target, timeoutMs, label, signal),
    });
  }

  /**
   * Times a TCP connection to `host`:`port` (DNS lookup included), giving up after `timeoutMs`
   * milliseconds (default 5,000). Resolves to the latency sample (seconds), or null when the
   * connection failed; either way the attempt counts toward the target's success rate, a failure
   * with its reason. Throws InvalidTargetError / ConfigError at once for a bad host, port or timeout.
   */
  measureTcpLatency(
    host: string,
    port: number,
    timeoutMs: number = DEFAULT_TCP_TIMEOUT_MS,
    options: TcpProbeOptions = {},
  ): Promise<PerformanceMetric | null> {
    this.assertOpen();
    const target = parseTcpTarget(host, port);
    checkMilliseconds('timeoutMs', timeoutMs);
    const label = checkTargetLabel(options.target) ?? target.label;
    return this.runTcp(target, timeoutMs, label, options.signal);
  }

  /**
   * Times an HTTP(S) request to `url` phase by phase, giving up after `timeoutMs` milliseconds
   * (default 10,000). Resolves to the total-duration sample (seconds; the phases, status code and
   * sizes in its context), or null when the request failed. Only http: and https: URLs:
   * anything else throws InvalidTargetError at once, as do bad options (ConfigError).
   */
  measureHttpRequest(
    url: string | URL,
    timeoutMs: number = DEFAULT_HTTP_TIMEOUT_MS,
    options?: HttpProbeOptions,
  ): Promise<PerformanceMetric | null> {
    this.assertOpen();
    const target = this.targets.httpTarget(url);
    checkMilliseconds('timeoutMs', timeoutMs);
    return this.runHttp(target, timeoutMs, resolveHttpOptions(options), options?.signal);
  }

  /**
   * Records `dataBytes` bytes moved in `durationSeconds` seconds during `operation`, and returns
   * the throughput sample in bytes per second (as the seed). Bad values throw InvalidValueError
   * and record nothing.
   */
  measureThroughput(dataBytes: number, durationSeconds: number, operation: string): PerformanceMetric {
    // Values first: binding a new operation creates its series, which a rejected call must not leave.
    checkTransfer(dataBytes, durationSeconds, operation);
    const recorder = this.bindThroughput(operation);
    const bytesPerSecond = recorder.record(dataBytes, durationSeconds);
    return this.recordSample({
      name: NetworkMetricName.THROUGHPUT,
      value: bytesPerSecond,
      type: MetricType.GAUGE,
      unit: MetricUnit.BYTES_PER_SECOND,
      tags: { operation },
      context: { dataBytes, durationSeconds },
    });
  }

  /** A recorder of `operation`'s transfers for hot paths: no sample, no allocation, no label lookup. */
  bindThroughput(operation: string): ThroughputRecorder {
    return this.throughput.bind(operation);
  }

  /**
   * Exports the pool stats of an undici Pool, Client or Agent (per origin) as `undici_pool_*`
   * gauges labelled `name`, read at each collection. Returns a function that stops it.
   */
  observeDispatcher(dispatcher: ObservableDispatcher, name: string): () => void {
    this.pools.observe(dispatcher, name);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.pools.unobserve(name);
    };
  }

  /** Stops exporting the dispatcher observed as `name` and removes its series; true if there was one. */
  unobserveDispatcher(name: string): boolean {
    return this.pools.unobserve(name);
  }

  /** Reads observed pools' stats; called by `registry.collect()`. */
  refresh(): void {
    this.pools.refresh((_name, error) => this.recordFailure(NetworkOperation.POOL_STATS, error));
  }

  /**
   * Probes each target every `intervalMs` milliseconds, each run within its `timeoutMs`, runs of
   * a target never overlapping, at most `maxConcurrentProbes` at once. Every target is checked
   * before any starts (ConfigError / InvalidTargetError). Resolves once each has been probed once.
   */
  startProbes(targets: readonly ProbeTarget[]): Promise<void> {
    this.assertOpen();
    return this.scheduler.start(targets);
  }

  /** Stops the scheduled probes; resolves once those in flight have ended (each within its timeout). */
  stopProbes(): Promise<void> {
    return this.scheduler.stop();
  }

  /** Attempts, successes, failures by reason and success ratio of every target measured so far. */
  getSuccessRates(): TargetSuccessRate[] {
    return this.targets.successRates();
  }

  /** Stops the scheduled probes (the Collector contract's stop). */
  stop(): Promise<void> {
    return this.stopProbes();
  }

  /** Stops probes, closes this collector's connections and leaves the registry. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.scheduler.stop();
    await this.prober.close();
    this.registry.unregister(this);
  }

  private async runTcp(
    target: TcpTarget,
    timeoutMs: number,
    label: string,
    signal: AbortSignal | undefined,
  ): Promise<PerformanceMetric | null> {
    const outcome = await measureTcpConnect(target, timeoutMs, signal);
    const recorder = this.targets.get('tcp', label);
    recorder.recordTcp(outcome);
    if (outcome.failure !== undefined) {
      this.recordFailure(NetworkOperation.TCP, outcome.failure.error);
      return null;
    }
    return this.recordSample(tcpSample(target, recorder.tags, outcome));
  }

  private runHttp(
    target: HttpTarget,
    timeoutMs: number,
    options: ResolvedHttpOptions,
    signal: AbortSignal | undefined,
  ): Promise<PerformanceMetric | null> {
    const recorder = this.targets.http(target, options.target);
    return this.prober.measure(target, timeoutMs, options, signal, (outcome) => {
      recorder.recordHttp(outcome);
      if (outcome.failure !== undefined) {
        this.recordFailure(NetworkOperation.HTTP, outcome.failure.error);
        return null;
      }
      return this.recordSample(httpSample(target.label, recorder.tags, outcome));
    });
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new ClosedError(`Network collector "${this.name}" is closed`, { subject: this.name });
    }
  }
}

/** Creates a network metrics collector (the seed's `get_network_collector`). */
export function getNetworkCollector(options?: NetworkCollectorOptions): NetworkMetricsCollector {
  return new NetworkMetricsCollector(options);
}
