import { ProcfsCpuSource } from './procfs-cpu.js';
import { ProcfsDiskSource } from './procfs-disk.js';
import { ProcfsMemorySource } from './procfs-memory.js';
import { ProcfsNetworkSource } from './procfs-network.js';
import type { SystemSources } from './types.js';

/** Where the Linux sources read. */
export interface ProcfsPaths {
  /** procfs mount point (`/proc`). */
  readonly procPath: string;
  /** sysfs mount point (`/sys`). */
  readonly sysPath: string;
  /** How long one statfs may take, in milliseconds. */
  readonly statfsTimeoutMs: number;
}

/**
 * The Linux sources: /proc files read through descriptors kept open, and statfs(2); all
 * asynchronous (libuv thread pool), no child process.
 */
export function createProcfsSources(paths: ProcfsPaths): SystemSources {
  const cpu = new ProcfsCpuSource(paths.procPath);
  const memory = new ProcfsMemorySource(paths.procPath);
  const disk = new ProcfsDiskSource(paths.procPath, paths.statfsTimeoutMs);
  const network = new ProcfsNetworkSource(paths.procPath, paths.sysPath);
  const files = [...cpu.files, ...memory.files, ...disk.files, ...network.files];
  return {
    kind: 'procfs',
    cpu,
    memory,
    disk,
    network,
    async close() {
      await Promise.all(files.map((file) => file.close()));
    },
  };
}
