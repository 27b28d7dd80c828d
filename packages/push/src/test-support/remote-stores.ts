import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary } from '../../../../test-support/binaries.js';
import { type StartedProcess, startProcess, waitFor } from '../../../../test-support/processes.js';

/** A raw series as a store returns it: labels, and every sample (timestamp in ms, value). */
export interface StoredSeries {
  readonly labels: Record<string, string>;
  readonly samples: { timestamp: number; value: number }[];
}

/** A time-series store the test started on loopback, with a remote-write endpoint. */
export interface TestStore {
  /** Base URL, e.g. `http://127.0.0.1:8428`. */
  readonly url: string;
  /** Its remote-write endpoint. */
  readonly writeUrl: string;
  readonly process: StartedProcess;
  /** Runs an instant query; returns the result vector as labels and value. */
  query(expression: string): Promise<{ labels: Record<string, string>; value: number }[]>;
  /** Every raw sample of the series matching `selector` (a series selector such as `up{job="x"}`) in the last `seconds`. */
  raw(selector: string, seconds?: number): Promise<StoredSeries[]>;
  /**
   * Makes what was just written searchable: VictoriaMetrics otherwise shows fresh samples only
   * after about 10 s (its in-memory parts are flushed periodically); Prometheus needs nothing.
   */
  makeSearchable(): Promise<void>;
  /** Stops the process (by PID); the data directory stays for a restart. */
  stop(): Promise<void>;
}

async function instantQuery(base: string, expression: string) {
  const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expression)}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data: {
      resultType: string;
      result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[];
    };
  };
  if (body.status !== 'success')
    throw new Error(`query ${expression} failed: ${body.error ?? response.status}`);
  return body.data;
}

function storeApi(base: string, process: StartedProcess, writePath: string, forceFlush: boolean): TestStore {
  return {
    url: base,
    writeUrl: `${base}${writePath}`,
    process,
    async query(expression) {
      const data = await instantQuery(base, expression);
      return data.result.map((item) => ({ labels: item.metric, value: Number(item.value![1]) }));
    },
    async raw(selector, seconds = 600) {
      // A range selector in an instant query returns the raw samples in both stores.
      const data = await instantQuery(base, `${selector}[${seconds}s]`);
      return data.result.map((item) => ({
        labels: item.metric,
        samples: (item.values ?? []).map(([time, value]) => ({
          timestamp: Math.round(time * 1000),
          value: Number(value),
        })),
      }));
    },
    async makeSearchable() {
      if (forceFlush) await fetch(`${base}/internal/force_flush`);
    },
    stop: () => process.stop(),
  };
}

/**
 * Starts Debian's `victoria-metrics` on 127.0.0.1:`port` with its data in `dataDirectory` (reuse
 * both to restart it). `-search.latencyOffset=0s` makes fresh samples visible to queries at once
 * (the default hides the last 30 s), `-search.disableCache` keeps answers current.
 */
export async function startVictoriaMetrics(port: number, dataDirectory: string): Promise<TestStore> {
  const binary = requireBinary('victoria-metrics', 'victoria-metrics');
  const process = startProcess(binary, [
    `-httpListenAddr=127.0.0.1:${port}`,
    `-storageDataPath=${dataDirectory}`,
    '-search.latencyOffset=0s',
    '-search.disableCache',
    '-retentionPeriod=1d',
    '-loggerLevel=WARN',
  ]);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor('victoria-metrics to be ready', async () => (await fetch(`${base}/health`)).ok, {
      timeoutMs: 30_000,
    });
  } catch (error) {
    await process.stop();
    throw new Error(`${String(error)}\n${process.output()}`);
  }
  return storeApi(base, process, '/api/v1/write', true);
}

/**
 * Starts Debian's `prometheus` on 127.0.0.1:`port` with the remote-write receiver on
 * (`--web.enable-remote-write-receiver`, endpoint /api/v1/write), no scrape targets, and its
 * data in `dataDirectory`.
 */
export async function startReceivingPrometheus(port: number, dataDirectory: string): Promise<TestStore> {
  const binary = requireBinary('prometheus', 'prometheus');
  const configFile = join(dataDirectory, 'prometheus.yml');
  writeFileSync(configFile, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const process = startProcess(binary, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dataDirectory, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-remote-write-receiver',
    '--log.level=warn',
  ]);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor('prometheus to be ready', async () => (await fetch(`${base}/-/ready`)).ok, {
      timeoutMs: 30_000,
    });
  } catch (error) {
    await process.stop();
    throw new Error(`${String(error)}\n${process.output()}`);
  }
  return storeApi(base, process, '/api/v1/write', false);
}

/** A Pushgateway the test started on loopback. */
export interface TestPushgateway {
  readonly url: string;
  readonly process: StartedProcess;
  /** Its /metrics text. */
  metricsText(): Promise<string>;
  /** Its /api/v1/metrics: one entry per group, with the group's labels and metric families. */
  groups(): Promise<PushgatewayGroup[]>;
  stop(): Promise<void>;
}

/** One group as the Pushgateway's /api/v1/metrics shows it. */
export interface PushgatewayGroup {
  readonly labels: Record<string, string>;
  readonly last_push_successful: boolean;
  readonly [family: string]: unknown;
}

/**
 * Starts Debian's `prometheus-pushgateway` on 127.0.0.1:`port`, in memory only: Debian's build
 * persists to /var/lib/prometheus/pushgateway.data by default, which would carry groups from one
 * run (or one test file) to the next.
 */
export async function startPushgateway(port: number): Promise<TestPushgateway> {
  const binary = requireBinary('prometheus-pushgateway', 'prometheus-pushgateway');
  const process = startProcess(binary, [
    `--web.listen-address=127.0.0.1:${port}`,
    '--persistence.file=',
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('pushgateway to be ready', async () => (await fetch(`${url}/-/ready`)).ok, {
      timeoutMs: 30_000,
    });
  } catch (error) {
    await process.stop();
    throw new Error(`${String(error)}\n${process.output()}`);
  }
  return {
    url,
    process,
    metricsText: async () => (await fetch(`${url}/metrics`)).text(),
    async groups() {
      const body = (await (await fetch(`${url}/api/v1/metrics`)).json()) as { data: PushgatewayGroup[] };
      return body.data;
    },
    stop: () => process.stop(),
  };
}
