import { ParseError } from '../errors.js';

/** One sample line. */
export interface ParsedSample {
  /** Sample name as written (`x_total`, `h_bucket`...). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Timestamp as written, if any. */
  readonly timestamp?: number;
}

/** A metric family: its metadata and samples. */
export interface ParsedFamily {
  readonly name: string;
  /** `counter`, `gauge`, `histogram`, `summary`, `untyped`, `unknown`... */
  readonly type: string;
  readonly help: string | undefined;
  readonly unit: string | undefined;
  readonly samples: ParsedSample[];
}

/** A parsed exposition. */
export interface ParsedExposition {
  readonly families: ParsedFamily[];
  /** True when the text ended with `# EOF` (OpenMetrics). */
  readonly eof: boolean;
}

const SAMPLE_SUFFIXES = ['_total', '_bucket', '_count', '_sum', '_created', '_info', '_gcount', '_gsum'];

/**
 * Parses Prometheus text 0.0.4 or OpenMetrics 1.0 text into families and samples, unescaping
 * label values and HELP. Strict about the grammar: throws {@link ParseError} naming the line.
 * Meant for tests, tools and aggregation of scraped text, not for a scrape-time hot path.
 */
export function parseExposition(text: string): ParsedExposition {
  const families: ParsedFamily[] = [];
  const byName = new Map<string, ParsedFamily & { samples: ParsedSample[] }>();
  let current: (ParsedFamily & { samples: ParsedSample[] }) | undefined;
  let eof = false;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const family = (name: string) => {
    let found = byName.get(name);
    if (found === undefined) {
      found = { name, type: 'untyped', help: undefined, unit: undefined, samples: [] };
      byName.set(name, found);
      families.push(found);
    }
    return found;
  };
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (eof) throw new ParseError(`${where}: text after # EOF`, { value: line });
    if (line.startsWith('#')) {
      // dotAll: HELP text may hold \r, U+2028 and U+2029 (only \n and \\ are escaped).
      const match = /^# (HELP|TYPE|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*)(?: (.*))?$/s.exec(line);
      if (line === '# EOF') {
        eof = true;
        return;
      }
      if (match === null) return; // a comment
      const [, keyword, name, rest = ''] = match;
      const target = family(name!);
      current = target;
      const mutable = target as { -readonly [K in keyof ParsedFamily]: ParsedFamily[K] };
      if (keyword === 'HELP') mutable.help = unescapeHelp(rest, where);
      else if (keyword === 'TYPE') mutable.type = rest;
      else mutable.unit = rest;
      return;
    }
    if (line.trim() === '') return;
    const sample = parseSample(line, where);
    let owner = current;
    if (owner === undefined || !belongsTo(sample.name, owner.name)) {
      owner = byName.get(sample.name) ?? ownerBySuffix(byName, sample.name) ?? family(sample.name);
    }
    current = owner;
    owner.samples.push(sample);
  });
  return { families, eof };
}

function belongsTo(sample: string, familyName: string): boolean {
  if (sample === familyName) return true;
  return SAMPLE_SUFFIXES.some((suffix) => sample === familyName + suffix);
}

function ownerBySuffix(byName: Map<string, ParsedFamily & { samples: ParsedSample[] }>, sample: string) {
  for (const suffix of SAMPLE_SUFFIXES) {
    if (sample.endsWith(suffix)) {
      const owner = byName.get(sample.slice(0, -suffix.length));
      if (owner !== undefined) return owner;
    }
  }
  return undefined;
}

function parseSample(line: string, where: string): ParsedSample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (nameMatch === null) throw new ParseError(`${where}: expected a metric name`, { value: line });
  const name = nameMatch[0];
  let position = name.length;
  const labels: Record<string, string> = {};
  if (line[position] === '{') {
    position++;
    while (line[position] !== '}') {
      const labelMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(position));
      if (labelMatch === null)
        throw new ParseError(`${where}: expected a label name at column ${position + 1}`, { value: line });
      const label = labelMatch[0];
      position += label.length;
      if (line[position] !== '=' || line[position + 1] !== '"') {
        throw new ParseError(`${where}: expected =" after label ${label}`, { value: line });
      }
      position += 2;
      let value = '';
      for (;;) {
        const char = line[position];
        if (char === undefined) throw new ParseError(`${where}: unterminated label value`, { value: line });
        if (char === '"') break;
        if (char === '\\') {
          const next = line[position + 1];
          if (next === 'n') value += '\n';
          else if (next === '\\' || next === '"') value += next;
          else
            throw new ParseError(`${where}: invalid escape \\${next ?? ''} in label value`, { value: line });
          position += 2;
          continue;
        }
        value += char;
        position++;
      }
      position++;
      if (Object.hasOwn(labels, label))
        throw new ParseError(`${where}: duplicate label ${label}`, { value: line });
      labels[label] = value;
      if (line[position] === ',') position++;
      else if (line[position] !== '}')
        throw new ParseError(`${where}: expected , or } after a label`, { value: line });
    }
    position++;
  }
  if (line[position] !== ' ')
    throw new ParseError(`${where}: expected a space before the value`, { value: line });
  const fields = line.slice(position + 1).split(' ');
  if (fields.length > 2 || fields[0] === '')
    throw new ParseError(`${where}: expected a value and an optional timestamp`, { value: line });
  const value = parseNumber(fields[0]!, where);
  if (fields.length === 2) return { name, labels, value, timestamp: parseNumber(fields[1]!, where) };
  return { name, labels, value };
}

function parseNumber(text: string, where: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text))
    throw new ParseError(`${where}: invalid number ${text}`, { value: text });
  return Number(text);
}

function unescapeHelp(text: string, where: string): string {
  return text.replace(/\\(.?)/g, (_, next: string) => {
    if (next === 'n') return '\n';
    if (next === '\\' || next === '"') return next;
    throw new ParseError(`${where}: invalid escape \\${next} in HELP`, { value: text });
  });
}
