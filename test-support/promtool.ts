import { spawnSync } from 'node:child_process';
import { requireBinary } from './binaries.js';

/** What `promtool check metrics` said about a text. */
export interface PromtoolResult {
  /** 0 clean, 3 lint findings only, 1 a parse error. */
  readonly code: number;
  /** Its findings, one per line. */
  readonly findings: string[];
}

/**
 * Runs Debian's `promtool check metrics` on `text` (bounded: 20 s). promtool 2.42 reads any text
 * with the Prometheus 0.0.4 grammar, OpenMetrics included (it then reports every counter as
 * `<name>_total no help text`): it checks no OpenMetrics rule. Use `parseOpenMetricsStrictly`
 * (`openmetrics.ts`) for that. Assert the exact findings and code a text should get.
 */
export function promtoolCheckMetrics(text: string): PromtoolResult {
  const promtool = requireBinary('promtool', 'prometheus');
  const result = spawnSync(promtool, ['check', 'metrics'], {
    input: text,
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  const output = `${result.stdout}${result.stderr}`;
  return { code: result.status ?? -1, findings: output.split('\n').filter((line) => line.trim() !== '') };
}
