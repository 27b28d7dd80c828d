import { accessSync, constants } from 'node:fs';
import { type StartedProcess, startProcess, waitFor } from '../../../../test-support/processes.js';

/** Debian's python3 (with python3-psutil), never the first python3 on PATH. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Fails loudly (never skips) when Debian's python3-psutil is not installed. */
function requirePsutil(): void {
  for (const path of [SYSTEM_PYTHON, '/usr/lib/python3/dist-packages/psutil/__init__.py']) {
    try {
      accessSync(path, constants.R_OK);
    } catch {
      throw new Error(`${path} not found: install the Debian package python3-psutil`);
    }
  }
}

/**
 * The helper run by Debian's python3: SIGUSR1 prints a JSON snapshot of memory, swap, disk,
 * filesystem and network figures; SIGUSR2 prints `psutil.cpu_percent()` overall and per CPU
 * (each since the previous SIGUSR2, psutil's own bookkeeping). Signals rather than stdin so that
 * the process is started and stopped like every other with test-support/processes.ts.
 */
const SCRIPT = String.raw`
import json, os, signal, sys, psutil
MOUNTS = sys.argv[1:]
def snapshot():
    vm = psutil.virtual_memory()
    sw = psutil.swap_memory()
    disks = psutil.disk_io_counters(perdisk=True, nowrap=False)
    nets = psutil.net_io_counters(pernic=True, nowrap=False)
    return {
        "memory": {"total": vm.total, "available": vm.available, "free": vm.free, "buffers": vm.buffers, "cached": vm.cached},
        "swap": {"total": sw.total, "free": sw.free, "used": sw.used, "sin": sw.sin, "sout": sw.sout},
        "disks": {name: d._asdict() for name, d in disks.items()},
        "networks": {name: n._asdict() for name, n in nets.items()},
        "filesystems": {m: psutil.disk_usage(m)._asdict() for m in MOUNTS},
    }
def cpu():
    return {"overall": psutil.cpu_percent(interval=None), "cores": psutil.cpu_percent(interval=None, percpu=True)}
def emit(kind, payload):
    sys.stdout.write(json.dumps({"kind": kind, "payload": payload}) + "\n")
    sys.stdout.flush()
signal.signal(signal.SIGUSR1, lambda *_: emit("snapshot", snapshot()))
signal.signal(signal.SIGUSR2, lambda *_: emit("cpu", cpu()))
emit("ready", psutil.__version__)
while True:
    signal.pause()
`;

/** What psutil reports about memory, disks, filesystems and interfaces (bytes, counts, milliseconds). */
export interface PsutilSnapshot {
  readonly memory: { total: number; available: number; free: number; buffers: number; cached: number };
  readonly swap: { total: number; free: number; used: number; sin: number; sout: number };
  readonly disks: Record<
    string,
    { read_count: number; write_count: number; read_bytes: number; write_bytes: number; busy_time: number }
  >;
  readonly networks: Record<
    string,
    {
      bytes_sent: number;
      bytes_recv: number;
      packets_sent: number;
      packets_recv: number;
      errin: number;
      errout: number;
      dropin: number;
      dropout: number;
    }
  >;
  readonly filesystems: Record<string, { total: number; used: number; free: number; percent: number }>;
}

/** psutil's CPU utilisation in percent since the previous request. */
export interface PsutilCpu {
  readonly overall: number;
  readonly cores: number[];
}

/** A running psutil helper. */
export interface Psutil {
  readonly process: StartedProcess;
  readonly version: string;
  /** Asks for a snapshot (bounded: 10 s). */
  snapshot(): Promise<PsutilSnapshot>;
  /** Asks for CPU percentages; the request is sent before this returns (bounded: 10 s). */
  cpuPercent(): Promise<PsutilCpu>;
  stop(): Promise<void>;
}

/** Starts the psutil helper; `mounts` are the mount points whose usage snapshots report. */
export async function startPsutil(mounts: readonly string[]): Promise<Psutil> {
  requirePsutil();
  const process = startProcess(SYSTEM_PYTHON, ['-c', SCRIPT, ...mounts]);
  const messages: { kind: string; payload: unknown }[] = [];
  let pending = '';
  process.child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let end = pending.indexOf('\n');
    while (end >= 0) {
      messages.push(JSON.parse(pending.slice(0, end)) as { kind: string; payload: unknown });
      pending = pending.slice(end + 1);
      end = pending.indexOf('\n');
    }
  });
  const next = async (kind: string): Promise<unknown> => {
    await waitFor(`psutil to answer "${kind}"`, () => messages.some((message) => message.kind === kind), {
      timeoutMs: 10_000,
      intervalMs: 5,
    });
    const index = messages.findIndex((message) => message.kind === kind);
    return messages.splice(index, 1)[0]!.payload;
  };
  try {
    const version = (await next('ready')) as string;
    return {
      process,
      version,
      snapshot() {
        globalThis.process.kill(process.pid, 'SIGUSR1');
        return next('snapshot') as Promise<PsutilSnapshot>;
      },
      cpuPercent() {
        globalThis.process.kill(process.pid, 'SIGUSR2');
        return next('cpu') as Promise<PsutilCpu>;
      },
      stop: () => process.stop(),
    };
  } catch (error) {
    await process.stop();
    throw new Error(`${String(error)}\n${process.output()}`);
  }
}
