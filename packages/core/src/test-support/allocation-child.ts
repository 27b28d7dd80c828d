/**
 * A host for allocation.test.ts, run as `node --expose-gc --import tsx allocation-child.ts <mode>`:
 * records millions of times through bound handles (mode `bound`) or through labelled calls with
 * a fresh labels object each (mode `labelled`, the control that must allocate), while a
 * PerformanceObserver counts garbage collections. Prints one JSON line.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { ManualClock } from '../clock.js';
import { MetricsRegistry } from '../registry.js';

const OPERATIONS = 5_000_000;
const mode = process.argv[2];
if (mode !== 'bound' && mode !== 'labelled') throw new Error(`unknown mode ${String(mode)}`);

// A manual clock: the histogram window never rotates during the run (a rotation, every 20 s by
// default, copies bins: an allocation by design, not per call).
const registry = new MetricsRegistry({ clock: new ManualClock() });
const counter = registry.counter({ name: 'requests_total' });
const gauge = registry.gauge({ name: 'queue_depth' });
const histogram = registry.histogram({ name: 'latency_seconds', unit: 'seconds' });
const requests = counter.bind({ route: '/x' });
const depth = gauge.bind({ route: '/x' });
const latency = histogram.bind({ route: '/x' });

/**
 * Fractional values across the default seconds buckets, as real latencies are, held as heap
 * numbers (the array is made generic). A double computed at the call site and passed to a
 * function V8 did not inline is boxed by the caller, whatever the callee does: that allocation
 * belongs to the call site. Values that already are heap numbers isolate the handles' own work.
 */
const values: number[] = Array.from({ length: 1024 }, (_, i) => i * 0.0007 + 0.0001);
(values as unknown[]).push('generic');
values.pop();

function bound(operations: number): void {
  for (let i = 0; i < operations; i++) {
    const value = values[i & 1023]!;
    requests.add(1);
    depth.set(value);
    depth.add(1);
    latency.observe(value);
  }
}

function labelled(operations: number): void {
  for (let i = 0; i < operations; i++) counter.add(1, { route: '/x' });
}

const work = mode === 'bound' ? bound : labelled;
// Warm-up: the loop and the record paths are optimised, and the optimised code installed (V8
// compiles on a background thread; installing it allocates), before the count starts.
for (let round = 0; round < 10; round++) {
  work(200_000);
  await new Promise((resolve) => setTimeout(resolve, 5));
}
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
gc();

const collections: { readonly start: number; readonly kind: number }[] = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    collections.push({
      start: entry.startTime,
      kind: (entry as unknown as { detail: { kind: number } }).detail.kind,
    });
});
observer.observe({ entryTypes: ['gc'] });
const started = performance.now();
work(OPERATIONS);
const ended = performance.now();
// GC entries are delivered asynchronously; only those that started during the loop count.
await new Promise((resolve) => setTimeout(resolve, 200));
observer.disconnect();
const during = collections.filter((entry) => entry.start >= started && entry.start <= ended);

console.log(
  JSON.stringify({
    mode,
    operations: OPERATIONS,
    scavenges: during.filter((entry) => entry.kind === constants.NODE_PERFORMANCE_GC_MINOR).length,
    collections: during.length,
    total: counter.get({ route: '/x' }),
  }),
);
