/**
 * A host for registry.test.ts, run as `node --import tsx collect-child.ts`: awaits
 * `registry.collect()` at the top level with a collector whose refresh never settles and nothing
 * else keeping the process alive, then prints how long the collect took and what it held.
 */
import { MetricsRegistry } from '../registry.js';

const registry = new MetricsRegistry({ collectTimeoutMs: 200 });
registry.register({
  name: 'stuck',
  refresh: () => new Promise<void>(() => {}),
  getCollectedMetrics: () => [],
});
registry.gauge({ name: 'job_rows' }).set(12);
// A turn of the event loop first, so that the timeout timer starts from a fresh loop clock.
await new Promise((resolve) => setTimeout(resolve, 20));
const started = performance.now();
const snapshot = await registry.collect();
console.log(
  JSON.stringify({
    collectMs: Math.round(performance.now() - started),
    families: snapshot.families.map((family) => family.name),
  }),
);
