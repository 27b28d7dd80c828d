import {
  BaseCollector,
  ClosedError,
  type Gauge,
  MetricsRegistry,
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
import type { SwapDevice } from './parsers/swaps.js';
import { createSources } from './sources/create-sources.js';
import type {
  CpuReading,
  DiskIoReading,
  InterfaceReading,
  SourceKind,
  SwapActivityReading,
  SystemSources,
} from './sources/types.js';
import { RateRead } from './tracking/guarded-reads.js';
import { HOST_AGGREGATION, type SampleList } from './tracking/recorder.js';
import { RegistryRollback } from './tracking/registry-rollback.js';
import { Serial } from './tracking/serial.js';

/** What an empty /proc/swaps lists (shared: updating with it changes nothing). */
const NO_SWAP_DEVICES: readonly SwapDevice[] = [];

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
  private readonly cpuTimes: RateRead<CpuReading>;
  private readonly swapActivity: RateRead<SwapActivityReading> | undefined;
  private readonly diskStats: RateRead<DiskIoReading[]>;
  private readonly networkStats: RateRead<InterfaceReading[]>;
  /** SwapTotal of the last meminfo reading (undefined: it failed, or none yet). */
  private lastSwapTotal: number | undefined;
  private task: PeriodicTask | undefined;
  private hostInfo: Promise<HostInfo | undefined> | undefined;
  private closed = false;

  /** Throws ConfigError for a bad option and MetricConflictError when the registry already holds one of its names otherwise. */
  constructor(options: SystemCollectorOptions = {}) {
    const resolved = resolveOptions(options);
    const rollback =
      resolved.base.registry instanceof MetricsRegistry
        ? RegistryRollback.note(resolved.base.registry, resolved.name)
        : undefined;
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
      // Nothing half-built stays behind: not the collector, its metrics or its self-metric series.
      this.registry.unregister(this);
      rollback?.undo();
      throw error;
    }
    this.options = resolved;
    this.collectionInterval = resolved.collectionInterval;
    this.sources = createSources(resolved);
    this.sourceKind = this.sources.kind;
    const fail = (operation: string, error: unknown) => this.recordFailure(operation, error);
    const window = resolved.minRateWindowMs;
    const { cpu, memory, disk, network } = this.sources;
    // The baseline of a rate read gives no samples; later readings add theirs to the list.
    this.cpuTimes = new RateRead(
      Operation.CPU_TIMES,
      window,
      () => cpu.readTimes(),
      (reading, _at, samples) => this.cpu.updateTimes(reading, Date.now(), samples),
      fail,
    );
    this.swapActivity =
      memory.readSwapActivity === undefined
        ? undefined
        : new RateRead(
            Operation.SWAP_ACTIVITY,
            window,
            () => memory.readSwapActivity!(),
            (reading, at, samples) => this.memory.updateSwapActivity(reading, at, Date.now(), samples),
            fail,
          );
    const diskDevices = resolved.diskDevices.accept;
    this.diskStats = new RateRead(
      Operation.DISK_STATS,
      window,
      () => disk.readDiskStats(diskDevices),
      (reading, at, samples) => this.disk.update(reading, at, Date.now(), samples),
      fail,
    );
    const acceptInterface = this.network.accept;
    this.networkStats = new RateRead(
      Operation.NETWORK,
      window,
      () => network.readInterfaces(acceptInterface),
      (reading, at, samples) => this.network.update(reading, at, Date.now(), samples),
      fail,
    );
  }

  /** CPU utilisation overall, per core and per mode (percent), and load averages; updates node_cpu_seconds_total. */
  collectCpuMetrics(): Promise<PerformanceMetric[]> {
    return this.collect(this.queues.cpu, this.cpuWork);
  }

  /** Memory and swap sizes (bytes), use (bytes, percent) and swap traffic (bytes per second). */
  collectMemoryMetrics(): Promise<PerformanceMetric[]> {
    return this.collect(this.queues.memory, this.memoryWork);
  }

  /** Filesystem space (bytes, percent used) and block device I/O rates (bytes and operations per second, percent busy). */
  collectDiskMetrics(): Promise<PerformanceMetric[]> {
    return this.collect(this.queues.disk, this.diskWork);
  }

  /** Network interface rates: bytes, packets, errors and drops per second, received and sent. */
  collectNetworkMetrics(): Promise<PerformanceMetric[]> {
    return this.collect(this.queues.network, this.networkWork);
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
      run: this.backgroundRun,
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

  /** A collect method: the area's work, queued behind any in flight, resolving to its samples. */
  private collect(queue: Serial, work: (samples: SampleList) => Promise<void>): Promise<PerformanceMetric[]> {
    if (this.closed) return Promise.reject(this.closedError('collect'));
    const samples: PerformanceMetric[] = [];
    return queue.run(() => work(samples)).then(() => samples);
  }

  /**
   * One run of continuous collection: the same work as collectAllSystemMetrics, but its samples
   * only go to the buffer (no arrays built, spread and flattened to be thrown away each second).
   */
  private readonly backgroundRun = (): Promise<unknown> =>
    Promise.all([
      this.queues.cpu.run(this.cpuWork),
      this.queues.memory.run(this.memoryWork),
      this.queues.disk.run(this.diskWork),
      this.queues.network.run(this.networkWork),
    ]);

  private readonly cpuWork = async (samples?: SampleList): Promise<void> => {
    await this.cpuTimes.run(samples);
    try {
      this.cpu.updateLoad(await this.sources.cpu.readLoad(), Date.now(), samples);
    } catch (error) {
      this.recordFailure(Operation.LOAD, error);
    }
  };

  private readonly memoryWork = async (samples?: SampleList): Promise<void> => {
    const source = this.sources.memory;
    let swapTotal: number | undefined;
    try {
      const meminfo = await source.readMemory();
      swapTotal = meminfo.get('SwapTotal') ?? 0;
      this.memory.updateMemory(meminfo, Date.now(), samples);
    } catch (error) {
      this.recordFailure(Operation.MEMORY, error);
    }
    const previousSwapTotal = this.lastSwapTotal;
    this.lastSwapTotal = swapTotal;
    if (this.swapActivity !== undefined) {
      // Without a swap area at either end of the interval nothing was swapped: /proc/vmstat
      // (a 5 KiB file, a thread-pool round trip) is read only while there is swap, and until a
      // first reading succeeded.
      const noSwap = swapTotal === 0 && previousSwapTotal === 0 && this.swapActivity.hasReading;
      if (noSwap) this.memory.updateNoSwapTraffic(Date.now(), samples);
      else await this.swapActivity.run(samples);
    }
    // No swap, no swap areas: /proc/swaps is read only when meminfo says there is swap (and
    // left alone when meminfo could not be read).
    if (source.readSwapDevices !== undefined && swapTotal !== undefined) {
      try {
        this.memory.updateSwapDevices(swapTotal > 0 ? await source.readSwapDevices() : NO_SWAP_DEVICES);
      } catch (error) {
        this.recordFailure(Operation.SWAP_DEVICES, error);
      }
    }
  };

  private readonly diskWork = async (samples?: SampleList): Promise<void> => {
    // Filesystems first in the samples, then block devices, whichever read answers first.
    const io: SampleList = samples === undefined ? undefined : [];
    const filesystems = this.readFilesystems(samples);
    await this.diskStats.run(io);
    await filesystems;
    if (io !== undefined) samples?.push(...io);
  };

  private async readFilesystems(samples: SampleList): Promise<void> {
    try {
      const readings = await this.sources.disk.readFilesystems(this.options.filesystems);
      for (let r = 0; r < readings.length; r++) {
        const error = readings[r]!.error;
        if (error !== undefined) this.recordFailure(Operation.STATFS, error);
      }
      this.filesystem.update(readings, Date.now(), samples);
    } catch (error) {
      this.recordFailure(Operation.FILESYSTEMS, error);
    }
  }

  private readonly networkWork = (samples?: SampleList): Promise<void> => this.networkStats.run(samples);

  private closedError(operation: string): ClosedError {
    return new ClosedError(`collector "${this.name}" is closed: ${operation}() is no longer possible`, {
      subject: this.name,
    });
  }
}
