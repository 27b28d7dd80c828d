import { parseExposition } from '@fw0/metrics-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenMetricsParseError, parseOpenMetricsStrictly } from '../../../test-support/openmetrics.js';
import { promtoolCheckMetrics } from '../../../test-support/promtool.js';
import { type RunningDemo, startDemo } from './test-support/demo-process.js';
import {
  camelCaseFinding,
  expectedPromtoolFindings,
  nodeExporterFindings,
} from './test-support/node-exporter-baseline.js';

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0';

describe("the demo's /metrics under promtool and a strict OpenMetrics parser", () => {
  let demo: RunningDemo;
  let baseline: Set<string>;
  let openMetricsText: string;
  beforeAll(async () => {
    baseline = await nodeExporterFindings();
    demo = await startDemo();
    // A few seconds in, every collector has reported.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const response = await fetch(`${demo.url}metrics`, { headers: { Accept: OPENMETRICS } });
    expect(response.headers.get('content-type')).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    openMetricsText = await response.text();
  }, 120_000);
  afterAll(async () => {
    await demo?.stop();
  });

  it('Prometheus text: promtool reports exactly the camelCase names node_exporter has too', async () => {
    const response = await fetch(`${demo.url}metrics`, { headers: { Accept: 'text/plain;version=0.0.4' } });
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('node_cpu_seconds_total{cpu="0",mode="idle"}');
    const expected = expectedPromtoolFindings(text, 'prometheus');
    // The demo has node_exporter's memory names, and each is one node_exporter itself is linted for.
    expect(expected.camelCaseNames).toContain('node_memory_MemTotal_bytes');
    for (const name of expected.camelCaseNames) expect(baseline, name).toContain(camelCaseFinding(name));
    const result = promtoolCheckMetrics(text);
    expect([...result.findings].sort()).toEqual(expected.findings);
    // Exit code 3: lint findings only (1 would be a parse error).
    expect(result.code).toBe(3);
  });

  it('OpenMetrics: promtool reports exactly the camelCase names and its known 0.0.4 counter artifacts', () => {
    expect(openMetricsText.endsWith('# EOF\n')).toBe(true);
    const expected = expectedPromtoolFindings(openMetricsText, 'openmetrics');
    expect(expected.findings.some((finding) => finding === 'shop_orders_total no help text')).toBe(true);
    const result = promtoolCheckMetrics(openMetricsText);
    expect([...result.findings].sort()).toEqual(expected.findings);
    expect(result.code).toBe(3);
  });

  it('OpenMetrics: the reference parser reads every family and sample, as core reads them', () => {
    const families = parseOpenMetricsStrictly(openMetricsText);
    const declared = [...openMetricsText.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [
      match[1],
      match[2],
    ]);
    expect(families.map((family) => [family.name, family.type])).toEqual(declared);
    // Every sample line was read, with the same name, labels and value as core's own parser reads.
    const ours = parseExposition(openMetricsText).families.flatMap((family) => family.samples);
    const theirs = families.flatMap((family) => family.samples);
    expect(theirs.length).toBe(
      openMetricsText.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length,
    );
    expect(theirs.map((sample) => [sample.name, sample.labels, sample.value])).toEqual(
      ours.map((sample) => [sample.name, sample.labels, sample.value]),
    );
    const units = new Map(families.map((family) => [family.name, family.unit]));
    expect(units.get('node_cpu_seconds')).toBe('seconds');
    expect(units.get('shop_checkout_duration_seconds')).toBe('seconds');
  });

  it('the OpenMetrics check can fail: it refuses the text broken in ways promtool lets pass', () => {
    const broken = [
      // No terminating # EOF.
      openMetricsText.replace(/# EOF\n$/, ''),
      // A counter sample without its _total suffix.
      openMetricsText.replace(/^shop_orders_total\{/m, 'shop_orders{'),
    ];
    for (const text of broken) {
      expect(text).not.toBe(openMetricsText);
      expect(() => parseOpenMetricsStrictly(text)).toThrow(OpenMetricsParseError);
      // promtool parses both without an error (exit 3: lint findings only).
      expect(promtoolCheckMetrics(text).code).toBe(3);
    }
  });
});
