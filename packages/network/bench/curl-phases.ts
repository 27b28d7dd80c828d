import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { MetricsRegistry } from '@fw0/metrics-core';
import { type ComparisonRow, printComparison } from '../../../bench-support/harness.js';
import { median } from '../../../bench-support/stats.js';
import { findBinary } from '../../../test-support/binaries.js';
import { type HttpProbeContext, NetworkMetricsCollector } from '../src/index.js';
import type { BenchServer } from './bench-server.js';

/** Runs per side; medians are printed. */
const RUNS = 21;
const CURL_FORMAT =
  '%{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total}';
const POINTS = ['namelookup', 'connect', 'appconnect', 'starttransfer', 'total'] as const;

/**
 * A name for 127.0.0.1 from /etc/hosts other than `localhost` (curl answers `localhost` itself
 * without a lookup, which would make its time_namelookup incomparable), else `localhost`.
 */
function loopbackName(): string {
  try {
    for (const line of readFileSync('/etc/hosts', 'utf8').split('\n')) {
      const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
      if (address !== '127.0.0.1') continue;
      const name = names.find((candidate) => candidate !== 'localhost' && /^[a-z0-9.-]+$/i.test(candidate));
      if (name !== undefined) return name;
    }
  } catch {
    // no /etc/hosts: fall back to localhost
  }
  return 'localhost';
}

/** curl's cumulative timings (seconds since the start) of one fresh request. */
function curlOnce(curl: string, url: string): number[] {
  const run = spawnSync(curl, ['-s', '-k', '-o', '/dev/null', '-w', CURL_FORMAT, url], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (run.status !== 0) throw new Error(`curl failed (${run.status}): ${run.stderr}`);
  return run.stdout.trim().split(' ').map(Number);
}

/** Our phases turned into curl's cumulative points (appconnect is 0 without TLS, as in curl). */
function cumulative(context: HttpProbeContext): number[] {
  const { resolve, connect, tls, processing, transfer } = context.phases;
  const connected = resolve + connect;
  return [
    resolve,
    connected,
    context.tls ? connected + tls : 0,
    connected + tls + processing,
    connected + tls + processing + transfer,
  ];
}

/**
 * Our phase figures beside `curl -w` for the same URLs (HTTP and HTTPS on a loopback name, a new
 * connection each time: keepAlive false for us; curl -k and insecure for the self-signed
 * certificate), runs alternating. Medians of 21 runs each, in milliseconds, as curl's
 * cumulative points. Informational: no target, the two clients differ (curl is C, one process
 * per run; undici resolves through the libuv thread pool).
 */
export async function benchCurlPhases(server: BenchServer): Promise<void> {
  const curl = findBinary('curl');
  if (curl === undefined) throw new Error('curl not found: install the Debian package curl');
  const network = new NetworkMetricsCollector({
    registry: new MetricsRegistry(),
    maxSamplesPerSecond: false,
  });
  const host = loopbackName();
  for (const [scheme, port] of [
    ['http', server.httpPort],
    ['https', server.httpsPort],
  ] as const) {
    const url = `${scheme}://${host}:${port}/`;
    const ours: number[][] = [];
    const theirs: number[][] = [];
    for (let run = 0; run < RUNS; run++) {
      theirs.push(curlOnce(curl, url));
      const sample = await network.measureHttpRequest(url, 5000, { keepAlive: false, insecure: true });
      if (sample === null) throw new Error(`probe of ${url} failed`);
      ours.push(cumulative(sample.context as HttpProbeContext));
    }
    // Without TLS both report appconnect as 0: that row says nothing.
    const points = POINTS.map((point, index) => [point, index] as const).filter(
      ([point]) => scheme === 'https' || point !== 'appconnect',
    );
    const rows: ComparisonRow[] = points.map(([point, index]) => ({
      name: `time_${point}`,
      ours: median(ours.map((run) => run[index]!)) * 1000,
      anchors: { 'curl -w': median(theirs.map((run) => run[index]!)) * 1000 },
    }));
    printComparison(
      `Phases of ${scheme.toUpperCase()} ${url}, new connection each time: median ms since the start of ${RUNS} runs (ratio = curl / fw0)`,
      'ms',
      rows,
    );
  }
  await network.close();
}
