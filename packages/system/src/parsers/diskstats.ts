import { LineWords, lineEnd, parseFailure } from './parse-support.js';

/**
 * I/O statistics of one block device since boot, from /proc/diskstats (the kernel's
 * Documentation/admin-guide/iostats.rst). Sectors are 512 bytes whatever the device's own sector
 * size; times are milliseconds. Fields the kernel does not write (before 4.18 / 5.5) are absent.
 */
export interface DiskStats {
  readonly major: number;
  readonly minor: number;
  /** Device name (`vda`, `nvme0n1`, `sda1`). */
  readonly device: string;
  readonly readsCompleted: number;
  readonly readsMerged: number;
  readonly sectorsRead: number;
  readonly readTimeMs: number;
  readonly writesCompleted: number;
  readonly writesMerged: number;
  readonly sectorsWritten: number;
  readonly writeTimeMs: number;
  /** I/Os in flight now (a level, not a counter). */
  readonly ioInProgress: number;
  /** Milliseconds the device had I/O in flight. */
  readonly ioTimeMs: number;
  /** Milliseconds of I/O time weighted by the number in flight. */
  readonly weightedIoTimeMs: number;
  readonly discardsCompleted?: number;
  readonly discardsMerged?: number;
  readonly sectorsDiscarded?: number;
  readonly discardTimeMs?: number;
  readonly flushRequests?: number;
  readonly flushTimeMs?: number;
}

/** Numbers of statistics after the device name: kernel < 4.18, < 5.5, >= 5.5. */
const STAT_COUNTS = [17, 15, 11] as const;

const words = new LineWords();

/**
 * Parses /proc/diskstats. A device name is whatever stands between the minor number and the
 * statistics, so a name with spaces (which the kernel never writes but other sources might)
 * still parses. Devices `accept` turns down are skipped before their statistics are read (the
 * collector passes its device filter: loop devices and partitions cost nothing). Throws a
 * ParseError naming a line whose statistics are not numbers.
 */
export function parseDiskstats(
  text: string,
  file = '/proc/diskstats',
  accept?: (device: string) => boolean,
): DiskStats[] {
  const disks: DiskStats[] = [];
  let number = 0;
  for (let start = 0; start < text.length; ) {
    const end = lineEnd(text, start);
    number++;
    const count = words.scan(text, start, end);
    const lineStart = start;
    start = end + 1;
    if (count === 0) continue;
    const numeric = trailingNumbers(count);
    const stats = statCount(numeric, count);
    if (!words.isUnsigned(0) || !words.isUnsigned(1) || stats === undefined) {
      throw parseFailure(
        file,
        number,
        text.slice(lineStart, end),
        'expected "major minor name" and 11, 15 or 17 statistics',
      );
    }
    const first = count - stats;
    const device = words.words(2, first);
    if (accept !== undefined && !accept(device)) continue;
    disks.push(readDisk(words.unsigned(0), words.unsigned(1), device, first, stats));
  }
  return disks;
}

/** Word index of the first statistic of the line being read. */
let statsStart = 0;

/** Statistic `index` of the line being read. */
function stat(index: number): number {
  return words.unsigned(statsStart + index);
}

function readDisk(major: number, minor: number, device: string, first: number, count: number): DiskStats {
  statsStart = first;
  const disk: { -readonly [K in keyof DiskStats]: DiskStats[K] } = {
    major,
    minor,
    device,
    readsCompleted: stat(0),
    readsMerged: stat(1),
    sectorsRead: stat(2),
    readTimeMs: stat(3),
    writesCompleted: stat(4),
    writesMerged: stat(5),
    sectorsWritten: stat(6),
    writeTimeMs: stat(7),
    ioInProgress: stat(8),
    ioTimeMs: stat(9),
    weightedIoTimeMs: stat(10),
  };
  if (count >= 15) {
    disk.discardsCompleted = stat(11);
    disk.discardsMerged = stat(12);
    disk.sectorsDiscarded = stat(13);
    disk.discardTimeMs = stat(14);
  }
  if (count >= 17) {
    disk.flushRequests = stat(15);
    disk.flushTimeMs = stat(16);
  }
  return disk;
}

/** The statistics count of a line of `count` words whose last `numeric` are numbers (undefined: none fits). */
function statCount(numeric: number, count: number): number | undefined {
  for (let i = 0; i < STAT_COUNTS.length; i++) {
    const candidate = STAT_COUNTS[i]!;
    if (numeric >= candidate && count - candidate >= 3) return candidate;
  }
  return undefined;
}

/** How many words at the end of the line are unsigned integers. */
function trailingNumbers(count: number): number {
  let numeric = 0;
  for (let i = count - 1; i >= 0 && words.isUnsigned(i); i--) numeric++;
  return numeric;
}
