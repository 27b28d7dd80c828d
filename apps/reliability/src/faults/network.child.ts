/**
 * Host for the network-collector fault tests (network.test.ts), run in a child process:
 * `node --import tsx network.child.ts '<json config>'`.
 *
 * Measures, one at a time and then as scheduled probes, three faulty targets on 127.0.0.1: a
 * closed port, a server that accepts connections and never answers, and a listener whose accept
 * queue is full (TCP and HTTP each); then a healthy server, to show the collector still works.
 * Prints the duration and outcome of each measurement, the first round of probes, stop and close,
 * the success rates and the exposition.
 */
import { MetricsRegistry, serializePrometheus } from '@fw0/metrics-core';
import { NetworkMetricsCollector, type ProbeTarget, type TargetSuccessRate } from '@fw0/metrics-network';
import { hostScenario, sleep, timed } from './support.js';

/** What the parent passes. */
export interface NetworkScenarioConfig {
  readonly closedPort: number;
  readonly silentPort: number;
  readonly backlogPort: number;
  readonly healthyPort: number;
  /** The timeout of every faulty measurement and probe, in milliseconds. */
  readonly timeoutMs: number;
}

/** One measurement. */
export interface Measured {
  readonly target: string;
  readonly kind: 'tcp' | 'http';
  readonly ms: number;
  /** The sample's value (seconds), null when the measurement failed. */
  readonly value: number | null;
}

export interface NetworkScenarioResult {
  readonly timeoutMs: number;
  readonly direct: Measured[];
  /** `startProbes()` of every faulty target: resolves once each was probed once. */
  readonly firstRoundMs: number;
  readonly probeIntervalMs: number;
  /** How long the probes ran after their first round. */
  readonly probesRanForMs: number;
  readonly healthy: Measured[];
  readonly stopMs: number;
  readonly closeMs: number;
  readonly rates: TargetSuccessRate[];
  readonly exposition: string;
}

const config = JSON.parse(process.argv[2]!) as NetworkScenarioConfig;

hostScenario(async (): Promise<NetworkScenarioResult> => {
  const { timeoutMs } = config;
  const registry = new MetricsRegistry();
  // The connect timeout stays at its default (10 s): each measurement must end by its own timeout.
  const network = new NetworkMetricsCollector({ registry });
  const host = '127.0.0.1';
  const tcp = async (name: string, port: number, timeout = timeoutMs): Promise<Measured> => {
    const run = await timed(() => network.measureTcpLatency(host, port, timeout, { target: name }));
    return { target: name, kind: 'tcp', ms: run.ms, value: run.value?.value ?? null };
  };
  const http = async (name: string, port: number, timeout = timeoutMs): Promise<Measured> => {
    const run = await timed(() =>
      network.measureHttpRequest(`http://${host}:${port}/health`, timeout, { target: name }),
    );
    return { target: name, kind: 'http', ms: run.ms, value: run.value?.value ?? null };
  };

  const direct = [
    await tcp('closed', config.closedPort),
    await http('closed', config.closedPort),
    await http('silent', config.silentPort),
    await tcp('backlog', config.backlogPort),
    await http('backlog', config.backlogPort),
  ];

  const probeIntervalMs = timeoutMs + 500;
  const probe = (kind: 'tcp' | 'http', name: string, port: number): ProbeTarget =>
    kind === 'tcp'
      ? { kind, host, port, target: `probe-${name}`, intervalMs: probeIntervalMs, timeoutMs }
      : {
          kind,
          url: `http://${host}:${port}/health`,
          target: `probe-${name}`,
          intervalMs: probeIntervalMs,
          timeoutMs,
        };
  const firstRound = await timed(() =>
    network.startProbes([
      probe('tcp', 'closed', config.closedPort),
      probe('http', 'closed', config.closedPort),
      probe('http', 'silent', config.silentPort),
      probe('tcp', 'backlog', config.backlogPort),
      probe('http', 'backlog', config.backlogPort),
    ]),
  );
  const probesRanForMs = probeIntervalMs + 700;
  await sleep(probesRanForMs);

  const healthy = [
    await tcp('healthy', config.healthyPort, 5000),
    await http('healthy', config.healthyPort, 5000),
  ];
  const stopped = await timed(() => network.stopProbes());
  const exposition = serializePrometheus(await registry.collect());
  const rates = network.getSuccessRates();
  const closed = await timed(() => network.close());
  return {
    timeoutMs,
    direct,
    firstRoundMs: firstRound.ms,
    probeIntervalMs,
    probesRanForMs,
    healthy,
    stopMs: stopped.ms,
    closeMs: closed.ms,
    rates,
    exposition,
  };
});
