import { customProperties } from './custom.properties.js';
import { fuzzSuite } from './harness.js';

/**
 * The bad-input fuzz suite of @fw0/metrics-custom: fast-check properties over every public entry
 * point that takes user input (seed-style calls, bound handles, definitions, summaries, the
 * factory's options, resets and drains). Each property counts the cases it ran; the table is
 * printed at the end and written to `.reports/fuzz-cases-custom.json`. Seed: fixed, or FW0_FUZZ_SEED.
 */
fuzzSuite('custom', customProperties);
