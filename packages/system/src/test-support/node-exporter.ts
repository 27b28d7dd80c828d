import { requireBinary } from '../../../../test-support/binaries.js';
import { freePort, type StartedProcess, startProcess, waitFor } from '../../../../test-support/processes.js';
import { DEFAULT_DISK_DEVICE_EXCLUDE } from '../filters.js';
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

/** What a test may change of the node_exporter it starts. */
export interface NodeExporterOptions {
  /** Its `--path.procfs` (default: the real /proc). */
  readonly procPath?: string;
  /** Its collectors (default: those this package mirrors). */
  readonly collectors?: readonly string[];
  /**
   * Its `--collector.diskstats.device-exclude`: default ours (node_exporter 1.8's; Debian
   * ships 1.5, which still kept zram devices); `null` leaves node_exporter's own default.
   */
  readonly diskDeviceExclude?: string | null;
}

/** The collectors whose metrics this package mirrors. */
const MIRRORED = ['cpu', 'loadavg', 'meminfo', 'vmstat', 'diskstats', 'filesystem', 'netdev'];

/**
 * Starts Debian's node_exporter on a free loopback port with the collectors this package
 * mirrors only (faster scrapes), netdev reading /proc/net/dev as we do (its netlink mode
 * reports drop and frame errors from other kernel fields), and our default block device
 * exclusion.
 */
export async function startNodeExporter(options: NodeExporterOptions = {}): Promise<NodeExporter> {
  const binary = requireBinary('prometheus-node-exporter', 'prometheus-node-exporter');
  const port = await freePort();
  const collectors = options.collectors ?? MIRRORED;
  const exclude =
    options.diskDeviceExclude === undefined ? DEFAULT_DISK_DEVICE_EXCLUDE.source : options.diskDeviceExclude;
  const process = startProcess(binary, [
    `--web.listen-address=127.0.0.1:${port}`,
    '--collector.disable-defaults',
    ...collectors.map((name) => `--collector.${name}`),
    ...(collectors.includes('cpu') ? ['--collector.cpu.guest'] : []),
    ...(exclude === null ? [] : [`--collector.diskstats.device-exclude=${exclude}`]),
    ...(collectors.includes('netdev') ? ['--no-collector.netdev.netlink'] : []),
    ...(options.procPath === undefined ? [] : [`--path.procfs=${options.procPath}`]),
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
      async () => (await scrapeText()).includes('node_scrape_collector_success'),
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
