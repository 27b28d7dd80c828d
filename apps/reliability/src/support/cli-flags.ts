import { parseArgs } from 'node:util';

/** A bad flag or flag value given to a reliability script: the message is shown, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An integer flag: `--name <n>` within [min, max]. */
export interface IntegerFlag {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
  /** Used when the flag is absent; undefined leaves the value undefined. */
  readonly default?: number;
  readonly help: string;
}

/** A switch: `--name`. */
export interface BooleanFlag {
  readonly kind: 'boolean';
  readonly help: string;
}

export type FlagSpec = Readonly<Record<string, IntegerFlag | BooleanFlag>>;

/** The parsed values: numbers for integer flags (undefined when absent without default), booleans for switches. */
export type ParsedFlags<S extends FlagSpec> = {
  -readonly [K in keyof S]: S[K] extends IntegerFlag
    ? S[K]['default'] extends number
      ? number
      : number | undefined
    : boolean;
} & { help: boolean };

/** Checks one integer flag value; throws {@link UsageError} naming the flag, the range and the text. */
export function integerValue(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  // Decimal digits only: no '', '1e3', '0x10' or '1.0'.
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max} (got "${text}")`);
  }
  return value;
}

/**
 * Parses `argv` (without node and the script; a leading `--` left by `pnpm <script> -- ...` is
 * dropped) against `spec`. Unknown flags, positionals and bad values throw {@link UsageError}.
 */
export function parseFlags<S extends FlagSpec>(argv: readonly string[], spec: S): ParsedFlags<S> {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [name, flag] of Object.entries(spec))
    options[name] = { type: flag.kind === 'integer' ? 'string' : 'boolean' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options, allowPositionals: false, strict: true }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message.replace(/\. To specify.*$/s, '') : String(error),
    );
  }
  const parsed: Record<string, number | boolean | undefined> = { help: values.help === true };
  for (const [name, flag] of Object.entries(spec)) {
    const value = values[name];
    if (flag.kind === 'boolean') parsed[name] = value === true;
    else
      parsed[name] = typeof value === 'string' ? integerValue(name, value, flag.min, flag.max) : flag.default;
  }
  return parsed as ParsedFlags<S>;
}

/** The `Options:` block of a help text, one line per flag. */
export function describeFlags(spec: FlagSpec): string {
  const rows = Object.entries(spec).map(([name, flag]) => [
    flag.kind === 'integer' ? `--${name} <n>` : `--${name}`,
    flag.kind === 'integer'
      ? `${flag.help} (${flag.min} to ${flag.max}${flag.default === undefined ? '' : `, default ${flag.default}`})`
      : flag.help,
  ]);
  rows.push(['--help', 'this help']);
  const width = Math.max(...rows.map(([left]) => left!.length));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`).join('\n');
}
