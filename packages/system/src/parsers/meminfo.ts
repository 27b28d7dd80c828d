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
 *
 * With `fields`, only those lines are looked up and checked (the collector uses 18 of the
 * file's 50-odd lines); the result holds those of them the file has.
 */
export function parseMeminfo(text: string, file = '/proc/meminfo', fields?: MeminfoFieldSet): Meminfo {
  if (fields !== undefined) return parseFields(text, file, fields);
  const values = new Map<string, number>();
  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '') continue;
    const colon = line.indexOf(':');
    const value = colon > 0 && line.charCodeAt(0) !== 32 ? valueAt(line, colon + 1, line.length) : undefined;
    if (value === undefined) throw parseFailure(file, index + 1, line, 'expected "Name: value [kB]"');
    values.set(line.slice(0, colon), value);
  }
  if (!values.has('MemTotal')) throw parseFailure(file, 1, text.slice(0, 40), 'no MemTotal line');
  return values;
}

/** Meminfo field names to look up, prepared once (see {@link meminfoFieldSet}). */
export interface MeminfoFieldSet {
  readonly names: readonly string[];
  /** `Name:` for each name: the first line of the file. */
  readonly prefixes: readonly string[];
  /** `\nName:` for each name: any later line. */
  readonly needles: readonly string[];
}

/** Prepares a set of field names for {@link parseMeminfo}. */
export function meminfoFieldSet(names: readonly string[]): MeminfoFieldSet {
  const all = names.includes('MemTotal') ? names : ['MemTotal', ...names];
  return {
    names: all,
    prefixes: all.map((name) => `${name}:`),
    needles: all.map((name) => `\n${name}:`),
  };
}

function parseFields(text: string, file: string, fields: MeminfoFieldSet): Meminfo {
  const values = new Map<string, number>();
  for (let i = 0; i < fields.names.length; i++) {
    const name = fields.names[i]!;
    // Each name is found by one search of the text: no line of it is split or copied.
    const start = text.startsWith(fields.prefixes[i]!) ? 0 : text.indexOf(fields.needles[i]!) + 1;
    if (start === 0 && !text.startsWith(fields.prefixes[i]!)) {
      if (name === 'MemTotal') throw parseFailure(file, 1, text.slice(0, 40), 'no MemTotal line');
      continue;
    }
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const value = valueAt(text, start + name.length + 1, end);
    if (value === undefined) {
      throw parseFailure(
        file,
        lineNumber(text, start),
        text.slice(start, end),
        'expected "Name: value [kB]"',
      );
    }
    values.set(name, value);
  }
  return values;
}

/** The value of `  12345 kB` (bytes) or `  12` between `start` and `end`; undefined when malformed. */
function valueAt(text: string, start: number, end: number): number | undefined {
  let rest = text.slice(start, end).trim();
  const kibibytes = rest.endsWith(' kB');
  if (kibibytes) rest = rest.slice(0, -3).trimEnd();
  const value = unsignedField(rest);
  if (value === undefined) return undefined;
  return kibibytes ? value * 1024 : value;
}

function lineNumber(text: string, position: number): number {
  let number = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < position; at = text.indexOf('\n', at + 1)) number++;
  return number;
}
