import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseNetDev } from '../parsers/net-dev.js';
import { ProcFile } from './proc-file.js';
import type { InterfaceReading, NetworkSource } from './types.js';

/**
 * Network figures from /proc/net/dev. An interface is virtual when the kernel lists it under
 * /sys/devices/virtual/net (loopback, bridges, veth, tunnels, ifb); that directory is read again
 * only when an interface shows up that was not there before.
 */
export class ProcfsNetworkSource implements NetworkSource {
  /** @internal */
  readonly files: ProcFile[];
  private readonly netDev: ProcFile;
  private readonly virtualPath: string;
  private known = new Set<string>();
  private virtual = new Set<string>();
  /** Names of the interfaces in the text being parsed. */
  private readonly seen: string[] = [];

  constructor(procPath: string, sysPath: string) {
    // Interface names are chosen by users and may hold any UTF-8.
    this.netDev = new ProcFile(join(procPath, 'net', 'dev'), 4096, 'utf8');
    this.virtualPath = join(sysPath, 'devices', 'virtual', 'net');
    this.files = [this.netDev];
  }

  /**
   * Every interface, or those `accept` takes (told whether each is virtual): the others are
   * skipped before their counters are read.
   */
  async readInterfaces(accept?: (device: string, virtual: boolean) => boolean): Promise<InterfaceReading[]> {
    const text = await this.netDev.read();
    this.accept = accept;
    this.seen.length = 0;
    let interfaces = parseNetDev(text, this.netDev.path, this.note);
    if (this.hasNewInterface()) {
      // A new interface: read the virtual list again and decide again (rare: not every second).
      this.virtual = await this.readVirtual();
      this.known = new Set(this.seen);
      this.seen.length = 0;
      interfaces = parseNetDev(text, this.netDev.path, this.note);
    }
    // The parsed objects are ours: they get their flag in place rather than being copied.
    const readings = interfaces as { device: string; counters: readonly number[]; virtual?: boolean }[];
    for (let i = 0; i < readings.length; i++) {
      const reading = readings[i]!;
      reading.virtual = this.virtual.has(reading.device);
    }
    return readings;
  }

  /** The filter of the read in progress. */
  private accept: ((device: string, virtual: boolean) => boolean) | undefined;

  /** Notes each interface the parser meets and asks the filter about it. */
  private readonly note = (device: string): boolean => {
    this.seen.push(device);
    return this.accept === undefined || this.accept(device, this.virtual.has(device));
  };

  private hasNewInterface(): boolean {
    const seen = this.seen;
    for (let i = 0; i < seen.length; i++) if (!this.known.has(seen[i]!)) return true;
    return false;
  }

  private async readVirtual(): Promise<Set<string>> {
    try {
      return new Set(await readdir(this.virtualPath));
    } catch (error) {
      // No such directory: a system (or a copied /proc) without sysfs has no interface it calls virtual.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
      throw error;
    }
  }
}
