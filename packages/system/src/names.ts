/**
 * Every metric and label name of @fw0/metrics-system, in one place.
 *
 * Names starting with `node_` are node_exporter's (version 1.5, checked against
 * `prometheus-node-exporter` on Debian): same name, same labels, same unit, so its dashboards
 * work unchanged. Names starting with `system_` are ours: utilisation and rates computed from
 * deltas between two readings, which node_exporter leaves to PromQL.
 *
 * Sample names (what `collect*Metrics()` return and `getCollectedMetrics()` drains) are the
 * metric name without its unit suffix when the sample's unit is not the base unit (a sample
 * `system_cpu_utilization` in percent is the gauge `system_cpu_utilization_ratio`).
 */

import { ConfigError, describeValue } from '@fw0/metrics-core';

/** Label names. */
export const Label = {
  /** CPU number as the kernel names it (`0`, `1`...; `cpu0` in /proc/stat). */
  CPU: 'cpu',
  /** CPU mode: user, nice, system, idle, iowait, irq, softirq, steal (guest: user, nice). */
  MODE: 'mode',
  /** Block device, network interface, mount source or swap file, as the kernel names it. */
  DEVICE: 'device',
  /** Filesystem type (ext4, xfs, tmpfs...). */
  FSTYPE: 'fstype',
  /** Mount point path. */
  MOUNTPOINT: 'mountpoint',
  /** Swap area type (partition, file). */
  TYPE: 'type',
} as const;

/** CPU modes of `node_cpu_seconds_total`, in /proc/stat column order. */
export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

/** One of {@link CPU_MODES}. */
export type CpuMode = (typeof CPU_MODES)[number];

/** CPU names: cumulative counters, load, utilisation. */
export const CpuMetric = {
  /** Seconds each CPU spent in each mode since boot (counter, seconds). Labels: cpu, mode. */
  SECONDS: 'node_cpu_seconds_total',
  /** Seconds each CPU ran a guest, already included in user/nice (counter, seconds). Labels: cpu, mode. */
  GUEST_SECONDS: 'node_cpu_guest_seconds_total',
  /** Run-queue load average over 1 minute (gauge). */
  LOAD1: 'node_load1',
  /** Run-queue load average over 5 minutes (gauge). */
  LOAD5: 'node_load5',
  /** Run-queue load average over 15 minutes (gauge). */
  LOAD15: 'node_load15',
  /** Busy fraction of all CPUs over the last interval, 0 to 1 (gauge, ratio). */
  UTILIZATION: 'system_cpu_utilization_ratio',
  /** Busy fraction of each CPU over the last interval (gauge, ratio). Labels: cpu. */
  CORE_UTILIZATION: 'system_cpu_core_utilization_ratio',
  /** Share of all CPU time spent in each mode over the last interval (gauge, ratio). Labels: mode. */
  MODE_UTILIZATION: 'system_cpu_mode_utilization_ratio',
  /** Share of each CPU's time spent in each mode over the last interval (gauge, ratio). Labels: cpu, mode. */
  CORE_MODE_UTILIZATION: 'system_cpu_core_mode_utilization_ratio',
} as const;

/** Sample names of the CPU area (unit percent or count). */
export const CpuSample = {
  UTILIZATION: 'system_cpu_utilization',
  CORE_UTILIZATION: 'system_cpu_core_utilization',
  MODE_UTILIZATION: 'system_cpu_mode_utilization',
  LOAD1: CpuMetric.LOAD1,
  LOAD5: CpuMetric.LOAD5,
  LOAD15: CpuMetric.LOAD15,
} as const;

/**
 * /proc/meminfo fields exposed as `node_memory_<field>_bytes`, node_exporter's names (its
 * `Active(anon)` style names become `Active_anon`; none of these has parentheses).
 */
export const MEMINFO_FIELDS = [
  'MemTotal',
  'MemFree',
  'MemAvailable',
  'Buffers',
  'Cached',
  'SwapCached',
  'SwapTotal',
  'SwapFree',
  'Active',
  'Inactive',
  'Shmem',
  'Slab',
  'SReclaimable',
  'SUnreclaim',
  'Dirty',
  'Writeback',
  'AnonPages',
  'Mapped',
] as const;

/** One of {@link MEMINFO_FIELDS}. */
export type MeminfoField = (typeof MEMINFO_FIELDS)[number];

/**
 * The node_exporter name of a /proc/meminfo field: `node_memory_MemTotal_bytes`. Throws a
 * ConfigError for a name that is not one of {@link MEMINFO_FIELDS}.
 */
export function meminfoMetricName(field: MeminfoField): string {
  if (!(MEMINFO_FIELDS as readonly unknown[]).includes(field)) {
    throw new ConfigError(
      `Unknown meminfo field ${describeValue(field)}: expected one of ${MEMINFO_FIELDS.join(', ')}`,
      { subject: 'field', value: field },
    );
  }
  return `node_memory_${field}_bytes`;
}

/** The meminfo fields that are also returned as samples (the seed's memory figures). */
export const MEMINFO_SAMPLED_FIELDS: readonly MeminfoField[] = [
  'MemTotal',
  'MemAvailable',
  'MemFree',
  'Buffers',
  'Cached',
  'SwapTotal',
  'SwapFree',
];

/** Memory and swap names besides the meminfo fields. */
export const MemoryMetric = {
  /** Pages swapped in since boot, /proc/vmstat `pswpin` (gauge as node_exporter's untyped, pages). */
  SWAP_IN_PAGES: 'node_vmstat_pswpin',
  /** Pages swapped out since boot, /proc/vmstat `pswpout` (gauge, pages). */
  SWAP_OUT_PAGES: 'node_vmstat_pswpout',
  /** Memory in use: MemTotal - MemAvailable (gauge, bytes). */
  USED: 'system_memory_used_bytes',
  /** Memory in use as a fraction of MemTotal, 0 to 1 (gauge, ratio). */
  UTILIZATION: 'system_memory_utilization_ratio',
  /** Swap in use: SwapTotal - SwapFree (gauge, bytes). */
  SWAP_USED: 'system_swap_used_bytes',
  /** Swap in use as a fraction of SwapTotal; 0 without swap (gauge, ratio). */
  SWAP_UTILIZATION: 'system_swap_utilization_ratio',
  /** Bytes swapped in per second over the last interval (gauge, bytes per second). */
  SWAP_IN_RATE: 'system_swap_in_bytes_per_second',
  /** Bytes swapped out per second over the last interval (gauge, bytes per second). */
  SWAP_OUT_RATE: 'system_swap_out_bytes_per_second',
  /** Size of each swap area in /proc/swaps (gauge, bytes). Labels: device, type. */
  SWAP_DEVICE_SIZE: 'system_swap_device_size_bytes',
  /** Used part of each swap area in /proc/swaps (gauge, bytes). Labels: device, type. */
  SWAP_DEVICE_USED: 'system_swap_device_used_bytes',
} as const;

/** Sample names of the memory area besides the meminfo fields. */
export const MemorySample = {
  USED: MemoryMetric.USED,
  UTILIZATION: 'system_memory_utilization',
  SWAP_USED: MemoryMetric.SWAP_USED,
  SWAP_UTILIZATION: 'system_swap_utilization',
  SWAP_IN_RATE: MemoryMetric.SWAP_IN_RATE,
  SWAP_OUT_RATE: MemoryMetric.SWAP_OUT_RATE,
} as const;

/** Block device names (labels: device). */
export const DiskMetric = {
  READS_COMPLETED: 'node_disk_reads_completed_total',
  READS_MERGED: 'node_disk_reads_merged_total',
  READ_BYTES: 'node_disk_read_bytes_total',
  READ_TIME: 'node_disk_read_time_seconds_total',
  WRITES_COMPLETED: 'node_disk_writes_completed_total',
  WRITES_MERGED: 'node_disk_writes_merged_total',
  WRITTEN_BYTES: 'node_disk_written_bytes_total',
  WRITE_TIME: 'node_disk_write_time_seconds_total',
  IO_NOW: 'node_disk_io_now',
  IO_TIME: 'node_disk_io_time_seconds_total',
  IO_TIME_WEIGHTED: 'node_disk_io_time_weighted_seconds_total',
  /** Bytes read per second over the last interval (gauge, bytes per second). */
  READ_RATE: 'system_disk_read_bytes_per_second',
  /** Bytes written per second over the last interval (gauge, bytes per second). */
  WRITE_RATE: 'system_disk_written_bytes_per_second',
  /** Reads completed per second over the last interval (gauge, per second). */
  READS_RATE: 'system_disk_reads_per_second',
  /** Writes completed per second over the last interval (gauge, per second). */
  WRITES_RATE: 'system_disk_writes_per_second',
  /** Fraction of the last interval the device was busy (io_time delta / interval), 0 to 1 (gauge, ratio). */
  IO_UTILIZATION: 'system_disk_io_utilization_ratio',
} as const;

/** Sample names of block devices. */
export const DiskSample = {
  READ_RATE: DiskMetric.READ_RATE,
  WRITE_RATE: DiskMetric.WRITE_RATE,
  READS_RATE: DiskMetric.READS_RATE,
  WRITES_RATE: DiskMetric.WRITES_RATE,
  IO_UTILIZATION: 'system_disk_io_utilization',
} as const;

/** Filesystem names (labels: device, fstype, mountpoint). */
export const FilesystemMetric = {
  SIZE: 'node_filesystem_size_bytes',
  FREE: 'node_filesystem_free_bytes',
  AVAIL: 'node_filesystem_avail_bytes',
  FILES: 'node_filesystem_files',
  FILES_FREE: 'node_filesystem_files_free',
  READONLY: 'node_filesystem_readonly',
  DEVICE_ERROR: 'node_filesystem_device_error',
  /** Used space as a fraction of what users can have: used / (used + avail), as df and psutil (gauge, ratio). */
  USED_RATIO: 'system_filesystem_used_ratio',
} as const;

/** Sample names of filesystems. */
export const FilesystemSample = {
  SIZE: FilesystemMetric.SIZE,
  FREE: FilesystemMetric.FREE,
  AVAIL: FilesystemMetric.AVAIL,
  USED: 'system_filesystem_used',
} as const;

/** The 16 columns of /proc/net/dev, in file order, with node_exporter's metric names (labels: device). */
export const NETWORK_COUNTERS = [
  'node_network_receive_bytes_total',
  'node_network_receive_packets_total',
  'node_network_receive_errs_total',
  'node_network_receive_drop_total',
  'node_network_receive_fifo_total',
  'node_network_receive_frame_total',
  'node_network_receive_compressed_total',
  'node_network_receive_multicast_total',
  'node_network_transmit_bytes_total',
  'node_network_transmit_packets_total',
  'node_network_transmit_errs_total',
  'node_network_transmit_drop_total',
  'node_network_transmit_fifo_total',
  'node_network_transmit_colls_total',
  'node_network_transmit_carrier_total',
  'node_network_transmit_compressed_total',
] as const;

/**
 * Rates of the main network counters over the last interval (gauges; labels: device), with the
 * index of their counter in {@link NETWORK_COUNTERS}.
 */
export const NETWORK_RATES = [
  { name: 'system_network_receive_bytes_per_second', column: 0, unit: 'bytes_per_second' },
  { name: 'system_network_receive_packets_per_second', column: 1, unit: 'per_second' },
  { name: 'system_network_receive_errs_per_second', column: 2, unit: 'per_second' },
  { name: 'system_network_receive_drop_per_second', column: 3, unit: 'per_second' },
  { name: 'system_network_transmit_bytes_per_second', column: 8, unit: 'bytes_per_second' },
  { name: 'system_network_transmit_packets_per_second', column: 9, unit: 'per_second' },
  { name: 'system_network_transmit_errs_per_second', column: 10, unit: 'per_second' },
  { name: 'system_network_transmit_drop_per_second', column: 11, unit: 'per_second' },
] as const;

/** Host inventory, read once with systeminformation (gauge, always 1; the facts are labels). */
export const HOST_INFO = 'system_host_info';

/** Label names of {@link HOST_INFO}. */
export const HostInfoLabel = {
  CPU_MODEL: 'cpu_model',
  CPU_CORES: 'cpu_cores',
  CPU_PHYSICAL_CORES: 'cpu_physical_cores',
  OS_PLATFORM: 'os_platform',
  OS_DISTRO: 'os_distro',
  OS_RELEASE: 'os_release',
  KERNEL: 'kernel',
  ARCH: 'arch',
  HOSTNAME: 'hostname',
} as const;

/** `operation` label values of `fw0_collector_errors_total{collector="system"}`: which read failed. */
export const Operation = {
  CPU_TIMES: 'read_cpu_times',
  LOAD: 'read_load',
  MEMORY: 'read_memory',
  SWAP_ACTIVITY: 'read_swap_activity',
  SWAP_DEVICES: 'read_swap_devices',
  DISK_STATS: 'read_disk_stats',
  FILESYSTEMS: 'read_filesystems',
  STATFS: 'statfs',
  NETWORK: 'read_network',
  INVENTORY: 'read_inventory',
} as const;
