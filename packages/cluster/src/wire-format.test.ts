import { MetricsRegistry, type MetricsSnapshot } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { isCollectRequest, isReplyTo, PROTOCOL } from './protocol.js';
import { isSnapshotShape } from './snapshot-shape.js';
import { labelSnapshot, withWorkerLabel } from './worker-label.js';

function workerSnapshot(): MetricsSnapshot {
  const registry = new MetricsRegistry();
  registry.counter({ name: 'jobs_total' }).add(2, { queue: 'a' });
  registry.gauge({ name: 'depth' }).set(1);
  registry.histogram({ name: 'size_bytes', unit: 'bytes', buckets: [10, 100] }).observe(50, { queue: 'a' });
  return JSON.parse(JSON.stringify(registry.snapshot())) as MetricsSnapshot;
}

describe('protocol', () => {
  it('recognises only its own tagged messages', () => {
    const request = { protocol: PROTOCOL, kind: 'collect', id: 'a:1', sketches: true, timeoutMs: 10 };
    expect(isCollectRequest(request)).toBe(true);
    for (const other of [
      null,
      'collect',
      { type: 'collect', id: 'a:1' },
      { ...request, protocol: 'x' },
      { ...request, id: 1 },
    ]) {
      expect(isCollectRequest(other)).toBe(false);
    }
    const reply = { protocol: PROTOCOL, kind: 'snapshot', id: 'a:1', snapshot: workerSnapshot() };
    expect(isReplyTo(reply, 'a:1')).toBe(true);
    expect(isReplyTo(reply, 'a:2')).toBe(false);
    expect(isReplyTo({ ...reply, kind: 'collect' }, 'a:1')).toBe(false);
    expect(isReplyTo({ protocol: PROTOCOL, kind: 'error', id: 'a:1', message: 'x' }, 'a:1')).toBe(true);
  });
});

describe('isSnapshotShape', () => {
  it('accepts a snapshot that went through JSON', () => {
    expect(isSnapshotShape(workerSnapshot())).toBe(true);
  });

  it.each([
    ['not an object', 5],
    ['no families', { timestamp: 1 }],
    ['an unknown type', { timestamp: 1, families: [{ name: 'x', type: 'summary', series: [] }] }],
    [
      'a string value',
      { timestamp: 1, families: [{ name: 'x', type: 'counter', series: [{ labels: {}, value: '1' }] }] },
    ],
    ['labels missing', { timestamp: 1, families: [{ name: 'x', type: 'gauge', series: [{ value: 1 }] }] }],
    [
      'bucket counts of the wrong length',
      {
        timestamp: 1,
        families: [
          {
            name: 'h',
            type: 'histogram',
            bounds: [1, 2],
            relativeAccuracy: 0.01,
            series: [{ labels: {}, count: 1, sum: 1, bucketCounts: [1, 0] }],
          },
        ],
      },
    ],
  ])('rejects %s', (_, value) => {
    expect(isSnapshotShape(value)).toBe(false);
  });
});

describe('per-worker labels', () => {
  it('adds the label to every series, keys sorted, frozen', () => {
    const labelled = labelSnapshot(workerSnapshot(), 'worker', '3');
    for (const family of labelled.families) {
      for (const series of family.series) {
        expect(series.labels.worker).toBe('3');
        expect(Object.keys(series.labels)).toEqual(Object.keys(series.labels).sort());
        expect(Object.isFrozen(series.labels)).toBe(true);
      }
    }
    const histogram = labelled.families.find((family) => family.type === 'histogram');
    expect(histogram?.type === 'histogram' && histogram.series[0]!.bucketCounts).toEqual([0, 1, 0]);
  });

  it('keeps a label of the same name the worker had as exported_<label>', () => {
    expect(withWorkerLabel({ worker: 'job-7', queue: 'a' }, 'worker', '2')).toEqual({
      exported_worker: 'job-7',
      queue: 'a',
      worker: '2',
    });
  });
});
