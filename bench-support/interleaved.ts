import { type ComparisonRow, nsPerBatchedOp } from './harness.js';
import { median } from './stats.js';

/** Rounds of every case, interleaved; each figure is its median over the rounds. */
export const ROUNDS = 5;

/** CPU time mitata spends on one figure of one round, in milliseconds. */
const MIN_CPU_TIME_MS = 120;

/** One case: our batch and each anchor's doing the same work ({@link BATCH} operations each). */
export interface BenchCase {
  readonly name: string;
  readonly ours: () => unknown;
  readonly anchors: Readonly<Record<string, () => unknown>>;
}

/** A measured case: median figures, and the anchor / fw0 ratio of each round. */
export interface MeasuredCase extends ComparisonRow {
  /** anchor name -> `anchor / ours` of each round (both measured back to back). */
  readonly roundRatios: Readonly<Record<string, readonly number[]>>;
}

/**
 * Measures every case over {@link ROUNDS} rounds: in each round every case runs once, ours and
 * its anchors back to back (ours first in even rounds, last in odd ones, so neither always
 * follows the other). A noisy moment on a shared machine then spoils one round of one case,
 * not its verdict: figures are medians over the rounds, and ratios are taken within a round.
 */
export async function measureInterleaved(cases: readonly BenchCase[]): Promise<MeasuredCase[]> {
  const figures = cases.map(() => new Map<string, number[]>());
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, benchCase] of cases.entries()) {
      const entries: [string, () => unknown][] = [
        ['ours', benchCase.ours],
        ...Object.entries(benchCase.anchors),
      ];
      if (round % 2 === 1) entries.reverse();
      for (const [who, batch] of entries) {
        const figure = await nsPerBatchedOp(batch, { minCpuTimeMs: MIN_CPU_TIME_MS });
        const list = figures[index]!.get(who) ?? [];
        list.push(figure);
        figures[index]!.set(who, list);
      }
    }
  }
  return cases.map((benchCase, index) => {
    const byWho = figures[index]!;
    const ours = byWho.get('ours')!;
    const anchors: Record<string, number> = {};
    const roundRatios: Record<string, number[]> = {};
    for (const anchor of Object.keys(benchCase.anchors)) {
      const theirs = byWho.get(anchor)!;
      anchors[anchor] = median(theirs);
      roundRatios[anchor] = theirs.map((figure, round) => figure / ours[round]!);
    }
    return { name: benchCase.name, ours: median(ours), anchors, roundRatios };
  });
}

/** The median over the rounds of `anchor / ours`, and the lowest and highest round. */
export function ratioOf(row: MeasuredCase, anchor: string): { median: number; low: number; high: number } {
  const ratios = row.roundRatios[anchor];
  if (ratios === undefined || ratios.length === 0) throw new Error(`${row.name}: no ${anchor} figures`);
  return { median: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
}

/** `"156.4 ns vs 178.0 ns: 1.14x (median of 5 rounds, 1.02x to 1.20x)"`, for a target line. */
export function describeRatio(row: MeasuredCase, anchor: string): string {
  const ratio = ratioOf(row, anchor);
  return `${row.ours.toFixed(1)} ns vs ${row.anchors[anchor]!.toFixed(1)} ns: ${ratio.median.toFixed(2)}x (median of ${ROUNDS} rounds, ${ratio.low.toFixed(2)}x to ${ratio.high.toFixed(2)}x)`;
}
