import { MetricsRegistry } from '@fw0/metrics-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkBody, SampleQueue } from './sample-queue.js';
import { type EncodedBatch, SeriesEncoder } from './series-encoder.js';
import { decodeWriteRequest } from './write-request.js';

/** A batch of `samples` gauge series whose values are `first`, `first + 1`... (to track identity). */
function batch(first: number, samples: number): EncodedBatch {
  const registry = new MetricsRegistry();
  const gauge = registry.gauge({ name: 'item' });
  for (let i = 0; i < samples; i++) gauge.set(first + i, { i: String(i) });
  return new SeriesEncoder().encode({ ...registry.snapshot(), timestamp: first });
}

function values(bytes: Uint8Array): number[] {
  return decodeWriteRequest(bytes).timeseries.map((series) => series.samples[0]!.value);
}

describe('SampleQueue', () => {
  it('keeps at most maxSamples, dropping the oldest and saying how many', () => {
    const queue = new SampleQueue(5);
    expect(queue.push(batch(0, 3))).toBe(0);
    expect(queue.push(batch(100, 3))).toBe(1);
    expect(queue.size).toBe(5);
    expect(queue.push(batch(200, 7))).toBe(7);
    const chunk = queue.take(10);
    expect(values(chunkBody(chunk))).toEqual([202, 203, 204, 205, 206]);
    expect(queue.size).toBe(0);
    expect(queue.bytes).toBe(0);
  });

  it('takes across batches in order and puts a failed chunk back in front', () => {
    const queue = new SampleQueue(100);
    queue.push(batch(0, 4));
    queue.push(batch(10, 4));
    const first = queue.take(6);
    expect(first.samples).toBe(6);
    expect(values(chunkBody(first))).toEqual([0, 1, 2, 3, 10, 11]);
    queue.push(batch(20, 2));
    expect(queue.putBack(first)).toBe(0);
    expect(queue.size).toBe(10);
    expect(values(chunkBody(queue.take(100)))).toEqual([0, 1, 2, 3, 10, 11, 12, 13, 20, 21]);
  });

  it('drops the oldest of a chunk put back when the queue filled meanwhile', () => {
    const queue = new SampleQueue(6);
    queue.push(batch(0, 4));
    const inFlight = queue.take(4);
    queue.push(batch(10, 4));
    expect(queue.putBack(inFlight)).toBe(2);
    expect(values(chunkBody(queue.take(100)))).toEqual([2, 3, 10, 11, 12, 13]);
  });

  it('prefixes a body with metadata bytes', () => {
    const queue = new SampleQueue(10);
    queue.push(batch(5, 2));
    const prefix = new Uint8Array([0x1a, 0x00]);
    const body = chunkBody(queue.take(10), prefix);
    expect([...body.subarray(0, 2)]).toEqual([0x1a, 0x00]);
    expect(decodeWriteRequest(body).metadata).toHaveLength(1);
  });

  it('behaves like a bounded FIFO of samples under any sequence of operations', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), samples: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ kind: fc.constant('take' as const), max: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constant('fail' as const), max: fc.integer({ min: 1, max: 12 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.array(operation, { maxLength: 40 }),
        (bound, operations) => {
          const queue = new SampleQueue(bound);
          let model: number[] = [];
          let next = 0;
          const trim = () => {
            const excess = Math.max(0, model.length - bound);
            model = model.slice(excess);
            return excess;
          };
          for (const op of operations) {
            if (op.kind === 'push') {
              const added = Array.from({ length: op.samples }, (_, i) => next + i);
              model.push(...added);
              expect(queue.push(op.samples === 0 ? batch(next, 0) : batch(next, op.samples))).toBe(trim());
              next += op.samples;
            } else {
              const chunk = queue.take(op.max);
              const taken = model.splice(0, op.max);
              expect(values(chunkBody(chunk))).toEqual(taken);
              if (op.kind === 'fail') {
                model.unshift(...taken);
                expect(queue.putBack(chunk)).toBe(trim());
              }
            }
            expect(queue.size).toBe(model.length);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
