import { readFileSync } from 'node:fs';

/** USER_HZ: clock ticks per second of /proc/<pid>/stat times. */
const TICKS_PER_SECOND = 100;

/** Fields of /proc/<pid>/stat after the command name (which may hold blanks): index 0 is field 3. */
function statFields(pid: number | 'self'): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU seconds of this process's children that have exited and been waited for (cutime +
 * cstime): the shells and commands systeminformation spawns, which process.cpuUsage() misses.
 */
export function childrenCpuSeconds(): number {
  const fields = statFields('self');
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

/** CPU seconds (utime + stime) another process has used. */
export function processCpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds this process has used (process.cpuUsage, microsecond resolution). */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Both: this process and its waited-for children. */
export function totalCpuSeconds(): number {
  return ownCpuSeconds() + childrenCpuSeconds();
}
