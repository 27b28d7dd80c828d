import { requireBinary } from '../../../../test-support/binaries.js';
import { freePort, startProcess, waitFor } from '../../../../test-support/processes.js';
import { promtoolCheckMetrics } from '../../../../test-support/promtool.js';

/**
 * What `promtool check metrics` says about the real node_exporter on this machine (started on
 * loopback, stopped by PID). The demo keeps node_exporter's names (so its dashboards work), so it
 * gets the same camelCase findings (`node_memory_MemTotal_bytes`) for the names it shares.
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

/** promtool's finding for a metric name with a lower-case letter followed by a capital. */
export const camelCaseFinding = (name: string) =>
  `${name} metric names should be written in 'snake_case' not 'camelCase'`;

/**
 * The exact findings promtool 2.42 should report on a text of the demo, derived from its families
 * (`# TYPE` lines): the camelCase finding for every name with `[a-z][A-Z]` in it (node_exporter's
 * `node_memory_*` names), and, on OpenMetrics text that promtool reads with the 0.0.4 grammar,
 * "`<name>_total` no help text" for every counter (it files `x_total` samples under a family of
 * their own). Sorted, as a set.
 */
export function expectedPromtoolFindings(
  text: string,
  format: 'prometheus' | 'openmetrics',
): {
  findings: string[];
  camelCaseNames: string[];
} {
  const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => ({
    name: match[1]!,
    type: match[2]!,
  }));
  const camelCaseNames = families.map((family) => family.name).filter((name) => /[a-z][A-Z]/.test(name));
  const findings = new Set(camelCaseNames.map(camelCaseFinding));
  if (format === 'openmetrics')
    for (const family of families)
      if (family.type === 'counter') findings.add(`${family.name}_total no help text`);
  return { findings: [...findings].sort(), camelCaseNames };
}
