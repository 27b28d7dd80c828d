/**
 * A host application for the fault tests, run as a child process:
 * `node --import tsx exporter-child.ts <run|stop> <url>`.
 * - `run`: starts an exporter and lets the main module end while it runs (a 300 ms timer keeps
 *   the host busy first, so pushes happen); the process must then exit on its own.
 * - `stop`: starts an exporter, then awaits `stop({ timeoutMs: 400 })` at the top level and
 *   prints how long it took and what it dropped.
 * - `flush`: starts an exporter whose requests time out after 100 ms, then awaits
 *   `flush({ timeoutMs: 400 })` five times at the top level and prints how long each took and
 *   what it resolved to.
 */
import { type Counter, MetricsRegistry } from '@fw0/metrics-core';
import { RemoteWriteExporter } from '../index.js';

const [mode, url] = process.argv.slice(2);
const registry = new MetricsRegistry();
registry.counter({ name: 'child_events_total' }).add(1);
const exporter = new RemoteWriteExporter({
  url: url!,
  registry,
  intervalMs: 50,
  // `flush`: requests that time out within the flush, so that one is in flight at its deadline.
  timeoutMs: mode === 'flush' ? 100 : 60_000,
  retry: { initialBackoffMs: 10, maxBackoffMs: 50 },
});
exporter.start();

if (mode === 'run') {
  setTimeout(() => console.log('host done'), 300);
} else if (mode === 'flush') {
  await new Promise((resolve) => setTimeout(resolve, 300));
  // Five in a row: the deadline of each falls at a different point of a request's timeout.
  const flushes: { flushMs: number; flushed: boolean }[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    const flushed = await exporter.flush({ timeoutMs: 400 });
    flushes.push({ flushMs: Math.round(performance.now() - started), flushed });
  }
  console.log(JSON.stringify(flushes));
} else {
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = performance.now();
  await exporter.stop({ timeoutMs: 400 });
  const dropped = (registry.getMetric('fw0_push_dropped_samples_total') as Counter).get({
    exporter: 'remote_write',
    reason: 'shutdown',
  });
  console.log(
    JSON.stringify({ stopMs: Math.round(performance.now() - started), droppedAtShutdown: dropped }),
  );
}
