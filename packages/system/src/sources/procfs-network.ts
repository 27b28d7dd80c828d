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

  constructor(procPath: string, sysPath: string) {
    this.netDev = new ProcFile(join(procPath, 'net', 'dev'), 4096);
    this.virtualPath = join(sysPath, 'devices', 'virtual', 'net');
    this.files = [this.netDev];
  }

  async readInterfaces(): Promise<InterfaceReading[]> {
    const interfaces = parseNetDev(await this.netDev.read(), this.netDev.path);
    if (interfaces.some((item) => !this.known.has(item.device))) {
      this.virtual = await this.readVirtual();
      this.known = new Set(interfaces.map((item) => item.device));
    }
    return interfaces.map((item) => ({ ...item, virtual: this.virtual.has(item.device) }));
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
