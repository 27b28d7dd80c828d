import { join } from 'node:path';
import { MEMINFO_FIELDS } from '../names.js';
import { type Meminfo, meminfoFieldSet, parseMeminfo } from '../parsers/meminfo.js';
import { parsePageSize } from '../parsers/page-size.js';
import { parseSwaps, type SwapDevice } from '../parsers/swaps.js';
import { parseVmstat } from '../parsers/vmstat.js';
import { ProcFile } from './proc-file.js';
import type { MemorySource, SwapActivityReading } from './types.js';

/** Page size assumed when /proc/self/smaps does not say (4 KiB, as psutil always assumes). */
export const FALLBACK_PAGE_SIZE = 4096;

/** The meminfo lines the collector uses (the exposed fields); the other 30-odd are not looked at. */
const USED_FIELDS = meminfoFieldSet(MEMINFO_FIELDS);

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
    this.meminfo = new ProcFile(join(procPath, 'meminfo'), 4096, 'latin1');
    this.vmstat = new ProcFile(join(procPath, 'vmstat'), 16_384, 'latin1');
    this.swaps = new ProcFile(join(procPath, 'swaps'), 1024);
    this.smaps = new ProcFile(join(procPath, 'self', 'smaps'));
    this.files = [this.meminfo, this.vmstat, this.swaps];
  }

  async readMemory(): Promise<Meminfo> {
    return parseMeminfo(await this.meminfo.read(), this.meminfo.path, USED_FIELDS);
  }

  async readSwapActivity(): Promise<SwapActivityReading> {
    const activity = parseVmstat(await this.vmstat.read(), this.vmstat.path);
    const pageSizeBytes = this.pageSize ?? (await this.readPageSize());
    return { pagesIn: activity.pagesIn, pagesOut: activity.pagesOut, pageSizeBytes };
  }

  async readSwapDevices(): Promise<SwapDevice[]> {
    return parseSwaps(await this.swaps.read(), this.swaps.path);
  }

  /** Read once: the first mapping of /proc/self/smaps names the kernel page size. */
  private async readPageSize(): Promise<number> {
    let found: number | undefined;
    try {
      found = parsePageSize(await this.smaps.readHead(2048));
    } catch {
      // No smaps (a copied /proc, a kernel without it): the documented fallback applies.
    }
    this.pageSize = found ?? FALLBACK_PAGE_SIZE;
    return this.pageSize;
  }
}
