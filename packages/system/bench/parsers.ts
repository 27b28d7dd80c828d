import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH, nsPerBatchedOp, printComparison } from '../../../bench-support/harness.js';
import {
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseProcStat,
  parseVmstat,
} from '../src/index.js';

const fixture = (...parts: string[]) =>
  readFileSync(join(import.meta.dirname, '..', 'src', '__fixtures__', ...parts), 'utf8');

/**
 * What parsing costs per collection: each parser on its captured /proc file (and /proc/stat of
 * 128 CPUs), a loop of 1,024 parses each. No anchor: the point is that the synchronous part of
 * a collection is microseconds, far below the 2 ms stall budget.
 */
export async function benchParsers(): Promise<number> {
  const stat = fixture('captured', 'proc', 'stat');
  const stat128 = fixture('many-cpus', 'stat');
  const meminfo = fixture('captured', 'proc', 'meminfo');
  const vmstat = fixture('captured', 'proc', 'vmstat');
  const diskstats = fixture('captured', 'proc', 'diskstats');
  const netDev = fixture('captured', 'proc', 'net', 'dev');
  const mounts = fixture('captured', 'proc', 'mounts');
  const loadavg = fixture('captured', 'proc', 'loadavg');
  const rows = [
    {
      name: '/proc/stat (2 CPUs)',
      ours: await nsPerBatchedOp(() => {
        let last: unknown;
        for (let i = 0; i < BATCH; i++) last = parseProcStat(stat);
        return last;
      }),
      anchors: {},
    },
    {
      name: '/proc/stat (126 CPUs)',
      ours: await nsPerBatchedOp(() => {
        let last: unknown;
        for (let i = 0; i < BATCH; i++) last = parseProcStat(stat128);
        return last;
      }),
      anchors: {},
    },
    {
      name: '/proc/meminfo',
      ours: await nsPerBatchedOp(() => {
        let last: unknown;
        for (let i = 0; i < BATCH; i++) last = parseMeminfo(meminfo);
        return last;
      }),
      anchors: {},
    },
    {
      name: '/proc/vmstat',
      ours: await nsPerBatchedOp(() => {
        let last: unknown;
        for (let i = 0; i < BATCH; i++) last = parseVmstat(vmstat);
        return last;
      }),
      anchors: {},
    },
    {
      name: '/proc/diskstats',
      ours: await nsPerBatchedOp(() => {
        let last: unknown;
        for (let i = 0; i < BATCH; i++) last = parseDiskstats(diskstats);
        return last;
      }),
      anchors: {},
    },
    {
      name: '/proc/net/dev',
      ours: await nsPerBatchedOp(() => {
        let last: unknown;
        for (let i = 0; i < BATCH; i++) last = parseNetDev(netDev);
        return last;
      }),
      anchors: {},
    },
    {
      name: '/proc/mounts',
      ours: await nsPerBatchedOp(() => {
        let last: unknown;
        for (let i = 0; i < BATCH; i++) last = parseMounts(mounts);
        return last;
      }),
      anchors: {},
    },
    {
      name: '/proc/loadavg',
      ours: await nsPerBatchedOp(() => {
        let last: unknown;
        for (let i = 0; i < BATCH; i++) last = parseLoadavg(loadavg);
        return last;
      }),
      anchors: {},
    },
  ];
  const micro = rows.map((row) => ({ ...row, ours: row.ours / 1000 }));
  printComparison('Parsing one captured /proc file: microseconds per parse', 'µs', micro);
  // Everything a 2-CPU collection parses, in microseconds.
  return micro.filter((row) => row.name !== '/proc/stat (126 CPUs)').reduce((sum, row) => sum + row.ours, 0);
}
