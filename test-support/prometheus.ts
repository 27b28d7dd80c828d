import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary } from './binaries.js';
import { freePort, type StartedProcess, startProcess, temporaryDirectory, waitFor } from './processes.js';

/** A Prometheus server the test started on loopback with its own config and data directory. */
export interface TestPrometheus {
  readonly url: string;
  readonly process: StartedProcess;
  /** Runs an instant query; returns the result vector. */
  query(expression: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/** A scrape target of the generated configuration. */
export interface ScrapeTarget {
  readonly job: string;
  /** host:port on loopback. */
  readonly address: string;
  readonly metricsPath?: string;
  readonly scrapeIntervalSeconds?: number;
}

/**
 * Starts Debian's `prometheus` on 127.0.0.1 with a generated config scraping `targets`, a
 * temporary data directory, and optional extra flags (e.g. the remote-write receiver).
 */
export async function startPrometheus(
  targets: readonly ScrapeTarget[],
  extraFlags: readonly string[] = [],
): Promise<TestPrometheus> {
  const binary = requireBinary('prometheus', 'prometheus');
  const directory = temporaryDirectory('fw0-prometheus');
  const port = await freePort();
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    ...targets.flatMap((target) => [
      `  - job_name: ${JSON.stringify(target.job)}`,
      `    scrape_interval: ${target.scrapeIntervalSeconds ?? 1}s`,
      `    metrics_path: ${JSON.stringify(target.metricsPath ?? '/metrics')}`,
      '    static_configs:',
      `      - targets: [${JSON.stringify(target.address)}]`,
    ]),
  ].join('\n');
  const configFile = join(directory.path, 'prometheus.yml');
  writeFileSync(configFile, `${config}\n`);
  const process = startProcess(binary, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(directory.path, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...extraFlags,
  ]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('prometheus to be ready', async () => (await fetch(`${url}/-/ready`)).ok, {
      timeoutMs: 30_000,
    });
  } catch (error) {
    await process.stop();
    directory.remove();
    throw new Error(`${String(error)}\n${process.output()}`);
  }
  return {
    url,
    process,
    async query(expression) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expression)}`);
      const body = (await response.json()) as { status: string; data: { result: never[] }; error?: string };
      if (body.status !== 'success')
        throw new Error(`query ${expression} failed: ${body.error ?? response.status}`);
      return body.data.result;
    },
    async stop() {
      await process.stop();
      directory.remove();
    },
  };
}
