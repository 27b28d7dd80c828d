import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ClosedError, ConfigError, InvalidTargetError, MetricsRegistry } from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { requireBinary } from '../../../test-support/binaries.js';
import { freePort } from '../../../test-support/processes.js';
import { NetworkMetricName as Name } from './names.js';
import { NetworkMetricsCollector } from './network-collector.js';
import type { HttpProbeContext, NetworkCollectorOptions } from './options.js';
import { localLookup, startUnansweredPort } from './test-support/hosts.js';
import { seriesValue } from './test-support/metrics.js';
import { sleep, startHttpServer, startSilentServer } from './test-support/servers.js';

/** A probe must end at its timeout: not before it, and at most this late on a loaded machine (ms). */
const LATE_MS = 300;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function collector(options: Partial<NetworkCollectorOptions> = {}): NetworkMetricsCollector {
  const created = new NetworkMetricsCollector({
    registry: new MetricsRegistry(),
    maxSamplesPerSecond: false,
    ...options,
  });
  cleanup.push(() => created.close());
  return created;
}

async function track<T extends { close(): Promise<void> } | { stop(): Promise<void> }>(
  started: T,
): Promise<T> {
  cleanup.push(() => ('close' in started ? started.close() : started.stop()));
  return started;
}

function failures(network: NetworkMetricsCollector, target: string, reason: string): number | undefined {
  return seriesValue(network.registry, Name.PROBE_FAILURES, { kind: 'http', target, reason });
}

async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work;
  return { result, ms: performance.now() - started };
}

describe('measureHttpRequest failures', () => {
  it('counts a refused port as refused', async () => {
    const port = await freePort(); // bound, then closed: nothing listens there
    const network = collector();
    const target = `http://127.0.0.1:${port}/`;
    expect(await network.measureHttpRequest(target, 5000)).toBeNull();
    expect(failures(network, target, 'refused')).toBe(1);
    expect(seriesValue(network.registry, Name.PROBE_ATTEMPTS, { kind: 'http', target })).toBe(1);
    expect(seriesValue(network.registry, Name.HTTP_STATUS_CODE, { target })).toBe(0);
  });

  it('gives up on a server that accepts but never answers at the timeout, leaving no socket open', async () => {
    const silent = await track(await startSilentServer());
    const network = collector();
    const target = `http://127.0.0.1:${silent.port}/`;
    const { result, ms } = await timed(network.measureHttpRequest(target, 400));
    expect(result).toBeNull();
    expect(ms).toBeGreaterThanOrEqual(399);
    expect(ms).toBeLessThan(400 + LATE_MS);
    expect(failures(network, target, 'timeout')).toBe(1);
    expect(
      seriesValue(network.registry, Name.PROBE_DURATION, { kind: 'http', target }),
    ).toBeGreaterThanOrEqual(0.399);
    await silent.idle(2000); // the server saw the connection close
  });

  it('takes the timeout, in milliseconds, from an options object too', async () => {
    const silent = await track(await startSilentServer());
    const network = collector();
    const target = `http://127.0.0.1:${silent.port}/`;
    const { result, ms } = await timed(
      network.measureHttpRequest(target, { timeoutMs: 300, method: 'HEAD' }),
    );
    expect(result).toBeNull();
    expect(ms).toBeGreaterThanOrEqual(299);
    expect(ms).toBeLessThan(300 + LATE_MS);
    expect(failures(network, target, 'timeout')).toBe(1);
  });

  it('regression: a timed-out request does not make undici reconnect and leave an idle socket', async () => {
    // Aborting through undici's controller kept the request queued; undici reconnected for it
    // and left the new connection open and idle.
    const silent = await track(await startSilentServer());
    const network = collector();
    expect(await network.measureHttpRequest(`http://127.0.0.1:${silent.port}/`, 200)).toBeNull();
    await silent.idle(2000);
    await sleep(200);
    expect(silent.accepted).toBe(1);
    expect(silent.open).toBe(0);
  });

  it('gives up on a host that never completes the handshake, abandoning the attempt', async () => {
    const unanswered = await track(await startUnansweredPort());
    const network = collector();
    const target = `http://127.0.0.1:${unanswered.port}/`;
    const { result, ms } = await timed(network.measureHttpRequest(target, 300));
    expect(result).toBeNull();
    expect(ms).toBeGreaterThanOrEqual(299);
    expect(ms).toBeLessThan(300 + LATE_MS);
    expect(failures(network, target, 'timeout')).toBe(1);
    // No connection attempt is left behind in SYN-SENT (the kernel's view, through iproute2's ss).
    const ss = requireBinary('ss', 'iproute2');
    const listing = spawnSync(ss, ['-tnH', 'state', 'syn-sent', `dport = :${unanswered.port}`], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(listing.status).toBe(0);
    expect(listing.stdout.trim()).toBe('');
  });

  it('keeps a connection attempt that another measurement of the same origin still waits for', async () => {
    const unanswered = await track(await startUnansweredPort());
    const network = collector();
    const target = `http://127.0.0.1:${unanswered.port}/`;
    const [first, second] = await Promise.all([
      timed(network.measureHttpRequest(target, 300)),
      timed(network.measureHttpRequest(target, 1500)),
    ]);
    expect(first.result).toBeNull();
    expect(first.ms).toBeLessThan(300 + LATE_MS);
    // Abandoning the origin's attempts when the first gave up would have failed the second then.
    expect(second.result).toBeNull();
    expect(second.ms).toBeGreaterThanOrEqual(1499);
    expect(second.ms).toBeLessThan(1500 + LATE_MS);
    expect(failures(network, target, 'timeout')).toBe(2);
    const ss = requireBinary('ss', 'iproute2');
    const listing = spawnSync(ss, ['-tnH', 'state', 'syn-sent', `dport = :${unanswered.port}`], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(listing.stdout.trim()).toBe('');
  });

  it('counts a name that does not resolve as dns (resolved by the lookup option, no DNS query)', async () => {
    const { lookup, asked } = localLookup();
    const network = collector({ lookup });
    const target = 'http://fw0-network-test.invalid/';
    expect(await network.measureHttpRequest(target, 5000)).toBeNull();
    expect(failures(network, target, 'dns')).toBe(1);
    expect(asked).toEqual(['fw0-network-test.invalid']);
  });

  it('connects to the address the lookup option gives, timing it as the resolve phase', async () => {
    const seen: (string | undefined)[] = [];
    const web = await track(
      await startHttpServer((request, response) => {
        seen.push(request.headers.host);
        response.end('ok');
      }),
    );
    const { lookup, asked } = localLookup({ 'api.fw0.test': '127.0.0.1' });
    const network = collector({ lookup });
    const sample = await network.measureHttpRequest(`http://api.fw0.test:${web.port}/`, 5000);
    expect(sample).not.toBeNull();
    expect(asked).toEqual(['api.fw0.test']);
    expect(seen).toEqual([`api.fw0.test:${web.port}`]);
    const phases = (sample!.context as HttpProbeContext).phases;
    expect(phases.resolve).toBeGreaterThan(0);
    // An IP address is never looked up.
    expect(await network.measureHttpRequest(`${web.origin}/`, 5000)).not.toBeNull();
    expect(asked).toEqual(['api.fw0.test']);
  });

  it('throws InvalidTargetError at once for anything but an http(s) URL, recording nothing', () => {
    const network = collector();
    for (const url of ['ftp://127.0.0.1/file', 'file:///etc/hosts', 'ws://127.0.0.1/', 'not a url', '']) {
      expect(() => network.measureHttpRequest(url)).toThrow(InvalidTargetError);
    }
    expect(() => network.measureHttpRequest(42 as unknown as string)).toThrow(InvalidTargetError);
    expect(network.getSuccessRates()).toEqual([]);
    const families = network.registry.snapshot().families.map((family) => family.name);
    expect(families.filter((name) => !name.startsWith('fw0_'))).toEqual([]);
  });

  it('fails a response larger than the limit, announced or streamed, and closes its connection', async () => {
    const big = await track(
      await startHttpServer((request, response) => {
        if (request.url === '/announced') {
          response.end(Buffer.alloc(5000, 97));
          return;
        }
        response.writeHead(200); // chunked: the size is only known while reading
        let sent = 0;
        const timer = setInterval(() => {
          if (sent++ === 10 || response.destroyed) {
            clearInterval(timer);
            response.end();
          } else response.write(Buffer.alloc(1024, 98));
        }, 5);
      }),
    );
    const network = collector();
    for (const path of ['/announced', '/streamed']) {
      const target = `${big.origin}${path}`;
      expect(await network.measureHttpRequest(target, 5000, { maxBodyBytes: 4096 })).toBeNull();
      expect(failures(network, target, 'too_large')).toBe(1);
    }
    expect(
      seriesValue(network.registry, Name.HTTP_CONTENT_LENGTH, { target: `${big.origin}/announced` }),
    ).toBe(5000);
    expect(
      seriesValue(network.registry, Name.HTTP_BODY_LENGTH, { target: `${big.origin}/streamed` }),
    ).toBeGreaterThan(4096);
    await big.idle(2000);
    await sleep(100);
    expect(big.accepted).toBe(2); // one connection per probe, none reopened after the abort
    // Within the limit it succeeds.
    expect(
      await network.measureHttpRequest(`${big.origin}/announced`, 5000, { maxBodyBytes: 5000 }),
    ).not.toBeNull();
  });

  it("ends at the caller's abort signal with reason aborted", async () => {
    const silent = await track(await startSilentServer());
    const network = collector();
    const controller = new AbortController();
    const target = `http://127.0.0.1:${silent.port}/`;
    const pending = network.measureHttpRequest(target, 10_000, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const { result, ms } = await timed(pending);
    expect(result).toBeNull();
    expect(ms).toBeLessThan(50 + LATE_MS);
    expect(failures(network, target, 'aborted')).toBe(1);
  });

  it('rejects bad options with ConfigError before doing anything', async () => {
    const network = collector();
    const url = 'http://127.0.0.1:1/';
    expect(() => network.measureHttpRequest(url, 0)).toThrow(ConfigError);
    expect(() => network.measureHttpRequest(url, Number.NaN)).toThrow(ConfigError);
    expect(() => network.measureHttpRequest(url, 1000, { method: 'POST' as 'GET' })).toThrow(ConfigError);
    expect(() => network.measureHttpRequest(url, 1000, { maxBodyBytes: -1 })).toThrow(ConfigError);
    expect(() => network.measureHttpRequest(url, 1000, { headers: { 'x-bad': 'a\r\nb' } })).toThrow(
      ConfigError,
    );
    expect(() => network.measureHttpRequest(url, 1000, { headers: { 'bad name': 'x' } })).toThrow(
      ConfigError,
    );
    expect(() => network.measureHttpRequest(url, 1000, { validStatusCodes: [] })).toThrow(ConfigError);
    expect(() => network.measureHttpRequest(url, 1000, { followRedirects: 1.5 })).toThrow(ConfigError);
    expect(() => network.measureHttpRequest(url, 1000, { ca: 42 as never })).toThrow(/Invalid option ca=42/);
    expect(() => network.measureHttpRequest(url, 1000, { ca: ['pem', {}] as never })).toThrow(ConfigError);
    // The seed's seconds are not reinterpreted: below 1 ms is refused, naming the unit.
    expect(() => network.measureHttpRequest(url, 0.5)).toThrow(/timeoutMs=0\.5: expected milliseconds/);
    expect(() => network.measureHttpRequest(url, { timeoutMs: 0 })).toThrow(ConfigError);
    expect(() => network.measureHttpRequest(url, null as unknown as number)).toThrow(ConfigError);
    expect(() => network.measureHttpRequest(url, { timeoutMs: 1000 } as never, {})).toThrow(ConfigError);
    expect(network.getSuccessRates()).toEqual([]);
    await network.close();
    expect(() => network.measureHttpRequest(url)).toThrow(ClosedError);
  });
});
