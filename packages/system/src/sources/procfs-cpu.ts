import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { type LoadAverage, parseLoadavg, roundLoadAverage } from '../parsers/loadavg.js';
import { parseProcStat } from '../parsers/proc-stat.js';
import { ProcFile } from './proc-file.js';
import type { CpuReading, CpuSource } from './types.js';

/**
 * Ticks per second of /proc/stat: USER_HZ, which the kernel fixes at 100 for its user-visible
 * interfaces on every architecture Node runs on (node_exporter and psutil assume the same).
 */
export const USER_HZ = 100;

/** The procfs mount point whose /proc/loadavg `os.loadavg()` reads. */
const HOST_PROC = '/proc';

/**
 * CPU figures from /proc/stat and /proc/loadavg. For the host's own /proc, the load averages
 * come from `os.loadavg()`: libuv reads /proc/loadavg itself, synchronously, one open and one
 * read of a 30-byte file (a few microseconds), which spares a thread-pool round trip per
 * collection. Another `procPath` (a copied /proc, a container's) is read as a file.
 */
export class ProcfsCpuSource implements CpuSource {
  /** @internal */
  readonly files: ProcFile[];
  private readonly stat: ProcFile;
  private readonly loadavg: ProcFile | undefined;

  constructor(procPath: string) {
    this.stat = new ProcFile(join(procPath, 'stat'), 16_384, 'latin1');
    this.loadavg =
      resolve(procPath) === HOST_PROC ? undefined : new ProcFile(join(procPath, 'loadavg'), 256, 'latin1');
    this.files = this.loadavg === undefined ? [this.stat] : [this.stat, this.loadavg];
  }

  async readTimes(): Promise<CpuReading> {
    const { total, cores } = parseProcStat(await this.stat.read(), this.stat.path);
    return { ticksPerSecond: USER_HZ, total, cores };
  }

  async readLoad(): Promise<LoadAverage> {
    if (this.loadavg !== undefined) return parseLoadavg(await this.loadavg.read(), this.loadavg.path);
    return hostLoad();
  }
}

/** The host's load averages, as /proc/loadavg prints them (see {@link roundLoadAverage}). */
export function hostLoad(): LoadAverage {
  const [load1, load5, load15] = loadavg();
  return {
    load1: roundLoadAverage(load1 ?? 0),
    load5: roundLoadAverage(load5 ?? 0),
    load15: roundLoadAverage(load15 ?? 0),
  };
}
