/**
 * @fw0/metrics-system: host CPU, memory, disk and network metrics, read from /proc and statfs
 * on Linux (systeminformation elsewhere), exposed under node_exporter's names.
 */

export type { InterfaceFilter } from './areas/network-area.js';
export { getSystemCollector } from './factory.js';
export {
  DEFAULT_DISK_DEVICE_EXCLUDE,
  DEFAULT_FS_TYPE_EXCLUDE,
  DEFAULT_MOUNT_POINT_EXCLUDE,
  DEFAULT_NETWORK_DEVICE_EXCLUDE,
} from './filters.js';
export { type HostInfo, readHostInfo } from './inventory.js';
export {
  CPU_MODES,
  CpuMetric,
  type CpuMode,
  CpuSample,
  DiskMetric,
  DiskSample,
  FilesystemMetric,
  FilesystemSample,
  HOST_INFO,
  HostInfoLabel,
  Label,
  MEMINFO_FIELDS,
  MEMINFO_SAMPLED_FIELDS,
  type MeminfoField,
  MemoryMetric,
  MemorySample,
  meminfoMetricName,
  NETWORK_COUNTERS,
  NETWORK_RATES,
  Operation,
} from './names.js';
export type { SystemCollectorOptions, SystemSourceOption } from './options.js';
export { type DiskStats, parseDiskstats } from './parsers/diskstats.js';
export { type LoadAverage, parseLoadavg } from './parsers/loadavg.js';
export { type Meminfo, parseMeminfo } from './parsers/meminfo.js';
export { type Mount, parseMounts } from './parsers/mounts.js';
export { type InterfaceStats, parseNetDev } from './parsers/net-dev.js';
export { type CoreTicks, type CpuTicks, type ProcStat, parseProcStat } from './parsers/proc-stat.js';
export { parseSwaps, type SwapDevice } from './parsers/swaps.js';
export { parseVmstat, type SwapActivity } from './parsers/vmstat.js';
export type {
  CpuReading,
  CpuSource,
  DiskIoReading,
  DiskSource,
  FilesystemReading,
  InterfaceReading,
  MemorySource,
  NetworkSource,
  SourceKind,
  SwapActivityReading,
  SystemSources,
} from './sources/types.js';
export { SystemMetricsCollector } from './system-collector.js';
