import { requireBinary } from '../../../../test-support/binaries.js';
import { freePort, type StartedProcess, startProcess, waitFor } from '../../../../test-support/processes.js';
import { indexSamples, type SampleIndex } from './exposition.js';

/** A prometheus-node-exporter the test started on 127.0.0.1. */
export interface NodeExporter {
  readonly url: string;
  readonly process: StartedProcess;
  /** Scrapes /metrics once. */
  scrape(): Promise<SampleIndex>;
  /** The raw text of one scrape. */
  scrapeText(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's node_exporter on a free loopback port with the collectors this package
 * mirrors only (faster scrapes), and netdev reading /proc/net/dev as we do (its netlink mode
 * reports drop and frame errors from other kernel fields).
 */
export async function startNodeExporter(): Promise<NodeExporter> {
  const binary = requireBinary('prometheus-node-exporter', 'prometheus-node-exporter');
  const port = await freePort();
  const process = startProcess(binary, [
    `--web.listen-address=127.0.0.1:${port}`,
    '--collector.disable-defaults',
    '--collector.cpu',
    '--collector.cpu.guest',
    '--collector.loadavg',
    '--collector.meminfo',
    '--collector.vmstat',
    '--collector.diskstats',
    '--collector.filesystem',
    '--collector.netdev',
    '--no-collector.netdev.netlink',
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}/metrics`;
  const scrapeText = async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`node_exporter answered ${response.status}`);
    return response.text();
  };
  try {
    await waitFor(
      'node_exporter to serve /metrics',
      async () => (await scrapeText()).includes('node_load1'),
      {
        timeoutMs: 20_000,
      },
    );
  } catch (error) {
    await process.stop();
    throw new Error(`${String(error)}\n${process.output()}`);
  }
  return {
    url,
    process,
    scrapeText,
    scrape: async () => indexSamples(await scrapeText()),
    stop: () => process.stop(),
  };
}
