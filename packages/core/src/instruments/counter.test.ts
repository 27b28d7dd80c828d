import { describe, expect, it } from 'vitest';
import { InvalidLabelError, InvalidValueError } from '../errors.js';
import { MetricsRegistry } from '../registry.js';

describe('Counter', () => {
  it('adds per label set, whatever the key order or value type', () => {
    const counter = new MetricsRegistry().counter({ name: 'requests_total', help: 'Requests' });
    counter.add();
    counter.add(2, { route: '/a', method: 'GET' });
    counter.add(3, { method: 'GET', route: '/a' });
    counter.add(1, { route: '/a', method: 'POST' });
    counter.add(1, { code: 200 });
    counter.add(1, { code: '200' });
    expect(counter.get()).toBe(1);
    expect(counter.get({ method: 'GET', route: '/a' })).toBe(5);
    expect(counter.get({ route: '/a', method: 'POST' })).toBe(1);
    expect(counter.get({ code: '200' })).toBe(2);
    expect(counter.seriesCount).toBe(4);
    expect(counter.get({ route: '/missing' })).toBeUndefined();
  });

  it('treats undefined label values as absent', () => {
    const counter = new MetricsRegistry().counter({ name: 'c_total' });
    counter.add(1, { a: 'x', b: undefined });
    counter.add(1, { a: 'x' });
    expect(counter.get({ a: 'x' })).toBe(2);
    expect(counter.labelSets()).toEqual([{ a: 'x' }]);
  });

  it('gives bound handles that record without lookups and survive reset', () => {
    const counter = new MetricsRegistry().counter({ name: 'hits_total' });
    const handle = counter.bind({ cache: 'l1' });
    handle.add();
    handle.add(4);
    expect(counter.get({ cache: 'l1' })).toBe(5);
    expect(counter.bind({ cache: 'l1' })).toBe(handle);
    counter.reset();
    expect(counter.get({ cache: 'l1' })).toBe(0);
    handle.add(2);
    expect(counter.get({ cache: 'l1' })).toBe(2);
  });

  it('rejects NaN, infinite, negative and non-number increments, changing nothing', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'c_total' });
    counter.add(1, { a: 'x' });
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1, '1' as unknown as number]) {
      expect(() => counter.add(bad, { a: 'new' })).toThrow(InvalidValueError);
      expect(() => counter.bind({ a: 'x' }).add(bad)).toThrow(InvalidValueError);
    }
    expect(counter.get({ a: 'x' })).toBe(1);
    expect(counter.get({ a: 'new' })).toBeUndefined();
    expect(counter.seriesCount).toBe(1);
    expect(() => counter.add(-1)).toThrow(/counter "c_total": it must be a finite number >= 0/);
  });

  it('rejects bad label names and values before creating a series', () => {
    const counter = new MetricsRegistry().counter({ name: 'c_total' });
    expect(() => counter.add(1, { 'bad-name': 'x' })).toThrow(InvalidLabelError);
    expect(() => counter.add(1, { __name__: 'x' })).toThrow(InvalidLabelError);
    expect(() => counter.add(1, { fw0_overflow: 'x' })).toThrow(InvalidLabelError);
    expect(() => counter.add(1, { a: { nested: true } as unknown as string })).toThrow(InvalidLabelError);
    expect(() => counter.add(1, { a: '\udc00' })).toThrow(InvalidLabelError);
    expect(counter.seriesCount).toBe(0);
  });

  it('sends label sets past the series limit to one overflow series and counts them', () => {
    const registry = new MetricsRegistry({ maxSeriesPerMetric: 3 });
    const counter = registry.counter({ name: 'users_total' });
    for (let i = 0; i < 10; i++) counter.add(1, { user: `u${i}` });
    counter.add(5, { user: 'u0' });
    expect(counter.seriesCount).toBe(3);
    expect(counter.get({ user: 'u0' })).toBe(6);
    const overflow = counter.bind({ user: 'u9' });
    expect(overflow.labels).toEqual({ fw0_overflow: 'true' });
    expect(overflow.value).toBe(7);
    // Records sent to the overflow series: u3..u9, one each. Binding a handle records nothing.
    expect(registry.self.seriesOverflow.get({ metric: 'users_total' })).toBe(7);
  });

  it('honours a per-metric series limit', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'small_total', maxSeries: 1 });
    counter.add(1, { a: '1' });
    counter.add(1, { a: '2' });
    expect(counter.seriesCount).toBe(1);
    expect(registry.self.seriesOverflow.get({ metric: 'small_total' })).toBe(1);
  });

  it('removes a series; its bound handle puts it back when used again', () => {
    const counter = new MetricsRegistry().counter({ name: 'c_total' });
    const handle = counter.bind({ a: 'x' });
    handle.add(3);
    expect(counter.remove({ a: 'x' })).toBe(true);
    expect(counter.remove({ a: 'x' })).toBe(false);
    expect(counter.get({ a: 'x' })).toBeUndefined();
    handle.add(2);
    expect(counter.get({ a: 'x' })).toBe(2);
    expect(counter.bind({ a: 'x' })).toBe(handle);
  });

  it('moves a removed handle into a series recreated meanwhile', () => {
    const counter = new MetricsRegistry().counter({ name: 'c_total' });
    const stale = counter.bind({ a: 'x' });
    counter.remove({ a: 'x' });
    counter.add(10, { a: 'x' });
    stale.add(1);
    stale.add(1);
    expect(counter.get({ a: 'x' })).toBe(12);
    expect(stale.value).toBe(0);
  });

  it('clears all series', () => {
    const counter = new MetricsRegistry().counter({ name: 'c_total' });
    counter.add(1, { a: '1' });
    counter.add(1, { a: '2' });
    counter.clear();
    expect(counter.seriesCount).toBe(0);
    counter.add(1, { a: '1' });
    expect(counter.get({ a: '1' })).toBe(1);
  });

  it('keeps its lookup cache bounded when callers vary key order (regression: trie growth)', () => {
    const registry = new MetricsRegistry({ maxSeriesPerMetric: 10 });
    const counter = registry.counter({ name: 'c_total' });
    for (let i = 0; i < 10_000; i++) {
      const labels: Record<string, string> = {};
      const keys = ['a', 'b', 'c', 'd'].sort(() => ((i * 7919) % 3) - 1);
      for (const key of keys) labels[key] = String(i % 10);
      counter.add(1, labels);
    }
    expect(counter.seriesCount).toBe(10);
    let total = 0;
    for (let i = 0; i < 10; i++)
      total += counter.get({ a: String(i), b: String(i), c: String(i), d: String(i) }) ?? 0;
    expect(total).toBe(10_000);
  });
});
