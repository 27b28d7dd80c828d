import { demoProperties } from './demo.properties.js';
import { fuzzSuite } from './harness.js';

/**
 * The bad-input fuzz suite of apps/demo: its configuration file (`--config`) and command-line
 * flags against a model written from its README, the exit code of the command itself, and the
 * configured probes against the network collector's own checks. The table of cases is written to
 * `.reports/fuzz-cases-demo.json`. Seed: fixed, or FW0_FUZZ_SEED.
 */
fuzzSuite('demo', demoProperties);
