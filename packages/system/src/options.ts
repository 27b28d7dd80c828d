import {
  assertIntegerOption,
  assertNumberOption,
  type CollectorOptions,
  ConfigError,
  describeValue,
  MetricsRegistry,
} from '@fw0/metrics-core';
import type { InterfaceFilter } from './areas/network-area.js';
import {
  DEFAULT_DISK_DEVICE_EXCLUDE,
  DEFAULT_FS_TYPE_EXCLUDE,
  DEFAULT_MOUNT_POINT_EXCLUDE,
  DEFAULT_NETWORK_DEVICE_EXCLUDE,
  type FilesystemFilter,
  NameFilter,
  patternOption,
} from './filters.js';
import { timerFreeClock } from './tracking/timer-free-clock.js';

/** Which implementation reads the host: `auto` picks `procfs` on Linux, `systeminformation` elsewhere. */
export type SystemSourceOption = 'auto' | 'procfs' | 'systeminformation';

/**
 * Options of a {@link SystemMetricsCollector}. Every pattern option takes a RegExp, or `null` to
 * turn its default off; include patterns keep only what matches, exclude patterns drop what
 * matches. Any other option left `undefined` or set to `null` takes its default.
 */
export interface SystemCollectorOptions extends CollectorOptions {
  /** SECONDS between two runs of continuous collection (default 1; 0.05 to 86,400), as in the seed. */
  readonly collectionInterval?: number;
  /** Collector name: the `collector` label of its self-metrics (default `system`). */
  readonly name?: string;
  /** Where readings come from (default `auto`). */
  readonly source?: SystemSourceOption;
  /** procfs mount point read by the `procfs` source (default `/proc`). */
  readonly procPath?: string;
  /** sysfs mount point, to tell virtual interfaces (default `/sys`). */
  readonly sysPath?: string;
  /**
   * Shortest window, in MILLISECONDS, that utilisation and rates are computed over (default 200,
   * or the collection interval when shorter). The first call of each collect method reads a
   * baseline and waits this long, so it never returns a meaningless 0% or a since-boot average;
   * a call sooner than this after the previous reading waits for the rest of the window.
   */
  readonly minRateWindowMs?: number;
  /** MILLISECONDS one statfs may take before its mount counts as failed (default 1,000). */
  readonly statfsTimeoutMs?: number;
  /** Block devices to keep (default: all). */
  readonly diskDeviceInclude?: RegExp | null;
  /** Block devices to drop (default: node_exporter's partitions, loop, ram and floppy devices). */
  readonly diskDeviceExclude?: RegExp | null;
  /** Mount points to keep (default: all). */
  readonly mountPointInclude?: RegExp | null;
  /** Mount points to drop (default: node_exporter's /dev, /proc, /run, /sys, /mnt, /media...). */
  readonly mountPointExclude?: RegExp | null;
  /** Filesystem types to keep (default: all). */
  readonly fsTypeInclude?: RegExp | null;
  /** Filesystem types to drop (default: node_exporter's pseudo filesystems: proc, sysfs, overlay...). */
  readonly fsTypeExclude?: RegExp | null;
  /** Network interfaces to keep (default: all). */
  readonly networkDeviceInclude?: RegExp | null;
  /** Network interfaces to drop (default `/^lo$/`, the loopback). */
  readonly networkDeviceExclude?: RegExp | null;
  /** Drop interfaces the kernel lists as virtual: bridges, veth, tunnels, loopback (default false). */
  readonly excludeVirtualInterfaces?: boolean;
  /** Read the host inventory (CPU model, cores, OS) once with systeminformation on start (default true). */
  readonly inventory?: boolean;
  /** Let `registry.collect()` run a collection when continuous collection is off (default true). */
  readonly refreshOnCollect?: boolean;
}

/** Options after validation and defaults. */
export interface ResolvedOptions {
  readonly name: string;
  readonly collectionInterval: number;
  readonly intervalMs: number;
  readonly source: SystemSourceOption;
  readonly procPath: string;
  readonly sysPath: string;
  readonly minRateWindowMs: number;
  readonly statfsTimeoutMs: number;
  readonly diskDevices: NameFilter;
  readonly filesystems: FilesystemFilter;
  readonly interfaces: InterfaceFilter;
  readonly inventory: boolean;
  readonly refreshOnCollect: boolean;
  readonly base: CollectorOptions;
}

function stringOption(option: string, value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  // Valid Unicode: the name is a label value, and a path with a lone surrogate names no file.
  if (typeof value !== 'string' || value === '' || !value.isWellFormed()) {
    throw new ConfigError(
      `Invalid option ${option}=${describeValue(value)}: expected a non-empty string of valid Unicode`,
      { subject: option, value },
    );
  }
  return value;
}

function booleanOption(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    throw new ConfigError(`Invalid option ${option}=${describeValue(value)}: expected true or false`, {
      subject: option,
      value,
    });
  }
  return value;
}

/** Validates every option (ConfigError naming the first bad one) and fills in the defaults. */
export function resolveOptions(options: SystemCollectorOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(`Invalid options ${describeValue(options)}: expected an object`, {
      value: options,
    });
  }
  const collectionInterval = options.collectionInterval ?? 1;
  assertNumberOption('collectionInterval (seconds)', collectionInterval, 0.05, 86_400);
  const intervalMs = Math.round(collectionInterval * 1000);
  const minRateWindowMs = options.minRateWindowMs ?? Math.min(200, intervalMs);
  assertIntegerOption('minRateWindowMs', minRateWindowMs, 1, 60_000);
  const statfsTimeoutMs = options.statfsTimeoutMs ?? 1000;
  assertIntegerOption('statfsTimeoutMs', statfsTimeoutMs, 1, 60_000);
  const source = options.source ?? 'auto';
  if (source !== 'auto' && source !== 'procfs' && source !== 'systeminformation') {
    throw new ConfigError(
      `Invalid option source=${describeValue(source)}: expected "auto", "procfs" or "systeminformation"`,
      { subject: 'source', value: source },
    );
  }
  const pattern = (option: keyof SystemCollectorOptions, fallback?: RegExp) =>
    patternOption(option, options[option] as RegExp | null | undefined, fallback);
  const base: CollectorOptions = {
    registry:
      options.registry ??
      new MetricsRegistry({
        clock: timerFreeClock,
        ...(options.logger == null ? {} : { logger: options.logger }),
      }),
    ...(options.bufferSize == null ? {} : { bufferSize: options.bufferSize }),
    ...(options.logger == null ? {} : { logger: options.logger }),
    // A collection records a bounded set of samples per interval: keep them all unless told otherwise.
    maxSamplesPerSecond: options.maxSamplesPerSecond ?? false,
  };
  return {
    name: stringOption('name', options.name, 'system'),
    collectionInterval,
    intervalMs,
    source,
    procPath: stringOption('procPath', options.procPath, '/proc'),
    sysPath: stringOption('sysPath', options.sysPath, '/sys'),
    minRateWindowMs,
    statfsTimeoutMs,
    diskDevices: new NameFilter(
      pattern('diskDeviceInclude'),
      pattern('diskDeviceExclude', DEFAULT_DISK_DEVICE_EXCLUDE),
    ),
    filesystems: {
      mountPoints: new NameFilter(
        pattern('mountPointInclude'),
        pattern('mountPointExclude', DEFAULT_MOUNT_POINT_EXCLUDE),
      ),
      fsTypes: new NameFilter(pattern('fsTypeInclude'), pattern('fsTypeExclude', DEFAULT_FS_TYPE_EXCLUDE)),
    },
    interfaces: {
      names: new NameFilter(
        pattern('networkDeviceInclude'),
        pattern('networkDeviceExclude', DEFAULT_NETWORK_DEVICE_EXCLUDE),
      ),
      excludeVirtual: booleanOption('excludeVirtualInterfaces', options.excludeVirtualInterfaces, false),
    },
    inventory: booleanOption('inventory', options.inventory, true),
    refreshOnCollect: booleanOption('refreshOnCollect', options.refreshOnCollect, true),
    base,
  };
}
