/**
 * The kernel page size in bytes, from the `KernelPageSize` line of the start of
 * /proc/self/smaps (`KernelPageSize:        4 kB`). Undefined when the text has none.
 */
export function parsePageSize(smapsStart: string): number | undefined {
  const match = /^KernelPageSize:\s+(\d+) kB$/m.exec(smapsStart);
  if (match === null) return undefined;
  const bytes = Number(match[1]) * 1024;
  return bytes > 0 ? bytes : undefined;
}
