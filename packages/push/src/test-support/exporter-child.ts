/**
 * A host application for the fault tests, run as a child process:
 * `node --import tsx exporter-child.ts <run|stop> <url>`.
 * - `run`: starts an exporter and lets the main module end while it runs (a 300 ms timer keeps
 *   the host busy first, so pushes happen); the process must then exit on its own.
 * - `stop`: starts an exporter, then awaits `stop({ timeoutMs: 400 })` at the top level and
 *   prints how long it took and what it dropped.
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
  timeoutMs: 60_000,
  retry: { initialBackoffMs: 10, maxBackoffMs: 50 },
});
exporter.start();

if (mode === 'run') {
  setTimeout(() => console.log('host done'), 300);
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
