/**
 * The benchmark's workload, recorded identically into an fw0 registry and a prom-client
 * registry: 1,000 series per worker (500 counter series, 500 histogram series with the same 11
 * buckets on both sides), values drawn from a seeded generator.
 */
import { MetricsRegistry, SECONDS_BUCKETS } from '@fw0/metrics-core';
import promClient from 'prom-client';

/** Workers the benchmark aggregates. */
export const WORKERS = 4;
/** Label sets per metric (two metrics: 1,000 series per worker). */
export const LABEL_SETS = 500;
/** Observations per histogram series. */
const OBSERVATIONS = 8;

function values(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return 0.001 + (state / 4294967296) ** 3 * 5;
  };
}

/** Records worker `index`'s workload into an fw0 registry. */
export function recordFw0(registry: MetricsRegistry, index: number): void {
  const requests = registry.counter({ name: 'bench_requests_total', help: 'Requests.' });
  const latency = registry.histogram({ name: 'bench_latency_seconds', help: 'Latency.', unit: 'seconds' });
  const next = values(index + 1);
  for (let id = 0; id < LABEL_SETS; id++) {
    const labels = { route: `/route/${id}`, method: id % 2 ? 'GET' : 'POST' };
    requests.add(1 + (id % 7), labels);
    for (let k = 0; k < OBSERVATIONS; k++) latency.observe(next(), labels);
  }
}

/** Records the same workload into a prom-client registry. */
export function recordProm(registry: promClient.Registry, index: number): void {
  const requests = new promClient.Counter({
    name: 'bench_requests_total',
    help: 'Requests.',
    labelNames: ['route', 'method'],
    registers: [registry],
  });
  const latency = new promClient.Histogram({
    name: 'bench_latency_seconds',
    help: 'Latency.',
    labelNames: ['route', 'method'],
    buckets: [...SECONDS_BUCKETS],
    registers: [registry],
  });
  const next = values(index + 1);
  for (let id = 0; id < LABEL_SETS; id++) {
    const labels = { route: `/route/${id}`, method: id % 2 ? 'GET' : 'POST' };
    requests.inc(labels, 1 + (id % 7));
    for (let k = 0; k < OBSERVATIONS; k++) latency.observe(labels, next());
  }
}

/** An fw0 registry holding worker `index`'s workload. */
export function fw0Worker(index: number): MetricsRegistry {
  const registry = new MetricsRegistry();
  recordFw0(registry, index);
  return registry;
}
