import { LineWords, lineEnd, parseFailure } from './parse-support.js';

const words = new LineWords();

/**
 * Time one CPU (or all together) spent in each mode since boot, in clock ticks (USER_HZ,
 * 1/100 s on Linux). `guest` and `guestNice` are already part of `user` and `nice`: never add
 * them to a total.
 */
export interface CpuTicks {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  guestNice: number;
}

/** The ticks of one CPU, named as in /proc/stat without the `cpu` prefix (`0`, `1`...). */
export interface CoreTicks {
  readonly cpu: string;
  readonly ticks: CpuTicks;
}

/** What /proc/stat says about CPU time. */
export interface ProcStat {
  /** The `cpu` line: all CPUs together. */
  readonly total: CpuTicks;
  /** The `cpuN` lines, in file order (offline CPUs are absent). */
  readonly cores: CoreTicks[];
}

/** Columns of a cpu line, in order; older kernels stop early (the rest read as 0). */
const COLUMNS = [
  'user',
  'nice',
  'system',
  'idle',
  'iowait',
  'irq',
  'softirq',
  'steal',
  'guest',
  'guestNice',
] as const;

/** Fewest columns any Linux kernel writes (2.4: user nice system idle). */
const MIN_COLUMNS = 4;

/**
 * Parses the cpu lines of /proc/stat. Throws a ParseError naming the line when a cpu line has
 * fewer than 4 columns or a column that is not a number, or when the `cpu` line is missing.
 */
export function parseProcStat(text: string, file = '/proc/stat'): ProcStat {
  let total: CpuTicks | undefined;
  const cores: CoreTicks[] = [];
  // The cpu lines come first: read line by line while they last, never looking at the rest
  // (the intr line alone can be tens of kilobytes on a large machine).
  let start = 0;
  for (let number = 1; start < text.length && text.startsWith('cpu', start); number++) {
    const end = lineEnd(text, start);
    const lineStart = start;
    start = end + 1;
    words.scan(text, lineStart, end);
    const name = words.word(0);
    const ticks = readTicks(file, number, text, lineStart, end);
    if (name === 'cpu') total = ticks;
    else if (CORE_NAME.test(name)) cores.push({ cpu: name.slice(3), ticks });
    else throw parseFailure(file, number, text.slice(lineStart, end), 'unknown cpu line');
  }
  if (total === undefined) throw parseFailure(file, 1, text.slice(0, 40), 'no "cpu" line');
  return { total, cores };
}

const CORE_NAME = /^cpu\d+$/;

/** Columns of the cpu line being read. */
let columns = 0;

/** Column `index` of the cpu line being read (0 where an older kernel stops early). */
function column(index: number): number {
  return index < columns ? words.unsigned(index + 1) : 0;
}

function readTicks(file: string, number: number, text: string, start: number, end: number): CpuTicks {
  const count = words.count - 1;
  if (count < MIN_COLUMNS) {
    throw parseFailure(file, number, text.slice(start, end), `expected at least ${MIN_COLUMNS} columns`);
  }
  for (let i = 1; i <= COLUMNS.length && i <= count; i++) {
    if (!words.isUnsigned(i)) {
      throw parseFailure(file, number, text.slice(start, end), `column ${COLUMNS[i - 1]} is not a number`);
    }
  }
  columns = count;
  return {
    user: column(0),
    nice: column(1),
    system: column(2),
    idle: column(3),
    iowait: column(4),
    irq: column(5),
    softirq: column(6),
    steal: column(7),
    guest: column(8),
    guestNice: column(9),
  };
}
