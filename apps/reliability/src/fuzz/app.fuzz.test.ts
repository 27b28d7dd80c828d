import { appProperties } from './app.properties.js';
import { fuzzSuite } from './harness.js';

/**
 * The bad-input fuzz suite of @fw0/metrics-app: fast-check properties over every public entry
 * point that takes user input (collector and runtime options, timers in every form, trackers and
 * their scopes, custom samples, the name mapping). Each property counts the cases it ran; the
 * table is printed at the end and written to `.reports/fuzz-cases-app.json`. Seed: fixed, or
 * FW0_FUZZ_SEED.
 */
fuzzSuite('app', appProperties);
