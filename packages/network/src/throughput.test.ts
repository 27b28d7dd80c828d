import { InvalidLabelError, InvalidValueError, MetricsRegistry } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { NetworkMetricName as Name } from './names.js';
import { NetworkMetricsCollector } from './network-collector.js';
import { histogramOf, seriesValue } from './test-support/metrics.js';

function collector(): NetworkMetricsCollector {
  return new NetworkMetricsCollector({ registry: new MetricsRegistry(), maxSamplesPerSecond: false });
}

describe('measureThroughput', () => {
  it('returns bytes per second and records the transfer', () => {
    const network = collector();
    const sample = network.measureThroughput(3_000_000, 1.5, 'upload');
    expect(sample).toMatchObject({
      name: 'network_throughput_bytes_per_second',
      value: 2_000_000,
      type: 'gauge',
      unit: 'bytes_per_second',
      tags: { operation: 'upload' },
      context: { dataBytes: 3_000_000, durationSeconds: 1.5 },
    });
    network.measureThroughput(1000, 0.5, 'upload');
    const histogram = histogramOf(network.registry, Name.THROUGHPUT, { operation: 'upload' });
    expect(histogram.count).toBe(2);
    expect(histogram.sum).toBe(2_002_000);
    expect(seriesValue(network.registry, Name.TRANSFER_BYTES, { operation: 'upload' })).toBe(3_001_000);
    expect(seriesValue(network.registry, Name.TRANSFER_DURATION, { operation: 'upload' })).toBe(2);
    expect(network.getCollectedMetrics().map((metric) => metric.value)).toEqual([2_000_000, 2000]);
  });

  it('rejects bad values at once and records nothing', () => {
    const network = collector();
    network.measureThroughput(10, 1, 'copy');
    const bad: [number, number][] = [
      [-1, 1],
      [Number.NaN, 1],
      [Number.POSITIVE_INFINITY, 1],
      [10, 0],
      [10, -1],
      [10, Number.NaN],
      [10, Number.POSITIVE_INFINITY],
      [Number.MAX_VALUE, Number.MIN_VALUE],
    ];
    for (const [bytes, seconds] of bad) {
      expect(() => network.measureThroughput(bytes, seconds, 'copy')).toThrow(InvalidValueError);
    }
    for (const operation of ['', 42, undefined]) {
      expect(() => network.measureThroughput(10, 1, operation as string)).toThrow(InvalidLabelError);
    }
    expect(histogramOf(network.registry, Name.THROUGHPUT, { operation: 'copy' }).count).toBe(1);
    expect(seriesValue(network.registry, Name.TRANSFER_BYTES, { operation: 'copy' })).toBe(10);
    expect(network.getCollectedMetrics()).toHaveLength(1);
  });

  it('offers a bound recorder for hot paths, recording into the same series', () => {
    const network = collector();
    const download = network.bindThroughput('download');
    expect(network.bindThroughput('download')).toBe(download);
    for (let i = 1; i <= 4; i++) expect(download.record(i * 1000, 0.25)).toBe(i * 4000);
    expect(seriesValue(network.registry, Name.TRANSFER_BYTES, { operation: 'download' })).toBe(10_000);
    expect(network.getCollectedMetrics()).toEqual([]); // no samples from the bound recorder
  });
});
