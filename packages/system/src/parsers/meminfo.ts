import { parseFailure, splitLines, unsignedField } from './parse-support.js';

/**
 * /proc/meminfo as field name to value: sizes (the `kB` lines) in bytes, counts (HugePages_*)
 * as they are. Field names are the kernel's (`MemTotal`, `Active(anon)`).
 */
export type Meminfo = ReadonlyMap<string, number>;

/**
 * Parses /proc/meminfo. A `kB` value is KiB (the kernel's unit despite the name): it becomes
 * bytes. Throws a ParseError naming the line when one does not read `Name: number [kB]`, or
 * when MemTotal is missing (nothing else is usable without it).
 */
export function parseMeminfo(text: string, file = '/proc/meminfo'): Meminfo {
  const fields = new Map<string, number>();
  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '') continue;
    const number = index + 1;
    // "Name:   12345 kB" or "Name:   12": split by hand, this runs for ~55 lines each time.
    const colon = line.indexOf(':');
    let rest = colon > 0 ? line.slice(colon + 1).trim() : '';
    const kibibytes = rest.endsWith(' kB');
    if (kibibytes) rest = rest.slice(0, -3).trimEnd();
    const value = unsignedField(rest);
    if (value === undefined || line.charCodeAt(0) === 32) {
      throw parseFailure(file, number, line, 'expected "Name: value [kB]"');
    }
    fields.set(line.slice(0, colon), kibibytes ? value * 1024 : value);
  }
  if (!fields.has('MemTotal')) throw parseFailure(file, 1, text.slice(0, 40), 'no MemTotal line');
  return fields;
}
