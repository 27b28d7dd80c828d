import { ManualClock } from '../clock.js';
import { MetricsRegistry } from '../registry.js';

/** The registry behind the golden files: every family type, units, escaping, overflow. */
export function goldenRegistry(): MetricsRegistry {
  const registry = new MetricsRegistry({ clock: new ManualClock(), maxSeriesPerMetric: 3 });
  const requests = registry.counter({
    name: 'http_requests_total',
    help: 'HTTP requests served.\nBy route\\method.',
  });
  requests.add(3, { route: '/', method: 'GET' });
  requests.add(1, { route: '/say "hi"', method: 'POST' });
  requests.add(2, { route: 'back\\slash\nnewline', method: 'GET' });
  requests.add(5, { route: '/overflowing', method: 'GET' });
  registry.counter({ name: 'revenue_eur', help: 'Revenue in euros.', unit: 'eur' }).add(12.5);
  const memory = registry.gauge({ name: 'memory_used_bytes', help: 'Memory in use.', unit: 'bytes' });
  memory.set(1_073_741_824, { kind: 'heap' });
  memory.set(0.5, { kind: 'émoji ✓ 漢字' });
  registry.gauge({ name: 'temperature_celsius', help: 'Below zero.', unit: 'celsius' }).set(-3.25);
  const latency = registry.histogram({
    name: 'checkout_duration_seconds',
    help: 'Checkout latency.',
    unit: 'seconds',
    buckets: [0.05, 0.1, 0.5],
  });
  for (const value of [0.01, 0.07, 0.2, 2]) latency.observe(value, { shop: 'eu' });
  latency.observe(0.3);
  return registry;
}
