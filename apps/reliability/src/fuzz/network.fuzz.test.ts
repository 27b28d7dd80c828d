import { fuzzSuite } from './harness.js';
import { networkProperties } from './network.properties.js';

/**
 * The bad-input fuzz suite of @fw0/metrics-network: fast-check properties over every public
 * entry point that takes user input (measureTcpLatency, measureHttpRequest, measureThroughput,
 * startProbes, observeDispatcher, the factory's options). Loopback only: names resolve through a
 * local `lookup` (no DNS query), other IP addresses are rewritten to 127.0.0.1, and connecting
 * calls go to this suite's own ports. The table of cases is printed at the end and written to
 * `.reports/fuzz-cases-network.json`. Seed: fixed, or FW0_FUZZ_SEED.
 */
fuzzSuite('network', networkProperties);
