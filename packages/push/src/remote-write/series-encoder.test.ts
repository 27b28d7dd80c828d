import { MetricsRegistry, parseExposition, serializePrometheus } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { decodeWithProtobufJs, prompbWriteRequest } from '../test-support/prompb.js';
import { SeriesEncoder } from './series-encoder.js';
import { decodeWriteRequest, MetadataType, type RemoteTimeSeries } from './write-request.js';

function labelsOf(series: RemoteTimeSeries): Record<string, string> {
  return Object.fromEntries(series.labels.map((label) => [label.name, label.value]));
}

function exampleRegistry(): MetricsRegistry {
  const registry = new MetricsRegistry();
  const requests = registry.counter({ name: 'http_requests_total', help: 'Requests served.' });
  requests.add(3, { route: '/users', method: 'GET' });
  requests.add(2, { route: 'quote " back \\ slash\nnew line', method: 'POST' });
  registry.gauge({ name: 'queue_length', help: 'Jobs waiting.' }).set(-4.5, { Zone: 'Ünïcødé ✓ 🚀 é' });
  const latency = registry.histogram({
    name: 'job_duration_seconds',
    help: 'Job duration.',
    unit: 'seconds',
    buckets: [0.1, 0.5, 2.5],
  });
  for (const value of [0.05, 0.2, 0.3, 1, 7]) latency.observe(value, { queue: 'default' });
  return registry;
}

describe('SeriesEncoder', () => {
  it('names and values every series as the text exposition does', () => {
    const registry = exampleRegistry();
    const snapshot = registry.snapshot({ sketches: false });
    const batch = new SeriesEncoder().encode(snapshot);
    const decoded = decodeWriteRequest(batch.bytes);
    expect(batch.samples).toBe(decoded.timeseries.length);
    expect(batch.offsets.length).toBe(batch.samples + 1);
    expect(batch.offsets[batch.samples]).toBe(batch.bytes.length);

    // The same samples as the Prometheus text of the same snapshot, parsed by core.
    const text = parseExposition(serializePrometheus(snapshot));
    const expected = text.families
      .flatMap((family) => family.samples)
      .map((sample) => ({ labels: { __name__: sample.name, ...sample.labels }, value: sample.value }));
    const actual = decoded.timeseries.map((series) => ({
      labels: labelsOf(series),
      value: series.samples[0]!.value,
    }));
    expect(actual).toEqual(expected);
    for (const series of decoded.timeseries) {
      expect(series.samples).toEqual([{ value: expect.any(Number), timestamp: snapshot.timestamp }]);
      const names = series.labels.map((label) => label.name);
      // Remote write requires labels sorted by name, byte order ("Zone" < "__name__" < "le").
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    const buckets = actual.filter((series) => series.labels.__name__ === 'job_duration_seconds_bucket');
    expect(buckets.map((series) => [series.labels.le, series.value])).toEqual([
      ['0.1', 1],
      ['0.5', 3],
      ['2.5', 4],
      ['+Inf', 5],
    ]);
  });

  it('is decoded identically by protobufjs (an independent implementation)', () => {
    const snapshot = exampleRegistry().snapshot({ sketches: false });
    const encoder = new SeriesEncoder({ region: 'eu' });
    const bytes = Buffer.concat([encoder.encodeMetadata(snapshot), encoder.encode(snapshot).bytes]);
    const ours = decodeWriteRequest(bytes);
    const theirs = decodeWithProtobufJs(prompbWriteRequest(), bytes);
    expect(theirs.timeseries).toEqual(ours.timeseries);
    expect(theirs.metadata).toEqual(ours.metadata);
    expect(ours.metadata).toEqual([
      {
        type: MetadataType.COUNTER,
        metricFamilyName: 'http_requests_total',
        help: 'Requests served.',
        unit: '',
      },
      { type: MetadataType.GAUGE, metricFamilyName: 'queue_length', help: 'Jobs waiting.', unit: '' },
      {
        type: MetadataType.HISTOGRAM,
        metricFamilyName: 'job_duration_seconds',
        help: 'Job duration.',
        unit: 'seconds',
      },
    ]);
  });

  it('adds external labels unless the series has its own, and leaves empty labels out', () => {
    const registry = new MetricsRegistry();
    const jobs = registry.counter({ name: 'jobs_total' });
    jobs.add(1, { instance: 'own', kind: '' });
    jobs.add(1, { kind: 'x' });
    const encoder = new SeriesEncoder({ instance: 'external', cluster: 'c1', empty: '' });
    const decoded = decodeWriteRequest(encoder.encode(registry.snapshot()).bytes);
    expect(decoded.timeseries.map(labelsOf)).toEqual([
      { __name__: 'jobs_total', cluster: 'c1', instance: 'own' },
      { __name__: 'jobs_total', cluster: 'c1', instance: 'external', kind: 'x' },
    ]);
  });

  it('writes the current values on every encode although label blocks are cached', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'ticks_total' }).bind({ a: '1' });
    const histogram = registry.histogram({ name: 'size_bytes', unit: 'bytes', buckets: [10] });
    const encoder = new SeriesEncoder();
    const seen: number[][] = [];
    for (let round = 1; round <= 3; round++) {
      counter.add(round);
      histogram.observe(round * 4);
      const snapshot = { ...registry.snapshot({ sketches: false }), timestamp: 1_700_000_000_000 + round };
      const decoded = decodeWriteRequest(encoder.encode(snapshot).bytes);
      seen.push(decoded.timeseries.map((series) => series.samples[0]!.value));
      expect(decoded.timeseries.every((series) => series.samples[0]!.timestamp === snapshot.timestamp)).toBe(
        true,
      );
    }
    // counter, le=10, le=+Inf, sum, count
    expect(seen).toEqual([
      [1, 1, 1, 4, 1],
      [3, 2, 2, 12, 2],
      [6, 2, 3, 24, 3],
    ]);
  });

  it('follows a histogram re-registered with other buckets (regression: stale cached le labels)', () => {
    const registry = new MetricsRegistry();
    const encoder = new SeriesEncoder();
    registry.histogram({ name: 'wait_seconds', unit: 'seconds', buckets: [1, 2] }).observe(1.5);
    encoder.encode(registry.snapshot());
    registry.removeMetric('wait_seconds');
    registry.histogram({ name: 'wait_seconds', unit: 'seconds', buckets: [5] }).observe(1.5);
    const decoded = decodeWriteRequest(encoder.encode(registry.snapshot()).bytes);
    expect(decoded.timeseries.map((series) => labelsOf(series).le).filter(Boolean)).toEqual(['5', '+Inf']);
  });

  it('counts one sample per series, histograms as buckets + sum + count', () => {
    const snapshot = exampleRegistry().snapshot();
    // 2 counter series, 1 gauge, 1 histogram series with 3 bounds: 3 + 1 (+Inf) + sum + count.
    expect(SeriesEncoder.sampleCount(snapshot)).toBe(2 + 1 + 6);
    expect(new SeriesEncoder().encode({ timestamp: 0, families: [] }).samples).toBe(0);
  });
});
