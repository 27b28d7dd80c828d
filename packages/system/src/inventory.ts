import type { Labels } from '@fw0/metrics-core';
import { HostInfoLabel } from './names.js';
import { loadSystemInformation } from './sources/load-systeminformation.js';

/** What the host is, read once (systeminformation: /proc/cpuinfo, lscpu, os-release...). */
export interface HostInfo {
  /** CPU vendor and model (`AMD EPYC`). */
  readonly cpuModel: string;
  /** Logical CPUs (hardware threads). */
  readonly cpuCores: number;
  /** Physical cores. */
  readonly cpuPhysicalCores: number;
  /** `linux`, `darwin`, `win32`... */
  readonly osPlatform: string;
  /** Distribution name (`Debian GNU/Linux`). */
  readonly osDistro: string;
  /** Distribution release (`12`). */
  readonly osRelease: string;
  /** Kernel release (`6.1.0-13-amd64`). */
  readonly kernel: string;
  /** Machine architecture (`x64`, `arm64`). */
  readonly arch: string;
  readonly hostname: string;
  /** Installed memory, in bytes. */
  readonly memoryTotalBytes: number;
}

/**
 * Reads the host inventory with systeminformation. It spawns a few commands (lscpu, dmidecode)
 * and may hold the event loop for tens of milliseconds: call it once, never per interval.
 */
export async function readHostInfo(): Promise<HostInfo> {
  const si = await loadSystemInformation();
  const [cpu, os, mem] = await Promise.all([si.cpu(), si.osInfo(), si.mem()]);
  return {
    cpuModel: [cpu.manufacturer, cpu.brand].filter((part) => part !== '').join(' '),
    cpuCores: cpu.cores,
    cpuPhysicalCores: cpu.physicalCores,
    osPlatform: os.platform,
    osDistro: os.distro,
    osRelease: os.release,
    kernel: os.kernel,
    arch: os.arch,
    hostname: os.hostname,
    memoryTotalBytes: mem.total,
  };
}

/** The labels of `system_host_info` for an inventory. */
export function hostInfoLabels(info: HostInfo): Labels {
  return {
    [HostInfoLabel.CPU_MODEL]: info.cpuModel,
    [HostInfoLabel.CPU_CORES]: String(info.cpuCores),
    [HostInfoLabel.CPU_PHYSICAL_CORES]: String(info.cpuPhysicalCores),
    [HostInfoLabel.OS_PLATFORM]: info.osPlatform,
    [HostInfoLabel.OS_DISTRO]: info.osDistro,
    [HostInfoLabel.OS_RELEASE]: info.osRelease,
    [HostInfoLabel.KERNEL]: info.kernel,
    [HostInfoLabel.ARCH]: info.arch,
    [HostInfoLabel.HOSTNAME]: info.hostname,
  };
}
