import cluster, { type Worker } from 'node:cluster';
import { getApplicationCollector } from '@fw0/metrics-app';
import { getWorkerAggregator, type WorkerAggregator } from '@fw0/metrics-cluster';
import {
  type Collector,
  createMetricsHandler,
  debugLogger,
  isFw0Error,
  MetricsRegistry,
} from '@fw0/metrics-core';
import { getCustomCollector } from '@fw0/metrics-custom';
import { getNetworkCollector } from '@fw0/metrics-network';
import { getSystemCollector } from '@fw0/metrics-system';
import type { DemoConfig } from './config.js';
import { FrameStream } from './frame-stream.js';
import type { DashboardFrame } from './frame-types.js';
import { buildFrame } from './frames.js';
import { startPlugins } from './plugins.js';
import { startTargetServer, type TargetServer } from './target-server.js';
import { UsageError } from './usage-error.js';
import { startWebServer, type WebServer } from './web-server.js';
import { Workload } from './workload.js';

/** Environment variables a cluster worker of the demo reads. */
export const WORKER_ENV = {
  ROLE: 'FW0_DEMO_ROLE',
  ORIGIN: 'FW0_DEMO_TARGET',
  RATE: 'FW0_DEMO_RATE',
} as const;

/**
 * The running demo (the primary process): every collector in one registry, the target server,
 * the workload (here or in cluster workers), the probes, the web server and one frame a second.
 */
export class Demo {
  readonly frames = new FrameStream<DashboardFrame>(300);
  private frameTimer: NodeJS.Timeout | undefined;
  private framing: Promise<void> | undefined;

  private constructor(
    readonly registry: MetricsRegistry,
    readonly web: WebServer,
    private readonly collectors: Collector[],
    private readonly target: TargetServer,
    private readonly workload: Workload | undefined,
    private readonly workers: Worker[],
    private readonly aggregators: readonly (WorkerAggregator | undefined)[],
    private readonly stopProbes: () => Promise<void>,
    private readonly stopExtraSeries: () => void,
  ) {}

  /** Starts everything `config` asks for; resolves once the dashboard and /metrics are served. */
  static async start(config: DemoConfig): Promise<Demo> {
    const logger = debugLogger();
    const registry = new MetricsRegistry({ logger });
    const collectors: Collector[] = [];
    if (config.system.enabled) {
      // Loopback kept (excluded by default): the demo's own traffic is all on it.
      const system = getSystemCollector(config.system.intervalSeconds, {
        registry,
        networkDeviceExclude: null,
      });
      system.startContinuousCollection();
      collectors.push(system);
    }
    const app = getApplicationCollector({
      registry,
      ...(config.runtime.intervalMs === undefined
        ? {}
        : { runtime: { intervalMs: config.runtime.intervalMs } }),
    });
    if (config.runtime.enabled) app.start();
    collectors.push(app);
    const custom = getCustomCollector({ registry });
    const network = getNetworkCollector({ registry });
    collectors.push(custom, network, ...(await startPlugins(registry, logger)));
    const stopExtraSeries = startExtraSeries(registry, config.extraSeries);

    const target = await startTargetServer();
    let workload: Workload | undefined;
    const workers: Worker[] = [];
    let aggregator: WorkerAggregator | undefined;
    let perWorker: WorkerAggregator | undefined;
    if (config.workload.enabled && config.workers === 0) {
      workload = await Workload.create({ app, custom, network }, target.origin);
      workload.start(config.workload.requestsPerSecond);
    }
    if (config.workers > 0) {
      // The primary keeps the host, runtime and probes; each worker runs a share of the workload.
      aggregator = getWorkerAggregator({ local: registry, timeoutMs: 2000, logger });
      // The same workers unmerged (a `worker` label on every series), served at /metrics/workers.
      perWorker = getWorkerAggregator({ name: 'workers', workerLabel: 'worker', timeoutMs: 2000, logger });
      for (let i = 0; i < config.workers; i++) {
        workers.push(
          cluster.fork({
            [WORKER_ENV.ROLE]: 'worker',
            [WORKER_ENV.ORIGIN]: target.origin,
            [WORKER_ENV.RATE]: String(
              config.workload.enabled ? config.workload.requestsPerSecond / config.workers : 0,
            ),
          }),
        );
      }
    }

    await network.startProbes([
      { kind: 'http', url: `${target.origin}/health`, intervalMs: 1000, timeoutMs: 500 },
      { kind: 'tcp', host: '127.0.0.1', port: target.port, intervalMs: 1000, timeoutMs: 500 },
    ]);

    const source = aggregator?.registry ?? registry;
    const web = await startWebServer(source, undefined, {
      host: config.host,
      port: config.port,
      metricsHandler: createMetricsHandler(source),
      ...(perWorker === undefined ? {} : { workerMetricsHandler: createMetricsHandler(perWorker.registry) }),
    });
    const demo = new Demo(
      registry,
      web,
      collectors,
      target,
      workload,
      workers,
      [aggregator, perWorker],
      () => network.stopProbes(),
      stopExtraSeries,
    );
    web.attachFrames(demo.frames);
    try {
      await network.startProbes(config.probes);
    } catch (error) {
      await demo.stop();
      // Validation checked each probe; what only the set can show (two probes with one target
      // label) is refused here, before anything is shown, as a usage error.
      if (isFw0Error(error)) throw new UsageError(`probes: ${error.message}`);
      throw error;
    }
    demo.startFrames();
    return demo;
  }

  /** The newest frame, if one was built. */
  latestFrame(): DashboardFrame | undefined {
    return this.frames.latest();
  }

  /** Stops the workload, probes, workers, collectors and servers; resolves when all are done. */
  async stop(): Promise<void> {
    clearInterval(this.frameTimer);
    this.stopExtraSeries();
    await this.framing;
    await this.workload?.stop();
    await this.stopProbes();
    for (const worker of this.workers) worker.kill();
    for (const aggregator of this.aggregators) await aggregator?.stop();
    for (const collector of this.collectors) await collector.stop?.();
    await this.web.close();
    await this.target.close();
  }

  private startFrames(): void {
    const tick = () => {
      if (this.framing !== undefined) return;
      const source = this.aggregators[0]?.registry ?? this.registry;
      this.framing = source
        .collect()
        .then((snapshot) => this.frames.publish(buildFrame(snapshot, this.frames.latest())))
        .catch(() => {})
        .finally(() => {
          this.framing = undefined;
        });
    };
    tick();
    this.frameTimer = setInterval(tick, 1000);
  }
}

/** Name of the filler gauge of `--extra-series`. */
export const EXTRA_SERIES_METRIC = 'demo_extra_series';

/**
 * `count` filler series for load tests, `demo_extra_series{shard="0".."count-1"}`, in the
 * registry /metrics serves; every value changes once a second (bound handles: about a
 * nanosecond each). Returns the function that stops the updates.
 */
function startExtraSeries(registry: MetricsRegistry, count: number): () => void {
  if (count === 0) return () => {};
  const gauge = registry.gauge({
    name: EXTRA_SERIES_METRIC,
    help: 'Filler series of the demo (--extra-series), one per shard, each changing every second.',
    // One series per shard, however many: no overflow series.
    maxSeries: count,
  });
  const shards = Array.from({ length: count }, (_, shard) => gauge.bind({ shard: String(shard) }));
  let tick = 0;
  const update = () => {
    tick++;
    for (let shard = 0; shard < shards.length; shard++) shards[shard]!.set((shard + tick) % 1000);
  };
  update();
  const timer = setInterval(update, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** A cluster worker of the demo: runs its share of the workload and answers the primary. */
export async function runWorker(): Promise<void> {
  const { exposeWorkerMetrics } = await import('@fw0/metrics-cluster');
  const registry = new MetricsRegistry();
  const app = getApplicationCollector({ registry });
  app.start();
  const custom = getCustomCollector({ registry });
  const network = getNetworkCollector({ registry });
  const responder = exposeWorkerMetrics(registry);
  const origin = process.env[WORKER_ENV.ORIGIN];
  const rate = Number(process.env[WORKER_ENV.RATE] ?? '0');
  const workload = origin === undefined ? undefined : await Workload.create({ app, custom, network }, origin);
  if (rate > 0) workload?.start(rate);
  const stop = async () => {
    await workload?.stop();
    await app.stop();
    responder.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('disconnect', () => void stop());
}
