import { join } from 'node:path';
import { type LoadAverage, parseLoadavg } from '../parsers/loadavg.js';
import { parseProcStat } from '../parsers/proc-stat.js';
import { ProcFile } from './proc-file.js';
import type { CpuReading, CpuSource } from './types.js';

/**
 * Ticks per second of /proc/stat: USER_HZ, which the kernel fixes at 100 for its user-visible
 * interfaces on every architecture Node runs on (node_exporter and psutil assume the same).
 */
export const USER_HZ = 100;

/** CPU figures from /proc/stat and /proc/loadavg. */
export class ProcfsCpuSource implements CpuSource {
  /** @internal */
  readonly files: ProcFile[];
  private readonly stat: ProcFile;
  private readonly loadavg: ProcFile;

  constructor(procPath: string) {
    this.stat = new ProcFile(join(procPath, 'stat'), 16_384);
    this.loadavg = new ProcFile(join(procPath, 'loadavg'), 256);
    this.files = [this.stat, this.loadavg];
  }

  async readTimes(): Promise<CpuReading> {
    const { total, cores } = parseProcStat(await this.stat.read(), this.stat.path);
    return { ticksPerSecond: USER_HZ, total, cores };
  }

  async readLoad(): Promise<LoadAverage> {
    return parseLoadavg(await this.loadavg.read(), this.loadavg.path);
  }
}
