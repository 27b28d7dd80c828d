/**
 * Seeded random numbers for tests and benchmarks: the same seed gives the same values on every
 * run and in every process.
 */

/** A seeded generator of uniform numbers in [0, 1) (Mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` lognormal values exp(mu + sigma * N(0, 1)) (Box-Muller), like latencies in seconds. */
export function lognormalSamples(count: number, mu: number, sigma: number, seed = 42): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const u = 1 - random();
    const v = random();
    out[i] = Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}

/** The exact value at quantile `q` of values sorted ascending, nearest rank (the sketch's definition). */
export function exactQuantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length - 1e-9)) - 1]!;
}

/** |actual - expected| / |expected|, or |actual| when 0 is expected. */
export function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}
