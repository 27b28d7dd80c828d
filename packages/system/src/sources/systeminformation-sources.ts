import { cpus, loadavg } from 'node:os';
import type { Meminfo } from '../parsers/meminfo.js';
import type { CoreTicks, CpuTicks } from '../parsers/proc-stat.js';
import { loadSystemInformation } from './load-systeminformation.js';
import type {
  CpuReading,
  DiskIoReading,
  FilesystemReading,
  InterfaceReading,
  SystemSources,
} from './types.js';

/** `os.cpus()` reports milliseconds. */
const MS_PER_SECOND = 1000;

function ticks(times: { user: number; nice: number; sys: number; idle: number; irq: number }): CpuTicks {
  return {
    user: times.user,
    nice: times.nice,
    system: times.sys,
    idle: times.idle,
    iowait: 0,
    irq: times.irq,
    softirq: 0,
    steal: 0,
    guest: 0,
    guestNice: 0,
  };
}

function readCpu(): CpuReading {
  const cores: CoreTicks[] = cpus().map((cpu, index) => ({ cpu: String(index), ticks: ticks(cpu.times) }));
  const total = ticks({ user: 0, nice: 0, sys: 0, idle: 0, irq: 0 });
  for (const core of cores) {
    total.user += core.ticks.user;
    total.nice += core.ticks.nice;
    total.system += core.ticks.system;
    total.idle += core.ticks.idle;
    total.irq += core.ticks.irq;
  }
  return { ticksPerSecond: MS_PER_SECOND, total, cores };
}

/**
 * The fallback for platforms without /proc (macOS, Windows, the BSDs): CPU times from
 * `os.cpus()` and load from `os.loadavg()` (Node itself, no child process), memory, filesystems,
 * disk I/O and interfaces from systeminformation, which spawns commands on those platforms.
 * What a platform does not report stays out: no iowait/softirq/steal modes, disk I/O as one
 * device `total` with operation counts and times only, interfaces without packet counts.
 */
export function createSystemInformationSources(): SystemSources {
  return {
    kind: 'systeminformation',
    cpu: {
      readTimes: async () => readCpu(),
      readLoad: async () => {
        const [load1, load5, load15] = loadavg();
        return { load1: load1 ?? 0, load5: load5 ?? 0, load15: load15 ?? 0 };
      },
    },
    memory: {
      async readMemory(): Promise<Meminfo> {
        const mem = await (await loadSystemInformation()).mem();
        const fields: [string, number | null | undefined][] = [
          ['MemTotal', mem.total],
          ['MemFree', mem.free],
          ['MemAvailable', mem.available],
          ['Buffers', mem.buffers],
          ['Cached', mem.cached],
          ['Active', mem.active],
          ['Slab', mem.slab],
          ['SwapTotal', mem.swaptotal],
          ['SwapFree', mem.swapfree],
          ['Dirty', mem.dirty],
          ['Writeback', mem.writeback],
        ];
        // What the platform does not report stays out rather than reading as 0.
        return new Map(fields.filter((field): field is [string, number] => typeof field[1] === 'number'));
      },
    },
    disk: {
      async readDiskStats(): Promise<DiskIoReading[]> {
        const io = await (await loadSystemInformation()).disksIO();
        if (io === null || typeof io.rIO !== 'number') return [];
        return [
          {
            device: 'total',
            readsCompleted: io.rIO,
            writesCompleted: io.wIO,
            readTimeMs: io.rWaitTime,
            writeTimeMs: io.wWaitTime,
          },
        ];
      },
      async readFilesystems(filter): Promise<FilesystemReading[]> {
        const filesystems = await (await loadSystemInformation()).fsSize();
        return filesystems
          .filter((fs) => filter.mountPoints.accepts(fs.mount) && filter.fsTypes.accepts(fs.type))
          .map((fs) => ({
            device: fs.fs,
            fstype: fs.type,
            mountpoint: fs.mount,
            readonly: !fs.rw,
            sizeBytes: fs.size,
            // df's "used" is blocks - bfree, so what is left of the size is the free space.
            freeBytes: fs.size - fs.used,
            availBytes: fs.available,
          }));
      },
    },
    network: {
      async readInterfaces(): Promise<InterfaceReading[]> {
        const stats = await (await loadSystemInformation()).networkStats('*');
        return stats.map((item) => {
          const counters: (number | undefined)[] = new Array(16).fill(undefined);
          counters[0] = item.rx_bytes;
          counters[2] = item.rx_errors;
          counters[3] = item.rx_dropped;
          counters[8] = item.tx_bytes;
          counters[10] = item.tx_errors;
          counters[11] = item.tx_dropped;
          return { device: item.iface, counters };
        });
      },
    },
    async close() {},
  };
}
