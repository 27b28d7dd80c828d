import { requireBinary } from '../../../../test-support/binaries.js';
import { freePort, startProcess, waitFor } from '../../../../test-support/processes.js';
import { promtoolCheckMetrics } from '../../../../test-support/promtool.js';

/**
 * What `promtool check metrics` says about the real node_exporter on this machine (started on
 * loopback, stopped by PID). The demo keeps node_exporter's names (so its dashboards work), so it
 * may get the same findings (`node_memory_MemTotal_bytes` is not snake_case) but no other.
 */
export async function nodeExporterFindings(): Promise<Set<string>> {
  const binary = requireBinary('prometheus-node-exporter', 'prometheus-node-exporter');
  const port = await freePort();
  const exporter = startProcess(binary, [`--web.listen-address=127.0.0.1:${port}`]);
  try {
    let text = '';
    await waitFor('node_exporter to serve /metrics', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      text = await response.text();
      return response.ok;
    });
    return new Set(promtoolCheckMetrics(text).findings);
  } finally {
    await exporter.stop();
  }
}

/** Counters exposed as OpenMetrics that promtool's 0.0.4 linter reads as families without HELP. */
export function openMetricsCounterArtifacts(text: string): Set<string> {
  const artifacts = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) counter$/gm))
    artifacts.add(`${match[1]}_total no help text`);
  return artifacts;
}
