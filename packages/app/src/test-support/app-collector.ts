import { ManualClock, MetricsRegistry, type PerformanceMetric, silentLogger } from '@fw0/metrics-core';
import { ApplicationMetricsCollector } from '../collector.js';
import type { ApplicationCollectorOptions } from '../options.js';

/** A collector on a fresh registry with a manual clock (deterministic sampling and windows). */
export function testCollector(options: Omit<ApplicationCollectorOptions, 'registry'> = {}): {
  app: ApplicationMetricsCollector;
  registry: MetricsRegistry;
  clock: ManualClock;
} {
  const clock = new ManualClock();
  const registry = new MetricsRegistry({ clock, logger: silentLogger });
  return { app: new ApplicationMetricsCollector({ ...options, registry }), registry, clock };
}

/** The samples of `name` among `samples`. */
export function samplesNamed(samples: readonly PerformanceMetric[], name: string): PerformanceMetric[] {
  return samples.filter((sample) => sample.name === name);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
