import { parseFailure, unsignedField } from './parse-support.js';

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
  // The cpu lines come first: read line by line while they last, never splitting the rest
  // (the intr line alone can be tens of kilobytes on a large machine).
  let start = 0;
  for (let number = 1; start < text.length && text.startsWith('cpu', start); number++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const fields = line.trim().split(/\s+/);
    const name = fields[0]!;
    const ticks = readTicks(fields, file, number, line);
    if (name === 'cpu') total = ticks;
    else if (/^cpu\d+$/.test(name)) cores.push({ cpu: name.slice(3), ticks });
    else throw parseFailure(file, number, line, 'unknown cpu line');
  }
  if (total === undefined) throw parseFailure(file, 1, text.slice(0, 40), 'no "cpu" line');
  return { total, cores };
}

function readTicks(fields: string[], file: string, number: number, line: string): CpuTicks {
  const count = fields.length - 1;
  if (count < MIN_COLUMNS) throw parseFailure(file, number, line, `expected at least ${MIN_COLUMNS} columns`);
  const ticks: CpuTicks = {
    user: 0,
    nice: 0,
    system: 0,
    idle: 0,
    iowait: 0,
    irq: 0,
    softirq: 0,
    steal: 0,
    guest: 0,
    guestNice: 0,
  };
  for (let i = 0; i < COLUMNS.length && i < count; i++) {
    const value = unsignedField(fields[i + 1]);
    if (value === undefined) throw parseFailure(file, number, line, `column ${COLUMNS[i]} is not a number`);
    ticks[COLUMNS[i]!] = value;
  }
  return ticks;
}
