/**
 * Faults of network probe targets, all on 127.0.0.1: a closed port, a server that accepts the
 * connection and never answers, and a listener whose accept queue is full (a stopped process that
 * listens with a backlog of 1). The collector runs in a child process (network.child.ts); the
 * targets run here and in a helper process.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test-support/processes.js';
import type { NetworkScenarioConfig, NetworkScenarioResult } from './network.child.js';
import {
  exitProblems,
  type FullBacklogListener,
  readExposition,
  runScenario,
  type SilentServer,
  startFullBacklogListener,
  startSilentServer,
} from './support.js';

const child = fileURLToPath(new URL('./network.child.ts', import.meta.url));
const TIMEOUT_MS = 1000;

let silent: SilentServer | undefined;
let backlog: FullBacklogListener | undefined;
let healthy: Server | undefined;

beforeAll(async () => {
  silent = await startSilentServer();
  backlog = await startFullBacklogListener();
  healthy = createServer((_request, response) => response.end('ok'));
  healthy.listen(0, '127.0.0.1');
  await once(healthy, 'listening');
});

afterAll(async () => {
  await silent?.close();
  await backlog?.stop();
  if (healthy !== undefined) {
    healthy.closeAllConnections();
    await new Promise<void>((resolve) => healthy?.close(() => resolve()));
  }
});

describe('network probes of targets that fail', () => {
  it('each probe ends within its timeout with probe_success 0 and its failure reason counted; the collector stays usable', async () => {
    const config: NetworkScenarioConfig = {
      closedPort: await freePort(),
      silentPort: silent!.port,
      backlogPort: backlog!.port,
      healthyPort: (healthy!.address() as AddressInfo).port,
      timeoutMs: TIMEOUT_MS,
    };
    const acceptedBefore = silent!.accepted;
    const run = await runScenario<NetworkScenarioResult>(child, [JSON.stringify(config)]);
    expect(exitProblems(run)).toEqual([]);
    const result = run.result!;
    const exposition = readExposition(result.exposition);
    const expected = { closed: 'refused', silent: 'timeout', backlog: 'timeout' } as const;

    // One measurement at a time: each ends by its timeout (a refusal long before it).
    for (const measured of result.direct) {
      const label = `${measured.kind} ${measured.target}`;
      expect(measured.value, label).toBeNull();
      expect(measured.ms, label).toBeLessThan(TIMEOUT_MS + 1000);
      if (expected[measured.target as keyof typeof expected] === 'timeout')
        expect(measured.ms, label).toBeGreaterThanOrEqual(TIMEOUT_MS - 25);
      else expect(measured.ms, label).toBeLessThan(TIMEOUT_MS);
    }
    // The first round of five probes at once: within one timeout.
    expect(result.firstRoundMs).toBeLessThan(TIMEOUT_MS + 1000);

    for (const [name, reason] of Object.entries(expected)) {
      for (const target of [name, `probe-${name}`]) {
        for (const kind of name === 'silent' ? ['http'] : ['tcp', 'http']) {
          const labels = { kind, target };
          const attempts = exposition.value('probe_attempts_total', labels) ?? 0;
          // Direct targets once; scheduled ones kept being probed after the first round.
          if (target === name) expect(attempts, `${kind} ${target}`).toBe(1);
          else expect(attempts, `${kind} ${target}`).toBeGreaterThanOrEqual(2);
          expect(exposition.value('probe_success', labels), `${kind} ${target}`).toBe(0);
          expect(exposition.value('probe_failures_total', { ...labels, reason }), `${kind} ${target}`).toBe(
            attempts,
          );
          expect(exposition.sum('probe_failures_total', labels), `${kind} ${target}`).toBe(attempts);
          const rate = result.rates.find((entry) => entry.kind === kind && entry.target === target);
          expect(rate?.successRatio, `${kind} ${target}`).toBe(0);
        }
      }
    }
    // Every failure is also a caught error of the collector, per operation.
    for (const [kind, operation] of [
      ['tcp', 'measure_tcp_latency'],
      ['http', 'measure_http_request'],
    ] as const) {
      expect(exposition.value('fw0_collector_errors_total', { collector: 'network', operation })).toBe(
        exposition.sum('probe_failures_total', { kind }),
      );
    }
    expect(exposition.sum('fw0_task_errors_total')).toBe(0);

    // Still usable: the healthy server measures fine afterwards.
    for (const measured of result.healthy) {
      expect(measured.value, `${measured.kind} healthy`).not.toBeNull();
      expect(exposition.value('probe_success', { kind: measured.kind, target: 'healthy' })).toBe(1);
    }
    // Stopping waits for the probes in flight, each ending by its timeout.
    expect(result.stopMs).toBeLessThan(TIMEOUT_MS + 1000);
    expect(result.closeMs).toBeLessThan(1000);
    // The silent server did get the requests (and never answered them).
    expect(silent!.accepted - acceptedBefore).toBeGreaterThanOrEqual(3);
    expect(silent!.bytesReceived).toBeGreaterThan(0);

    const figures = result.direct.map((m) => `${m.kind} ${m.target} ${m.ms} ms`).join(', ');
    console.log(
      `[faults/network] timeout ${TIMEOUT_MS} ms: ${figures}; first round of 5 probes ${result.firstRoundMs} ms; ` +
        `stopProbes ${result.stopMs} ms, close ${result.closeMs} ms; healthy afterwards ` +
        `${result.healthy.map((m) => `${m.kind} ${m.ms} ms`).join(', ')}; backlog queue filled with ${backlog!.queued} connections; ` +
        `child exited ${run.exitAfterResultMs} ms after its result`,
    );
  });
});
