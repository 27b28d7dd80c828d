import { fuzzSuite } from './harness.js';
import { systemProperties } from './system.properties.js';

/**
 * The bad-input fuzz suite of @fw0/metrics-system: fast-check properties over every public
 * entry point that takes user input (getSystemCollector's interval, the collector's options, the
 * device, interface and filesystem filters applied to generated /proc trees, the /proc parsers,
 * meminfoMetricName). Collections read small /proc trees written in a temporary directory, with
 * the inventory off: no child process, nothing read from the host but statfs of the generated
 * mount points. The table of cases is printed at the end and written to
 * `.reports/fuzz-cases-system.json`. Seed: fixed, or FW0_FUZZ_SEED.
 */
fuzzSuite('system', systemProperties);
