import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, MetricConflictError } from './errors.js';
import { type MetricsServer, startMetricsServer } from './exposition/metrics-server.js';
import { serializeOpenMetrics } from './exposition/openmetrics.js';
import { parseExposition } from './exposition/parse.js';
import { serializePrometheus } from './exposition/prometheus.js';
import { MetricsRegistry } from './registry.js';
import { exponentialBuckets, linearBuckets } from './sketch/buckets.js';
import type { GaugeAggregation } from './snapshot.js';
import { baseUnitOf, nameWithUnit, unitSuffix } from './units.js';

/**
 * Regressions found by the bad-input properties of `apps/reliability` (src/fuzz): each case is
 * the smallest input that broke the documented contract.
 */
describe('bad-input regressions', () => {
  it('registers a definition with a unit in capitals again as the same instrument, with its UNIT line', () => {
    const registry = new MetricsRegistry();
    const first = registry.counter({ name: 'refunds_eur', unit: 'EUR' });
    expect(registry.counter({ name: 'refunds_eur', unit: 'EUR' })).toBe(first);
    expect(registry.counter({ name: 'refunds_eur', unit: 'eur' })).toBe(first);
    expect(first.unit).toBe('eur');
    const gauge = registry.gauge({ name: 'wait_seconds', unit: 'SECONDS' });
    gauge.set(2);
    expect(serializeOpenMetrics(registry.snapshot())).toContain('# UNIT wait_seconds seconds\n');
  });

  it('refuses a HELP that is not a string instead of failing every later exposition', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.counter({ name: 'jobs', help: 5 as unknown as string })).toThrow(ConfigError);
    expect(registry.getMetric('jobs')).toBeUndefined();
    expect(() => serializePrometheus(registry.snapshot())).not.toThrow();
  });

  it('refuses a gauge aggregation other than sum, min, max or last', () => {
    const registry = new MetricsRegistry();
    for (const aggregation of ['avg', '', 5, null]) {
      expect(() =>
        registry.gauge({ name: 'depth', aggregation: aggregation as unknown as GaugeAggregation }),
      ).toThrow(ConfigError);
    }
    expect(registry.getMetric('depth')).toBeUndefined();
    expect(registry.gauge({ name: 'depth', aggregation: 'max' }).aggregation).toBe('max');
  });

  it('refuses buckets that are not an array with ConfigError, not TypeError', () => {
    const registry = new MetricsRegistry();
    for (const buckets of [5, { length: 1 }, 'abc', true]) {
      expect(() => registry.histogram({ name: 'h', buckets: buckets as unknown as number[] })).toThrow(
        ConfigError,
      );
    }
  });

  it('refuses a relative accuracy too fine for its bins (observe() used to loop forever)', () => {
    const registry = new MetricsRegistry();
    for (const relativeAccuracy of [1e-16, 1e-9, 9.99e-7]) {
      expect(() => registry.histogram({ name: 'h', relativeAccuracy })).toThrow(ConfigError);
    }
    const finest = registry.histogram({ name: 'h', relativeAccuracy: 1e-6, windowSeconds: 0 });
    for (const value of [1, 3, 7.5, 1e6, 1e-6, 1e300]) finest.observe(value);
    expect(finest.bind().count).toBe(6);
  });

  it('answers quantiles of values near Number.MAX_VALUE within the accuracy, never NaN', () => {
    const registry = new MetricsRegistry();
    for (const relativeAccuracy of [0.01, 0.5, 0.9]) {
      const histogram = registry.histogram({
        name: `h_${String(relativeAccuracy).replace('.', '_')}`,
        relativeAccuracy,
        windowSeconds: 0,
      });
      for (const value of [Number.MAX_VALUE, 1e308, -1.7e308, 1e200, 1e160]) {
        const series = histogram.bind({ v: String(value) });
        series.observe(value);
        const estimate = series.quantile(0.5);
        expect(
          Math.abs(estimate - value) / Math.abs(value),
          `${value} at ${relativeAccuracy}`,
        ).toBeLessThanOrEqual(relativeAccuracy * (1 + 1e-9));
      }
      // Two values above the square root of MAX_VALUE: the median is the lower one (the product
      // of its bin's edges used to overflow, and the median came out as the higher one).
      const pair = histogram.bind({ v: 'pair' });
      pair.observe(1e300);
      pair.observe(3e305);
      expect(Math.abs(pair.quantile(0.5) - 1e300) / 1e300).toBeLessThanOrEqual(relativeAccuracy * (1 + 1e-9));
    }
  });

  describe('bearer token', () => {
    let server: MetricsServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    function status(url: string, authorization: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const req = request(url, { headers: { Authorization: authorization } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
    }

    it('is compared exactly: whitespace other than spaces and tabs around it is part of it', async () => {
      server = await startMetricsServer(new MetricsRegistry(), { port: 0, bearerToken: 's3cret' });
      // U+00A0 arrives as the byte 0xA0 (obs-text); String.prototype.trim() used to remove it.
      for (const header of ['Bearer s3cret\u00a0', 'Bearer \u00a0s3cret', 'Bearer\u00a0s3cret']) {
        expect(await status(server.url, header), JSON.stringify(header)).toBe(401);
      }
      for (const header of ['Bearer s3cret', 'Bearer  s3cret', 'Bearer\ts3cret', 'bearer s3cret']) {
        expect(await status(server.url, header), JSON.stringify(header)).toBe(200);
      }
    });
  });

  it('reads back HELP text holding \\r, U+2028 or U+2029 (the line was taken for a comment)', () => {
    for (const help of ['a\rb', 'x\u2028y', '\u2029', 'tab\tand "quotes"']) {
      const registry = new MetricsRegistry();
      registry.counter({ name: 'jobs', help }).add(1);
      for (const text of [
        serializePrometheus(registry.snapshot()),
        serializeOpenMetrics(registry.snapshot()),
      ]) {
        const family = parseExposition(text).families.find((item) => item.name.startsWith('jobs'));
        expect(family?.help, JSON.stringify(help)).toBe(help);
      }
    }
  });

  it('refuses a bucket count too large to allocate with ConfigError, not RangeError', () => {
    expect(() => linearBuckets(0, 1, 2 ** 53)).toThrow(ConfigError);
    expect(() => exponentialBuckets(1, 1.0000001, 2 ** 40)).toThrow(ConfigError);
    expect(() => linearBuckets(0, 1, 65_537)).toThrow(ConfigError);
    expect(linearBuckets(0, 1, 65_536)).toHaveLength(65_536);
  });

  it('gives a built-in unit written in capitals the base of the built-in unit', () => {
    expect(baseUnitOf('MILLISECONDS')).toBe('seconds');
    expect(unitSuffix('KibiBytes')).toBe('_bytes');
    expect(nameWithUnit('checkout_latency', 'MILLISECONDS')).toBe('checkout_latency_seconds');
    expect(nameWithUnit('refunds', 'EUR')).toBe('refunds_eur');
  });

  it('still refuses a conflicting unit after normalisation', () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'refunds_eur', unit: 'EUR' });
    expect(() => registry.counter({ name: 'refunds_eur' })).toThrow(MetricConflictError);
  });
});
