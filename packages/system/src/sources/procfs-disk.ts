import { type StatsFs, statfs } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TimeoutError } from '@fw0/metrics-core';
import type { FilesystemFilter } from '../filters.js';
import { parseDiskstats } from '../parsers/diskstats.js';
import { type Mount, parseMounts } from '../parsers/mounts.js';
import { ProcFile } from './proc-file.js';
import type { DiskIoReading, DiskSource, FilesystemReading } from './types.js';

/** How long the parsed mount table is kept before /proc/mounts is read again, in milliseconds. */
export const MOUNT_TABLE_TTL_MS = 10_000;

/** One mount to measure, with its statfs callback made once per mount table (not per call). */
interface Target {
  readonly mount: Mount;
  readonly index: number;
  readonly answer: (error: NodeJS.ErrnoException | null, stats: StatsFs) => void;
  /** The round its statfs call belongs to (at most one call per mount is out at a time). */
  round: number;
}

/** The mount table as last read, and the part of it a filter kept. */
interface MountTable {
  readonly readAt: number;
  readonly filter: FilesystemFilter;
  readonly targets: readonly Target[];
}

/**
 * Disk figures from /proc/diskstats, /proc/mounts and statfs(2). The mount table changes
 * rarely: it is read (and filtered) again every {@link MOUNT_TABLE_TTL_MS} (a new mount shows up
 * within 10 s), while statfs runs on every collection.
 *
 * All the statfs calls of a collection share one deadline, `statfsTimeoutMs` after they start. A
 * mount whose statfs has not answered by then (a dead NFS server) is reported as failed, and is
 * left alone until that call returns, as node_exporter does with "stuck" mounts, so a hung mount
 * never piles up blocked thread-pool threads. Calls of `readFilesystems` must not overlap (the
 * collector serialises them).
 */
export class ProcfsDiskSource implements DiskSource {
  /** @internal */
  readonly files: ProcFile[];
  private readonly diskstats: ProcFile;
  private readonly mounts: ProcFile;
  /** Mount points whose statfs passed its deadline and has not returned yet. */
  private readonly pending = new Set<string>();
  private table: MountTable | undefined;
  // The round of statfs calls in progress (one at a time).
  private round = 0;
  private targets: readonly Target[] = [];
  private readings: FilesystemReading[] = [];
  private waiting = 0;
  private resolveRound: ((readings: FilesystemReading[]) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    procPath: string,
    private readonly statfsTimeoutMs: number,
  ) {
    // Device names come from drivers (and device-mapper): read as UTF-8 to be safe.
    this.diskstats = new ProcFile(join(procPath, 'diskstats'), 4096, 'utf8');
    // Mount points are paths a user chose: any UTF-8.
    this.mounts = new ProcFile(join(procPath, 'mounts'), 8192, 'utf8');
    this.files = [this.diskstats, this.mounts];
  }

  /** Mount points whose statfs is still out past its deadline. */
  get pendingMounts(): readonly string[] {
    return [...this.pending];
  }

  async readDiskStats(accept?: (device: string) => boolean): Promise<DiskIoReading[]> {
    return parseDiskstats(await this.diskstats.read(), this.diskstats.path, accept);
  }

  async readFilesystems(filter: FilesystemFilter): Promise<FilesystemReading[]> {
    const targets = await this.readMounts(filter);
    if (targets.length === 0) return [];
    this.targets = targets;
    return new Promise(this.startRound);
  }

  private async readMounts(filter: FilesystemFilter): Promise<readonly Target[]> {
    const now = performance.now();
    const table = this.table;
    if (table !== undefined && table.filter === filter && now - table.readAt < MOUNT_TABLE_TTL_MS) {
      return table.targets;
    }
    const mounts = parseMounts(await this.mounts.read(), this.mounts.path).filter(
      (mount) => filter.mountPoints.accepts(mount.mountpoint) && filter.fsTypes.accepts(mount.fstype),
    );
    const targets = mounts.map((mount, index) => {
      const target: Target = {
        mount,
        index,
        round: 0,
        answer: (error, stats) => this.answer(target, error, stats),
      };
      return target;
    });
    this.table = { readAt: now, filter, targets };
    return targets;
  }

  /** Starts statfs of every target at once, under one deadline. */
  private readonly startRound = (resolve: (readings: FilesystemReading[]) => void): void => {
    const targets = this.targets;
    const round = ++this.round;
    this.readings = new Array<FilesystemReading>(targets.length);
    this.waiting = targets.length;
    this.resolveRound = resolve;
    for (let t = 0; t < targets.length; t++) {
      const target = targets[t]!;
      const mountpoint = target.mount.mountpoint;
      if (this.pending.has(mountpoint)) {
        this.record(
          target,
          failed(
            target.mount,
            new TimeoutError(`statfs(${mountpoint}) is still pending from an earlier collection`, {
              subject: mountpoint,
              value: this.statfsTimeoutMs,
            }),
          ),
        );
        continue;
      }
      target.round = round;
      try {
        statfs(mountpoint, target.answer);
      } catch (error) {
        // A path Node refuses outright (a NUL byte from an odd mount table).
        this.record(target, failed(target.mount, error));
      }
    }
    if (this.resolveRound !== undefined) {
      this.timer = setTimeout(this.deadline, this.statfsTimeoutMs);
      this.timer.unref();
    }
  };

  private answer(target: Target, error: NodeJS.ErrnoException | null, stats: StatsFs): void {
    if (target.round !== this.round || this.resolveRound === undefined) {
      // Past its deadline: the mount is measured again from the next collection on.
      this.pending.delete(target.mount.mountpoint);
      return;
    }
    this.record(target, error ? failed(target.mount, error) : measured(target.mount, stats));
  }

  private record(target: Target, reading: FilesystemReading): void {
    this.readings[target.index] = reading;
    if (--this.waiting === 0) this.finish();
  }

  /** The deadline: every mount still out is reported as failed and left alone until it answers. */
  private readonly deadline = (): void => {
    this.timer = undefined;
    for (const target of this.targets) {
      if (this.readings[target.index] !== undefined) continue;
      const mountpoint = target.mount.mountpoint;
      this.pending.add(mountpoint);
      this.readings[target.index] = failed(
        target.mount,
        new TimeoutError(`statfs(${mountpoint}) took more than ${this.statfsTimeoutMs} ms`, {
          subject: mountpoint,
          value: this.statfsTimeoutMs,
        }),
      );
    }
    this.finish();
  };

  private finish(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const resolve = this.resolveRound;
    this.resolveRound = undefined;
    resolve?.(this.readings);
  }
}

function failed(mount: Mount, error: unknown): FilesystemReading {
  return { ...labelsOf(mount), error };
}

function measured(mount: Mount, stats: StatsFs): FilesystemReading {
  return {
    ...labelsOf(mount),
    sizeBytes: stats.blocks * stats.bsize,
    freeBytes: stats.bfree * stats.bsize,
    availBytes: stats.bavail * stats.bsize,
    files: stats.files,
    filesFree: stats.ffree,
  };
}

/** What a reading says of its mount whatever statfs answered. */
function labelsOf(mount: Mount) {
  return {
    device: mount.device,
    fstype: mount.fstype,
    mountpoint: mount.mountpoint,
    readonly: mount.readonly,
  };
}
