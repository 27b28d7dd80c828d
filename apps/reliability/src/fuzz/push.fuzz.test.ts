import { fuzzSuite } from './harness.js';
import { pushProperties } from './push.properties.js';

/**
 * The bad-input fuzz suite of @fw0/metrics-push: fast-check properties over every public entry
 * point that takes user input (the remote-write exporter's options, start/flush/stop, the
 * Pushgateway client's options, groupUrl and push/pushAdd/delete, and the codecs a receiver feeds
 * bytes from the network: snappyDecompress, decodeWriteRequest). Loopback only: constructors
 * see every generated URL, but whatever sends goes to a URL rewritten to 127.0.0.1 and a port of
 * this suite. The table of cases is printed at the end and written to
 * `.reports/fuzz-cases-push.json`. Seed: fixed, or FW0_FUZZ_SEED.
 */
fuzzSuite('push', pushProperties);
