import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from '../../../test-support/promtool.js';
import { type RunningDemo, startDemo } from './test-support/demo-process.js';
import { nodeExporterFindings, openMetricsCounterArtifacts } from './test-support/node-exporter-baseline.js';

describe("promtool check metrics on the demo's /metrics", () => {
  let demo: RunningDemo;
  let baseline: Set<string>;
  beforeAll(async () => {
    baseline = await nodeExporterFindings();
    demo = await startDemo();
    // A few seconds in, every collector has reported.
    await new Promise((resolve) => setTimeout(resolve, 4000));
  }, 120_000);
  afterAll(async () => {
    await demo?.stop();
  });

  it('Prometheus text parses, and lints exactly as clean as node_exporter itself', async () => {
    const response = await fetch(`${demo.url}metrics`, { headers: { Accept: 'text/plain;version=0.0.4' } });
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('node_cpu_seconds_total{cpu="0",mode="idle"}');
    const result = promtoolCheckMetrics(text);
    expect(result.code, result.findings.join('\n')).not.toBe(1);
    const extra = result.findings.filter((finding) => !baseline.has(finding));
    expect(extra).toEqual([]);
  });

  it('OpenMetrics parses, with only node_exporter findings and the known counter artifacts', async () => {
    const response = await fetch(`${demo.url}metrics`, {
      headers: { Accept: 'application/openmetrics-text;version=1.0.0' },
    });
    expect(response.headers.get('content-type')).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    const text = await response.text();
    expect(text.endsWith('# EOF\n')).toBe(true);
    const result = promtoolCheckMetrics(text);
    expect(result.code, result.findings.join('\n')).not.toBe(1);
    const artifacts = openMetricsCounterArtifacts(text);
    const extra = result.findings.filter((finding) => !baseline.has(finding) && !artifacts.has(finding));
    expect(extra).toEqual([]);
  });
});
