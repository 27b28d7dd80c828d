import { BATCH } from '../../../bench-support/harness.js';

/** Inputs of the timed function, precomputed. */
export const INPUTS = Float64Array.from({ length: BATCH }, (_, n) => (n * 7919) % 1000);

/** The function every case calls: cheap, so what is measured is the timing around it. */
export function work(value: number): number {
  return value * 2 + 1;
}
