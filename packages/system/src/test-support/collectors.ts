import { join } from 'node:path';
import { MetricsRegistry } from '@fw0/metrics-core';
import type { SystemCollectorOptions } from '../options.js';
import { SystemMetricsCollector } from '../system-collector.js';
import type { ProcTree } from './fixtures.js';
import { RecordingLogger } from './recording-logger.js';

/**
 * A collector reading a ProcTree (its `sys/` for sysfs) with a 1 ms rate window, no inventory,
 * its own registry and a recording logger: the first call of a method takes its baseline from
 * the files as they are, later calls see what the test wrote since.
 */
export function treeCollector(tree: ProcTree, options: SystemCollectorOptions = {}) {
  const logger = new RecordingLogger();
  const collector = new SystemMetricsCollector({
    procPath: tree.path,
    sysPath: join(tree.path, 'sys'),
    inventory: false,
    minRateWindowMs: 1,
    registry: new MetricsRegistry({ logger }),
    logger,
    ...options,
  });
  return { collector, logger };
}

/** How many failures the collector counted for `operation`. */
export function failures(collector: SystemMetricsCollector, operation: string): number {
  return collector.registry.self.collectorErrors.get({ collector: collector.name, operation }) ?? 0;
}
