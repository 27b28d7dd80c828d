import { describe, expect, it } from 'vitest';
import {
  analyseMemory,
  type MemorySample,
  memoryFailures,
  SOAK_BOUNDS,
  SoakAnalysisError,
  warmupSeconds,
} from './analysis.js';

const MiB = 1024 * 1024;

/** Samples every `every` s for `seconds`: a flat heap of 25 MiB and RSS of 120 MiB with noise, plus `leak`. */
function samples(
  seconds: number,
  every: number,
  leak: { heapPerSecond?: number; rssPerSecond?: number } = {},
): MemorySample[] {
  const out: MemorySample[] = [];
  for (let t = 0; t <= seconds; t += every) {
    // Deterministic noise of +-300 KiB (heap) and +-2 MiB (rss), and a warm-up climb of 8 MiB.
    const noise = Math.sin(t * 1.7) * 300 * 1024;
    const climb = t < 30 ? (8 * MiB * t) / 30 : 8 * MiB;
    out.push({
      t,
      heapUsed: 17 * MiB + climb + noise + (leak.heapPerSecond ?? 0) * t,
      rss: 112 * MiB + climb + Math.cos(t) * 2 * MiB + (leak.rssPerSecond ?? 0) * t,
      external: 5 * MiB,
      arrayBuffers: MiB,
    });
  }
  return out;
}

describe('soak memory analysis', () => {
  it('warms up for the first 20% of the run or 60 s, whichever is shorter', () => {
    expect(warmupSeconds(600)).toBe(60);
    expect(warmupSeconds(3600)).toBe(60);
    expect(warmupSeconds(60)).toBe(12);
    expect(warmupSeconds(100)).toBe(20);
  });

  it('passes a flat heap and RSS with noise; the warm-up climb does not count', () => {
    const memory = analyseMemory(samples(600, 10), warmupSeconds(600));
    expect(memory.samples).toBe(55);
    expect(memory.fromSeconds).toBe(60);
    expect(Math.abs(memory.heapUsed.growth)).toBeLessThan(0.6 * MiB);
    expect(Math.abs(memory.heapUsed.slopePerMinute)).toBeLessThan(0.1 * MiB);
    expect(memoryFailures(memory)).toEqual([]);
  });

  it('fails a heap leak of 12 KiB a second over 600 s, and of 100 KiB a second over 60 s', () => {
    const slow = analyseMemory(samples(600, 10, { heapPerSecond: 12 * 1024 }), warmupSeconds(600));
    expect(slow.heapUsed.growth).toBeGreaterThan(5 * MiB);
    expect(memoryFailures(slow).join('\n')).toMatch(/heap grew .* MiB after warm-up/);
    const fast = analyseMemory(samples(60, 2, { heapPerSecond: 100 * 1024 }), warmupSeconds(60));
    expect(memoryFailures(fast).join('\n')).toMatch(/heap grew/);
  });

  it('fails a heap that grows by 10% even under 5 MiB', () => {
    // 25 MiB after warm-up, +3 MiB over 540 s: under the 5 MiB bound, over 10%.
    const memory = analyseMemory(samples(600, 10, { heapPerSecond: (3 * MiB) / 540 }), warmupSeconds(600));
    expect(memory.heapUsed.growth).toBeLessThan(SOAK_BOUNDS.heapGrowthBytes);
    expect(memory.heapUsed.ratio).toBeGreaterThan(SOAK_BOUNDS.heapGrowthRatio);
    expect(memoryFailures(memory)).toEqual([expect.stringMatching(/^heap grew 1\d\.\d% after warm-up/)]);
  });

  it('fails RSS growth outside the heap (a native leak)', () => {
    const memory = analyseMemory(samples(600, 10, { rssPerSecond: 50 * 1024 }), warmupSeconds(600));
    expect(memoryFailures(memory)).toEqual([expect.stringMatching(/^RSS grew 2\d\.\d\d MiB after warm-up/)]);
  });

  it('refuses to judge with fewer than 4 samples after the warm-up', () => {
    expect(() => analyseMemory(samples(60, 20), 12)).toThrow(SoakAnalysisError);
    expect(() => analyseMemory([], 0)).toThrow(/0 memory samples after the 0 s warm-up/);
  });
});
