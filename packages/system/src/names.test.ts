import {
  MetricsRegistry,
  nameWithUnit,
  type PerformanceMetric,
  serializePrometheus,
  toBaseUnit,
} from '@fw0/metrics-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from '../../../test-support/promtool.js';
import { SystemMetricsCollector } from './system-collector.js';
import { sampleKey, scrapeRegistry } from './test-support/exposition.js';

describe('names', () => {
  let collector: SystemMetricsCollector;
  let samples: PerformanceMetric[];

  beforeAll(async () => {
    collector = new SystemMetricsCollector({ registry: new MetricsRegistry(), inventory: false });
    await collector.collectAllSystemMetrics();
    samples = await collector.collectAllSystemMetrics();
  });
  afterAll(() => collector?.close());

  it('each sample is its metric in the seed unit: name + unit suffix, same labels, value in base units', () => {
    const exposed = scrapeRegistry(collector.registry);
    expect(samples.length).toBeGreaterThan(30);
    for (const sample of samples) {
      const key = sampleKey(nameWithUnit(sample.name, sample.unit), sample.tags);
      expect(exposed.has(key), key).toBe(true);
      expect(exposed.get(key)).toBeCloseTo(toBaseUnit(sample.value, sample.unit), 9);
    }
    const units = new Set(samples.map((sample) => sample.unit));
    expect([...units].sort()).toEqual(['bytes', 'bytes_per_second', 'count', 'per_second', 'percent']);
  });

  it('promtool finds nothing but the camelCase of the node_memory_ names node_exporter uses', () => {
    const result = promtoolCheckMetrics(serializePrometheus(collector.registry.snapshot()));
    expect(result.code === 0 || result.code === 3, result.findings.join('\n')).toBe(true);
    for (const finding of result.findings) {
      expect(finding).toMatch(
        /^node_memory_\w+_bytes metric names should be written in 'snake_case' not 'camelCase'$/,
      );
    }
  });
});
