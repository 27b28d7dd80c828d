import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFw0Error } from '@fw0/metrics-core';
import fc from 'fast-check';
import { afterAll, beforeAll } from 'vitest';

/**
 * The fuzz suite's harness: one seed for every property (fixed, or `FW0_FUZZ_SEED`), explicit
 * run counts, a count of the cases each property actually ran, and the report written at the end
 * (`apps/reliability/.reports/fuzz-cases.json`, a gitignored folder).
 */

/** The seed when `FW0_FUZZ_SEED` is not set. */
export const DEFAULT_SEED = 20_251_125;

function readSeed(): number {
  const text = process.env.FW0_FUZZ_SEED;
  if (text === undefined || text.trim() === '') return DEFAULT_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed))
    throw new Error(`FW0_FUZZ_SEED must be an integer (got ${JSON.stringify(text)})`);
  return seed;
}

/** The seed of this run. */
export const SEED = readSeed();

/** Where the table of cases of suite `suite` goes (one file per package suite). */
export function reportPath(suite: string): string {
  return fileURLToPath(new URL(`../../.reports/fuzz-cases-${suite}.json`, import.meta.url));
}

interface PropertyRecord {
  name: string;
  numRuns: number;
  cases: number;
  milliseconds: number;
}

const records = new Map<string, PropertyRecord>();

/** A distinct seed per property, derived from the run's seed and the property's name (FNV-1a). */
function seedOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (SEED ^ hash) | 0;
}

function record(name: string, numRuns: number): PropertyRecord {
  if (records.has(name)) throw new Error(`property "${name}" is defined twice`);
  const entry: PropertyRecord = { name, numRuns, cases: 0, milliseconds: 0 };
  records.set(name, entry);
  return entry;
}

/** Checks `predicate` on `numRuns` values of `arbitrary`, counting the cases run. */
export function checkProperty<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => void,
  numRuns: number,
): void {
  const entry = record(name, numRuns);
  const started = performance.now();
  try {
    fc.assert(
      fc.property(arbitrary, (value) => {
        entry.cases++;
        predicate(value);
      }),
      { numRuns, seed: seedOf(name), endOnFailure: false },
    );
  } finally {
    entry.milliseconds += performance.now() - started;
  }
}

/** The same for asynchronous predicates. */
export async function checkAsyncProperty<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  numRuns: number,
): Promise<void> {
  const entry = record(name, numRuns);
  const started = performance.now();
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        entry.cases++;
        await predicate(value);
      }),
      { numRuns, seed: seedOf(name), endOnFailure: false },
    );
  } finally {
    entry.milliseconds += performance.now() - started;
  }
}

/** What a call did: returned a value, or threw. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

/** Runs `call`, catching what it throws. */
export function attempt<T>(call: () => T): Outcome<T> {
  try {
    return { ok: true, value: call() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Awaits `call`, catching what it throws or rejects with. */
export async function attemptAsync<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

function show(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * The outcome must be one of: success when `allowed` is empty (the input is valid); otherwise a
 * typed fw0 error whose code is in `allowed`, and success only if `mayPass` says the input may
 * also be accepted (an outcome the documentation leaves open). Anything else throws,
 * failing the property with the input shown.
 */
export function expectOutcome<T>(
  outcome: Outcome<T>,
  allowed: ReadonlySet<string>,
  what: string,
  mayPass = false,
): outcome is { ok: true; value: T } {
  if (outcome.ok) {
    if (allowed.size > 0 && !mayPass) {
      throw new Error(`${what}: accepted, expected a typed error with code ${[...allowed].join(' or ')}`);
    }
    return true;
  }
  const error = outcome.error;
  if (!isFw0Error(error)) {
    throw new Error(
      `${what}: threw an untyped error ${show((error as Error)?.name)}: ${show((error as Error)?.message)}`,
      { cause: error },
    );
  }
  if (allowed.size === 0)
    throw new Error(`${what}: rejected valid input with ${error.code}: ${error.message}`);
  if (!allowed.has(error.code)) {
    throw new Error(`${what}: threw ${error.code} (${error.message}), expected ${[...allowed].join(' or ')}`);
  }
  return false;
}

/** A set of error codes, built up as faults are found in an input. */
export class Faults {
  readonly codes = new Set<string>();
  add(code: string, present = true): this {
    if (present) this.codes.add(code);
    return this;
  }
  get none(): boolean {
    return this.codes.size === 0;
  }
}

/** Asserts `condition`, naming what failed (so a failing case says why). */
export function ensure(condition: boolean, message: string | (() => string)): asserts condition {
  if (!condition) throw new Error(typeof message === 'string' ? message : message());
}

/** Asserts that two values are equal as JSON (key order included). */
export function ensureSame(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}: ${a?.slice(0, 2000)} !== ${b?.slice(0, 2000)}`);
}

/** Every property run so far, in order, with the total. */
export function caseTable(): { seed: number; total: number; properties: PropertyRecord[] } {
  const properties = [...records.values()];
  return { seed: SEED, total: properties.reduce((sum, item) => sum + item.cases, 0), properties };
}

/**
 * Declares the fuzz suite of one package in a test file: prints the seed first, then the table
 * of cases at the end, written to {@link reportPath}. `register` defines the properties
 * (describe/it blocks calling {@link checkProperty}).
 */
export function fuzzSuite(suite: string, register: () => void): void {
  let started = 0;
  beforeAll(() => {
    started = performance.now();
    console.log(`fuzz seed ${SEED}`);
  });
  afterAll(() => reportCases(suite, performance.now() - started));
  register();
}

/** Prints the table of cases and writes it to {@link reportPath}. */
export function reportCases(suite: string, wallMilliseconds: number): void {
  const table = caseTable();
  const width = Math.max(8, ...table.properties.map((item) => item.name.length));
  const lines = [
    `fuzz seed ${table.seed}${process.env.FW0_FUZZ_SEED ? ' (FW0_FUZZ_SEED)' : ' (fixed; set FW0_FUZZ_SEED to change)'}`,
    `${'property'.padEnd(width)}  ${'cases'.padStart(7)}  ${'ms'.padStart(7)}`,
    ...table.properties.map(
      (item) =>
        `${item.name.padEnd(width)}  ${String(item.cases).padStart(7)}  ${item.milliseconds.toFixed(0).padStart(7)}`,
    ),
    `${'total'.padEnd(width)}  ${String(table.total).padStart(7)}  ${wallMilliseconds.toFixed(0).padStart(7)}`,
  ];
  console.log(lines.join('\n'));
  const path = reportPath(suite);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `${JSON.stringify(
      {
        seed: table.seed,
        seedFromEnvironment:
          process.env.FW0_FUZZ_SEED !== undefined && process.env.FW0_FUZZ_SEED.trim() !== '',
        totalCases: table.total,
        wallMilliseconds: Math.round(wallMilliseconds),
        properties: table.properties.map((item) => ({
          name: item.name,
          cases: item.cases,
          numRuns: item.numRuns,
          milliseconds: Math.round(item.milliseconds),
        })),
      },
      null,
      2,
    )}\n`,
  );
}
