import { ConfigError } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { Backoff, resolveRetry } from './backoff.js';

describe('Backoff', () => {
  it('doubles from initialBackoffMs up to maxBackoffMs and starts over after a success', () => {
    const backoff = new Backoff(
      resolveRetry('retry', { initialBackoffMs: 100, maxBackoffMs: 1000, jitter: 0 }),
    );
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('takes up to `jitter` of each wait off at random', () => {
    const retry = resolveRetry('retry', { initialBackoffMs: 1000, maxBackoffMs: 1000, jitter: 0.5 });
    expect(new Backoff(retry, () => 0).next()).toBe(1000);
    expect(new Backoff(retry, () => 0.999_999).next()).toBe(500);
    const random = new Backoff(retry);
    for (let i = 0; i < 100; i++) {
      const wait = random.next();
      expect(wait).toBeGreaterThanOrEqual(500);
      expect(wait).toBeLessThanOrEqual(1000);
    }
  });

  it('waits at least what Retry-After asked for, within maxBackoffMs', () => {
    const backoff = new Backoff(
      resolveRetry('retry', { initialBackoffMs: 10, maxBackoffMs: 5000, jitter: 0 }),
    );
    expect(backoff.next(2000)).toBe(2000);
    expect(backoff.next(60_000)).toBe(5000);
    expect(backoff.next(1)).toBe(40);
  });

  it('rejects bad options with a ConfigError naming the option', () => {
    expect(() => resolveRetry('retry', { initialBackoffMs: 0 })).toThrow(/retry\.initialBackoffMs=0/);
    expect(() => resolveRetry('retry', { initialBackoffMs: 500, maxBackoffMs: 100 })).toThrow(ConfigError);
    expect(() => resolveRetry('retry', { jitter: 1.5 })).toThrow(/retry\.jitter=1\.5/);
    expect(() => resolveRetry('retry', 'fast' as never)).toThrow(ConfigError);
    expect(resolveRetry('retry', undefined)).toEqual({
      initialBackoffMs: 500,
      maxBackoffMs: 30_000,
      jitter: 0.2,
    });
  });
});
