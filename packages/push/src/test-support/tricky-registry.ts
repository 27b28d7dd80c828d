import { MetricsRegistry } from '@fw0/metrics-core';

/** Label values that break naive encoders: quotes, backslashes, line feeds, Unicode, separators. */
export const TRICKY_VALUES = [
  'plain',
  'quote " and backslash \\',
  'line\nfeed',
  'Ünïcødé ✓ 日本 🚀',
  'a=b,c{d}',
  ' leading and trailing ',
] as const;

/**
 * A registry with a counter per tricky label value, a gauge with a negative fraction, and a
 * histogram with known buckets: what the real-store tests push and query back.
 */
export function trickyRegistry(prefix: string): MetricsRegistry {
  const registry = new MetricsRegistry();
  const requests = registry.counter({ name: `${prefix}_requests_total`, help: 'Requests served.' });
  for (const [index, path] of TRICKY_VALUES.entries()) requests.add(index + 1, { path, method: 'GET' });
  registry
    .gauge({ name: `${prefix}_temperature_celsius`, help: 'A temperature.', unit: 'celsius' })
    .set(-3.25, {
      room: 'lab',
    });
  const latency = registry.histogram({
    name: `${prefix}_latency_seconds`,
    help: 'Latency.',
    unit: 'seconds',
    buckets: [0.01, 0.1, 1],
  });
  for (const seconds of [0.005, 0.05, 0.06, 0.5, 2, 3]) latency.observe(seconds, { route: '/r' });
  return registry;
}

/** What {@link trickyRegistry} holds, as `[labels, value]` per exposed sample of the histogram. */
export const TRICKY_HISTOGRAM = {
  buckets: [
    ['0.01', 1],
    ['0.1', 3],
    ['1', 4],
    ['+Inf', 6],
  ] as const,
  sum: 0.005 + 0.05 + 0.06 + 0.5 + 2 + 3,
  count: 6,
};
