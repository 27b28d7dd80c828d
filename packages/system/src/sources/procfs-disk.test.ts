import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TimeoutError } from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test-support/processes.js';
import { NameFilter } from '../filters.js';
import { FilesystemMetric, Operation } from '../names.js';
import { failures, treeCollector } from '../test-support/collectors.js';
import { sampleKey, scrapeRegistry } from '../test-support/exposition.js';
import { createProcTree, type ProcTree } from '../test-support/fixtures.js';
import { ProcfsDiskSource } from './procfs-disk.js';

/**
 * A statfs that does not answer, without FUSE or a dead NFS server: every thread of libuv's
 * pool is made to block in open(2) on a FIFO nobody writes to, so the statfs the source asks
 * for waits in the pool's queue, unanswered, exactly as behind a hung mount, until the test
 * opens the FIFOs' other ends. (Each vitest file runs in a process of its own: no other test
 * shares this pool.)
 */
class SaturatedPool {
  private readonly fifos: string[];
  private readonly readers: Promise<FileHandle>[];

  constructor(directory: string) {
    const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    this.fifos = Array.from({ length: threads }, (_, index) => join(directory, `fifo-${index}`));
    execFileSync('mkfifo', this.fifos);
    // Each open is queued now, before anything the test asks for afterwards.
    this.readers = this.fifos.map((fifo) => open(fifo, 'r'));
  }

  /** Opens the write end of every FIFO (retrying while a reader has not reached open(2) yet). */
  async release(): Promise<void> {
    const writers: number[] = [];
    for (const fifo of this.fifos) {
      for (let attempt = 0; ; attempt++) {
        try {
          writers.push(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
          break;
        } catch (error) {
          // ENXIO: no reader in open(2) yet (its pool thread is still busy).
          if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || attempt >= 500) throw error;
          await sleep(10);
        }
      }
    }
    for (const reader of await Promise.all(this.readers)) await reader.close();
    for (const writer of writers) closeSync(writer);
  }
}

let tree: ProcTree | undefined;
let pool: SaturatedPool | undefined;
afterEach(async () => {
  await pool?.release();
  pool = undefined;
  tree?.remove();
  tree = undefined;
});

const ALL = {
  mountPoints: new NameFilter(undefined, undefined),
  fsTypes: new NameFilter(undefined, undefined),
};

describe('ProcfsDiskSource: a statfs that does not answer', () => {
  it('fails at the deadline, is left alone while pending, and is measured again once it returns', async () => {
    tree = createProcTree();
    const mountpoint = tree.path;
    tree.write('mounts', `/dev/fake ${mountpoint} ext4 rw 0 0\n`);
    const source = new ProcfsDiskSource(tree.path, 50);
    // The mount table is read (and kept) before the pool is blocked.
    const [before] = await source.readFilesystems(ALL);
    expect(before!.sizeBytes).toBeGreaterThan(0);

    pool = new SaturatedPool(tree.path);
    const started = performance.now();
    const [late] = await source.readFilesystems(ALL);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(late!.error).toBeInstanceOf(TimeoutError);
    expect((late!.error as Error).message).toBe(`statfs(${mountpoint}) took more than 50 ms`);
    expect(late!.sizeBytes).toBeUndefined();
    expect(source.pendingMounts).toEqual([mountpoint]);

    // Still out: no second call is queued behind the first; the answer is immediate.
    const [pending] = await source.readFilesystems(ALL);
    expect((pending!.error as Error).message).toMatch(/is still pending from an earlier collection/);

    await pool.release();
    pool = undefined;
    await waitFor('the late statfs to return', () => source.pendingMounts.length === 0, {
      timeoutMs: 10_000,
    });
    const [again] = await source.readFilesystems(ALL);
    expect(again!.error).toBeUndefined();
    expect(again!.sizeBytes).toBe(before!.sizeBytes);
    await Promise.all(source.files.map((file) => file.close()));
  });

  it('through the collector: a counted statfs failure and node_filesystem_device_error 1, nothing thrown', async () => {
    tree = createProcTree();
    const mountpoint = tree.path;
    tree.write('mounts', `/dev/fake ${mountpoint} ext4 rw 0 0\n`);
    tree.write('diskstats', '');
    const { collector } = treeCollector(tree, { statfsTimeoutMs: 50 });
    await collector.collectDiskMetrics();
    const labels = { device: '/dev/fake', fstype: 'ext4', mountpoint };
    expect(scrapeRegistry(collector.registry).get(sampleKey(FilesystemMetric.DEVICE_ERROR, labels))).toBe(0);

    pool = new SaturatedPool(tree.path);
    // The collection also waits for /proc/diskstats, queued in the same pool: it ends on release.
    const collection = collector.collectDiskMetrics();
    await waitFor('the statfs deadline', () => failures(collector, Operation.STATFS) === 1, {
      timeoutMs: 10_000,
    });
    const scraped = scrapeRegistry(collector.registry);
    expect(scraped.get(sampleKey(FilesystemMetric.DEVICE_ERROR, labels))).toBe(1);
    expect(scraped.has(sampleKey(FilesystemMetric.SIZE, labels))).toBe(false);
    await pool.release();
    pool = undefined;
    const samples = await collection;
    expect(samples.some((sample) => sample.name === FilesystemMetric.SIZE)).toBe(false);
    await collector.close();
  });
});
