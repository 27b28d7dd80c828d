import { cpus, totalmem } from 'node:os';
import { measure } from 'mitata';

/** Median nanoseconds per call of `fn`, measured by mitata (warm-up, batching, outliers handled). */
export async function nsPerOp(fn: () => unknown, options: { minCpuTimeMs?: number } = {}): Promise<number> {
  const stats = await measure(fn, { min_cpu_time: (options.minCpuTimeMs ?? 300) * 1e6 });
  return stats.p50;
}

/** Operations per batch in {@link nsPerBatchedOp}. */
export const BATCH = 1024;

/**
 * Median nanoseconds per operation of `batch`, a function that performs {@link BATCH}
 * operations in its own loop over precomputed inputs. Each case must be its own function
 * literal: a loop shared by every case would measure a megamorphic call, not the operation.
 */
export async function nsPerBatchedOp(
  batch: () => unknown,
  options: { minCpuTimeMs?: number } = {},
): Promise<number> {
  return (await nsPerOp(batch, options)) / BATCH;
}

/** One row of a comparison: our figure and each anchor's, in the same unit, from the same run. */
export interface ComparisonRow {
  readonly name: string;
  readonly ours: number;
  readonly anchors: Readonly<Record<string, number | undefined>>;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1000) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/**
 * Prints rows as a table: our figure, each anchor's, and how many times faster we are
 * (`anchor / ours`; above 1 means we are faster). Lower is better for `unit`.
 */
export function printComparison(title: string, unit: string, rows: readonly ComparisonRow[]): void {
  const anchors = [...new Set(rows.flatMap((row) => Object.keys(row.anchors)))];
  const header = [
    'case',
    `fw0 ${unit}`,
    ...anchors.flatMap((anchor) => [`${anchor} ${unit}`, `x vs ${anchor}`]),
  ];
  const lines = rows.map((row) => [
    row.name,
    format(row.ours),
    ...anchors.flatMap((anchor) => {
      const value = row.anchors[anchor];
      return value === undefined ? ['-', '-'] : [format(value), `${(value / row.ours).toFixed(2)}x`];
    }),
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n### ${title}\n`);
  console.log(render(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const line of lines) console.log(render(line));
}

/** Targets checked by a benchmark run, printed together at the end. */
export class Targets {
  private readonly results: { label: string; pass: boolean; detail: string }[] = [];

  check(label: string, pass: boolean, detail: string): void {
    this.results.push({ label, pass, detail });
  }

  /** Prints every target with PASS/FAIL; returns true when all passed. */
  print(title = 'Targets'): boolean {
    console.log(`\n### ${title}\n`);
    for (const { label, pass, detail } of this.results)
      console.log(`- ${pass ? 'PASS' : 'FAIL'} ${label}: ${detail}`);
    return this.results.every((result) => result.pass);
  }
}

/** The machine and runtime a run was measured on. */
export function printMachine(title: string): void {
  const cpu = cpus();
  console.log(`## ${title}\n`);
  console.log(
    `Machine: ${cpu[0]?.model ?? 'unknown CPU'} x ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${new Date().toISOString()}`,
  );
}

/** Forces a full garbage collection (run benches with --expose-gc) and returns the heap in use, in bytes. */
export function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run benchmarks with node --expose-gc');
  for (let i = 0; i < 4; i++) gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
