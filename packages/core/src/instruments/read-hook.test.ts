import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { serializeOpenMetrics } from '../exposition/openmetrics.js';
import { serializePrometheus } from '../exposition/prometheus.js';
import { MetricsRegistry } from '../registry.js';

/** A value kept outside the registry, written to `gauge` by its read hook: what a collector does. */
function lazyGauge(registry = new MetricsRegistry()) {
  const gauge = registry.gauge({ name: 'last_status' });
  const handle = gauge.bind({ target: 'a' });
  const state = { pending: undefined as number | undefined, calls: 0 };
  const remove = gauge.onRead('prober', () => {
    state.calls++;
    if (state.pending === undefined) return;
    handle.set(state.pending);
    state.pending = undefined;
  });
  return { registry, gauge, handle, state, remove };
}

describe('Instrument.onRead', () => {
  it('runs before every kind of read, so that each sees the value kept outside', () => {
    const { registry, gauge, state } = lazyGauge();
    const reads: [string, () => unknown][] = [
      ['get', () => gauge.get({ target: 'a' })],
      [
        'snapshot',
        () => {
          const family = registry.snapshot().families.find((f) => f.name === 'last_status');
          return family?.type === 'gauge' ? family.series[0]?.value : undefined;
        },
      ],
      [
        'prometheus',
        () => /last_status\{target="a"\} (\d+)/.exec(serializePrometheus(registry.snapshot()))?.[1],
      ],
      [
        'openmetrics',
        () => /last_status\{target="a"\} (\d+)/.exec(serializeOpenMetrics(registry.snapshot()))?.[1],
      ],
    ];
    let value = 200;
    for (const [name, read] of reads) {
      state.pending = value;
      expect(String(read()), name).toBe(String(value));
      value++;
    }
    state.pending = 7;
    expect(gauge.seriesCount).toBe(1);
    expect(gauge.get({ target: 'a' })).toBe(7);
    state.pending = 8;
    expect(gauge.labelSets()).toEqual([{ target: 'a' }]);
    expect(gauge.get({ target: 'a' })).toBe(8);
  });

  it('runs before histogram reads too', () => {
    const registry = new MetricsRegistry();
    const histogram = registry.histogram({ name: 'wait_seconds', unit: 'seconds' });
    const waiting: number[] = [];
    histogram.onRead('queue', () => {
      for (const value of waiting.splice(0)) histogram.observe(value);
    });
    waiting.push(0.1, 0.2, 0.3);
    expect(histogram.summary()?.cumulative.count).toBe(3);
    waiting.push(0.4);
    expect(histogram.quantile(1)).toBeCloseTo(0.4, 2);
    waiting.push(0.5);
    const family = registry.snapshot().families.find((f) => f.name === 'wait_seconds');
    expect(family?.type === 'histogram' ? family.series[0]?.count : undefined).toBe(5);
  });

  it('stops once removed, and the value stays as last written', () => {
    const { gauge, state, remove } = lazyGauge();
    state.pending = 1;
    expect(gauge.get({ target: 'a' })).toBe(1);
    remove();
    remove();
    const calls = state.calls;
    state.pending = 2;
    expect(gauge.get({ target: 'a' })).toBe(1);
    expect(state.calls).toBe(calls);
  });

  it('counts and logs a hook that throws, and the read goes on with the values as they are', () => {
    const errors: string[] = [];
    const registry = new MetricsRegistry({
      logger: { debug() {}, warn() {}, error: (message) => errors.push(message) },
    });
    const { gauge, handle } = lazyGauge(registry);
    handle.set(3);
    gauge.onRead('broken', () => {
      throw new Error('cannot read the source');
    });
    expect(gauge.get({ target: 'a' })).toBe(3);
    expect(serializePrometheus(registry.snapshot())).toContain('last_status{target="a"} 3');
    expect(registry.self.collectorErrors.get({ collector: 'broken', operation: 'read_hook' })).toBe(2);
    expect(
      errors.filter((message) => message.includes('"broken"') && message.includes('last_status')),
    ).toHaveLength(2);
  });

  it('lets a hook remove itself while hooks run', () => {
    const gauge = new MetricsRegistry().gauge({ name: 'g' });
    const order: string[] = [];
    const removeFirst = gauge.onRead('a', () => {
      order.push('a');
      removeFirst();
    });
    gauge.onRead('b', () => order.push('b'));
    gauge.get();
    gauge.get();
    expect(order).toEqual(['a', 'b', 'b']);
  });

  it('does not run the hooks again for reads made by a hook', () => {
    const registry = new MetricsRegistry();
    const a = registry.gauge({ name: 'a' });
    const b = registry.gauge({ name: 'b' });
    let runs = 0;
    a.onRead('x', () => {
      runs++;
      a.set((b.get() ?? 0) + 1);
    });
    b.onRead('x', () => {
      runs++;
      b.set((a.get() ?? 0) + 10);
    });
    expect(a.get()).toBe(11);
    expect(runs).toBe(2);
    expect(registry.self.collectorErrors.get({ collector: 'x', operation: 'read_hook' })).toBeUndefined();
  });

  it('refuses an owner that is not a non-empty string and a hook that is not a function', () => {
    const gauge = new MetricsRegistry().gauge({ name: 'g' });
    for (const owner of ['', 3, undefined, '\ud800']) {
      expect(() => gauge.onRead(owner as string, () => {})).toThrow(ConfigError);
    }
    expect(() => gauge.onRead('x', 'not a function' as unknown as () => void)).toThrow(ConfigError);
    // Nothing was added: a read runs no hook and throws nothing.
    expect(gauge.get()).toBeUndefined();
  });
});
