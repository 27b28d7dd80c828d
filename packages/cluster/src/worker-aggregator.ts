import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import {
  assertIntegerOption,
  BaseCollector,
  ClosedError,
  type CollectOptions,
  ConfigError,
  createMetricsHandler,
  type MetricsHandlerOptions,
  type MetricsRegistry,
  type MetricsRequestHandler,
  type MetricsServer,
  type MetricsServerOptions,
  type MetricsSnapshot,
  MetricType,
  MetricUnit,
  safeLog,
  startMetricsServer,
} from '@fw0/metrics-core';
import { AggregatedRegistry } from './aggregated-registry.js';
import { AggregatorMetrics } from './aggregator-metrics.js';
import {
  type ResolvedAggregatorOptions,
  resolveAggregatorOptions,
  type WorkerAggregatorOptions,
} from './aggregator-options.js';
import { askAll } from './ask-all.js';
import type { PendingAnswer, WorkerOutcome } from './ask-worker.js';
import { type AggregateResult, mergeOutcomes } from './merge-outcomes.js';
import { addFamilies } from './merge-parts.js';
import { ClusterLabel, COLLECT_WORKER_OPERATION, WORKER_ANSWER_SAMPLE } from './names.js';
import { assertOptionsObject } from './option-checks.js';
import { ClusterWorkerLink } from './process-link.js';
import { type CollectRequest, PROTOCOL } from './protocol.js';
import type { WorkerLink } from './worker-link.js';
import { type AddWorkerOptions, linkTo, type WorkerTarget } from './worker-target.js';

/**
 * Serves one set of metrics for many workers: at each collection it asks every live
 * `node:cluster` worker and every worker added with {@link addWorker} for a snapshot (they answer
 * through `exposeWorkerMetrics`), waits at most `timeoutMs` milliseconds, and merges the answers
 * with the local registry and its own instruments: counters summed, histograms merged exactly
 * from their buckets and sketches (so merged quantiles are those of one registry fed every
 * value), gauges by their aggregation. A worker that does not answer in time, exits, or answers
 * with something unmergeable is left out and reported (`fw0_worker_collect_failures_total`,
 * `fw0_workers`, the log); it never fails or hangs the collection.
 *
 * Serve `aggregator.registry` (or use {@link createHandler} / {@link startServer}).
 */
export class WorkerAggregator extends BaseCollector {
  /** The registry to serve: its `collect()` returns the merged snapshot. */
  declare readonly registry: AggregatedRegistry;
  /** The registry of this process merged with the workers', if any. */
  readonly local: MetricsRegistry | undefined;
  /** How long a collection waits for the workers, in milliseconds. */
  readonly timeoutMs: number;
  /** Label of the per-worker view, or undefined when workers are merged. */
  readonly workerLabel: string | undefined;
  private readonly includeCluster: boolean;
  private readonly metrics: AggregatorMetrics;
  private readonly added = new Map<WorkerTarget, WorkerLink>();
  private readonly inflight = new Set<PendingAnswer>();
  private readonly clusterLinks = new WeakMap<object, ClusterWorkerLink>();
  private readonly requestPrefix = randomUUID();
  private sequence = 0;
  private stopped = false;

  constructor(options: WorkerAggregatorOptions = {}) {
    const settings: ResolvedAggregatorOptions = resolveAggregatorOptions(options);
    const registry = new AggregatedRegistry({
      collectTimeoutMs: settings.timeoutMs,
      ...(settings.logger === undefined ? {} : { logger: settings.logger }),
    });
    super(settings.name, {
      registry,
      // Passed on so that the base class checks it (and the name) like every collector's.
      ...(settings.logger === undefined ? {} : { logger: settings.logger }),
      ...(settings.bufferSize === undefined ? {} : { bufferSize: settings.bufferSize }),
      ...(settings.maxSamplesPerSecond === undefined
        ? {}
        : { maxSamplesPerSecond: settings.maxSamplesPerSecond }),
    });
    this.local = settings.local;
    this.timeoutMs = settings.timeoutMs;
    this.workerLabel = settings.workerLabel;
    this.includeCluster = settings.cluster;
    this.metrics = new AggregatorMetrics(registry);
    registry.attach(this);
  }

  /**
   * Adds a worker thread, a forked child process or a port to ask at each collection; returns
   * its name. Adding the same target again returns its name. It is dropped by itself when it
   * exits (or the port closes). Throws `ConfigError` for a target that cannot be asked or a
   * name already taken, `ClosedError` after {@link stop}.
   */
  addWorker(target: WorkerTarget, options: AddWorkerOptions = {}): string {
    if (this.stopped) throw new ClosedError(`Aggregator "${this.name}" is stopped`, { subject: this.name });
    assertOptionsObject('addWorker', options);
    const existing = this.added.get(target);
    if (existing !== undefined) return existing.name;
    const link = linkTo(target, options, () => this.forget(target, 'exited'));
    if ([...this.added.values()].some((other) => other.name === link.name)) {
      link.dispose();
      throw new ConfigError(`A worker named "${link.name}" is already added to aggregator "${this.name}"`, {
        subject: 'name',
        value: link.name,
      });
    }
    this.added.set(target, link);
    safeLog(this.logger, 'debug', `aggregator "${this.name}": added worker "${link.name}"`);
    return link.name;
  }

  /** Stops asking `target`; true if it was added. */
  removeWorker(target: WorkerTarget): boolean {
    return this.forget(target, 'removed');
  }

  /** Names of the workers the next collection would ask (live cluster workers and added ones). */
  get workers(): string[] {
    return this.currentLinks().map((link) => link.name);
  }

  /** The merged snapshot (what `aggregator.registry.collect()` returns). */
  async collect(options: CollectOptions = {}): Promise<MetricsSnapshot> {
    return (await this.aggregate(options)).snapshot;
  }

  /**
   * One collection in detail: asks every worker, waits at most `options.timeoutMs` (default the
   * aggregator's, in milliseconds), merges, records the self-metrics, and says who answered.
   * `options.sketches` (default true) asks the workers for their sketches: needed for merged
   * quantiles (JSON exposition), not for the text formats. Throws `ClosedError` after {@link stop}.
   */
  async aggregate(options: CollectOptions = {}): Promise<AggregateResult> {
    if (this.stopped) throw new ClosedError(`Aggregator "${this.name}" is stopped`, { subject: this.name });
    assertOptionsObject('aggregate', options);
    const sketches = options.sketches ?? true;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    assertIntegerOption('timeoutMs', timeoutMs, 1, 600_000);
    const request: CollectRequest = {
      protocol: PROTOCOL,
      kind: 'collect',
      id: `${this.requestPrefix}:${++this.sequence}`,
      sketches,
      timeoutMs,
    };
    const round = askAll(this.currentLinks(), request, timeoutMs);
    for (const answer of round.pending) this.inflight.add(answer);
    const ownRefresh = this.registry.hasRefreshingCollectors
      ? this.registry.collectOwn({ sketches: false, timeoutMs })
      : undefined;
    let outcomes: WorkerOutcome[];
    let local: MetricsSnapshot | undefined;
    try {
      [outcomes, local] = await Promise.all([
        round.outcomes,
        this.local?.collect({ sketches, timeoutMs }),
        ownRefresh,
      ]);
    } finally {
      for (const answer of round.pending) this.inflight.delete(answer);
    }
    // What the own registry defines merges before the workers: a worker's metric that clashes
    // with one of them (a counter named fw0_workers) is left out, not the whole collection.
    const definitions: MetricsSnapshot = {
      timestamp: 0,
      families: this.registry.getMetrics().map((metric) => metric.snapshot({ sketches: false })),
    };
    const result = mergeOutcomes(outcomes, local, this.workerLabel, definitions);
    this.record(outcomes, result);
    // Taken last, so that this collection's failures are already in it.
    const own = this.registry.snapshot({ sketches });
    return { ...result, snapshot: addFamilies(result.snapshot, own) };
  }

  /** Creates core's HTTP handler for the merged metrics (`createMetricsHandler(aggregator.registry)`). */
  createHandler(options: MetricsHandlerOptions = {}): MetricsRequestHandler {
    return createMetricsHandler(this.registry, options);
  }

  /** Starts core's metrics server for the merged metrics (loopback unless told otherwise). */
  startServer(options: MetricsServerOptions = {}): Promise<MetricsServer> {
    return startMetricsServer(this.registry, options);
  }

  /**
   * Stops: collections waiting for answers finish at once without them, every listener the
   * aggregator added is removed, and further collections throw `ClosedError`.
   */
  stop(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.stopped = true;
    const closed = new ClosedError(`Aggregator "${this.name}" stopped`, { subject: this.name });
    for (const answer of this.inflight) answer.giveUp('closed', closed);
    this.inflight.clear();
    for (const link of this.added.values()) link.dispose();
    this.added.clear();
    return Promise.resolve();
  }

  private currentLinks(): WorkerLink[] {
    const links: WorkerLink[] = [];
    if (this.includeCluster && cluster.isPrimary && cluster.workers !== undefined) {
      for (const worker of Object.values(cluster.workers)) {
        if (worker === undefined) continue;
        let link = this.clusterLinks.get(worker);
        if (link === undefined) this.clusterLinks.set(worker, (link = new ClusterWorkerLink(worker)));
        if (link.isAlive()) links.push(link);
        else
          safeLog(
            this.logger,
            'debug',
            `aggregator "${this.name}": worker "${link.name}" is leaving; not asked`,
          );
      }
    }
    for (const link of this.added.values()) links.push(link);
    return links;
  }

  /** Self-metrics, samples and log of one collection. */
  private record(outcomes: readonly WorkerOutcome[], result: AggregateResult): void {
    for (const outcome of outcomes) {
      if (outcome.kind !== 'answered') continue;
      this.metrics.answerSeconds.observe(outcome.seconds);
      this.recordSample({
        name: WORKER_ANSWER_SAMPLE,
        value: outcome.seconds,
        type: MetricType.TIMER,
        unit: MetricUnit.SECONDS,
        tags: { [ClusterLabel.WORKER]: outcome.worker },
      });
    }
    for (const failure of result.failures) {
      this.metrics.failures.add(1, {
        [ClusterLabel.WORKER]: failure.worker,
        [ClusterLabel.REASON]: failure.reason,
      });
      this.recordFailure(COLLECT_WORKER_OPERATION, failure.error);
    }
    this.metrics.answered.set(result.answered.length);
    this.metrics.failed.set(result.failures.length);
  }

  private forget(target: WorkerTarget, why: 'exited' | 'removed'): boolean {
    const link = this.added.get(target);
    if (link === undefined) return false;
    link.dispose();
    this.added.delete(target);
    safeLog(this.logger, 'debug', `aggregator "${this.name}": worker "${link.name}" ${why}; no longer asked`);
    return true;
  }
}
