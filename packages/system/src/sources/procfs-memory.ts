import { join } from 'node:path';
import { type Meminfo, parseMeminfo } from '../parsers/meminfo.js';
import { parsePageSize } from '../parsers/page-size.js';
import { parseSwaps, type SwapDevice } from '../parsers/swaps.js';
import { parseVmstat } from '../parsers/vmstat.js';
import { ProcFile } from './proc-file.js';
import type { MemorySource, SwapActivityReading } from './types.js';

/** Page size assumed when /proc/self/smaps does not say (4 KiB, as psutil always assumes). */
export const FALLBACK_PAGE_SIZE = 4096;

/** Memory figures from /proc/meminfo, /proc/vmstat and /proc/swaps. */
export class ProcfsMemorySource implements MemorySource {
  /** @internal */
  readonly files: ProcFile[];
  private readonly meminfo: ProcFile;
  private readonly vmstat: ProcFile;
  private readonly swaps: ProcFile;
  private readonly smaps: ProcFile;
  private pageSize: number | undefined;

  constructor(procPath: string) {
    this.meminfo = new ProcFile(join(procPath, 'meminfo'), 4096);
    this.vmstat = new ProcFile(join(procPath, 'vmstat'), 16_384);
    this.swaps = new ProcFile(join(procPath, 'swaps'), 1024);
    this.smaps = new ProcFile(join(procPath, 'self', 'smaps'));
    this.files = [this.meminfo, this.vmstat, this.swaps];
  }

  async readMemory(): Promise<Meminfo> {
    return parseMeminfo(await this.meminfo.read(), this.meminfo.path);
  }

  async readSwapActivity(): Promise<SwapActivityReading> {
    const activity = parseVmstat(await this.vmstat.read(), this.vmstat.path);
    return { ...activity, pageSizeBytes: await this.readPageSize() };
  }

  async readSwapDevices(): Promise<SwapDevice[]> {
    return parseSwaps(await this.swaps.read(), this.swaps.path);
  }

  /** Read once: the first mapping of /proc/self/smaps names the kernel page size. */
  private async readPageSize(): Promise<number> {
    if (this.pageSize === undefined) {
      let found: number | undefined;
      try {
        found = parsePageSize(await this.smaps.readHead(2048));
      } catch {
        // No smaps (a copied /proc, a kernel without it): the documented fallback applies.
      }
      this.pageSize = found ?? FALLBACK_PAGE_SIZE;
    }
    return this.pageSize;
  }
}
