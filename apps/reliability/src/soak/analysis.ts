import { median } from '../../../../bench-support/stats.js';

/** One memory reading of the soak process, taken right after a full `gc()`. */
export interface MemorySample {
  /** Seconds since the soak started. */
  readonly t: number;
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** Not enough samples after the warm-up to say anything about growth. */
export class SoakAnalysisError extends Error {
  override readonly name = 'SoakAnalysisError';
}

const MiB = 1024 * 1024;

/**
 * What the soak accepts as "no growth" after the warm-up: loose enough for the noise of a
 * healthy process, tight enough for a real leak to break (the reasoning is beside each bound).
 */
export const SOAK_BOUNDS = {
  /**
   * Heap in use after gc(), end minus start of the measured period. The soak's heap after
   * warm-up is about 20 to 30 MiB and moves by a few hundred KiB between readings (buffers of
   * requests in flight, the sample buffers between two drains). 5 MiB over 540 s is 9.7 KiB/s:
   * one leaked 100-byte object per scrape, probe or batch of timed calls is under that, but
   * one per timed call (about 2,000 a second), one scrape text a second (about 150 KiB) or
   * one series per second (a label built from data) is far over it.
   */
  heapGrowthBytes: 5 * MiB,
  /** The same as a share of the heap at the end of the warm-up. */
  heapGrowthRatio: 0.1,
  /**
   * Resident set, end minus start of the measured period. RSS also holds memory V8 and malloc
   * keep after a gc() (pages of freed heap, thread arenas, code space), which moves by a few
   * MiB on its own, so its bound is looser; a leak outside the JS heap (buffers, native
   * handles, sockets never closed) shows only here.
   */
  rssGrowthBytes: 20 * MiB,
} as const;

/** Warm-up: the first 20% of the run or the first 60 s, whichever is shorter. */
export function warmupSeconds(totalSeconds: number): number {
  return Math.min(60, totalSeconds * 0.2);
}

/** Growth of one quantity over the measured period. */
export interface Growth {
  /** Median of the first readings after the warm-up (up to 3). */
  readonly start: number;
  /** Median of the last readings (up to 3). */
  readonly end: number;
  /** end - start. */
  readonly growth: number;
  /** growth / start. */
  readonly ratio: number;
  /** Least-squares slope over every reading of the period, per minute. */
  readonly slopePerMinute: number;
  /** Highest reading of the period minus `start`. */
  readonly peakAboveStart: number;
}

/** Memory over the measured period (the samples at or after the warm-up). */
export interface MemoryAnalysis {
  readonly warmupSeconds: number;
  readonly samples: number;
  readonly fromSeconds: number;
  readonly toSeconds: number;
  readonly heapUsed: Growth;
  readonly rss: Growth;
  readonly external: Growth;
}

function growth(samples: readonly MemorySample[], read: (sample: MemorySample) => number): Growth {
  // Medians of a few readings at each end: one reading taken while a scrape's buffers were
  // alive cannot make or hide a trend; a steady leak moves them all.
  const k = Math.max(1, Math.min(3, Math.floor(samples.length / 3)));
  const values = samples.map(read);
  const start = median(values.slice(0, k));
  const end = median(values.slice(-k));
  const times = samples.map((sample) => sample.t);
  const meanT = times.reduce((a, b) => a + b, 0) / times.length;
  const meanV = values.reduce((a, b) => a + b, 0) / values.length;
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < samples.length; i++) {
    covariance += (times[i]! - meanT) * (values[i]! - meanV);
    variance += (times[i]! - meanT) ** 2;
  }
  return {
    start,
    end,
    growth: end - start,
    ratio: start > 0 ? (end - start) / start : Number.NaN,
    slopePerMinute: variance > 0 ? (covariance / variance) * 60 : 0,
    peakAboveStart: Math.max(...values) - start,
  };
}

/**
 * Growth of heap, RSS and external memory from the end of the warm-up to the end of the run.
 * Needs at least 4 samples after the warm-up ({@link SoakAnalysisError} otherwise).
 */
export function analyseMemory(samples: readonly MemorySample[], warmup: number): MemoryAnalysis {
  const measured = samples.filter((sample) => sample.t >= warmup);
  if (measured.length < 4) {
    throw new SoakAnalysisError(
      `${measured.length} memory samples after the ${warmup} s warm-up: at least 4 are needed (run longer or sample more often)`,
    );
  }
  return {
    warmupSeconds: warmup,
    samples: measured.length,
    fromSeconds: measured[0]!.t,
    toSeconds: measured.at(-1)!.t,
    heapUsed: growth(measured, (sample) => sample.heapUsed),
    rss: growth(measured, (sample) => sample.rss),
    external: growth(measured, (sample) => sample.external),
  };
}

/** The bounds a memory analysis breaks, as sentences (empty: none). */
export function memoryFailures(memory: MemoryAnalysis, bounds = SOAK_BOUNDS): string[] {
  const failures: string[] = [];
  const mib = (bytes: number) => `${(bytes / MiB).toFixed(2)} MiB`;
  if (memory.heapUsed.growth >= bounds.heapGrowthBytes)
    failures.push(
      `heap grew ${mib(memory.heapUsed.growth)} after warm-up (bound ${mib(bounds.heapGrowthBytes)})`,
    );
  if (memory.heapUsed.ratio >= bounds.heapGrowthRatio)
    failures.push(
      `heap grew ${(memory.heapUsed.ratio * 100).toFixed(1)}% after warm-up (bound ${bounds.heapGrowthRatio * 100}%)`,
    );
  if (memory.rss.growth >= bounds.rssGrowthBytes)
    failures.push(`RSS grew ${mib(memory.rss.growth)} after warm-up (bound ${mib(bounds.rssGrowthBytes)})`);
  return failures;
}
