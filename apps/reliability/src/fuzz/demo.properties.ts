import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { isFw0Error, MetricsRegistry } from '@fw0/metrics-core';
import { getNetworkCollector } from '@fw0/metrics-network';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
// The demo is an app, not a package: its modules are imported by path.
import { parseCli, UsageError } from '../../../demo/src/cli.js';
import { defaultConfig, mergeConfig } from '../../../demo/src/config.js';
import { attempt, attemptAsync, checkAsyncProperty, checkProperty, ensure, type Outcome } from './harness.js';
import { anyNumber, anyText, integerIn, junk, unicodeText } from './inputs.js';

/**
 * Bad-input properties of the demo's configuration file (`--config`) and command-line flags. The
 * models below are written from apps/demo/README.md (fields, ranges, what a probe is); a case
 * passes when the demo returns the configuration the model expects, or refuses it with a
 * UsageError (exit code 2) whose message names one of the fields the model finds wrong.
 */

const DEMO_MAIN = fileURLToPath(new URL('../../../demo/src/main.ts', import.meta.url));

// ---------------------------------------------------------------------------------------------
// The model

/** A host name as the README allows: letters, digits, `-`, `_`, dots; no lookup. */
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?$/;
const isHostModel = (value: unknown, brackets: boolean): boolean => {
  if (typeof value !== 'string') return false;
  if (brackets && value.startsWith('[') && value.endsWith(']')) return isIP(value.slice(1, -1)) === 6;
  return isIP(value) !== 0 || HOST_NAME.test(value);
};
const isUrlModel = (value: unknown): boolean => {
  if (typeof value !== 'string' || value === '') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};
const isLabelModel = (value: unknown): boolean =>
  typeof value === 'string' && value !== '' && value.length <= 200 && value.isWellFormed();
const isPositiveAtMost = (value: unknown, max: number): boolean =>
  typeof value === 'number' && value > 0 && value <= max;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the model says of a parsed configuration: its expected value, or the fields at fault. */
type Verdict = { ok: true; config: Record<string, unknown> } | { ok: false; fields: Set<string> };

const FIELDS: Record<string, (value: unknown) => boolean> = {
  host: (value) => isHostModel(value, false),
  port: (value) => integerIn(value, 0, 65_535),
  workers: (value) => integerIn(value, 0, 64),
  extraSeries: (value) => integerIn(value, 0, 1_000_000),
};
const SECTIONS: Record<string, Record<string, (value: unknown) => boolean>> = {
  system: {
    enabled: (value) => typeof value === 'boolean',
    intervalSeconds: (value) => isPositiveAtMost(value, 3600),
  },
  runtime: {
    enabled: (value) => typeof value === 'boolean',
    intervalMs: (value) => integerIn(value, 10, 3_600_000),
  },
  workload: {
    enabled: (value) => typeof value === 'boolean',
    requestsPerSecond: (value) => isPositiveAtMost(value, 10_000),
  },
};
const PROBE_KEYS = {
  http: ['kind', 'url', 'intervalMs', 'timeoutMs', 'target'],
  tcp: ['kind', 'host', 'port', 'intervalMs', 'timeoutMs', 'target'],
};

function probeVerdict(item: unknown, field: string, bad: Set<string>): Record<string, unknown> | undefined {
  if (!isPlainObject(item)) {
    bad.add(field);
    return undefined;
  }
  const before = bad.size;
  const check = (name: string, valid: boolean) => {
    if (!valid) bad.add(`${field}.${name}`);
  };
  if (item.intervalMs !== undefined) check('intervalMs', integerIn(item.intervalMs, 100, 3_600_000));
  if (item.timeoutMs !== undefined) check('timeoutMs', integerIn(item.timeoutMs, 1, 60_000));
  if (item.target !== undefined) check('target', isLabelModel(item.target));
  const kind = item.kind;
  if (kind !== 'http' && kind !== 'tcp') {
    bad.add(`${field}.kind`);
    return undefined;
  }
  for (const key of Object.keys(item)) if (!PROBE_KEYS[kind].includes(key)) bad.add(`${field}.${key}`);
  if (kind === 'http') check('url', isUrlModel(item.url));
  else {
    check('host', isHostModel(item.host, true));
    check('port', integerIn(item.port, 1, 65_535));
  }
  if (bad.size > before) return undefined;
  return {
    kind,
    ...(kind === 'http' ? { url: item.url } : { host: item.host, port: item.port }),
    intervalMs: item.intervalMs ?? 5000,
    timeoutMs: item.timeoutMs ?? 2000,
    ...(item.target === undefined ? {} : { target: item.target }),
  };
}

/** The model's verdict on a configuration as JSON.parse returned it. */
function configVerdict(data: unknown): Verdict {
  const bad = new Set<string>();
  if (!isPlainObject(data)) return { ok: false, fields: new Set(['the top level']) };
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (Object.hasOwn(FIELDS, key)) {
      if (FIELDS[key]!(value)) config[key] = value;
      else bad.add(key);
    } else if (Object.hasOwn(SECTIONS, key)) {
      if (!isPlainObject(value)) {
        bad.add(key);
        continue;
      }
      const section: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) {
        const valid = Object.hasOwn(SECTIONS[key]!, name) ? SECTIONS[key]![name] : undefined;
        if (valid === undefined) bad.add(`${key}.${name}`);
        else if (item !== undefined && !valid(item)) bad.add(`${key}.${name}`);
        else if (item !== undefined) section[name] = item;
      }
      config[key] = section;
    } else if (key === 'probes') {
      if (!Array.isArray(value) || value.length > 100) {
        bad.add('probes');
        continue;
      }
      config.probes = value.map((item, index) => probeVerdict(item, `probes[${index}]`, bad));
    } else bad.add(key);
  }
  return bad.size > 0 ? { ok: false, fields: bad } : { ok: true, config };
}

// ---------------------------------------------------------------------------------------------
// Generators: valid values most of the time, then wrong types, out of range, huge, unicode

/**
 * A field's value: valid most of the time (so that most configurations have one fault or none,
 * and the valid ones are checked value by value), otherwise anything of `invalid`.
 */
const mostly = (valid: fc.Arbitrary<unknown>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: valid, weight: 24 }, { arbitrary: invalid, weight: 1 });

const HOSTS = ['127.0.0.1', '::1', 'localhost', 'db-1.internal', '0.0.0.0', 'a_b', '10.1.2.3'];
const BAD_HOSTS = [
  '',
  ' ',
  'a b',
  '-x',
  'x-',
  'café',
  'host:80',
  '[]',
  '[::1',
  '1.2.3.4.5',
  '<img>',
  'a'.repeat(300),
];

const validHost = fc.oneof(
  fc.constantFrom(...HOSTS),
  fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}[a-z0-9]$/),
);
const hostInput = (brackets: boolean): fc.Arbitrary<unknown> =>
  mostly(
    brackets ? fc.oneof(validHost, fc.constantFrom('[::1]', '[fe80::1]')) : validHost,
    fc.oneof(fc.constantFrom(...BAD_HOSTS, '[127.0.0.1]', '[::1]'), anyText(12), junk),
  );

/** An integer field: in its range, or at its edges and beyond, or not an integer at all. */
const integerAround = (min: number, max: number): fc.Arbitrary<unknown> =>
  mostly(
    fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max)),
    fc.oneof(fc.constantFrom(min - 1, max + 1, min + 0.5, 1e308, 2 ** 53, String(min)), anyNumber, junk),
  );

const positiveAround = (max: number): fc.Arbitrary<unknown> =>
  mostly(
    fc.oneof(fc.double({ min: Number.MIN_VALUE, max, noNaN: true }), fc.constantFrom(max, Number.MIN_VALUE)),
    fc.oneof(fc.constantFrom(0, -1, max * 1.000_001, -0), anyNumber, junk),
  );

const booleanInput: fc.Arbitrary<unknown> = mostly(fc.boolean(), fc.constantFrom('true', 0, 1, null, 'yes'));

const labelInput: fc.Arbitrary<unknown> = mostly(
  fc.oneof(
    unicodeText(30).filter((text) => text !== ''),
    fc.constantFrom('x'.repeat(200), '<img src=x onerror=alert(1)>', '</script>"\''),
  ),
  fc.oneof(fc.constantFrom('', 'x'.repeat(201), 'a\uD800b', '\uDFFF'), anyText(12), junk),
);

const urlInput: fc.Arbitrary<unknown> = mostly(
  fc.oneof(
    fc.webUrl({ validSchemes: ['http', 'https'] }),
    fc.constantFrom('http://127.0.0.1:8080/health', 'https://[::1]/x?y=1', `http://x/${'a'.repeat(5000)}`),
  ),
  fc.oneof(
    fc.constantFrom(
      'ftp://x/',
      'file:///etc/passwd',
      'http://',
      'http//x',
      '127.0.0.1',
      'javascript:alert(1)',
      '',
    ),
    anyText(16),
    junk,
  ),
);

/** Extra keys that no part of the configuration knows (`__proto__` included, as an own key). */
const unknownKey = fc.constantFrom('colour', '__proto__', 'constructor', 'Port', 'probes ', 'é', '');

/** An object from entries: own data properties, so `__proto__` stays a key. */
const objectOf = (entries: [string, unknown][]): Record<string, unknown> => Object.fromEntries(entries);

/** Some of the given fields, rarely an unknown one; rarely not an object at all. */
const sectionInput = (
  fields: Record<string, fc.Arbitrary<unknown>>,
  requiredKeys: string[] = [],
): fc.Arbitrary<unknown> =>
  mostly(
    fc
      .tuple(
        fc.record(fields, { requiredKeys }),
        fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 30 },
          { arbitrary: fc.tuple(unknownKey, junk), weight: 1 },
        ),
      )
      .map(([record, extra]) => objectOf([...Object.entries(record), ...(extra ? [extra] : [])])),
    junk,
  );

const probeInput: fc.Arbitrary<unknown> = fc.oneof(
  sectionInput(
    {
      kind: mostly(fc.constant('http'), fc.constantFrom('udp', 'HTTP', '', 1, null)),
      url: urlInput,
      intervalMs: integerAround(100, 3_600_000),
      timeoutMs: integerAround(1, 60_000),
      target: labelInput,
    },
    ['kind', 'url'],
  ),
  sectionInput(
    {
      kind: mostly(fc.constant('tcp'), fc.constantFrom('udp', 'TCP', '', 1, null)),
      host: hostInput(true),
      port: integerAround(1, 65_535),
      intervalMs: integerAround(100, 3_600_000),
      timeoutMs: integerAround(1, 60_000),
      target: labelInput,
    },
    ['kind', 'host', 'port'],
  ),
);

const configInput: fc.Arbitrary<unknown> = mostly(
  sectionInput({
    host: hostInput(false),
    port: integerAround(0, 65_535),
    workers: integerAround(0, 64),
    extraSeries: integerAround(0, 1_000_000),
    system: sectionInput({ enabled: booleanInput, intervalSeconds: positiveAround(3600) }),
    runtime: sectionInput({ enabled: booleanInput, intervalMs: integerAround(10, 3_600_000) }),
    workload: sectionInput({ enabled: booleanInput, requestsPerSecond: positiveAround(10_000) }),
    probes: mostly(
      fc.array(probeInput, { maxLength: 3 }),
      fc.oneof(
        fc.constant(null).map(() => Array.from({ length: 101 }, () => ({ kind: 'tcp' }))),
        junk,
      ),
    ),
  }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Raw file contents: JSON of a configuration, or text that is not JSON at all. */
const fileInput: fc.Arbitrary<{ text: string }> = fc.oneof(
  { arbitrary: configInput.map((data) => ({ text: JSON.stringify(data) ?? 'undefined' })), weight: 30 },
  {
    arbitrary: fc
      .constantFrom(
        '',
        '{',
        '{"port": 1,}',
        "{'port': 1}",
        '\uFEFF{}',
        'null',
        '[]',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
      )
      .map((text) => ({ text })),
    weight: 1,
  },
  { arbitrary: unicodeText(40).map((text) => ({ text })), weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// Checks

/** The error is a UsageError whose message names one of `fields` (after `prefix`). */
function ensureNamesAField(
  outcome: Outcome<unknown>,
  prefix: string,
  fields: ReadonlySet<string>,
  what: string,
): void {
  ensure(!outcome.ok, () => `${what}: accepted, expected an error naming one of ${[...fields].join(', ')}`);
  const error = (outcome as { error: unknown }).error;
  ensure(
    error instanceof UsageError,
    () => `${what}: threw ${(error as Error)?.name} (${(error as Error)?.message}), expected a UsageError`,
  );
  const message = error.message;
  ensure(
    message.startsWith(prefix),
    () => `${what}: message ${JSON.stringify(message)} does not start with ${prefix}`,
  );
  const rest = message.slice(prefix.length);
  ensure(
    [...fields].some(
      (field) => rest.startsWith(`${field} must be `) || rest.startsWith(`unknown field ${field} (`),
    ),
    () => `${what}: ${JSON.stringify(message.slice(0, 300))} names none of ${JSON.stringify([...fields])}`,
  );
  ensure(message.length < 1000, () => `${what}: a ${message.length}-character message`);
}

/** The call threw a UsageError whose message `names` one of `expected`. */
function ensureUsageError(
  outcome: Outcome<unknown>,
  what: string,
  expected: readonly string[],
  names: (message: string, item: string) => boolean,
): void {
  ensure(!outcome.ok && outcome.error instanceof UsageError, () => `${what}: accepted or not a UsageError`);
  const message = (outcome as { error: Error }).error.message;
  ensure(
    expected.some((item) => names(message, item)),
    () => `${what}: ${message} names none of ${expected.join(', ')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Flags

type FlagName = 'host' | 'port' | 'duration' | 'interval' | 'workers' | 'extra-series';
const NUMBER_FLAGS: Record<Exclude<FlagName, 'host'>, { min: number; max: number; integer: boolean }> = {
  port: { min: 0, max: 65_535, integer: true },
  duration: { min: 1, max: 86_400, integer: false },
  interval: { min: 0.1, max: 3600, integer: false },
  workers: { min: 0, max: 64, integer: true },
  'extra-series': { min: 0, max: 1_000_000, integer: true },
};
const flagValueValid = (flag: FlagName, text: string): boolean => {
  if (flag === 'host') return isHostModel(text, false);
  const { min, max, integer } = NUMBER_FLAGS[flag];
  if (!/^\d+(\.\d+)?$/.test(text)) return false;
  const value = Number(text);
  return value >= min && value <= max && (!integer || Number.isInteger(value));
};

const flagValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 70_000 }).map(String), weight: 4 },
  { arbitrary: fc.double({ min: 0, max: 100_000, noNaN: true }).map(String), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      '',
      ' 5',
      '5 ',
      '0x10',
      '1e3',
      '-1',
      '+5',
      '0.1',
      '0.05',
      '1.',
      '.5',
      '٣',
      'Infinity',
      'NaN',
      '9'.repeat(400),
      '127.0.0.1',
      'localhost',
      '::1',
      'a b',
    ),
    weight: 3,
  },
  { arbitrary: anyText(10), weight: 1 },
);

/** One option of an argv, with the model's word on it. */
interface Token {
  readonly args: string[];
  /** Set when the token alone is wrong at parse time (the text an error must contain). */
  readonly parseError?: string;
  readonly flag?: FlagName;
  readonly value?: string;
  readonly help?: boolean;
  /** The content of the configuration file the token names, for failure messages. */
  readonly file?: string;
}

const tokenInput: fc.Arbitrary<Token> = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom<FlagName>('host', 'port', 'duration', 'interval', 'workers', 'extra-series'),
        flagValue,
        fc.boolean(),
      )
      .map(
        ([flag, value, equals]): Token => ({
          // parseArgs reads a value that starts with "-" after a space as an option of its own.
          args:
            equals || value.startsWith('-') || value === '' ? [`--${flag}=${value}`] : [`--${flag}`, value],
          flag,
          value,
        }),
      ),
    weight: 8,
  },
  { arbitrary: fc.constantFrom<Token>({ args: ['--no-workload'] }, { args: ['--no-live'] }), weight: 2 },
  {
    arbitrary: fc.constantFrom<Token>({ args: ['--help'], help: true }, { args: ['-h'], help: true }),
    weight: 1,
  },
  {
    arbitrary: fc.constantFrom<Token>(
      { args: ['--colour'], parseError: "'--colour'" },
      { args: ['--no-live=yes'], parseError: "'--no-live'" },
      { args: ['extra'], parseError: "'extra'" },
      { args: ['--Port', '1'], parseError: "'--Port'" },
    ),
    weight: 1,
  },
);

/** What the model expects of an argv: parse error text, help, or each flag's last value. */
function flagsVerdict(tokens: readonly Token[]): { parseErrors: string[]; help: boolean; bad: Set<string> } {
  const parseErrors = tokens.flatMap((token) => (token.parseError ? [token.parseError] : []));
  const values = new Map<FlagName, string>();
  for (const token of tokens) if (token.flag) values.set(token.flag, token.value!);
  const bad = new Set<string>();
  for (const [flag, value] of values) if (!flagValueValid(flag, value)) bad.add(`--${flag}`);
  return { parseErrors, help: tokens.some((token) => token.help), bad };
}

// ---------------------------------------------------------------------------------------------

export function demoProperties(): void {
  const directory = mkdtempSync(join(tmpdir(), 'fw0-fuzz-demo-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  let fileCount = 0;
  const writeConfig = (text: string): string => {
    const path = join(directory, `config-${fileCount++}.json`);
    writeFileSync(path, text);
    return path;
  };

  describe('apps/demo', () => {
    it('configuration files (--config): the configuration the README describes, or an error naming the field', () => {
      checkProperty(
        'demo.config-file',
        fileInput,
        ({ text }) => {
          const path = writeConfig(text);
          const outcome = attempt(() => parseCli(['--config', path]));
          let data: unknown;
          try {
            data = JSON.parse(text);
          } catch {
            ensure(!outcome.ok && outcome.error instanceof UsageError, 'text that is not JSON was accepted');
            ensure(
              (outcome as { error: Error }).error.message.startsWith(`config ${path} is not valid JSON: `),
              () => `bad JSON: ${(outcome as { error: Error }).error.message}`,
            );
            return;
          }
          const verdict = configVerdict(data);
          if (!verdict.ok) {
            ensureNamesAField(outcome, `config ${path}: `, verdict.fields, `config ${text.slice(0, 300)}`);
            return;
          }
          ensure(
            outcome.ok,
            () => `config ${text.slice(0, 300)}: refused: ${String((outcome as { error: unknown }).error)}`,
          );
          const expected = mergeConfig(defaultConfig(), verdict.config);
          const actual = (outcome as { value: ReturnType<typeof parseCli> }).value.config;
          ensure(
            isDeepStrictEqual(actual, expected),
            () =>
              `config ${text.slice(0, 300)}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
          );
        },
        2000,
      );
    });

    it('command-line flags: the options the model expects, or a UsageError naming the flag', () => {
      checkProperty(
        'demo.cli-flags',
        fc.array(tokenInput, { maxLength: 5 }),
        (tokens) => {
          const argv = tokens.flatMap((token) => token.args);
          const outcome = attempt(() => parseCli(argv));
          const what = `argv ${JSON.stringify(argv)}`;
          const verdict = flagsVerdict(tokens);
          if (verdict.parseErrors.length > 0) {
            ensureUsageError(outcome, what, verdict.parseErrors, (message, text) => message.includes(text));
            return;
          }
          if (verdict.help) {
            ensure(outcome.ok && outcome.value.help, () => `${what}: --help did not return help`);
            return;
          }
          if (verdict.bad.size > 0) {
            ensureUsageError(outcome, what, [...verdict.bad], (message, flag) =>
              message.startsWith(`${flag} must be `),
            );
            return;
          }
          ensure(outcome.ok, () => `${what}: refused: ${String((outcome as { error: unknown }).error)}`);
          const options = (outcome as { value: ReturnType<typeof parseCli> }).value;
          const last = (flag: FlagName) => tokens.findLast((token) => token.flag === flag)?.value;
          const number = (flag: Exclude<FlagName, 'host'>) => {
            const text = last(flag);
            return text === undefined ? undefined : Number(text);
          };
          const defaults = defaultConfig();
          ensure(options.config.host === (last('host') ?? defaults.host), `${what}: host`);
          ensure(options.config.port === (number('port') ?? defaults.port), `${what}: port`);
          ensure(options.config.workers === (number('workers') ?? defaults.workers), `${what}: workers`);
          ensure(options.config.extraSeries === (number('extra-series') ?? 0), `${what}: extra-series`);
          ensure(
            options.config.system.intervalSeconds === (number('interval') ?? defaults.system.intervalSeconds),
            `${what}: interval`,
          );
          ensure(options.durationSeconds === number('duration'), `${what}: duration`);
          ensure(
            options.config.workload.enabled === !argv.includes('--no-workload'),
            `${what}: --no-workload`,
          );
          // Tests run without a terminal: never live.
          ensure(options.live === false, `${what}: live`);
        },
        2000,
      );
    });

    it('the command itself: a bad flag or configuration exits with code 2 and says what was wrong', () => {
      const bad = fc.oneof(
        fc.array(tokenInput, { minLength: 1, maxLength: 3 }).filter((tokens) => {
          const verdict = flagsVerdict(tokens);
          return !verdict.help && (verdict.parseErrors.length > 0 || verdict.bad.size > 0);
        }),
        configInput
          .filter((data) => !configVerdict(JSON.parse(JSON.stringify(data) ?? 'null')).ok)
          .map((data): Token[] => {
            const file = JSON.stringify(data) ?? '';
            return [{ args: ['--config', writeConfig(file)], file }];
          }),
      );
      checkProperty(
        'demo.cli-exit-code',
        bad,
        (tokens) => {
          const argv = tokens.flatMap((token) => token.args);
          // From sources, as the demo's own CLI tests run it; bounded by a timeout.
          const result = spawnSync(process.execPath, ['--import', 'tsx', DEMO_MAIN, ...argv], {
            encoding: 'utf8',
            timeout: 30_000,
          });
          const files = tokens.flatMap((token) =>
            token.file === undefined ? [] : [token.file.slice(0, 500)],
          );
          const what = `fw0-demo ${JSON.stringify(argv)}${files.length > 0 ? ` (file ${files.join(', ')})` : ''}`;
          ensure(result.status === 2, () => `${what}: exit code ${result.status}, stderr ${result.stderr}`);
          ensure(result.stdout === '', () => `${what}: printed ${result.stdout}`);
          ensure(
            /^fw0-demo: .+\nRun with --help to see every option\.\n$/s.test(result.stderr),
            () => `${what}: stderr ${JSON.stringify(result.stderr)}`,
          );
          ensure(!result.stderr.includes('    at '), () => `${what}: a stack trace: ${result.stderr}`);
        },
        6,
      );
    });

    it('valid probe configurations are accepted by the network collector (loopback targets)', async () => {
      const loopbackProbe = fc.oneof(
        fc.record({
          kind: fc.constant('http' as const),
          url: fc
            .tuple(fc.constantFrom('127.0.0.1', '[::1]'), fc.webPath(), fc.webQueryParameters())
            .map(([host, path, query]) => `http://${host}:1${path}${query ? `?${query}` : ''}`),
          intervalMs: fc.integer({ min: 100, max: 3_600_000 }),
          timeoutMs: fc.integer({ min: 1, max: 300 }),
          target: fc.option(labelInput, { nil: undefined }),
        }),
        fc.record({
          kind: fc.constant('tcp' as const),
          host: fc.constantFrom('127.0.0.1', '::1', '[::1]'),
          port: fc.constant(1),
          intervalMs: fc.integer({ min: 100, max: 3_600_000 }),
          timeoutMs: fc.integer({ min: 1, max: 300 }),
          target: fc.option(labelInput, { nil: undefined }),
        }),
      );
      await checkAsyncProperty(
        'demo.probes-accepted',
        fc.array(loopbackProbe, { minLength: 1, maxLength: 3 }),
        async (probes) => {
          const data = { probes: probes.map((probe) => JSON.parse(JSON.stringify(probe))) };
          const verdict = configVerdict(data);
          if (!verdict.ok) return; // Refused by the demo (a bad label): covered above.
          const options = parseCli(['--config', writeConfig(JSON.stringify(data))]);
          const network = getNetworkCollector({ registry: new MetricsRegistry() });
          try {
            const outcome = await attemptAsync(() => network.startProbes(options.config.probes));
            if (outcome.ok) return;
            // The one thing only the set of probes shows: two with one target label. The demo
            // turns it into a usage error (exit 2) at start.
            ensure(
              isFw0Error(outcome.error) && /already being probed/.test(outcome.error.message),
              () =>
                `probes ${JSON.stringify(options.config.probes)} passed validation but the network collector refused them: ${String(outcome.error)}`,
            );
          } finally {
            await network.close();
          }
        },
        40,
      );
    });
  });
}
