import { coreProperties } from './core.properties.js';
import { fuzzSuite } from './harness.js';

/**
 * The bad-input fuzz suite of @fw0/metrics-core: fast-check properties over every public entry
 * point that takes user input. Each property counts the cases it ran; the table is printed at
 * the end and written to `.reports/fuzz-cases-core.json`. Seed: fixed, or FW0_FUZZ_SEED. The
 * other packages have a `<package>.fuzz.test.ts` of their own, built the same way.
 */
fuzzSuite('core', coreProperties);
