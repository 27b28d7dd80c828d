import { statfs } from 'node:fs/promises';
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

/**
 * Disk figures from /proc/diskstats, /proc/mounts and statfs(2). The mount table changes
 * rarely: it is read again every {@link MOUNT_TABLE_TTL_MS} (a new mount shows up within 10 s),
 * while statfs runs on every collection. A statfs that does not answer
 * within `statfsTimeoutMs` (a dead NFS server) is reported as failed, and that mount point is
 * left alone until the pending call returns, as node_exporter does with "stuck" mounts, so a
 * hung mount never piles up blocked thread-pool threads.
 */
export class ProcfsDiskSource implements DiskSource {
  /** @internal */
  readonly files: ProcFile[];
  private readonly diskstats: ProcFile;
  private readonly mounts: ProcFile;
  private readonly pending = new Map<string, Promise<unknown>>();
  private mountTable: { readonly mounts: Mount[]; readonly readAt: number } | undefined;

  constructor(
    procPath: string,
    private readonly statfsTimeoutMs: number,
  ) {
    this.diskstats = new ProcFile(join(procPath, 'diskstats'), 4096);
    this.mounts = new ProcFile(join(procPath, 'mounts'), 8192);
    this.files = [this.diskstats, this.mounts];
  }

  async readDiskStats(): Promise<DiskIoReading[]> {
    return parseDiskstats(await this.diskstats.read(), this.diskstats.path);
  }

  async readFilesystems(filter: FilesystemFilter): Promise<FilesystemReading[]> {
    const mounts = (await this.readMounts()).filter(
      (mount) => filter.mountPoints.accepts(mount.mountpoint) && filter.fsTypes.accepts(mount.fstype),
    );
    return Promise.all(mounts.map((mount) => this.measure(mount)));
  }

  private async readMounts(): Promise<Mount[]> {
    const now = performance.now();
    if (this.mountTable === undefined || now - this.mountTable.readAt >= MOUNT_TABLE_TTL_MS) {
      this.mountTable = { mounts: parseMounts(await this.mounts.read(), this.mounts.path), readAt: now };
    }
    return this.mountTable.mounts;
  }

  private async measure(mount: Mount): Promise<FilesystemReading> {
    const base = {
      device: mount.device,
      fstype: mount.fstype,
      mountpoint: mount.mountpoint,
      readonly: mount.readonly,
    };
    if (this.pending.has(mount.mountpoint)) {
      return {
        ...base,
        error: new TimeoutError(`statfs(${mount.mountpoint}) is still pending from an earlier collection`, {
          subject: mount.mountpoint,
          value: this.statfsTimeoutMs,
        }),
      };
    }
    const call = statfs(mount.mountpoint);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.statfsTimeoutMs);
      timer.unref();
    });
    try {
      const outcome = await Promise.race([call, timeout]);
      if (outcome === 'timeout') {
        const settled = call.then(
          () => undefined,
          () => undefined,
        );
        this.pending.set(mount.mountpoint, settled);
        void settled.then(() => this.pending.delete(mount.mountpoint));
        return {
          ...base,
          error: new TimeoutError(`statfs(${mount.mountpoint}) took more than ${this.statfsTimeoutMs} ms`, {
            subject: mount.mountpoint,
            value: this.statfsTimeoutMs,
          }),
        };
      }
      return {
        ...base,
        sizeBytes: outcome.blocks * outcome.bsize,
        freeBytes: outcome.bfree * outcome.bsize,
        availBytes: outcome.bavail * outcome.bsize,
        files: outcome.files,
        filesFree: outcome.ffree,
      };
    } catch (error) {
      return { ...base, error };
    } finally {
      clearTimeout(timer);
    }
  }
}
