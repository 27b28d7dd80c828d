import type { LookupFunction } from 'node:net';
import {
  assertIntegerOption,
  BaseCollector,
  ClosedError,
  ConfigError,
  describeValue,
  isMetricsRegistry,
  type MetricsRegistry,
  MetricType,
  MetricUnit,
  type NameSampler,
  type PerformanceMetric,
} from '@fw0/metrics-core';
import type { HttpOutcome } from './http-measurement.js';
import { checkSignal, type ResolvedHttpOptions, resolveHttpOptions } from './http-options.js';
import { HttpProber } from './http-prober.js';
import { NetworkMetricName, NetworkOperation } from './names.js';
import type {
  HttpProbeOptions,
  HttpRequestOptions,
  NetworkCollectorOptions,
  ProbeTarget,
  TargetSuccessRate,
  TcpLatencyOptions,
  TcpProbeOptions,
} from './options.js';
import { type ObservableDispatcher, PoolObserver } from './pool-observer.js';
import { httpSample, tcpSample } from './probe-samples.js';
import { DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_TCP_TIMEOUT_MS, ProbeScheduler } from './probe-scheduler.js';
import type { TargetRecorder } from './target-recorder.js';
import { checkTargetLabel, isLabelText, TargetRecorders } from './target-recorders.js';
import { checkMilliseconds, type HttpTarget, parseTcpTarget, type TcpTarget } from './targets.js';
import { measureTcpConnect } from './tcp-prober.js';
import { checkTransfer, type ThroughputRecorder, ThroughputRecorders } from './throughput.js';

/**
 * Network performance: TCP connect latency, HTTP requests timed phase by phase (DNS, connect,
 * TLS, server processing, transfer) on undici, throughput, undici pool stats and scheduled
 * probes with success rates. Durations given to it are in **milliseconds** (`timeoutMs`,
 * `intervalMs`), except `measureThroughput`'s `durationSeconds`: where the seed's
 * `measure_tcp_latency(host, port, timeout)` and `measure_http_request(url, timeout)` took
 * seconds, the same position here takes milliseconds (`measureHttpRequest(url, 5)` gives up
 * after 5 ms, not 5 s). Every recorded value is in seconds, bytes or bytes per second.
 */
export class NetworkMetricsCollector extends BaseCollector {
  private readonly targets: TargetRecorders;
  private readonly throughput: ThroughputRecorders;
  private readonly prober: HttpProber;
  private readonly pools: PoolObserver;
  private readonly scheduler: ProbeScheduler;
  private readonly lookup: LookupFunction | undefined;
  private readonly durationSampler: NameSampler;
  /** Made once: the prober calls it with each outcome and its target's recorder. */
  private readonly finishHttp = (outcome: HttpOutcome, recorder: TargetRecorder) =>
    this.httpFinished(outcome, recorder);
  /** Made once: the prober calls it once the caller's promise has its value. */
  private readonly settleHttp = (outcome: HttpOutcome, recorder: TargetRecorder) =>
    this.targets.recordHttpSoon(recorder, outcome);
  private closed = false;

  constructor(options: NetworkCollectorOptions = {}) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
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
    // Checked before BaseCollector uses them: a name that cannot be a label value, or a registry
    // that is not one, would fail there with an untyped error or half-register the collector.
    if (options.name !== undefined && !isLabelText(options.name)) {
      throw new ConfigError(
        `Invalid option name=${describeValue(options.name)}: expected a non-empty string of valid Unicode`,
        { subject: 'name', value: options.name },
      );
    }
    if (options.registry !== undefined && !isMetricsRegistry(options.registry)) {
      throw new ConfigError(
        `Invalid option registry=${describeValue(options.registry)}: expected a MetricsRegistry`,
        {
          subject: 'registry',
          value: options.registry,
        },
      );
    }
    const lookup = options.lookup;
    if (lookup !== undefined && typeof lookup !== 'function') {
      throw new ConfigError(
        `Invalid option lookup=${describeValue(lookup)}: expected a function (hostname, options, callback), as net.connect's lookup`,
        { subject: 'lookup', value: lookup },
      );
    }
    const name = options.name ?? 'network';
    // What the registry holds before this collector touches it, to restore it if defining our
    // metrics fails (checked here: the base class would bind its self-metric series first).
    const before = options.registry === undefined ? undefined : registryState(options.registry, name);
    super(name, options);
    this.lookup = lookup;
    this.durationSampler = this.samplerFor(NetworkMetricName.PROBE_DURATION);
    let targets: TargetRecorders | undefined;
    try {
      targets = new TargetRecorders(this.registry, maxTargets, name, (error) =>
        this.recordFailure(NetworkOperation.RECORD, error),
      );
      this.targets = targets;
      this.throughput = new ThroughputRecorders(this.registry);
      this.pools = new PoolObserver(this.registry);
    } catch (error) {
      // Its read hooks are on the probe gauges: take them out again.
      targets?.close();
      // A metric of the same name defined differently in this registry: leave it as it was.
      this.registry.unregister(this);
      if (before !== undefined) restoreRegistry(this.registry, name, before);
      throw error;
    }
    this.prober = new HttpProber(connectTimeoutMs, keepAliveTimeoutMs, lookup);
    this.scheduler = new ProbeScheduler(this.registry, this.logger, maxConcurrentProbes, {
      probeHttp: (target, timeoutMs, httpOptions, signal) =>
        this.runHttp(target, timeoutMs, httpOptions, signal),
      probeTcp: (target, timeoutMs, label, signal) => this.runTcp(target, timeoutMs, label, signal),
    });
  }

  /**
   * Times a TCP connection to `host`:`port` (DNS lookup included), giving up after `timeoutMs`
   * **milliseconds** (default 5,000; the seed's `timeout` was in seconds: pass `5000`, not `5`).
   * Resolves to the latency sample (seconds), or null when the connection failed; either way the
   * attempt counts toward the target's success rate, a failure with its reason. Throws
   * InvalidTargetError / ConfigError / InvalidLabelError at once for a bad host, port, timeout
   * or label. Also `measureTcpLatency(host, port, { timeoutMs, target, signal })`.
   */
  measureTcpLatency(
    host: string,
    port: number,
    timeoutMs?: number,
    options?: TcpProbeOptions,
  ): Promise<PerformanceMetric | null>;
  /** The same with the timeout in the options object: `{ timeoutMs, target, signal }`. */
  measureTcpLatency(
    host: string,
    port: number,
    options: TcpLatencyOptions,
  ): Promise<PerformanceMetric | null>;
  measureTcpLatency(
    host: string,
    port: number,
    timeoutOrOptions?: number | TcpLatencyOptions,
    rest?: TcpProbeOptions,
  ): Promise<PerformanceMetric | null> {
    this.assertOpen();
    const target = parseTcpTarget(host, port);
    const options = callOptions('measureTcpLatency(host, port', timeoutOrOptions, rest);
    const timeoutMs = callTimeout(timeoutOrOptions, DEFAULT_TCP_TIMEOUT_MS);
    if (
      options !== undefined &&
      (typeof options !== 'object' || options === null || Array.isArray(options))
    ) {
      throw new ConfigError(`Invalid TCP probe options ${describeValue(options)}: expected an object`, {
        value: options,
      });
    }
    const label = checkTargetLabel(options?.target) ?? target.label;
    checkSignal(options?.signal);
    return this.runTcp(target, timeoutMs, label, options?.signal);
  }

  /**
   * Times an HTTP(S) request to `url` phase by phase, giving up after `timeoutMs`
   * **milliseconds** (default 10,000; the seed's `timeout` was in seconds: pass `5000`, not
   * `5`). Resolves to the total-duration sample (seconds; the phases, status code and sizes in
   * its context), or null when the request failed. Only http: and https: URLs: anything else
   * throws InvalidTargetError at once, as do bad options (ConfigError). Also
   * `measureHttpRequest(url, { timeoutMs, ...options })`.
   */
  measureHttpRequest(
    url: string | URL,
    timeoutMs?: number,
    options?: HttpProbeOptions,
  ): Promise<PerformanceMetric | null>;
  /** The same with the timeout in the options object: `{ timeoutMs, ...options }`. */
  measureHttpRequest(url: string | URL, options: HttpRequestOptions): Promise<PerformanceMetric | null>;
  measureHttpRequest(
    url: string | URL,
    timeoutOrOptions?: number | HttpRequestOptions,
    rest?: HttpProbeOptions,
  ): Promise<PerformanceMetric | null> {
    this.assertOpen();
    const target = this.targets.httpTarget(url);
    const options = callOptions('measureHttpRequest(url', timeoutOrOptions, rest);
    const timeoutMs = callTimeout(timeoutOrOptions, DEFAULT_HTTP_TIMEOUT_MS);
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
    try {
      this.targets.close();
    } catch (error) {
      this.recordFailure(NetworkOperation.PUBLISH_GAUGES, error);
    }
    this.registry.unregister(this);
  }

  private async runTcp(
    target: TcpTarget,
    timeoutMs: number,
    label: string,
    signal: AbortSignal | undefined,
  ): Promise<PerformanceMetric | null> {
    const outcome = await measureTcpConnect(target, timeoutMs, signal, this.lookup);
    const recorder = this.targets.get('tcp', label);
    recorder.recordTcp(outcome);
    if (outcome.failure !== undefined) {
      this.recordFailure(NetworkOperation.TCP, outcome.failure.error);
      return null;
    }
    const rate = this.durationSampler.admit();
    return this.keepSample(tcpSample(target, recorder.tags, outcome, rate), rate);
  }

  private runHttp(
    target: HttpTarget,
    timeoutMs: number,
    options: ResolvedHttpOptions,
    signal: AbortSignal | undefined,
  ): Promise<PerformanceMetric | null> {
    const recorder = this.targets.http(target, options.target);
    return this.prober.measure(
      target,
      timeoutMs,
      options,
      signal,
      this.finishHttp,
      recorder,
      this.settleHttp,
    );
  }

  /** The sample of an HTTP measurement (its series are recorded by `settleHttp`, afterwards). */
  private httpFinished(outcome: HttpOutcome, recorder: TargetRecorder): PerformanceMetric | null {
    if (outcome.failure !== undefined) {
      this.recordFailure(NetworkOperation.HTTP, outcome.failure.error);
      return null;
    }
    const rate = this.durationSampler.admit();
    return this.keepSample(httpSample(recorder, outcome, rate), rate);
  }

  /**
   * Puts a sample made with the duration sampler's `rate` into the buffer, or counts it as
   * sampled out (rate 0): what `recordSample` does, without an init object copied into the
   * sample and a sampler looked up by name on every request.
   */
  private keepSample(sample: PerformanceMetric, rate: number): PerformanceMetric {
    if (rate === 0) this.sampledOut.add();
    else this.pushSample(sample);
    return sample;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new ClosedError(`Network collector "${this.name}" is closed`, { subject: this.name });
    }
  }
}

/** What a collector named `name` may add to a registry, as it is now. */
interface RegistryState {
  readonly metrics: ReadonlySet<string>;
  readonly droppedSeries: boolean;
  readonly sampledOutSeries: boolean;
}

function registryState(registry: MetricsRegistry, name: string): RegistryState {
  if (registry.collectors.some((other) => other.name === name)) {
    // The base class would find this only after binding its self-metric series for `name`.
    throw new ConfigError(`A collector named "${name}" is already registered in this registry`, {
      subject: name,
      value: name,
    });
  }
  return {
    metrics: new Set(registry.getMetrics().map((metric) => metric.name)),
    droppedSeries: registry.self.samplesDropped.get(droppedLabels(name)) !== undefined,
    sampledOutSeries: registry.self.samplesSampledOut.get({ collector: name }) !== undefined,
  };
}

/** Removes what a collector that failed to construct added to `registry` since `before`. */
function restoreRegistry(registry: MetricsRegistry, name: string, before: RegistryState): void {
  for (const metric of registry.getMetrics()) {
    if (!metric.name.startsWith('fw0_') && !before.metrics.has(metric.name))
      registry.removeMetric(metric.name);
  }
  if (!before.droppedSeries) registry.self.samplesDropped.remove(droppedLabels(name));
  if (!before.sampledOutSeries) registry.self.samplesSampledOut.remove({ collector: name });
}

const droppedLabels = (name: string) => ({ collector: name, reason: 'buffer_full' });

/*
 * The two forms of a measurement's arguments: `(timeoutMs, options)` and `({ timeoutMs, ...options })`.
 * Two functions rather than one returning a pair: nothing is allocated per call.
 */

/** The options of a call in either form; ConfigError when it got an options object twice. */
function callOptions<O>(call: string, timeoutOrOptions: unknown, rest: O | undefined): O | undefined {
  if (typeof timeoutOrOptions !== 'object' || timeoutOrOptions === null) return rest;
  if (rest !== undefined) {
    throw new ConfigError(
      `${call}, options) was given an options object in place of the timeout and another after it: pass either (timeoutMs, options) or ({ timeoutMs, ...options })`,
      { subject: 'timeoutMs' },
    );
  }
  return timeoutOrOptions as O;
}

/**
 * The checked timeout of a call in either form, in milliseconds. Only a missing timeout takes
 * `defaultMs`: null is a mistake, refused like any other (ConfigError).
 */
function callTimeout(timeoutOrOptions: unknown, defaultMs: number): number {
  const timeoutMs =
    typeof timeoutOrOptions === 'object' && timeoutOrOptions !== null
      ? (timeoutOrOptions as { timeoutMs?: unknown }).timeoutMs
      : timeoutOrOptions;
  return checkMilliseconds('timeoutMs', timeoutMs === undefined ? defaultMs : timeoutMs);
}

/** Creates a network metrics collector (the seed's `get_network_collector`). */
export function getNetworkCollector(options?: NetworkCollectorOptions): NetworkMetricsCollector {
  return new NetworkMetricsCollector(options);
}
