import { afterAll, beforeAll } from 'vitest';
import { coreProperties } from './core.properties.js';
import { reportCases, SEED } from './harness.js';

/**
 * The bad-input fuzz suite: fast-check properties over every public entry point that takes user
 * input, one package per describe block. Each property counts the cases it ran; the table is
 * printed at the end and written to `.reports/fuzz-cases.json`. Seed: fixed, or FW0_FUZZ_SEED.
 */
let started = 0;
beforeAll(() => {
  started = performance.now();
  console.log(`fuzz seed ${SEED}`);
});
afterAll(() => reportCases(performance.now() - started));

coreProperties();
