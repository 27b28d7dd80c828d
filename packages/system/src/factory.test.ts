import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  MetricConflictError,
  MetricsRegistry,
  serializePrometheus,
  UnitError,
} from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startProcess, temporaryDirectory, waitFor } from '../../../test-support/processes.js';
import { getSystemCollector } from './factory.js';
import { SystemMetricsCollector } from './system-collector.js';
import { treeCollector } from './test-support/collectors.js';
import { scrapeRegistry } from './test-support/exposition.js';
import { createProcTree, type ProcTree } from './test-support/fixtures.js';

let tree: ProcTree | undefined;
afterEach(() => {
  tree?.remove();
  tree = undefined;
});

describe('getSystemCollector', () => {
  it('takes the collection interval in seconds, as the seed', async () => {
    const collector = getSystemCollector(2.5, { inventory: false });
    expect(collector).toBeInstanceOf(SystemMetricsCollector);
    expect(collector.collectionInterval).toBe(2.5);
    expect(getSystemCollector(undefined, { registry: new MetricsRegistry() }).collectionInterval).toBe(1);
    expect(collector.sourceKind).toBe('procfs');
    await collector.close();
  });

  it('rejects bad options at once with a ConfigError naming the option and value', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ collectionInterval: 0 }, /collectionInterval \(seconds\)=0/],
      [{ collectionInterval: Number.NaN }, /collectionInterval \(seconds\)=NaN/],
      [{ collectionInterval: '5' }, /collectionInterval \(seconds\)="5"/],
      [{ minRateWindowMs: 0.5 }, /minRateWindowMs=0.5/],
      [{ statfsTimeoutMs: -1 }, /statfsTimeoutMs=-1/],
      [{ source: 'wmi' }, /source="wmi"/],
      [{ diskDeviceExclude: 'loop.*' }, /diskDeviceExclude="loop\.\*"/],
      [{ excludeVirtualInterfaces: 'yes' }, /excludeVirtualInterfaces="yes"/],
      [{ procPath: '' }, /procPath=""/],
      [{ bufferSize: 0 }, /bufferSize=0/],
    ];
    for (const [options, message] of bad) {
      const registry = new MetricsRegistry();
      expect(() => new SystemMetricsCollector({ registry, ...options }), JSON.stringify(options)).toThrow(
        ConfigError,
      );
      expect(() => new SystemMetricsCollector({ registry, ...options })).toThrow(message);
      // Nothing half-done: the failed collector is not registered.
      expect(registry.collectors).toEqual([]);
    }
    expect(() => new SystemMetricsCollector(null as never)).toThrow(ConfigError);
  });

  it('throws MetricConflictError when the registry holds one of its names as another type, and stays out of it', () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'node_disk_io_now' }).add(3);
    const before = serializePrometheus(registry.snapshot());
    const names = registry.getMetrics().map((metric) => metric.name);
    expect(() => new SystemMetricsCollector({ registry })).toThrow(MetricConflictError);
    expect(registry.collectors).toEqual([]);
    // Nothing half-built stays: not the metrics defined before the clash, not the self-metric series.
    expect(registry.getMetrics().map((metric) => metric.name)).toEqual(names);
    expect(serializePrometheus(registry.snapshot())).toBe(before);
    // And the name is free again: a collector that fits can be built.
    registry.removeMetric('node_disk_io_now');
    const collector = new SystemMetricsCollector({ registry, inventory: false });
    expect(registry.collectors).toEqual([collector]);
    expect(UnitError).toBeDefined();
  });

  it('regression: a RegExp with the g flag filters the same way on every reading', async () => {
    tree = createProcTree();
    const header = 'Inter-| a\n face | b\n';
    const line = (name: string) => `  ${name}: ${Array.from({ length: 16 }, () => '1').join(' ')}\n`;
    tree.write('net/dev', header + line('eth0') + line('eth1') + line('eth2'));
    const { collector } = treeCollector(tree, { networkDeviceExclude: /eth[01]/g });
    for (let round = 0; round < 4; round++) {
      await collector.collectNetworkMetrics();
      const devices = [...scrapeRegistry(collector.registry).keys()].filter((key) =>
        key.startsWith('node_network_receive_bytes_total{'),
      );
      expect(devices, `round ${round}`).toEqual(['node_network_receive_bytes_total{device="eth2"}']);
    }
    await collector.close();
  });

  it('continuous collection never keeps the process alive (unref timer)', async () => {
    const directory = temporaryDirectory('fw0-system-unref');
    const script = join(directory.path, 'script.mts');
    const entry = JSON.stringify(join(import.meta.dirname, 'index.ts'));
    writeFileSync(
      script,
      `import { getSystemCollector } from ${entry};\n` +
        'const collector = getSystemCollector(0.1, { inventory: false });\n' +
        'collector.startContinuousCollection();\n' +
        "setTimeout(() => console.log('collected', collector.getCollectedMetrics().length), 600);\n",
    );
    const child = startProcess(process.execPath, ['--import', 'tsx', script]);
    try {
      await waitFor('the script to exit by itself', () => child.child.exitCode !== null, {
        timeoutMs: 20_000,
        intervalMs: 50,
      });
      expect(child.child.exitCode).toBe(0);
      expect(Number(/collected (\d+)/.exec(child.output())?.[1])).toBeGreaterThan(0);
    } finally {
      await child.stop();
      directory.remove();
    }
  });
});
