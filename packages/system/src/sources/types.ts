import type { FilesystemFilter } from '../filters.js';
import type { DiskStats } from '../parsers/diskstats.js';
import type { LoadAverage } from '../parsers/loadavg.js';
import type { Meminfo } from '../parsers/meminfo.js';
import type { CoreTicks, CpuTicks } from '../parsers/proc-stat.js';
import type { SwapDevice } from '../parsers/swaps.js';
import type { SwapActivity } from '../parsers/vmstat.js';

/** Cumulative CPU time since boot, in ticks of `ticksPerSecond`. */
export interface CpuReading {
  /** Ticks per second of every figure (USER_HZ, 100, for /proc/stat; 1,000 for `os.cpus()`). */
  readonly ticksPerSecond: number;
  /** All CPUs together. */
  readonly total: CpuTicks;
  /** Each online CPU. */
  readonly cores: readonly CoreTicks[];
}

/** Where CPU figures come from. */
export interface CpuSource {
  /** Cumulative time per CPU and mode. */
  readTimes(): Promise<CpuReading>;
  /** Load averages. */
  readLoad(): Promise<LoadAverage>;
}

/** Swap traffic in pages, with the page size to turn pages into bytes. */
export interface SwapActivityReading extends SwapActivity {
  /** Bytes per page. */
  readonly pageSizeBytes: number;
}

/** Where memory figures come from. */
export interface MemorySource {
  /** /proc/meminfo fields (values in bytes for sizes), or the same names from another source. */
  readMemory(): Promise<Meminfo>;
  /** Swap traffic since boot; absent where the platform does not tell. */
  readSwapActivity?(): Promise<SwapActivityReading>;
  /** Swap areas; absent where the platform does not tell. */
  readSwapDevices?(): Promise<SwapDevice[]>;
}

/**
 * Cumulative I/O statistics of one block device. The /proc/diskstats reading has every field;
 * other sources leave out what they do not know (and those metrics are then not exposed).
 */
export type DiskIoReading = Pick<DiskStats, 'device'> & Partial<Omit<DiskStats, 'device'>>;

/** Space on one mounted filesystem. */
export interface FilesystemReading {
  readonly device: string;
  readonly fstype: string;
  readonly mountpoint: string;
  readonly readonly?: boolean;
  /** Total size in bytes. */
  readonly sizeBytes?: number;
  /** Free bytes, including the part reserved for root. */
  readonly freeBytes?: number;
  /** Bytes available to unprivileged users. */
  readonly availBytes?: number;
  /** Inodes in total. */
  readonly files?: number;
  /** Free inodes. */
  readonly filesFree?: number;
  /** Why statfs failed for this mount (the figures are then absent). */
  readonly error?: unknown;
}

/** Where disk figures come from. */
export interface DiskSource {
  /**
   * Cumulative I/O per block device: every device, or (when the source can skip them cheaply)
   * only those `accept` takes. The collector filters what it gets again.
   */
  readDiskStats(accept?: (device: string) => boolean): Promise<DiskIoReading[]>;
  /** Space on each mounted filesystem that `filter` accepts. Never rejects for one mount alone. */
  readFilesystems(filter: FilesystemFilter): Promise<FilesystemReading[]>;
}

/** Cumulative counters of one network interface. */
export interface InterfaceReading {
  readonly device: string;
  /** The 16 /proc/net/dev columns (see NETWORK_COUNTERS); `undefined` where the source does not know. */
  readonly counters: readonly (number | undefined)[];
  /** True for a virtual interface (loopback, bridge, veth, tunnel); undefined when unknown. */
  readonly virtual?: boolean;
}

/** Where network figures come from. */
export interface NetworkSource {
  /**
   * Counters of every interface, or (when the source can skip them cheaply) only those `accept`
   * takes, told whether each is virtual. The collector filters what it gets again.
   */
  readInterfaces(accept?: (device: string, virtual: boolean) => boolean): Promise<InterfaceReading[]>;
}

/** Which implementation reads the host. */
export type SourceKind = 'procfs' | 'systeminformation';

/** One implementation of every area. */
export interface SystemSources {
  readonly kind: SourceKind;
  readonly cpu: CpuSource;
  readonly memory: MemorySource;
  readonly disk: DiskSource;
  readonly network: NetworkSource;
  /** Releases what the sources hold (open /proc descriptors). Reading again reopens them. */
  close(): Promise<void>;
}
