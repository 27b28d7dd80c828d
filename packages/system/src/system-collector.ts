import {
  BaseCollector,
  ClosedError,
  type Gauge,
  type PerformanceMetric,
  PeriodicTask,
} from '@fw0/metrics-core';
import { CpuArea } from './areas/cpu-area.js';
import { DiskArea } from './areas/disk-area.js';
import { FilesystemArea } from './areas/filesystem-area.js';
import { MemoryArea } from './areas/memory-area.js';
import { NetworkArea } from './areas/network-area.js';
import { type HostInfo, hostInfoLabels, readHostInfo } from './inventory.js';
import { HOST_INFO, Operation } from './names.js';
import { type ResolvedOptions, resolveOptions, type SystemCollectorOptions } from './options.js';
import { createSources } from './sources/create-sources.js';
import type { SourceKind, SystemSources } from './sources/types.js';
import { GuardedReads } from './tracking/guarded-reads.js';
import { HOST_AGGREGATION } from './tracking/recorder.js';
import { Serial } from './tracking/serial.js';

/**
 * The seed's SystemMetricsCollector: host CPU, memory, disk and network. Each `collect*` method
 * reads its sources, updates the registry's instruments (node_exporter names) and resolves to
 * the samples it measured, which also go to the buffer that `getCollectedMetrics()` drains.
 *
 * On Linux it reads /proc and statfs directly, asynchronously, through descriptors it keeps
 * open (call {@link close} to release them); elsewhere systeminformation stands in. Every read
 * fails alone: its error is counted in `fw0_collector_errors_total{collector,operation}`, the
 * other reads still report, and no collect method rejects because of a measurement.
 */
export class SystemMetricsCollector extends BaseCollector {
  /** SECONDS between two runs of continuous collection. */
  readonly collectionInterval: number;
  /** Which implementation reads the host. */
  readonly sourceKind: SourceKind;
  private readonly options: ResolvedOptions;
  private readonly sources: SystemSources;
  private readonly cpu: CpuArea;
  private readonly memory: MemoryArea;
  private readonly disk: DiskArea;
  private readonly filesystem: FilesystemArea;
  private readonly network: NetworkArea;
  private readonly hostInfoGauge: Gauge;
  private readonly queues = {
    cpu: new Serial(),
    memory: new Serial(),
    disk: new Serial(),
    network: new Serial(),
  };
  private readonly reads: GuardedReads;
  private task: PeriodicTask | undefined;
  private hostInfo: Promise<HostInfo | undefined> | undefined;
  private closed = false;

  /** Throws ConfigError for a bad option and MetricConflictError when the registry already holds one of its names otherwise. */
  constructor(options: SystemCollectorOptions = {}) {
    const resolved = resolveOptions(options);
    super(resolved.name, resolved.base);
    try {
      const record = this.recordSample.bind(this);
      this.cpu = new CpuArea(this.registry, record);
      this.memory = new MemoryArea(this.registry, record);
      this.disk = new DiskArea(this.registry, record, resolved.diskDevices);
      this.filesystem = new FilesystemArea(this.registry, record);
      this.network = new NetworkArea(this.registry, record, resolved.interfaces);
      this.hostInfoGauge = this.registry.gauge({
        name: HOST_INFO,
        help: 'Host inventory read once at start; the value is always 1.',
        aggregation: HOST_AGGREGATION,
      });
    } catch (error) {
      this.registry.unregister(this);
      throw error;
    }
    this.options = resolved;
    this.reads = new GuardedReads(resolved.minRateWindowMs, (operation, error) =>
      this.recordFailure(operation, error),
    );
    this.collectionInterval = resolved.collectionInterval;
    this.sources = createSources(resolved);
    this.sourceKind = this.sources.kind;
  }

  /** CPU utilisation overall, per core and per mode (percent), and load averages; updates node_cpu_seconds_total. */
  collectCpuMetrics(): Promise<PerformanceMetric[]> {
    return this.queued(this.queues.cpu, async () => {
      const load = this.reads.attempt(Operation.LOAD, async () =>
        this.cpu.updateLoad(await this.sources.cpu.readLoad(), Date.now()),
      );
      const times = this.reads.withRate(
        Operation.CPU_TIMES,
        'cpu',
        () => this.sources.cpu.readTimes(),
        (reading) => this.cpu.updateTimes(reading, Date.now()),
      );
      return [...(await times), ...(await load)];
    });
  }

  /** Memory and swap sizes (bytes), use (bytes, percent) and swap traffic (bytes per second). */
  collectMemoryMetrics(): Promise<PerformanceMetric[]> {
    return this.queued(this.queues.memory, async () => {
      const source = this.sources.memory;
      const swapActivity = source.readSwapActivity?.bind(source);
      const swap = swapActivity
        ? this.reads.withRate(Operation.SWAP_ACTIVITY, 'swap', swapActivity, (reading, at) =>
            this.memory.updateSwapActivity(reading, at, Date.now()),
          )
        : [];
      let swapTotal: number | undefined;
      const memory = await this.reads.attempt(Operation.MEMORY, async () => {
        const meminfo = await source.readMemory();
        swapTotal = meminfo.get('SwapTotal') ?? 0;
        return this.memory.updateMemory(meminfo, Date.now());
      });
      // No swap, no swap areas: /proc/swaps is read only when meminfo says there is swap (and
      // left alone when meminfo could not be read).
      const readSwapDevices = source.readSwapDevices?.bind(source);
      const knownSwapTotal = swapTotal;
      if (readSwapDevices && knownSwapTotal !== undefined) {
        await this.reads.attempt(Operation.SWAP_DEVICES, async () => {
          this.memory.updateSwapDevices(knownSwapTotal > 0 ? await readSwapDevices() : []);
          return [];
        });
      }
      return [...memory, ...(await swap)];
    });
  }

  /** Filesystem space (bytes, percent used) and block device I/O rates (bytes and operations per second, percent busy). */
  collectDiskMetrics(): Promise<PerformanceMetric[]> {
    return this.queued(this.queues.disk, async () => {
      const filesystems = this.reads.attempt(Operation.FILESYSTEMS, async () => {
        const readings = await this.sources.disk.readFilesystems(this.options.filesystems);
        for (const reading of readings)
          if (reading.error !== undefined) this.recordFailure(Operation.STATFS, reading.error);
        return this.filesystem.update(readings, Date.now());
      });
      const io = this.reads.withRate(
        Operation.DISK_STATS,
        'disk',
        () => this.sources.disk.readDiskStats(),
        (reading, at) => this.disk.update(reading, at, Date.now()),
      );
      return [...(await filesystems), ...(await io)];
    });
  }

  /** Network interface rates: bytes, packets, errors and drops per second, received and sent. */
  collectNetworkMetrics(): Promise<PerformanceMetric[]> {
    return this.queued(this.queues.network, () =>
      this.reads.withRate(
        Operation.NETWORK,
        'network',
        () => this.sources.network.readInterfaces(),
        (reading, at) => this.network.update(reading, at, Date.now()),
      ),
    );
  }

  /** CPU, memory, disk and network together (the four read in parallel). */
  async collectAllSystemMetrics(): Promise<PerformanceMetric[]> {
    const parts = await Promise.all([
      this.collectCpuMetrics(),
      this.collectMemoryMetrics(),
      this.collectDiskMetrics(),
      this.collectNetworkMetrics(),
    ]);
    return parts.flat();
  }

  /**
   * Collects everything every `collectionInterval` seconds in the background (first run now;
   * timer unref'd; runs never overlap) and reads the host inventory once. Samples go to the
   * buffer; nothing is thrown. Calling it again while running does nothing.
   */
  startContinuousCollection(): void {
    if (this.closed) throw this.closedError('startContinuousCollection');
    this.task ??= new PeriodicTask({
      name: this.name,
      intervalMs: this.options.intervalMs,
      // Room for the first run's baseline window and a slow statfs before the run counts as timed out.
      timeoutMs: Math.max(
        this.options.intervalMs,
        this.options.minRateWindowMs + this.options.statfsTimeoutMs + 1000,
      ),
      run: () => this.collectAllSystemMetrics(),
      registry: this.registry,
      logger: this.logger,
    });
    this.task.start();
    if (this.options.inventory) void this.getHostInfo();
  }

  /** Stops continuous collection; resolves once the run in flight has finished. */
  async stopContinuousCollection(): Promise<void> {
    await this.task?.stop();
  }

  /** True while continuous collection runs. */
  get isCollecting(): boolean {
    return this.task?.running ?? false;
  }

  /**
   * The host inventory (systeminformation, read once and kept; sets `system_host_info`).
   * Resolves to undefined when it could not be read (counted as `read_inventory`); the next call tries again.
   */
  getHostInfo(): Promise<HostInfo | undefined> {
    this.hostInfo ??= readHostInfo().then(
      (info) => {
        this.hostInfoGauge.set(1, hostInfoLabels(info));
        return info;
      },
      (error: unknown) => {
        this.recordFailure(Operation.INVENTORY, error);
        this.hostInfo = undefined;
        return undefined;
      },
    );
    return this.hostInfo;
  }

  /** Collector contract: `registry.collect()` collects first when continuous collection is off. */
  async refresh(): Promise<void> {
    if (this.closed || !this.options.refreshOnCollect || this.isCollecting) return;
    await this.collectAllSystemMetrics();
  }

  /** Collector contract: same as {@link startContinuousCollection}. */
  start(): void {
    this.startContinuousCollection();
  }

  /** Collector contract: same as {@link stopContinuousCollection}. */
  stop(): Promise<void> {
    return this.stopContinuousCollection();
  }

  /**
   * Stops collection, waits for reads in flight, releases the /proc descriptors and leaves the
   * registry. Later collect calls reject with ClosedError. The instruments keep their last values.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stopContinuousCollection();
    await Promise.all(Object.values(this.queues).map((queue) => queue.idle()));
    await this.sources.close();
    this.registry.unregister(this);
  }

  private queued(queue: Serial, work: () => Promise<PerformanceMetric[]>): Promise<PerformanceMetric[]> {
    if (this.closed) return Promise.reject(this.closedError('collect'));
    return queue.run(work);
  }

  private closedError(operation: string): ClosedError {
    return new ClosedError(`collector "${this.name}" is closed: ${operation}() is no longer possible`, {
      subject: this.name,
    });
  }
}
